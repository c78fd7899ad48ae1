import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { EksCluster } from "../../lib/aws";
import { GkeCluster } from "../../lib/gcp";
import { MultiClusterMesh, planMesh, type MeshDocument } from "../../lib";
import { FailoverPolicy } from "../../lib/components/failover-policy";
import { meshFleet, planFleet, type FleetPlan, type MeshFleet, type MeshFleetArgs } from "../../lib/fleet";
import { runOffline, type OfflineEngine } from "../../lib/testing";
import type { RecordedResource } from "../../lib/testing/recorded-resource";
import { testCluster } from "../components/fixtures";
import { WEB_HOST, WEB_SERVICE } from "../support/plans";

/**
 * Two cores (an EKS and a GKE cluster the fleet creates), an edge of each (one adopted, one a GKE
 * cluster the fleet creates), hierarchical discovery, and a document with a service, a failover
 * policy and a traffic split.
 */
const DOCUMENT: MeshDocument = {
  mesh: {
    meshID: "retail",
    controlPlane: { model: "primary-remote", primaries: ["core-a", "core-b"], discovery: "hierarchical" },
    clusters: {
      "core-a": { cloud: "aws", region: "us-east-1" },
      "core-b": { cloud: "gcp", region: "europe-west1" },
      "edge-a1": { cloud: "existing", region: "us-east", controlPlaneCluster: "core-a" },
      "edge-b1": { cloud: "gcp", region: "europe-west4", controlPlaneCluster: "core-b" },
    },
  },
  services: [{ ...WEB_SERVICE, clusters: { "core-a": {}, "edge-a1": {}, "core-b": {} } }],
  failoverPolicies: [{ host: WEB_HOST, failover: [{ from: "us-east-1", to: "europe-west1" }] }],
  trafficSplits: [{ host: WEB_HOST, weights: { "core-a": 50, "edge-a1": 30, "core-b": 20 } }],
};
const PROVISIONED = ["core-a", "core-b", "edge-b1"];

/** Creates the clusters isthmus provisions, adopts the edge that exists. */
const cluster: MeshFleetArgs["cluster"] = (id, plan) => {
  const c = plan.clusters[id]!;
  if (c.cloud === "aws") return new EksCluster(id, { plan, clusterId: id });
  if (c.cloud === "gcp") return new GkeCluster(id, { plan, clusterId: id, project: "retail-core" });
  return testCluster(id);
};

/** Every string under `value` that contains `needle`, with its path (the engine's path syntax). */
function occurrences(value: unknown, needle: string, path = ""): string[] {
  if (typeof value === "string") return value.includes(needle) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => occurrences(v, needle, `${path}[${i}]`));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => occurrences(v, needle, path === "" ? k : `${path}.${k}`));
}
const covered = (path: string, secrets: readonly string[]): boolean =>
  secrets.some((s) => s === "(root)" || path === s || path.startsWith(`${s}.`) || path.startsWith(`${s}[`));

/** Where `needle` is in plain text: in a resource's inputs or state outside its secret paths, or in a stack output that is not secret. */
function plainText(records: Record<string, RecordedResource[]>, plan: FleetPlan, needle: string): string[] {
  const out: string[] = [];
  for (const [stack, resources] of Object.entries(records)) {
    for (const r of resources) {
      for (const p of occurrences(r.inputs, needle))
        if (!covered(p, r.secretPaths)) out.push(`${stack} ${r.name} inputs.${p}`);
      for (const p of occurrences(r.outputs, needle))
        if (!covered(p, r.outputSecretPaths)) out.push(`${stack} ${r.name} outputs.${p}`);
    }
    for (const [key, o] of Object.entries(plan.stacks[stack]!.outputs))
      if (!o.secret && occurrences(o.value, needle).length > 0) out.push(`${stack} output ${key}`);
  }
  return out;
}

describe("meshFleet: a document's services and policies, clusters it provisions", () => {
  let fleet: MeshFleet;
  let plan: FleetPlan;
  const kept: Record<string, RecordedResource[]> = {};
  const engines: Record<string, OfflineEngine> = {};
  before(async () => {
    fleet = meshFleet({
      project: "retail",
      spec: DOCUMENT,
      cluster,
      provisioned: PROVISIONED,
      remotesPerStack: 1,
    });
    plan = await planFleet(fleet, {
      onStack: (name, engine) => {
        kept[name] = [...engine.resources];
        engines[name] = engine;
      },
    });
  });

  /** The objects a service, policy or split applied, by stack: `<name> @ <cluster>`. */
  const featureObjects = (resources: readonly RecordedResource[], engine: OfflineEngine): string[] =>
    resources
      .filter((r) => r.custom && /^retail-web-(service|failover|split)-/.test(r.name))
      .map((r) => `${r.name} @ ${engine.clusterOf(r)}`)
      .sort();

  it("applies each object in the stack that owns its cluster: together, exactly what one MultiClusterMesh applies", async () => {
    const byStack = Object.fromEntries(
      Object.keys(kept).map((s) => [s, featureObjects(kept[s]!, engines[s]!)] as const),
    );
    for (const [stack, objects] of Object.entries(byStack)) {
      for (const o of objects) assert.equal(fleet.ownerOf[o.split(" @ ")[1]!], stack, `${o} in ${stack}`);
    }
    assert.deepEqual(byStack["discovery-core-a"], []);
    assert.deepEqual(byStack.trust, []);
    // The policy and the split go to the primaries only; the service runs in core-a, core-b and
    // edge-a1, and edge-b1 gets only its Service (for its clients' DNS).
    assert.deepEqual(byStack["primary-core-a"], [
      "retail-web-failover-core-a-destinationrule-shop-web-failover @ core-a",
      "retail-web-service-core-a-deployment-shop-web @ core-a",
      "retail-web-service-core-a-namespace-shop @ core-a",
      "retail-web-service-core-a-service-shop-web @ core-a",
      "retail-web-service-core-a-serviceaccount-shop-web @ core-a",
      "retail-web-split-core-a-destinationrule-shop-web-split @ core-a",
      "retail-web-split-core-a-virtualservice-shop-web-split @ core-a",
    ]);
    assert.deepEqual(byStack["remote-edge-a1"], [
      "retail-web-service-edge-a1-deployment-shop-web @ edge-a1",
      "retail-web-service-edge-a1-namespace-shop @ edge-a1",
      "retail-web-service-edge-a1-service-shop-web @ edge-a1",
      "retail-web-service-edge-a1-serviceaccount-shop-web @ edge-a1",
    ]);
    assert.deepEqual(byStack["remote-edge-b1"], [
      "retail-web-service-edge-b1-namespace-shop @ edge-b1",
      "retail-web-service-edge-b1-service-shop-web @ edge-b1",
    ]);

    const { engine } = await runOffline(() => {
      const p = planMesh(DOCUMENT);
      const handles = Object.fromEntries(Object.keys(p.clusters).map((id) => [id, cluster(id, p)] as const));
      new MultiClusterMesh("retail", {
        plan: p,
        clusters: Object.fromEntries(
          Object.entries(handles).map(([id, h]) => [id, "kubeconfig" in h ? h.cluster : h] as const),
        ),
      });
    });
    const inputsOf = (rs: readonly RecordedResource[], e: OfflineEngine): Map<string, unknown> =>
      new Map(
        rs
          .filter((r) => featureObjects([r], e).length > 0)
          .map((r) => [featureObjects([r], e)[0]!, r.inputs]),
      );
    const oneStack = inputsOf(engine.resources, engine);
    const split = new Map(Object.keys(kept).flatMap((s) => [...inputsOf(kept[s]!, engines[s]!)]));
    assert.ok(oneStack.size > 10, `${oneStack.size} objects`);
    assert.deepEqual([...split.keys()].sort(), [...oneStack.keys()].sort());
    for (const [key, inputs] of oneStack) assert.deepEqual(split.get(key), inputs, key);
  });

  it("creates each provisioned cluster once, in its own stack, and reaches a provisioned core from its discovery stacks over the secret access output", () => {
    const count = (stack: string, type: string): number => kept[stack]!.filter((r) => r.type === type).length;
    for (const stack of Object.keys(kept)) {
      const expected = (id: string): number => (fleet.ownerOf[id] === stack ? 1 : 0);
      assert.equal(count(stack, "aws:eks/cluster:Cluster"), expected("core-a"), stack);
      assert.equal(
        count(stack, "gcp:container/cluster:Cluster"),
        expected("core-b") + expected("edge-b1"),
        stack,
      );
    }
    assert.deepEqual(Object.keys(plan.stacks["primary-core-a"]!.outputs.access!.value as object), ["core-a"]);
    assert.equal(plan.stacks["primary-core-a"]!.outputs.access!.secret, true);
    // An edge's kubeconfig goes nowhere: no stack writes into an edge.
    assert.equal(plan.stacks["remote-edge-b1"]!.outputs.access, undefined);
    const access = kept["discovery-remote-edge-a1"]!.find((r) => r.name === "retail-core-a-access")!;
    assert.equal(access.type, "pulumi:providers:kubernetes");
    assert.equal(
      access.inputs.kubeconfig,
      (plan.stacks["primary-core-a"]!.outputs.access!.value as Record<string, string>)["core-a"],
    );
    assert.match(access.inputs.kubeconfig as string, /command: aws/);
    assert.ok(access.secretPaths.includes("kubeconfig"), JSON.stringify(access.secretPaths));
    const secret = kept["discovery-remote-edge-a1"]!.find((r) => r.type === "kubernetes:core/v1:Secret")!;
    assert.equal(secret.provider?.split("::").slice(0, -1).join("::"), access.urn);
  });

  it("never records a kubeconfig or a reader token in plain text, in any stack's state or outputs", () => {
    const kubeconfigs = Object.values(plan.stacks).flatMap((s) =>
      s.outputs.access === undefined ? [] : Object.values(s.outputs.access.value as Record<string, string>),
    );
    const readers = Object.values(plan.stacks).flatMap((s) =>
      s.outputs.readers === undefined ? [] : Object.values(s.outputs.readers.value as Record<string, string>),
    );
    const tokens = readers.map((k) => /token: (\S+)/.exec(k)![1]!);
    assert.equal(kubeconfigs.length, 2);
    assert.equal(tokens.length, 4);
    for (const needle of [...kubeconfigs, ...readers, ...tokens])
      assert.deepEqual(plainText(kept, plan, needle), []);
  });

  it("would find one: the check fails on a credential in plain text", () => {
    const token = /token: (\S+)/.exec(
      Object.values(plan.stacks["remote-edge-a1"]!.outputs.readers!.value as Record<string, string>)[0]!,
    )![1]!;
    const leaked = {
      ...kept,
      extra: [{ ...kept.trust![0]!, inputs: { note: `x ${token}` }, secretPaths: [] }],
    };
    const withExtra = {
      ...plan,
      stacks: { ...plan.stacks, extra: { resources: 1, byType: [], outputs: {} } },
    };
    assert.deepEqual(plainText(leaked, withExtra, token), [`extra ${kept.trust![0]!.name} inputs.note`]);
  });
});

describe("meshFleet: trust of your own, and bad input", () => {
  it("signs the cores' intermediates with the root you bring, read only in the trust stack", async () => {
    const keyPem = "-----BEGIN PRIVATE KEY-----\nbyo\n-----END PRIVATE KEY-----\n";
    let calls = 0;
    const fleet = meshFleet({
      project: "retail",
      spec: DOCUMENT,
      cluster,
      provisioned: PROVISIONED,
      trust: () => {
        calls++;
        return {
          bringYourOwnRoot: {
            certPem: readFileSync(join(__dirname, "../components/fixtures/byo-root-cert.pem"), "utf8"),
            keyPem: pulumi.secret(keyPem),
          },
        };
      },
    });
    const kept: Record<string, RecordedResource[]> = {};
    await planFleet(fleet, { onStack: (name, e) => void (kept[name] = [...e.resources]) });
    assert.equal(calls, 1);
    assert.equal(kept.trust!.filter((r) => r.type === "tls:index/selfSignedCert:SelfSignedCert").length, 0);
    const signed = kept.trust!.filter((r) => r.type === "tls:index/locallySignedCert:LocallySignedCert");
    assert.equal(signed.length, 2);
    for (const cert of signed) {
      assert.equal(cert.inputs.caPrivateKeyPem, keyPem);
      assert.ok(cert.secretPaths.includes("caPrivateKeyPem"), cert.name);
    }
  });

  it("reports every problem of the document, the options and the trust at once, before any stack is built", () => {
    let called = false;
    assert.throws(
      () =>
        meshFleet({
          project: "retail",
          spec: {
            ...DOCUMENT,
            trafficSplits: [{ host: WEB_HOST, weights: { "core-a": 60, "edge-a1": 30 } }],
          },
          cluster: () => {
            called = true;
            throw new Error("not reached");
          },
          remotesPerStack: 0,
          provisioned: ["core-c"],
        }),
      (e: Error) =>
        pulumi.InputPropertiesError.isInstance(e) &&
        e.message ===
          "meshFleet retail: 3 invalid inputs; nothing was created:\n" +
            '  - spec.trafficSplits[0].weights: sum to 90, not 100; got {"core-a":60,"edge-a1":30}, expected weights summing to 100. Adjust the weights so that they add up to 100.\n' +
            "  - remotesPerStack: is not a positive integer; got 0, expected 1 or more. Set how many remote clusters share a stack, e.g. 50 (1 gives each edge its own stack).\n" +
            '  - provisioned[0]: is not a cluster of the mesh; got "core-c", expected one of core-a, core-b, edge-a1, edge-b1. Use the id of a cluster of the mesh. Did you mean "core-a"?',
    );
    assert.throws(
      () =>
        meshFleet({
          project: "retail",
          spec: DOCUMENT,
          cluster,
          provisioned: ["core-a", "core-c"],
          trust: { validityHours: { root: 10, intermediate: 20 } },
        }),
      (e: Error) => {
        assert.ok(pulumi.InputPropertiesError.isInstance(e));
        assert.equal(
          e.message,
          "meshFleet retail: 3 invalid inputs; nothing was created:\n" +
            '  - provisioned[1]: is not a cluster of the mesh; got "core-c", expected one of core-a, core-b, edge-a1, edge-b1. Use the id of a cluster of the mesh. Did you mean "core-a"?\n' +
            "  - trust.validityHours.intermediate: outlives the root that signs it; got 20, expected at most the root's 10 hours. Shorten the intermediates' validity or lengthen the root's.\n" +
            "  - trust.intermediateEarlyRenewalHours: is not shorter than the intermediates' validity, so every run would reissue them; got 720, expected less than 20. Use a small fraction of the validity, e.g. 720 (30 days).",
        );
        return true;
      },
    );
    assert.equal(called, false);
  });

  it("refuses, in the stack that calls it, a cluster function that does not return what provisioned says", async () => {
    const fleet = meshFleet({
      project: "retail",
      spec: DOCUMENT,
      cluster,
      provisioned: ["core-a", "core-b"],
    });
    await assert.rejects(
      planFleet(fleet),
      (e: Error) =>
        e.message ===
        'fleet retail, stack remotes-core-b-1: cluster("edge-b1"): returned a provisioned cluster for a cluster not listed in provisioned; got { cluster, kubeconfig }, expected a MeshCluster. Add "edge-b1" to provisioned: otherwise every discovery stack that writes into it would create it again.',
    );
    const adopted = meshFleet({
      project: "retail",
      spec: DOCUMENT,
      cluster,
      provisioned: [...PROVISIONED, "edge-a1"],
    });
    await assert.rejects(
      planFleet(adopted),
      (e: Error) =>
        e.message ===
        'fleet retail, stack remotes-core-a-1: cluster("edge-a1"): returned a cluster handle for a cluster listed in provisioned; got a MeshCluster, expected { cluster, kubeconfig } (an EksCluster, a GkeCluster). Return the adapter itself, so that the fleet can export its kubeconfig to the stacks that write into it.',
    );
  });

  it("refuses a part of a policy for a cluster the plan does not place it in (onlyIn), before registering anything", async () => {
    const p = planMesh(DOCUMENT);
    const policy = p.failoverPolicies[0]!;
    await assert.rejects(
      runOffline(() => {
        new FailoverPolicy("retail-web-failover", {
          plan: p,
          policy,
          clusters: { "core-a": testCluster("core-a") },
          onlyIn: ["core-a", "edge-a1"],
        });
      }),
      (e: Error) =>
        pulumi.InputPropertiesError.isInstance(e) &&
        e.message ===
          "FailoverPolicy retail-web-failover: 1 invalid input; nothing was created:\n" +
            '  - onlyIn[1]: is not a cluster policy renders into; got "edge-a1", expected one of core-a, core-b. Apply it where the plan places it (policy.clusters), or drop edge-a1.',
    );
  });
});
