import assert from "node:assert/strict";
import { join } from "node:path";
import { App, Testing } from "cdk8s";
import { stringify } from "yaml";
import type { KubernetesObject } from "../../lib/core/east-west-gateway";
import type { MeshPlan } from "../../lib/core/mesh-plan";
import { MeshSpecError } from "../../lib/core/problems";
import { ClusterChart } from "../../lib/manifests/cluster-chart";
import { FailoverPolicy } from "../../lib/manifests/failover-policy";
import { planMeshDocument } from "../../lib/core/mesh-document";
import type { TrafficSplitSpec } from "../../lib/core/traffic-split";
import { TrafficSplit } from "../../lib/manifests/traffic-split";
import { goldenFiles } from "../support/golden";
import { schemaValidator } from "../support/schemas";
import { clusters, primaryRemote, twoRegion, withChoices } from "../support/plans";

const HOST = "helloworld.sample.svc.cluster.local";
const CANARY: TrafficSplitSpec = { host: HOST, weights: { region1: 90, region2: 10 } };

const golden = goldenFiles(join(__dirname, "golden"));

function synth(p: MeshPlan, id: string, props: TrafficSplitSpec = CANARY): KubernetesObject[] {
  const placed = withChoices(p, { trafficSplits: [props] });
  const chart = new ClusterChart(new App(), placed, id);
  new TrafficSplit(chart, "helloworld-canary", placed.trafficSplits[0]!);
  return Testing.synth(chart) as KubernetesObject[];
}

const validateAll = schemaValidator([
  "networking.istio.io/v1 DestinationRule",
  "networking.istio.io/v1 VirtualService",
]);

type Route = { destination: { host: string; subset: string }; weight: number };

describe("manifests/TrafficSplit", () => {
  it("two-region: DestinationRule and VirtualService in both primaries, matching the golden file", async () => {
    const objects = synth(twoRegion, "region1");
    golden("traffic-split.two-region.yaml", objects.map((o) => stringify(o)).join("---\n"));
    assert.deepEqual(synth(twoRegion, "region2"), objects);
    await validateAll(objects);
  });

  it("weights sum to 100 and every route names a subset selected by topology.istio.io/cluster", () => {
    const [dr, vs] = synth(twoRegion, "region1");
    const routes = (vs!.spec as { http: { route: Route[] }[] }).http[0]!.route;
    assert.equal(
      routes.reduce((sum, r) => sum + r.weight, 0),
      100,
    );
    const subsets = (dr!.spec as { subsets: { name: string; labels: Record<string, string> }[] }).subsets;
    for (const r of routes) {
      const subset = subsets.find((s) => s.name === r.destination.subset);
      assert.deepEqual(subset?.labels, { "topology.istio.io/cluster": r.destination.subset });
    }
  });

  it("primary-remote: in the primary only", () => {
    assert.equal(synth(primaryRemote, "region1").length, 2);
    assert.deepEqual(synth(primaryRemote, "region2"), []);
  });

  it("sits beside a failover policy for the same host: one rule with subsets, one with the traffic policy", async () => {
    const placed = withChoices(twoRegion, {
      failoverPolicies: [{ host: HOST, failover: [{ from: "us-east-1", to: "us-east1" }] }],
      trafficSplits: [CANARY],
    });
    const chart = new ClusterChart(new App(), placed, "region1");
    new FailoverPolicy(chart, "helloworld-failover", placed.failoverPolicies[0]!);
    new TrafficSplit(chart, "helloworld-canary", placed.trafficSplits[0]!);
    const objects = Testing.synth(chart) as KubernetesObject[];
    assert.deepEqual(
      objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`),
      [
        "DestinationRule/sample/helloworld-failover",
        "DestinationRule/sample/helloworld-split",
        "VirtualService/sample/helloworld-split",
      ],
    );
    await validateAll(objects);
  });

  it("is refused by the document validator when the weights do not sum to 100", () => {
    assert.throws(
      () =>
        planMeshDocument({
          mesh: { clusters },
          trafficSplits: [{ host: HOST, weights: { region1: 90, region2: 20 } }],
        }),
      (e: unknown) =>
        e instanceof MeshSpecError &&
        e.problems.length === 1 &&
        e.problems[0]!.path === "trafficSplits[0].weights" &&
        e.problems[0]!.problem === "sum to 110, not 100",
    );
  });
});
