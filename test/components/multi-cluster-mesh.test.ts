import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { MultiClusterMesh } from "../../lib/components/multi-cluster-mesh";
import { planMesh } from "../../lib/components/plan-mesh";
import type { MeshSpec } from "../../lib/core";
import { OfflineEngine, runOffline, type RecordedResource } from "../../lib/testing";
import { egressAddress, PRIMARY_REMOTE, testClusters, THREE_PRIMARIES, TWO_REGIONS } from "./fixtures";
import { WEB_HOST, WEB_SERVICE } from "../support/plans";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const SECRET = "kubernetes:core/v1:Secret";

async function mesh(
  spec: MeshSpec,
  preview = false,
): Promise<{ engine: OfflineEngine; mesh: MultiClusterMesh }> {
  const { engine, result } = await runOffline(
    () => new MultiClusterMesh("demo", { plan: planMesh(spec), clusters: testClusters(spec) }),
    { preview },
  );
  return { engine, mesh: result };
}

const named = (engine: OfflineEngine, type: string): string[] =>
  engine
    .ofType(type)
    .map((r) => r.name)
    .sort();

describe("MultiClusterMesh", () => {
  for (const preview of [false, true]) {
    describe(`two regions, multi-primary${preview ? " (preview)" : ""}`, () => {
      let engine: OfflineEngine;
      before(async () => {
        ({ engine } = await mesh(TWO_REGIONS, preview));
      });

      it("installs base, istiod and the east-west gateway in each cluster", () => {
        assert.deepEqual(named(engine, RELEASE), [
          "demo-region1-base",
          "demo-region1-eastwest-release",
          "demo-region1-istiod",
          "demo-region2-base",
          "demo-region2-eastwest-release",
          "demo-region2-istiod",
          "region1-lb-controller",
          "region2-lb-controller",
        ]);
        // Each east-west gateway waits for its own cluster's AWS Load Balancer Controller, and
        // admits only its peer's egress (NAT) address.
        for (const [id, peer] of [
          ["region1", "region2"],
          ["region2", "region1"],
        ] as const) {
          const gateway = engine.get(RELEASE, `demo-${id}-eastwest-release`);
          assert.ok(engine.dependsOn(gateway, engine.get(RELEASE, `${id}-lb-controller`)), id);
          if (!preview) {
            assert.deepEqual((gateway.inputs.values as any).service.loadBalancerSourceRanges, [
              `${egressAddress(peer)}/32`,
            ]);
          }
        }
        const istiod = engine.get(RELEASE, "demo-region1-istiod");
        assert.equal(istiod.inputs.chart, "istiod");
        assert.equal(istiod.inputs.version, "1.30.3");
        assert.deepEqual(istiod.inputs.repositoryOpts, {
          repo: "https://istio-release.storage.googleapis.com/charts",
        });
        const values = istiod.inputs.values as any;
        assert.equal(values.global.meshID, "mesh1");
        assert.equal(values.global.multiCluster.clusterName, "region1");
        assert.equal(values.global.network, "network-region1");
      });

      it("sends every Kubernetes object through its own cluster's provider", () => {
        const kube = engine.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
        assert.equal(kube.length, 22, "10 per cluster, and the fixture's controller release");
        for (const r of kube) {
          const cluster = engine.clusterOf(r);
          assert.ok(cluster !== undefined, `${r.name} has no cluster provider`);
          assert.ok(
            r.name.startsWith(`demo-${cluster}`) ||
              r.name.includes(`-reads-`) ||
              r.name === `${cluster}-lb-controller`,
            `${r.name} in ${cluster}`,
          );
        }
        for (const r of engine.resources.filter((x) => x.name.includes("-reads-") && x.type === SECRET)) {
          const reader = /^demo-(\w+)-reads-/.exec(r.name)![1];
          assert.equal(engine.clusterOf(r), reader);
        }
      });

      it("orders cacerts before istiod and base before Istio resources", () => {
        for (const id of ["region1", "region2"]) {
          const istiod = engine.get(RELEASE, `demo-${id}-istiod`);
          const base = engine.get(RELEASE, `demo-${id}-base`);
          const cacerts = engine.get(SECRET, `demo-${id}-cacerts`);
          assert.ok(engine.dependsOn(istiod, cacerts), "istiod waits for cacerts");
          assert.ok(engine.dependsOn(istiod, base), "istiod waits for base");
          const istioResources = engine.resources.filter(
            (r) => /\.istio\.io\//.test(r.type) && engine.clusterOf(r) === id,
          );
          assert.deepEqual(istioResources.map((r) => r.type).sort(), [
            "kubernetes:networking.istio.io/v1:Gateway",
            "kubernetes:security.istio.io/v1:PeerAuthentication",
          ]);
          for (const r of istioResources) assert.ok(engine.dependsOn(r, base), `${r.name} waits for base`);
        }
      });

      it("never makes one cluster's installation wait on another's", () => {
        const istiod1 = engine.get(RELEASE, "demo-region1-istiod");
        for (const r of engine.resources.filter((x) => engine.clusterOf(x) === "region2")) {
          assert.ok(!engine.dependsOn(istiod1, r), `region1 istiod waits on ${r.name}`);
        }
      });

      it("gives each primary a remote secret for the other cluster", () => {
        const remote = engine
          .ofType(SECRET)
          .filter((r) => (r.inputs.metadata as any)?.labels?.["istio/multiCluster"]);
        assert.deepEqual(
          remote
            .map((r) => [
              engine.clusterOf(r),
              (r.inputs.metadata as any).name,
              (r.inputs.metadata as any).annotations,
            ])
            .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
          [
            ["region1", "istio-remote-secret-region2", { "networking.istio.io/cluster": "region2" }],
            ["region2", "istio-remote-secret-region1", { "networking.istio.io/cluster": "region1" }],
          ],
        );
        for (const r of remote) {
          assert.ok(r.secretPaths.includes("stringData"), `${r.name} data is secret`);
          if (preview) continue;
          const target = (r.inputs.metadata as any).annotations["networking.istio.io/cluster"];
          const kubeconfig = parse((r.inputs.stringData as Record<string, string>)[target]!);
          assert.equal(kubeconfig.clusters[0].name, target);
          assert.match(kubeconfig.clusters[0].cluster.server, new RegExp(`^https://${target.toUpperCase()}`));
          assert.match(kubeconfig.users[0].user.token, /^eyJ/);
          assert.equal(kubeconfig.users[0].user.exec, undefined);
        }
      });

      it("creates each reader token after the reader service account and waits for the token", () => {
        for (const id of ["region1", "region2"]) {
          const token = engine.get(SECRET, `demo-${id}-reader-token`);
          assert.equal(token.inputs.type, "kubernetes.io/service-account-token");
          assert.equal(
            (token.inputs.metadata as any).annotations["kubernetes.io/service-account.name"],
            "istio-reader-service-account",
          );
          assert.equal(
            (token.inputs.metadata as any).annotations["pulumi.com/waitFor"],
            "jsonpath={.data.token}",
          );
          assert.ok(engine.dependsOn(token, engine.get(RELEASE, `demo-${id}-base`)), "the SA exists first");
          assert.ok(!engine.dependsOn(token, engine.get(RELEASE, `demo-${id}-istiod`)), "no wait on istiod");
        }
      });

      it("keeps key material secret", () => {
        // A Kubernetes Secret's data is secret by the SDK's own declaration; the component outputs
        // that feed it are asserted separately with pulumi.isSecret.
        const cacerts = engine.get(SECRET, "demo-region1-cacerts");
        assert.ok(cacerts.secretPaths.includes("stringData"));
        const signed = engine.ofType("tls:index/locallySignedCert:LocallySignedCert");
        assert.equal(signed.length, 2);
        for (const cert of signed)
          assert.ok(cert.secretPaths.includes("caPrivateKeyPem"), `${cert.name} signing key`);
        for (const key of engine.ofType("tls:index/privateKey:PrivateKey")) {
          assert.equal(key.inputs.algorithm, "RSA");
        }
      });
    });
  }

  it("exposes sensitive outputs only as secrets", async () => {
    const { result } = await runOffline(() => {
      const m = new MultiClusterMesh("demo", {
        plan: planMesh(TWO_REGIONS),
        clusters: testClusters(TWO_REGIONS),
      });
      return { m, cacerts: m.trust.cacerts("region1"), key: m.trust.intermediates.region1!.keyPem };
    });
    assert.equal(await pulumi.isSecret(result.cacerts), true);
    assert.equal(await pulumi.isSecret(result.key), true);
    assert.equal(await pulumi.isSecret(result.m.certificateExpiry), false);
  });

  it("keeps a root of your own secret even when it is given as plain text", async () => {
    const keyPem = "-----BEGIN PRIVATE KEY-----\nbyo\n-----END PRIVATE KEY-----\n";
    const { engine, result } = await runOffline(() => {
      const m = new MultiClusterMesh("demo", {
        plan: planMesh(TWO_REGIONS),
        clusters: testClusters(TWO_REGIONS),
        trust: {
          // A real CA certificate (its key was thrown away); the key here is a stand-in.
          bringYourOwnRoot: {
            certPem: readFileSync(join(__dirname, "fixtures", "byo-root-cert.pem"), "utf8"),
            keyPem,
          },
        },
      });
      return m.trust.cacerts("region1");
    });
    assert.equal(engine.ofType("tls:index/selfSignedCert:SelfSignedCert").length, 0, "no generated root");
    for (const cert of engine.ofType("tls:index/locallySignedCert:LocallySignedCert")) {
      assert.equal(cert.inputs.caPrivateKeyPem, keyPem);
      assert.ok(cert.secretPaths.includes("caPrivateKeyPem"), `${cert.name}: the root key is secret`);
    }
    assert.equal(await pulumi.isSecret(result), true);
  });

  it("reports status, gateway addresses and certificate expiry", async () => {
    const { result } = await runOffline(() => {
      const m = new MultiClusterMesh("demo", {
        plan: planMesh(TWO_REGIONS),
        clusters: testClusters(TWO_REGIONS),
      });
      return pulumi.all([m.clusterStatus, m.certificateExpiry]);
    });
    const [status, expiry] = await new Promise<[Record<string, any>, Record<string, any>]>((resolve) =>
      result.apply((v) => resolve(v as never)),
    );
    assert.equal(status.region1.istio, "deployed");
    assert.match(status.region1.gatewayAddress, /\.elb\.us-east-1\.amazonaws\.com$/);
    // The offline clock is 2026-01-01: 87600 h (10 years) and 17520 h (2 years) later.
    assert.equal(expiry.root, "2035-12-30T00:00:00Z");
    assert.equal(expiry.region1, "2028-01-01T00:00:00Z");
  });

  it("creates a service's objects after its Namespace, and policies after the service", async () => {
    const { engine } = await runOffline(
      () =>
        new MultiClusterMesh("demo", {
          plan: planMesh({
            mesh: TWO_REGIONS,
            services: [WEB_SERVICE],
            failoverPolicies: [{ host: WEB_HOST, failover: [{ from: "us-east-1", to: "us-west-2" }] }],
          }),
          clusters: testClusters(TWO_REGIONS),
        }),
    );
    for (const id of ["region1", "region2"]) {
      const inCluster = engine.resources.filter((r) => engine.clusterOf(r) === id);
      const namespace = inCluster.find(
        (r) => r.type === "kubernetes:core/v1:Namespace" && (r.inputs.metadata as any).name === "shop",
      )!;
      const deployment = inCluster.find((r) => r.type === "kubernetes:apps/v1:Deployment")!;
      const rule = inCluster.find((r) => r.type === "kubernetes:networking.istio.io/v1:DestinationRule")!;
      assert.ok(engine.dependsOn(deployment, namespace), `${id}: the Deployment waits for its Namespace`);
      assert.ok(engine.dependsOn(rule, namespace), `${id}: the DestinationRule waits for its Namespace`);
      assert.equal((rule.inputs.metadata as any).namespace, "shop");
    }
  });

  describe("three clusters", () => {
    it("multi-primary: N·(N−1) remote secrets", async () => {
      const { engine } = await mesh(THREE_PRIMARIES);
      const remote = engine.ofType(SECRET).filter((r) => r.name.includes("-reads-"));
      assert.equal(remote.length, 6);
    });

    it("primary-remote: istiod only in the primary, remotes pointed at its exposed istiod", async () => {
      const { engine } = await mesh(PRIMARY_REMOTE);
      const remote = engine.ofType(SECRET).filter((r) => r.name.includes("-reads-"));
      assert.deepEqual(remote.map((r) => r.name).sort(), [
        "demo-east-reads-europe-secret",
        "demo-east-reads-west-secret",
      ]);
      assert.deepEqual(
        named(engine, SECRET).filter((n) => n.endsWith("-cacerts")),
        ["demo-east-cacerts"],
      );

      const primary = engine.get(RELEASE, "demo-east-istiod").inputs.values as any;
      assert.equal(primary.global.externalIstiod, true);
      // The NLB takes the primary's Elastic IPs, and the remotes reach istiod at the first one: an
      // IP, so the istiod chart renders the remotes' istiod Service with endpoints, not ExternalName.
      const gateway = engine.get(RELEASE, "demo-east-eastwest-release").inputs.values as any;
      assert.equal(
        gateway.service.annotations["service.beta.kubernetes.io/aws-load-balancer-eip-allocations"],
        "eipalloc-easta,eipalloc-eastb,eipalloc-eastc",
      );
      assert.equal(
        gateway.service.annotations["service.beta.kubernetes.io/aws-load-balancer-subnets"],
        "subnet-easta,subnet-eastb,subnet-eastc",
      );
      const address = "54.0.4.1";
      // istiod's 15012/15017 (and 15443) only from the remotes' NAT addresses, not 0.0.0.0/0.
      assert.deepEqual(
        gateway.service.loadBalancerSourceRanges,
        [`${egressAddress("west")}/32`, `${egressAddress("europe")}/32`].sort(),
      );
      for (const id of ["west", "europe"]) {
        const values = engine.get(RELEASE, `demo-${id}-istiod`).inputs.values as any;
        assert.equal(values.profile, "remote");
        assert.equal(values.global.remotePilotAddress, address);
        assert.equal(values.istiodRemote.injectionPath, `/inject/cluster/${id}/net/network-${id}`);
        const ns = engine.resources.find(
          (r) => r.type === "kubernetes:core/v1:Namespace" && engine.clusterOf(r) === id,
        ) as RecordedResource;
        assert.equal(
          (ns.inputs.metadata as any).annotations["topology.istio.io/controlPlaneClusters"],
          "east",
        );
      }
      const exposure = engine.resources.filter(
        (r) => r.type === "kubernetes:networking.istio.io/v1:VirtualService",
      );
      assert.deepEqual(
        exposure.map((r) => engine.clusterOf(r)),
        ["east"],
      );
    });
  });

  it("refuses a bad spec with every problem and registers nothing", async () => {
    const spec = {
      clusters: {
        region1: { cloud: "aws", region: "us-east1" },
        region2: { cloud: "gcp", region: "us-west-2" },
      },
    };
    const engine = await OfflineEngine.start();
    assert.throws(
      () => new MultiClusterMesh("demo", { plan: planMesh(spec as MeshSpec), clusters: {} }),
      (error: unknown) => {
        assert.ok(pulumi.InputPropertiesError.isInstance(error));
        assert.deepEqual(
          error.errors.map((e) => e.propertyPath),
          ["clusters.region1.region", "clusters.region2.region"],
        );
        return true;
      },
    );
    await engine.settle();
    assert.equal(engine.resources.length, 0);
  });

  it("refuses missing and unknown cluster handles", async () => {
    const clusters = testClusters(TWO_REGIONS);
    await assert.rejects(
      () =>
        runOffline(() => {
          const { region2: _, ...rest } = clusters;
          return new MultiClusterMesh("demo", {
            plan: planMesh(TWO_REGIONS),
            clusters: { ...rest, regoin2: clusters.region2! },
          });
        }),
      (error: unknown) =>
        pulumi.InputPropertiesError.isInstance(error) &&
        error.errors.map((e) => e.reason).join("\n") ===
          [
            "clusters.region2: is missing: the spec has this cluster but no handle was given for it; got nothing, expected a MeshCluster (from EksCluster, GkeCluster or ExistingCluster). Pass clusters: { region2: <cluster>.cluster, ... }.",
            'clusters.regoin2: is not a cluster of the mesh; got "regoin2", expected one of region1, region2. Add it to mesh.clusters, or remove the handle. Did you mean "region2"?',
          ].join("\n"),
    );
  });
});
