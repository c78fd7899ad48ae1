/**
 * A real `pulumi up` of examples/existing-clusters on two real local clusters: the real Pulumi CLI,
 * its Node.js language host and Kubernetes provider, a local backend; intermediates from the test's
 * own CA (openssl), so no TLS provider is needed; Istio's charts from a chart mirror on loopback.
 * The test plays only what a kubelet and a cloud would do (test/real/support/kubelet.ts): it runs a
 * real istiod for each istiod Pod, with the `cacerts` Secret that Pod mounts, and serves the
 * admission webhooks from the Pod's address. The product's awaits stay on.
 *
 * Then: a second preview shows no change; reordering the clusters replaces nothing; the exported
 * state holds no secret in plain text; `isthmus verify` passes; `pulumi destroy` leaves both
 * clusters as they were.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { KubeApi } from "../../lib/cli/kube-api";
import { main } from "../../lib/cli/main";
import { formatCheck, verifyMesh } from "../../lib/cli/verify-command";
import { CACERTS_SECRET, cacertsData } from "../../lib/core/trust";
import { startChartMirror, type ChartMirror } from "./support/chart-mirror";
import { startControlPlane, waitFor, type ControlPlane } from "./support/control-plane";
import { startIstiod, type Istiod } from "./support/istiod";
import { FakeNode } from "./support/kubelet";
import { makeTestPki, type TestPki } from "./support/pki";
import { PulumiWorkspace } from "./support/pulumi";
import { addLocalAddress } from "./support/tools";

const ROOT = resolve(__dirname, "../..");
const EXAMPLE = join(ROOT, "examples", "existing-clusters");
const IDS = ["cluster1", "cluster2"] as const;
const REGIONS: Record<string, string> = { cluster1: "dc-east", cluster2: "dc-west" };
const ISTIOD_IP: Record<string, string> = { cluster1: "10.31.0.10", cluster2: "10.32.0.10" };
const POD_PREFIX: Record<string, string> = { cluster1: "10.31.", cluster2: "10.32." };

/** Every object of a cluster that a user's stack could leave behind, as `kind namespace/name`. */
function inventory(cluster: ControlPlane): string[] {
  const kinds = cluster
    .kubectl(["api-resources", "--verbs=list", "-o", "name"])
    .split("\n")
    .filter(
      (k) =>
        k !== "" &&
        !/^(events|leases|endpoints|endpointslices|componentstatuses|nodes)(\.|$)/.test(k) &&
        !k.startsWith("events."),
    );
  const out = cluster.kubectl([
    "get",
    kinds.join(","),
    "--all-namespaces",
    "--ignore-not-found",
    "-o",
    "custom-columns=K:.kind,NS:.metadata.namespace,N:.metadata.name",
    "--no-headers",
  ]);
  return (
    out
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => l.trim().split(/\s+/).join(" "))
      // istiod writes the mesh's root and CRL into every namespace at run time (Istio's own uninstall leaves them too).
      .filter((l) => !/^ConfigMap \S+ istio-ca-(root-cert|crl)$/.test(l))
      .sort()
  );
}

describe("real: pulumi up of examples/existing-clusters on local clusters", function () {
  this.timeout(1_200_000);
  const clusters: Record<string, ControlPlane> = {};
  const nodes: FakeNode[] = [];
  const istiods: Record<string, Istiod> = {};
  const baseline: Record<string, string[]> = {};
  let pki: TestPki;
  let mirror: ChartMirror;
  let workspace: PulumiWorkspace;

  /** The kubelet's part for an istiod Pod: mount `cacerts`, start the container, pass readiness. */
  const runIstiod =
    (id: string) =>
    async (namespace: string, name: string): Promise<void> => {
      if (
        namespace !== "istio-system" ||
        !/^istiod-[a-z0-9]+-[a-z0-9]+$/.test(name) ||
        istiods[id] !== undefined
      )
        return;
      const secret = JSON.parse(
        clusters[id]!.kubectl(["get", "secret", "-n", "istio-system", CACERTS_SECRET.name, "-o", "json"]),
      ) as { data: Record<string, string> };
      const cacerts = Object.fromEntries(
        Object.entries(secret.data).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]),
      );
      istiods[id] = await startIstiod({
        cluster: clusters[id]!,
        clusterId: id,
        cacerts,
        webhookAddress: ISTIOD_IP[id]!,
      });
    };

  before(async () => {
    pki = makeTestPki([...IDS]);
    mirror = await startChartMirror("1.30.3");
    await Promise.all(IDS.map(async (id) => (clusters[id] = await startControlPlane({ name: id }))));
    for (const id of IDS) {
      addLocalAddress(ISTIOD_IP[id]!);
      const node = new FakeNode(clusters[id]!.kube, {
        name: `${id}-node`,
        region: REGIONS[id]!,
        zone: `${REGIONS[id]}-a`,
        podPrefix: POD_PREFIX[id]!,
        nodeIp: id === "cluster1" ? "198.18.2.1" : "198.18.2.2",
        podIpFor: (ns, name) =>
          ns === "istio-system" && /^istiod-[a-z0-9]+-[a-z0-9]+$/.test(name) ? ISTIOD_IP[id] : undefined,
        beforeRunning: runIstiod(id),
      });
      await node.start();
      nodes.push(node);
      baseline[id] = inventory(clusters[id]!);
    }
    workspace = new PulumiWorkspace(EXAMPLE, "isthmus-real-test");
    await workspace.init();
    await workspace.set("region1", REGIONS.cluster1!);
    await workspace.set("region2", REGIONS.cluster2!);
    await workspace.set("kubeconfig1", clusters.cluster1!.kubeconfig, true);
    await workspace.set("kubeconfig2", clusters.cluster2!.kubeconfig, true);
    await workspace.set("chartRepository", mirror.url);
    await workspace.set("caRoot", pki.rootPem);
    await workspace.set("caCert1", pki.intermediates.cluster1!.certPem);
    await workspace.set("caCert2", pki.intermediates.cluster2!.certPem);
    await workspace.set("caKey1", pki.intermediates.cluster1!.keyPem, true);
    await workspace.set("caKey2", pki.intermediates.cluster2!.keyPem, true);
  });

  after(async () => {
    for (const node of nodes) node.stop();
    await Promise.all(Object.values(istiods).map((i) => i.stop()));
    await Promise.all(Object.values(clusters).map((c) => c.stop()));
    await mirror?.stop();
    pki?.dispose();
    workspace?.dispose();
  });

  it("creates the whole mesh: pulumi up succeeds with every await on", async () => {
    const out = await workspace.must(["up", "--yes", "--skip-preview"], { timeoutMs: 900_000 });
    assert.match(out, /Resources:\s*\n\s*\+ \d+ created/);
    assert.ok(mirror.requests.includes("index.yaml"), "the charts did not come from the mirror");
    for (const id of IDS) {
      const cluster = clusters[id]!;
      assert.equal(
        cluster.kubectl([
          "get",
          "namespace",
          "istio-system",
          "-o",
          "jsonpath={.metadata.labels.topology\\.istio\\.io/network}",
        ]),
        `network-${id}`,
      );
      assert.match(cluster.kubectl(["get", "deployment", "-n", "sample", "-o", "name"]), /helloworld/);
      // istiod serves the brought intermediate: its root is the test CA's.
      assert.equal(
        Buffer.from(
          cluster.kubectl([
            "get",
            "secret",
            "-n",
            "istio-system",
            "cacerts",
            "-o",
            "jsonpath={.data.root-cert\\.pem}",
          ]),
          "base64",
        ).toString("utf8"),
        pki.rootPem,
      );
    }
  });

  it("discovers each cluster from the other (real istiod, remote secrets from the stack)", async () => {
    for (const [reader, target] of [
      ["cluster1", "cluster2"],
      ["cluster2", "cluster1"],
    ] as const) {
      await waitFor(
        `${reader} syncs ${target}`,
        60_000,
        async () =>
          (await istiods[reader]!.debug<{ id: string; syncStatus: string }[]>("/debug/clusterz")).some(
            (c) => c.id === target && c.syncStatus === "synced",
          ),
        () => istiods[reader]!.log(),
      );
    }
  });

  describe("isthmus verify against the live clusters", () => {
    let documentFile: string;
    const apis = (): Record<string, KubeApi> =>
      Object.fromEntries(
        IDS.map((id) => [id, KubeApi.fromKubeconfig(clusters[id]!.kubeconfig, `${id}.kubeconfig`)]),
      );
    // istiod's debug port as `kubectl port-forward` delivers it: on localhost.
    const debugUrls = (): Record<string, string> =>
      Object.fromEntries(IDS.map((id) => [id, `http://${istiods[id]!.httpAddr}`]));
    const failures = async (): Promise<string[]> =>
      (
        await verifyMesh(JSON.parse(readFileSync(documentFile, "utf8")), apis(), {
          istiodDebugUrls: debugUrls(),
          // The test CA issues for two days.
          minValidityDays: 1,
        })
      )
        .filter((c) => !c.ok)
        .map(formatCheck);
    /** Saves an object, runs `spoil`, and puts the object back as it was. */
    const spoiled = async (
      id: string,
      args: string[],
      spoil: () => void,
      expect: () => Promise<void>,
    ): Promise<void> => {
      const saved = JSON.parse(clusters[id]!.kubectl(["get", ...args, "-o", "json"])) as {
        metadata: Record<string, unknown>;
      };
      for (const key of ["resourceVersion", "uid", "creationTimestamp", "managedFields"])
        delete saved.metadata[key];
      spoil();
      try {
        await expect();
      } finally {
        clusters[id]!.kubectl(
          ["apply", "--server-side", "--force-conflicts", "--field-manager=restore", "-f", "-"],
          JSON.stringify(saved),
        );
      }
    };

    before(async () => {
      documentFile = join(workspace.home, "mesh.json");
      writeFileSync(
        documentFile,
        await workspace.must(["stack", "output", "meshDocument", "--json"], { config: false }),
      );
    });

    it("passes every check, one line each, and exits 0", async () => {
      const lines: string[] = [];
      const log = console.log;
      console.log = (line: string) => void lines.push(line);
      let code: number;
      try {
        const files = IDS.map((id) => `--kubeconfig=${id}=${clusters[id]!.kubeconfigFile}`);
        const debug = IDS.map((id) => `--istiod=${id}=http://${istiods[id]!.httpAddr}`);
        code = await main(["verify", documentFile, ...files, ...debug, "--min-validity-days=1"]);
      } finally {
        console.log = log;
      }
      assert.equal(code, 0, lines.join("\n"));
      for (const id of IDS) {
        const other = id === "cluster1" ? "cluster2" : "cluster1";
        assert.ok(
          lines.includes(`ok   ${id} Namespace istio-system: network label network-${id}`),
          lines.join("\n"),
        );
        assert.ok(
          lines.some((l) => l.startsWith(`ok   ${id} Secret istio-system/cacerts: chains to its root`)),
          lines.join("\n"),
        );
        assert.ok(
          lines.includes(
            `ok   ${id} Secret istio-system/istio-remote-secret-${other}: istiod reports ${other} synced`,
          ),
          lines.join("\n"),
        );
        assert.ok(
          lines.some((l) =>
            new RegExp(`^ok   ${id} Service istio-system/istio-eastwestgateway: address \\S+$`).test(l),
          ),
          lines.join("\n"),
        );
        assert.ok(
          lines.includes(`ok   ${id} DestinationRule sample/helloworld-failover: present`),
          lines.join("\n"),
        );
      }
      assert.match(lines.at(-1)!, /^\nall 10 checks passed$/);
    });

    it("fails when an intermediate expires within the minimum validity (30 days by default)", async () => {
      const document = JSON.parse(readFileSync(documentFile, "utf8")) as unknown;
      const checks = await verifyMesh(document, apis(), { istiodDebugUrls: debugUrls() });
      const failed = checks.filter((c) => !c.ok).map(formatCheck);
      assert.equal(failed.length, 2, failed.join("\n"));
      for (const [i, id] of IDS.entries()) {
        assert.match(
          failed[i]!,
          new RegExp(
            `^FAIL ${id} Secret istio-system/cacerts: the intermediate expires \\S+, within 30 days$`,
          ),
        );
      }
    });

    it("fails, naming cluster and object, when a remote secret is removed", async () => {
      await spoiled(
        "cluster1",
        ["secret", "-n", "istio-system", "istio-remote-secret-cluster2"],
        () =>
          clusters.cluster1!.kubectl([
            "delete",
            "secret",
            "-n",
            "istio-system",
            "istio-remote-secret-cluster2",
          ]),
        async () => {
          assert.deepEqual(await failures(), [
            "FAIL cluster1 Secret istio-system/istio-remote-secret-cluster2: missing: cluster1's istiod cannot discover cluster2",
          ]);
        },
      );
    });

    it("fails when the network label is broken", async () => {
      await spoiled(
        "cluster2",
        ["namespace", "istio-system"],
        () =>
          clusters.cluster2!.kubectl([
            "label",
            "namespace",
            "istio-system",
            "topology.istio.io/network=wrong",
            "--overwrite",
          ]),
        async () => {
          assert.deepEqual(await failures(), [
            'FAIL cluster2 Namespace istio-system: network label is "wrong", planned "network-cluster2"',
          ]);
        },
      );
    });

    it("fails when a cluster's CA is swapped for one of another root", async () => {
      const other = makeTestPki(["cluster2"], "Someone Else");
      try {
        const swapped = cacertsData({
          intermediateCertPem: other.intermediates.cluster2!.certPem,
          intermediateKeyPem: other.intermediates.cluster2!.keyPem,
          signingRootCertPem: other.rootPem,
        });
        const secret = {
          apiVersion: "v1",
          kind: "Secret",
          metadata: { name: "cacerts", namespace: "istio-system" },
          stringData: swapped,
        };
        await spoiled(
          "cluster2",
          ["secret", "-n", "istio-system", "cacerts"],
          () =>
            void clusters.cluster2!.kubectl(
              ["apply", "--server-side", "--force-conflicts", "--field-manager=spoil", "-f", "-"],
              JSON.stringify(secret),
            ),
          async () => {
            const message =
              "the clusters trust 2 different roots; workloads of different clusters will not trust each other";
            assert.deepEqual(await failures(), [
              `FAIL cluster1 Secret istio-system/cacerts: ${message}`,
              `FAIL cluster2 Secret istio-system/cacerts: ${message}`,
            ]);
          },
        );
      } finally {
        other.dispose();
      }
    });
  });

  describe("then", () => {
    it("previews no change on a second run", async () => {
      await workspace.must(["preview", "--expect-no-changes", "--diff"]);
    });

    it("replaces nothing when the clusters are listed in the other order", async () => {
      const mesh = {
        meshID: "demo",
        clusters: {
          cluster2: { cloud: "existing", region: REGIONS.cluster2 },
          cluster1: { cloud: "existing", region: REGIONS.cluster1 },
        },
        istio: { chartRepository: mirror.url },
      };
      await workspace.set("mesh", JSON.stringify(mesh));
      try {
        await workspace.must(["preview", "--expect-no-changes", "--diff"]);
      } finally {
        await workspace.must(["config", "rm", "mesh"]);
      }
    });

    it("keeps every secret encrypted in the exported state", async () => {
      const state = await workspace.must(["stack", "export"], { config: false });
      const secrets: [string, string][] = [
        ["an intermediate's key", pki.intermediates.cluster1!.keyPem.split("\n")[1]!],
        ["an intermediate's key", pki.intermediates.cluster2!.keyPem.split("\n")[1]!],
        ["an admin kubeconfig's token", /token: (\S+)/.exec(clusters.cluster1!.kubeconfig)![1]!],
        ["an admin kubeconfig's token", /token: (\S+)/.exec(clusters.cluster2!.kubeconfig)![1]!],
      ];
      for (const id of IDS) {
        const token = Buffer.from(
          clusters[id]!.kubectl([
            "get",
            "secret",
            "-n",
            "istio-system",
            "istio-reader-service-account-istio-remote-secret-token",
            "-o",
            "jsonpath={.data.token}",
          ]),
          "base64",
        ).toString("utf8");
        assert.ok(token.length > 100);
        secrets.push(["a reader token", token.slice(0, 60)]);
      }
      for (const [what, text] of secrets)
        assert.ok(!state.includes(text), `the state holds ${what} in plain text`);
      assert.ok(!/PRIVATE KEY/.test(state), "the state holds a PEM private key");
      assert.match(state, /"ciphertext"/);
    });

    it("played kubelet and load balancer without an API error", () => {
      assert.deepEqual(
        nodes.flatMap((n) => n.errors),
        [],
      );
    });

    it("leaves both clusters as they were after pulumi destroy", async () => {
      await workspace.must(["destroy", "--yes", "--skip-preview"], { timeoutMs: 900_000 });
      for (const id of IDS) {
        await waitFor(
          `${id}: namespaces deleted`,
          120_000,
          () => !/istio-system|sample/.test(clusters[id]!.kubectl(["get", "namespaces", "-o", "name"])),
        );
        const after = inventory(clusters[id]!);
        assert.deepEqual(
          baseline[id]!.filter((o) => !after.includes(o)),
          [],
          `${id}: objects of the cluster were removed`,
        );
        // Istio's base chart marks its CRDs `helm.sh/resource-policy: keep`, so uninstalling it keeps
        // them (and the API groups they serve), lest users' Istio resources be deleted with them;
        // Istio's uninstall guide deletes them by hand. Everything isthmus created is gone.
        const left = after.filter((o) => !baseline[id]!.includes(o));
        const istioCrd =
          /^(CustomResourceDefinition <none> [a-z]+\.(networking|security|telemetry|extensions)\.istio\.io|APIService <none> v[0-9a-z]+\.(networking|security|telemetry|extensions)\.istio\.io)$/;
        assert.deepEqual(
          left.filter((o) => !istioCrd.test(o)),
          [],
          `${id}: objects left behind`,
        );
        assert.ok(
          left.some((o) => o.startsWith("CustomResourceDefinition ")),
          `${id}: Istio's CRDs were removed: update this test and the README`,
        );
      }
    });
  });
});
