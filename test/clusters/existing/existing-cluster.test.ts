import * as assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { plan } from "../../../lib/core/plan";
import { ExistingCluster } from "../../../lib/clusters/existing/existing-cluster";
import { fakePem } from "../../../lib/testing/mock-outputs";
import { runOffline } from "../../../lib/testing/offline-engine";
import { assertRejectsInputs } from "../../support/input-errors";

const mesh = plan({
  meshID: "demo",
  clusters: {
    onprem: { cloud: "existing", region: "dc1" },
    lab: { cloud: "existing", region: "dc2" },
  },
});

const CA = fakePem("CERTIFICATE", "existing-cluster-test");
const TOKEN = "token-that-must-stay-secret-0123456789";

/** A kubeconfig with two contexts and a bearer token (a credential). */
function kubeconfig(servers: { onprem?: string; lab?: string; caData?: string | null } = {}): string {
  const cluster = (name: string, server: string): object => ({
    name,
    cluster: {
      server,
      ...(servers.caData === null
        ? { "certificate-authority": "/etc/ca.crt" }
        : { "certificate-authority-data": servers.caData ?? Buffer.from(CA).toString("base64") }),
    },
  });
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      cluster("onprem-cluster", servers.onprem ?? "https://10.20.0.1:6443"),
      cluster("lab-cluster", servers.lab ?? "https://lab.example.com"),
    ],
    contexts: [
      { name: "onprem", context: { cluster: "onprem-cluster", user: "admin" } },
      { name: "lab", context: { cluster: "lab-cluster", user: "admin" } },
    ],
    "current-context": "onprem",
    users: [{ name: "admin", user: { token: TOKEN } }],
  });
}

/** Asserts that an error carries exactly this message (Pulumi prefixes errors raised while it serializes outputs). */
function withMessage(message: string): (e: Error) => boolean {
  return (e) => {
    assert.equal(e.message.replace(/^error serializing property "outputs": /, ""), message);
    return true;
  };
}

function valueOf<T>(input: pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => pulumi.output(input).apply((v) => resolve(v as T)));
}

describe("ExistingCluster", () => {
  describe("from a kubeconfig", () => {
    it("creates the cluster's Kubernetes provider with its cluster id and the kubeconfig as a secret", async () => {
      const { engine, result } = await runOffline(
        () =>
          new ExistingCluster("onprem", {
            plan: mesh,
            clusterId: "onprem",
            kubeconfig: pulumi.secret(kubeconfig()),
          }),
      );
      assert.deepEqual(
        engine.resources.map((r) => `${r.type} ${r.name}`),
        ["isthmus:clusters:ExistingCluster onprem", "pulumi:providers:kubernetes onprem-k8s"],
      );
      const provider = engine.get("pulumi:providers:kubernetes", "onprem-k8s");
      assert.equal(provider.parent, engine.get("isthmus:clusters:ExistingCluster", "onprem").urn);
      assert.equal(provider.inputs.clusterIdentifier, "onprem");
      assert.deepEqual(provider.secretPaths, ["kubeconfig"]);
      assert.equal(await valueOf(result.cluster.provider.urn), provider.urn);
      assert.equal(result.cluster.id, "onprem");
      assert.equal(result.cluster.readyResources, undefined);
    });

    it("keeps the kubeconfig secret even when it arrives as a plain Output", async () => {
      const { engine } = await runOffline(
        () =>
          new ExistingCluster("onprem", {
            plan: mesh,
            clusterId: "onprem",
            kubeconfig: pulumi.output(kubeconfig()),
          }),
      );
      assert.deepEqual(engine.get("pulumi:providers:kubernetes", "onprem-k8s").secretPaths, ["kubeconfig"]);
      // The token appears nowhere but under a secret path.
      for (const r of engine.resources) {
        const plain = { ...r.inputs };
        for (const path of r.secretPaths) delete (plain as Record<string, unknown>)[path];
        assert.ok(!JSON.stringify(plain).includes(TOKEN), `${r.name} carries the token in plain text`);
      }
    });

    it("reads the current context's endpoint and CA (PEM) as plain values", async () => {
      const { result } = await runOffline(
        () =>
          new ExistingCluster("onprem", {
            plan: mesh,
            clusterId: "onprem",
            kubeconfig: pulumi.secret(kubeconfig()),
          }),
      );
      assert.equal(await valueOf(result.cluster.endpoint), "https://10.20.0.1:6443");
      assert.equal(await valueOf(result.cluster.certificateAuthority), CA);
      assert.equal(await pulumi.isSecret(pulumi.output(result.cluster.endpoint)), false);
      assert.equal(await pulumi.isSecret(pulumi.output(result.cluster.certificateAuthority)), false);
    });

    it("uses a named context for the provider and the endpoint", async () => {
      const { engine, result } = await runOffline(
        () =>
          new ExistingCluster("lab", {
            plan: mesh,
            clusterId: "lab",
            kubeconfig: pulumi.secret(kubeconfig()),
            context: "lab",
          }),
      );
      assert.equal(engine.get("pulumi:providers:kubernetes", "lab-k8s").inputs.context, "lab");
      assert.equal(await valueOf(result.cluster.endpoint), "https://lab.example.com");
    });

    it("takes an explicit endpoint over a loopback server, and accepts the loopback server otherwise", async () => {
      // Loopback is true for clusters on one host (the real local stack of test/real runs so).
      const local = pulumi.secret(kubeconfig({ onprem: "https://127.0.0.1:40123" }));
      const { result } = await runOffline(
        () =>
          new ExistingCluster("onprem", {
            plan: mesh,
            clusterId: "onprem",
            kubeconfig: local,
            endpoint: "https://172.18.0.2:6443",
          }),
      );
      assert.equal(await valueOf(result.cluster.endpoint), "https://172.18.0.2:6443");
      const adopted = await runOffline(
        () => new ExistingCluster("onprem", { plan: mesh, clusterId: "onprem", kubeconfig: local }),
      );
      assert.equal(await valueOf(adopted.result.cluster.endpoint), "https://127.0.0.1:40123");
    });

    it("says what is missing when the context has no inline CA or does not exist", async () => {
      await assert.rejects(
        runOffline(
          () =>
            new ExistingCluster("onprem", {
              plan: mesh,
              clusterId: "onprem",
              kubeconfig: pulumi.secret(kubeconfig({ caData: null })),
            }),
        ),
        withMessage(
          'kubeconfig: cluster "onprem-cluster" has no certificate-authority-data; got a certificate-authority file path, ' +
            "expected the CA inline. Inline it (`kubectl config view --raw --flatten`), or pass the PEM with `certificateAuthority`.",
        ),
      );
      await assert.rejects(
        runOffline(
          () =>
            new ExistingCluster("lab", {
              plan: mesh,
              clusterId: "lab",
              kubeconfig: pulumi.secret(kubeconfig()),
              context: "labb",
            }),
        ),
        withMessage(
          'kubeconfig: has no context "labb"; got contexts ["onprem","lab"], expected one of them. Name an existing context with `context`.',
        ),
      );
    });
  });

  describe("from an existing provider", () => {
    it("returns the given provider, endpoint, CA and ready resources, and creates no provider", async () => {
      const { engine, result } = await runOffline(() => {
        const provider = new k8s.Provider("lab-admin", {
          kubeconfig: pulumi.secret(kubeconfig()),
          clusterIdentifier: "lab",
        });
        return {
          provider,
          existing: new ExistingCluster("lab", {
            plan: mesh,
            clusterId: "lab",
            provider,
            endpoint: "https://lab.example.com",
            certificateAuthority: CA,
            readyResources: [provider],
            loadBalancerReady: [provider],
            egressAddresses: ["198.51.100.7"],
          }),
        };
      });
      assert.deepEqual(engine.resources.map((r) => `${r.type} ${r.name}`).sort(), [
        "isthmus:clusters:ExistingCluster lab",
        "pulumi:providers:kubernetes lab-admin",
      ]);
      assert.equal(result.existing.cluster.provider, result.provider);
      assert.equal(await valueOf(result.existing.cluster.endpoint), "https://lab.example.com");
      assert.equal(await valueOf(result.existing.cluster.certificateAuthority), CA);
      assert.deepEqual(result.existing.cluster.readyResources, [result.provider]);
      assert.deepEqual(result.existing.cluster.loadBalancerReady, [result.provider]);
      assert.deepEqual(result.existing.cluster.egressAddresses, ["198.51.100.7"]);
    });
  });

  describe("validation", () => {
    const invalid = (
      args: ConstructorParameters<typeof ExistingCluster>[1],
      message: string,
    ): Promise<void> => assertRejectsInputs(() => new ExistingCluster("bad", args), message);

    it("refuses a kubeconfig that is not secret, without printing it", async () => {
      const text = kubeconfig();
      await invalid(
        { plan: mesh, clusterId: "onprem", kubeconfig: text },
        "ExistingCluster: 1 invalid input; nothing was created:\n" +
          `  - kubeconfig: is not secret; got "a plain string of ${text.length} characters (not shown)", expected a secret Output. ` +
          'A kubeconfig holds credentials: wrap it, pulumi.secret(fs.readFileSync(path, "utf8")), or use config.requireSecret("kubeconfig").',
      );
    });

    it("refuses an unknown cluster id and a missing kubeconfig at once", async () => {
      await invalid(
        { plan: mesh, clusterId: "onperm" },
        "ExistingCluster: 2 invalid inputs; nothing was created:\n" +
          '  - clusterId: is not a cluster of the plan; got "onperm", expected one of "lab", "onprem". ' +
          'Use the key of the cluster in the spec\'s clusters. Did you mean "onprem"?\n' +
          "  - kubeconfig: is missing, and so is provider; got nothing, expected a kubeconfig (secret), or a Kubernetes provider " +
          'with endpoint and certificateAuthority. Pass kubeconfig: config.requireSecret("kubeconfig"), or an existing provider.',
      );
    });

    it("refuses a provider without endpoint and CA, or beside a kubeconfig", async () => {
      let provider: k8s.Provider | undefined;
      await runOffline(() => {
        provider = new k8s.Provider("p", {
          kubeconfig: pulumi.secret(kubeconfig()),
          clusterIdentifier: "lab",
        });
      });
      await invalid(
        { plan: mesh, clusterId: "lab", provider: provider! },
        "ExistingCluster: 2 invalid inputs; nothing was created:\n" +
          "  - endpoint: is missing; got nothing, expected the API server URL, https://…. With provider, isthmus cannot read " +
          "the cluster's API address; pass it (the other clusters' istiod use it).\n" +
          "  - certificateAuthority: is missing; got nothing, expected the API server's CA certificate, PEM. With provider, " +
          "isthmus cannot read the cluster's API address; pass it (the other clusters' istiod use it).",
      );
      await invalid(
        { plan: mesh, clusterId: "lab", provider: provider!, kubeconfig: pulumi.secret(kubeconfig()) },
        "ExistingCluster: 1 invalid input; nothing was created:\n" +
          '  - provider: is given together with kubeconfig; got "a Kubernetes provider", expected either kubeconfig or provider. ' +
          "Drop one: with kubeconfig, isthmus creates the provider itself.",
      );
    });

    it("refuses an endpoint that is not https and a CA given as base64, saying how to decode it", async () => {
      const base64 = Buffer.from(CA).toString("base64");
      await invalid(
        {
          plan: mesh,
          clusterId: "lab",
          kubeconfig: pulumi.secret(kubeconfig()),
          endpoint: "lab.example.com:6443",
          certificateAuthority: base64,
        },
        "ExistingCluster: 2 invalid inputs; nothing was created:\n" +
          '  - endpoint: is not an https URL; got "lab.example.com:6443", expected https://<host>[:port]. ' +
          "Use the API server URL from the kubeconfig's clusters[].cluster.server.\n" +
          `  - certificateAuthority: is not a PEM certificate; got "${base64.slice(0, 20)}…", expected -----BEGIN CERTIFICATE-----…. ` +
          'It is base64 (certificate-authority-data): decode it, Buffer.from(data, "base64").toString().',
      );
    });
  });
});
