import assert from "node:assert/strict";
import fc from "fast-check";
import { formatProblem } from "../../lib/core/problems";
import {
  trafficSplitClusters,
  trafficSplitObjects,
  validateTrafficSplit,
  type TrafficSplitSpec,
} from "../../lib/core/traffic-split";
import { primaryRemote, twoRegion } from "../support/plans";

const HOST = "helloworld.sample.svc.cluster.local";

function messages(spec: Partial<TrafficSplitSpec>): string[] {
  return validateTrafficSplit(
    twoRegion,
    { host: HOST, weights: { region1: 90, region2: 10 }, ...spec },
    "splits.helloworld",
  ).map(formatProblem);
}

describe("core/traffic-split", () => {
  it("accepts weights summing to 100, including a drained cluster at 0", () => {
    assert.deepEqual(messages({}), []);
    assert.deepEqual(messages({ weights: { region1: 100, region2: 0 } }), []);
    assert.deepEqual(messages({ protocol: "tcp" }), []);
  });

  it("rejects weights that do not sum to 100", () => {
    assert.deepEqual(messages({ weights: { region1: 50, region2: 40 } }), [
      'splits.helloworld.weights: sum to 90, not 100; got {"region1":50,"region2":40}, expected weights summing to 100. Adjust the weights so that they add up to 100.',
    ]);
    assert.deepEqual(messages({ weights: { region1: 80, region2: 30 } }), [
      'splits.helloworld.weights: sum to 110, not 100; got {"region1":80,"region2":30}, expected weights summing to 100. Adjust the weights so that they add up to 100.',
    ]);
  });

  it("rejects a weight out of range or fractional (and skips the sum then)", () => {
    assert.deepEqual(messages({ weights: { region1: 150, region2: -50 } }), [
      "splits.helloworld.weights.region1: is not a weight; got 150, expected a whole number from 0 to 100. Give the cluster's share of the traffic in percent.",
      "splits.helloworld.weights.region2: is not a weight; got -50, expected a whole number from 0 to 100. Give the cluster's share of the traffic in percent.",
    ]);
    assert.deepEqual(messages({ weights: { region1: 50.5, region2: 49.5 } }).length, 2);
  });

  it("rejects an unknown cluster with a did-you-mean", () => {
    assert.deepEqual(messages({ weights: { region1: 90, regoin2: 10 } }), [
      'splits.helloworld.weights.regoin2: is not a cluster of the mesh; got "regoin2", expected one of region1, region2. Use the id of a cluster of the mesh. Did you mean "region2"?',
    ]);
  });

  it("rejects an empty split, a bad protocol, a bad host and bad names", () => {
    assert.deepEqual(messages({ weights: {} }), [
      "splits.helloworld.weights: names no cluster; got {}, expected a weight per cluster id, summing to 100. Give each cluster its share, e.g. { region1: 90, region2: 10 }.",
    ]);
    assert.deepEqual(messages({ protocol: "udp" as never }), [
      'splits.helloworld.protocol: is not a protocol a split can route; got "udp", expected "http" or "tcp". Use http to split requests or tcp to split connections.',
    ]);
    assert.deepEqual(messages({ host: "helloworld" }).length, 1);
    assert.deepEqual(messages({ name: "Hello" }), [
      "splits.helloworld.name: is not a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit); got \"Hello\", expected a DNS-1123 label of at most 63 characters. Use a lower-case name such as helloworld, or leave it out for the default.",
    ]);
  });

  it("renders subsets by topology.istio.io/cluster and a VirtualService whose weights sum to 100", () => {
    const [dr, vs] = trafficSplitObjects(twoRegion, { host: HOST, weights: { region2: 10, region1: 90 } });
    assert.deepEqual(dr, {
      apiVersion: "networking.istio.io/v1",
      kind: "DestinationRule",
      metadata: { name: "helloworld-split", namespace: "sample" },
      spec: {
        host: HOST,
        subsets: [
          { name: "region1", labels: { "topology.istio.io/cluster": "region1" } },
          { name: "region2", labels: { "topology.istio.io/cluster": "region2" } },
        ],
      },
    });
    assert.equal(
      "trafficPolicy" in (dr!.spec as object),
      false,
      "subsets only, so it merges with a failover rule",
    );
    assert.deepEqual(vs, {
      apiVersion: "networking.istio.io/v1",
      kind: "VirtualService",
      metadata: { name: "helloworld-split", namespace: "sample" },
      spec: {
        hosts: [HOST],
        http: [
          {
            route: [
              { destination: { host: HOST, subset: "region1" }, weight: 90 },
              { destination: { host: HOST, subset: "region2" }, weight: 10 },
            ],
          },
        ],
      },
    });
  });

  it("routes connections with protocol tcp", () => {
    const vs = trafficSplitObjects(twoRegion, { host: HOST, weights: { region1: 100 }, protocol: "tcp" })[1]!;
    assert.deepEqual(Object.keys(vs.spec as object), ["hosts", "tcp"]);
  });

  it("property: any accepted split renders routes whose weights sum to 100", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), (a, b) => {
        const spec = { host: HOST, weights: { region1: a, region2: b } };
        const accepted = validateTrafficSplit(twoRegion, spec, "s").length === 0;
        assert.equal(accepted, a + b === 100);
        if (!accepted) return;
        const vs = trafficSplitObjects(twoRegion, spec)[1]!;
        const routes = (vs.spec as { http: { route: { weight: number }[] }[] }).http[0]!.route;
        assert.equal(
          routes.reduce((sum, r) => sum + r.weight, 0),
          100,
        );
      }),
    );
  });

  it("is rendered in every primary only", () => {
    assert.deepEqual(trafficSplitClusters(twoRegion), ["region1", "region2"]);
    assert.deepEqual(trafficSplitClusters(primaryRemote), ["region1"]);
  });
});
