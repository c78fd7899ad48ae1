import { strict as assert } from "node:assert";
import fc from "fast-check";
import { MeshSpecError, plan, type ClusterSpec, type MeshSpec } from "../../lib/core";
import { overlaps, parseCidr } from "../../lib/core/cidr";
import { labelProblem } from "../../lib/core/names";

const REGIONS: readonly (readonly [ClusterSpec["cloud"], string])[] = [
  ["aws", "us-east-1"],
  ["aws", "us-west-2"],
  ["aws", "eu-west-1"],
  ["gcp", "us-east1"],
  ["gcp", "europe-west4"],
  ["existing", "dc1"],
];

const clusterId = fc.stringMatching(/^[a-z][a-z0-9]{0,11}$/);
const clusterSpec = fc.constantFrom(...REGIONS).map(([cloud, region]): ClusterSpec => ({ cloud, region }));
const meshSpec = fc
  .record({
    clusters: fc.dictionary(clusterId, clusterSpec, { minKeys: 1, maxKeys: 12 }),
    networkMode: fc.constantFrom("gateways" as const, "wireguard" as const),
    remote: fc.boolean(),
  })
  .map(({ clusters, networkMode, remote }): MeshSpec => {
    const ids = Object.keys(clusters).sort();
    return {
      networkMode,
      clusters,
      ...(remote ? { controlPlane: { model: "primary-remote" as const, primaries: [ids[0]!] } } : {}),
    };
  });

/** The same spec with its cluster keys in reverse order. */
function reversed(spec: MeshSpec): MeshSpec {
  return { ...spec, clusters: Object.fromEntries(Object.entries(spec.clusters).reverse()) };
}

describe("plan", () => {
  it("resolves the two-region demo", () => {
    const p = plan({
      clusters: {
        region1: { cloud: "aws", region: "us-east-1" },
        region2: { cloud: "aws", region: "us-west-2" },
      },
    });
    assert.equal(p.meshID, "mesh1");
    assert.deepEqual(p.controlPlane, {
      model: "multi-primary",
      primaries: ["region1", "region2"],
      discovery: "all",
    });
    assert.deepEqual(
      Object.values(p.clusters).map((c) => [c.id, c.network, c.zones.join(","), c.dnsZone]),
      [
        ["region1", "network-region1", "us-east-1a,us-east-1b,us-east-1c", "cluster.region1"],
        ["region2", "network-region2", "us-west-2a,us-west-2b,us-west-2c", "cluster.region2"],
      ],
    );
    assert.deepEqual(p.discovery, [
      { reader: "region1", target: "region2", secretName: "istio-remote-secret-region2" },
      { reader: "region2", target: "region1", secretName: "istio-remote-secret-region1" },
    ]);
    assert.deepEqual(p.clusters.region1!.cidrs, {
      node: "10.164.0.0/16",
      pod: "10.72.0.0/15",
      service: "10.228.0.0/16",
    });
    // Private subnets are the node range's quarters 0–2; public ones cut its fourth quarter.
    assert.deepEqual(p.clusters.region1!.subnets, [
      { zone: "us-east-1a", cidr: "10.164.0.0/18", name: "mesh1-region1-us-east-1a-private" },
      { zone: "us-east-1b", cidr: "10.164.64.0/18", name: "mesh1-region1-us-east-1b-private" },
      { zone: "us-east-1c", cidr: "10.164.128.0/18", name: "mesh1-region1-us-east-1c-private" },
    ]);
    assert.deepEqual(p.clusters.region1!.publicSubnets, [
      { zone: "us-east-1a", cidr: "10.164.192.0/20", name: "mesh1-region1-us-east-1a-public" },
      { zone: "us-east-1b", cidr: "10.164.208.0/20", name: "mesh1-region1-us-east-1b-public" },
      { zone: "us-east-1c", cidr: "10.164.224.0/20", name: "mesh1-region1-us-east-1c-public" },
    ]);
  });

  it("throws every problem at once as a MeshSpecError", () => {
    assert.throws(
      () => plan({ meshID: "BAD", clusters: { a: { cloud: "aws", region: "mars-1" } } }),
      (error: unknown) =>
        error instanceof MeshSpecError &&
        error.problems.length === 2 &&
        error.message.startsWith("the mesh spec has 2 problems:\n  - meshID: is not a DNS-1123 label"),
    );
  });

  it("keeps a cluster's default ranges when another cluster is added", () => {
    const before = plan({ clusters: { region1: { cloud: "aws", region: "us-east-1" } } });
    const after = plan({
      clusters: {
        region1: { cloud: "aws", region: "us-east-1" },
        aaa: { cloud: "aws", region: "us-west-2" },
      },
    });
    assert.deepEqual(after.clusters.region1!.cidrs, before.clusters.region1!.cidrs);
  });

  it("keeps a pinned slot even when a new cluster's hash lands on it", () => {
    // "west" hashes to slot 46; "a6" also hashes to 46 and sorts first, so unpinned it would take it.
    const unpinned = plan({
      clusters: { west: { cloud: "aws", region: "us-west-2" }, a6: { cloud: "aws", region: "us-east-1" } },
    });
    assert.equal(unpinned.clusters.a6!.slot, 46);
    assert.equal(unpinned.clusters.west!.slot, 47);
    const pinned = plan({
      clusters: {
        west: { cloud: "aws", region: "us-west-2", slot: 46 },
        a6: { cloud: "aws", region: "us-east-1" },
      },
    });
    assert.equal(pinned.clusters.west!.slot, 46);
    assert.equal(pinned.clusters.a6!.slot, 47);
    assert.deepEqual(
      pinned.clusters.west!.cidrs,
      plan({ clusters: { west: { cloud: "aws", region: "us-west-2" } } }).clusters.west!.cidrs,
    );
  });

  it("refuses two clusters pinned to one slot", () => {
    assert.throws(
      () =>
        plan({
          clusters: {
            a: { cloud: "aws", region: "us-east-1", slot: 3 },
            b: { cloud: "aws", region: "us-west-2", slot: 3 },
          },
        }),
      (error: unknown) =>
        (error as MeshSpecError).problems.map((p) => p.path).join() === "clusters.b.slot" &&
        (error as Error).message.includes(
          "clusters.b.slot: is clusters.a.slot too; got 3, expected a slot no other cluster pins.",
        ),
    );
  });

  it("skips default slots that overlap explicit ranges", () => {
    const p = plan({
      clusters: {
        region1: { cloud: "aws", region: "us-east-1" },
        pinned: { cloud: "aws", region: "us-west-2", cidrs: { pod: "10.72.0.0/15" } },
      },
      networkMode: "wireguard",
    });
    assert.notEqual(p.clusters.region1!.cidrs.pod, "10.72.0.0/15");
  });

  it("is deterministic and independent of key order", () => {
    fc.assert(
      fc.property(meshSpec, (spec) => {
        const a = plan(spec);
        assert.deepEqual(plan(spec), a);
        assert.equal(JSON.stringify(plan(reversed(spec))), JSON.stringify(a));
      }),
      { numRuns: 150 },
    );
  });

  it("gives valid, unique names and never-overlapping default ranges", () => {
    fc.assert(
      fc.property(meshSpec, (spec) => {
        const p = plan(spec);
        const clusters = Object.values(p.clusters);
        const names = clusters.map((c) => c.names.cloudCluster);
        assert.equal(new Set(names).size, names.length);
        for (const c of clusters) {
          assert.equal(labelProblem(c.names.remoteSecret), undefined);
          assert.equal(labelProblem(c.network), undefined);
        }
        const ranges = clusters.flatMap((c) => Object.values(c.cidrs).map((cidr) => parseCidr(cidr)));
        ranges.forEach((a, i) =>
          ranges.slice(i + 1).forEach((b) => assert.ok(!overlaps(a, b), `${a.cidr} ~ ${b.cidr}`)),
        );
        const pairs = p.discovery.map((d) => `${d.reader}>${d.target}`);
        assert.equal(new Set(pairs).size, pairs.length);
        const n = clusters.length;
        const primaries = p.controlPlane.primaries.length;
        assert.equal(p.discovery.length, primaries * (n - 1));
      }),
      { numRuns: 150 },
    );
  });

  it("reports every seeded defect", () => {
    type Defect = { path: string; apply: (spec: Record<string, any>) => void };
    const defects: Defect[] = [
      { path: "meshID", apply: (s) => (s.meshID = "Not_A_Label") },
      { path: "clusters.c0.region", apply: (s) => (s.clusters.c0.region = "us-east1") },
      { path: "clusters.c1.cidrs.pod", apply: (s) => (s.clusters.c1.cidrs = { pod: "10.0.0.0/33" }) },
      { path: "clusters.c2.zone", apply: (s) => (s.clusters.c2.zone = ["x"]) },
      { path: "istio.version", apply: (s) => (s.istio = { version: "latest" }) },
      { path: "clusters.c3.cloud", apply: (s) => (s.clusters.c3.cloud = "azure") },
      { path: "trustDomain", apply: (s) => (s.trustDomain = "Bad Domain") },
      { path: "dns.stubs", apply: (s) => (s.dns = { stubs: true }) },
      { path: "clusters.c0.nodes.count", apply: (s) => (s.clusters.c0.nodes = { count: 0 }) },
    ];
    fc.assert(
      fc.property(fc.subarray(defects, { minLength: 1 }), (chosen) => {
        const spec: Record<string, any> = {
          clusters: Object.fromEntries(
            ["c0", "c1", "c2", "c3"].map((id) => [id, { cloud: "aws", region: "us-east-1" }]),
          ),
        };
        chosen.forEach((d) => d.apply(spec));
        let problems: readonly { path: string }[] = [];
        try {
          plan(spec);
        } catch (error) {
          problems = (error as MeshSpecError).problems;
        }
        for (const d of chosen) {
          assert.ok(
            problems.some((p) => p.path === d.path),
            `${d.path} not reported; got ${problems.map((p) => p.path).join(", ")}`,
          );
        }
      }),
      { numRuns: 100 },
    );
  });
});
