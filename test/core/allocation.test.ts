import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { resolvePlan } from "../../lib/core/resolve";
import { plan, validateMeshSpec, type MeshSpec } from "../../lib/core";
import { formatProblem } from "../../lib/core/problems";

interface Recorded {
  readonly slot: number;
  readonly cidrs: Record<string, string>;
}
/** Recorded with the allocation of commit 8b98fb8, before configurable slot spaces. */
const LEGACY = JSON.parse(readFileSync(path.join(__dirname, "fixtures/legacy-slots.json"), "utf8")) as {
  readonly examples: Record<string, Record<string, Record<string, Recorded>>>;
  readonly cases: readonly { spec: MeshSpec; planned: boolean; clusters: Record<string, Recorded> }[];
};

const slotsOf = (spec: MeshSpec): Record<string, Recorded> =>
  Object.fromEntries(
    Object.entries(resolvePlan(spec).clusters).map(([id, c]) => [
      id,
      { slot: c.slot, cidrs: { ...c.cidrs } },
    ]),
  );

const problemsOf = (spec: unknown): string[] => validateMeshSpec(spec).map(formatProblem);

/** `count` existing clusters `c000`…, each with the given extra fields. */
function existing(count: number, extra: (i: number) => object = () => ({})): MeshSpec["clusters"] {
  return Object.fromEntries(
    Array.from({ length: count }, (_, i) => [
      `c${String(i).padStart(3, "0")}`,
      { cloud: "existing" as const, region: "dc1", ...extra(i) },
    ]),
  );
}

describe("allocation", () => {
  it("keeps every slot and default range recorded before configurable slot spaces", () => {
    assert.ok(LEGACY.cases.length > 400 && LEGACY.cases.filter((c) => c.planned).length > 100);
    for (const recorded of LEGACY.cases) assert.deepEqual(slotsOf(recorded.spec), recorded.clusters);
  });

  it("keeps the examples' slots and default ranges", () => {
    // The examples' plans as recorded (test/examples.test.ts plans each program and compares).
    assert.deepEqual(Object.keys(LEGACY.examples).sort(), [
      "aws-gcp",
      "aws-two-region",
      "existing-clusters",
      "gcp-two-region",
      "primary-remote",
      "wireguard-two-region",
    ]);
    assert.deepEqual(LEGACY.examples["aws-two-region"]!.demo!.region1, {
      slot: 36,
      cidrs: { node: "10.164.0.0/16", pod: "10.72.0.0/15", service: "10.228.0.0/16" },
    });
  });

  it("needs no slot for clusters that set all three ranges", () => {
    const clusters = existing(300, (i) => ({
      cidrs: { node: `10.${i % 250}.0.0/16`, pod: `172.16.0.0/16`, service: `192.168.0.0/16` },
    }));
    const spec: MeshSpec = { controlPlane: { model: "primary-remote", primaries: ["c000"] }, clusters };
    assert.deepEqual(problemsOf(spec), []);
    const p = plan(spec);
    assert.equal(Object.values(p.clusters).filter((c) => c.slot >= 0).length, 64);
  });

  it("serves thousands of clusters from a larger slot space", () => {
    const spec: MeshSpec = {
      allocation: { slots: 4096 },
      controlPlane: { model: "primary-remote", primaries: ["c000"] },
      clusters: existing(2000),
    };
    assert.deepEqual(problemsOf(spec), []);
    const p = plan(spec);
    assert.deepEqual(p.clusters.c000!.cidrs, {
      node: `10.${128 + Math.floor(p.clusters.c000!.slot / 64)}.${(p.clusters.c000!.slot % 64) * 4}.0/22`,
      pod: p.clusters.c000!.cidrs.pod,
      service: p.clusters.c000!.cidrs.service,
    });
    assert.match(p.clusters.c000!.cidrs.pod, /\/21$/);
    assert.equal(new Set(Object.values(p.clusters).map((c) => c.cidrs.pod)).size, 2000);
  });

  it("names the limit and the fix when more clusters than slots need defaults", () => {
    assert.deepEqual(problemsOf({ clusters: existing(66) }), [
      "clusters.c064.cidrs: could not be given default ranges: all 64 slots of the slot space (allocation.slots) are taken by 64 other clusters; clusters c064 and c065 go without; got nothing, expected at most 64 clusters taking slots, or every range set on the others. Raise allocation.slots to 256 (it halves each default range per doubling and moves the default ranges of deployed clusters: choose it before the first deploy), or set cidrs.node, cidrs.pod and cidrs.service on clusters c064 and c065: a cluster with all three needs no slot.",
    ]);
  });

  it("names the range that took every slot, once", () => {
    const spec: MeshSpec = {
      networkMode: "wireguard",
      clusters: {
        east: { cloud: "existing", region: "dc1", cidrs: { node: "0.0.0.0/0" } },
        west: { cloud: "existing", region: "dc2" },
      },
    };
    const problems = problemsOf(spec).filter((p) => p.includes("default"));
    assert.deepEqual(problems, [
      'clusters.east.cidrs.node: covers every default node and pod and service range (10.128.0.0/10, 10.0.0.0/9, 10.192.0.0/10) on network network-mesh1, so clusters east and west get no default ranges; got "0.0.0.0/0", expected the range the nodes really use, clear of the default pools. Narrow clusters.east.cidrs.node to the range in use, or set cidrs.node, cidrs.pod and cidrs.service on clusters east and west.',
    ]);
  });

  it("names a cluster's own range that covers its other defaults, in gateways mode", () => {
    const spec: MeshSpec = {
      clusters: {
        east: { cloud: "existing", region: "dc1", cidrs: { node: "0.0.0.0/0" } },
        west: { cloud: "existing", region: "dc2" },
      },
    };
    assert.deepEqual(
      problemsOf(spec).filter((p) => p.includes("default")),
      [
        'clusters.east.cidrs.node: covers every default pod and service range (10.0.0.0/9, 10.192.0.0/10) on network network-east, so cluster east gets no default ranges; got "0.0.0.0/0", expected the range the nodes really use, clear of the default pools. Narrow clusters.east.cidrs.node to the range in use, or set cidrs.node, cidrs.pod and cidrs.service on cluster east.',
      ],
    );
  });

  it("allocates per network in gateways mode: one adopted cluster on 10.0.0.0/8 leaves the others their defaults", () => {
    const spec: MeshSpec = {
      clusters: {
        adopted: {
          cloud: "existing",
          region: "dc1",
          cidrs: { node: "10.0.0.0/8", pod: "172.16.0.0/12", service: "192.168.0.0/16" },
        },
        east: { cloud: "aws", region: "us-east-1" },
        west: { cloud: "aws", region: "us-west-2" },
      },
    };
    assert.deepEqual(problemsOf(spec), []);
    const p = plan(spec);
    const alone = plan({ clusters: { east: spec.clusters.east!, west: spec.clusters.west! } });
    assert.deepEqual(p.clusters.east!.cidrs, alone.clusters.east!.cidrs);
    assert.deepEqual(p.clusters.west!.cidrs, alone.clusters.west!.cidrs);
    // The same in wireguard mode is refused: the ranges are routed between clusters.
    assert.ok(
      problemsOf({ ...spec, networkMode: "wireguard" }).some((m) =>
        m.startsWith("clusters.adopted.cidrs.node: covers every default"),
      ),
    );
  });

  it("refuses slot counts that are not powers of two, and pins outside the space", () => {
    assert.deepEqual(
      problemsOf({ allocation: { slots: 100 }, clusters: existing(1, () => ({ slot: 70 })) }),
      [
        "allocation.slots: is not a power of two from 64 to 16384; got 100, expected one of 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384. Pick the next power of two above the number of clusters that take default ranges.",
        "clusters.c000.slot: is outside the slot space of 64 slots (allocation.slots); got 70, expected a slot from 0 to 63. Pin a slot below allocation.slots, or raise allocation.slots.",
      ],
    );
  });
});
