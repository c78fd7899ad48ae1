import assert from "node:assert/strict";
import { join } from "node:path";
import { App, Testing } from "cdk8s";
import { stringify } from "yaml";
import type { ObjectData } from "../../lib/core/east-west-gateway";
import type { MeshPlan } from "../../lib/core/mesh-plan";
import { MeshSpecError } from "../../lib/core/problems";
import { ClusterChart } from "../../lib/manifests/cluster-chart";
import { FailoverPolicy, type FailoverPolicyProps } from "../../lib/manifests/failover-policy";
import { goldenFiles } from "../support/golden";
import { schemaValidator } from "../support/schemas";
import { primaryRemote, twoRegion } from "../support/plans";

const POLICY: FailoverPolicyProps = {
  host: "helloworld.sample.svc.cluster.local",
  failover: [
    { from: "us-east-1", to: "us-east1" },
    { from: "us-east1", to: "us-east-1" },
  ],
  failoverPriority: ["topology.istio.io/network"],
};

const golden = goldenFiles(join(__dirname, "golden"));

function synth(p: MeshPlan, id: string, props: FailoverPolicyProps = POLICY): ObjectData[] {
  const chart = new ClusterChart(new App(), p, id);
  new FailoverPolicy(chart, "helloworld", props);
  return Testing.synth(chart) as ObjectData[];
}

const validateAll = schemaValidator(["networking.istio.io/v1 DestinationRule"]);

type Rule = {
  spec: {
    trafficPolicy: {
      loadBalancer: { localityLbSetting: { failover?: unknown[]; distribute?: unknown[] } };
      outlierDetection?: Record<string, unknown>;
    };
  };
};

describe("manifests/FailoverPolicy", () => {
  it("two-region: the same DestinationRule in both primaries, matching the golden file", async () => {
    const one = synth(twoRegion, "region1");
    const two = synth(twoRegion, "region2");
    golden("failover-policy.two-region.yaml", stringify(one[0]));
    assert.deepEqual(two, one);
    await validateAll(one);
  });

  it("two-region: outlier detection is present, with failover in both directions", () => {
    const rule = synth(twoRegion, "region1")[0] as unknown as Rule;
    assert.deepEqual(rule.spec.trafficPolicy.outlierDetection, {
      consecutive5xxErrors: 5,
      interval: "10s",
      baseEjectionTime: "30s",
      maxEjectionPercent: 100,
    });
    assert.equal(rule.spec.trafficPolicy.loadBalancer.localityLbSetting.failover?.length, 2);
  });

  it("primary-remote: in the primary only", async () => {
    const primary = synth(primaryRemote, "region1");
    golden("failover-policy.primary-remote.region1.yaml", stringify(primary[0]));
    assert.equal(primary.length, 1);
    assert.deepEqual(synth(primaryRemote, "region2"), []);
    await validateAll(primary);
  });

  it("distribute weights render and validate", async () => {
    const objects = synth(twoRegion, "region1", {
      host: "helloworld.sample.svc.cluster.local",
      distribute: [{ from: "us-east-1/*", to: { "us-east-1/*": 70, "us-east1/*": 30 } }],
    });
    golden("failover-policy.distribute.yaml", stringify(objects[0]));
    const setting = (objects[0] as unknown as Rule).spec.trafficPolicy.loadBalancer.localityLbSetting;
    assert.deepEqual(setting.distribute, [
      { from: "us-east-1/*", to: { "us-east-1/*": 70, "us-east1/*": 30 } },
    ]);
    assert.equal(setting.failover, undefined);
    await validateAll(objects);
  });

  it("throws MeshSpecError with every problem, under the given path", () => {
    const chart = new ClusterChart(new App(), twoRegion, "region1");
    assert.throws(
      () =>
        new FailoverPolicy(chart, "bad", {
          host: "helloworld.sample.svc.cluster.local",
          path: "mesh.failover[0]",
          failover: [{ from: "us-east-1", to: "us-east-1" }],
          distribute: [{ from: "us-east-1", to: { "us-east1": 100 } }],
        }),
      (e: unknown) =>
        e instanceof MeshSpecError &&
        e.problems.map((p) => `${p.path}: ${p.problem}`).join("\n") ===
          [
            "mesh.failover[0]: can not simultaneously specify 'distribute' and 'failover'",
            "mesh.failover[0].failover[0]: locality lb failover settings must specify different regions",
          ].join("\n"),
    );
  });

  it("the schema check catches a broken rule (so the validation is not vacuous)", async () => {
    const rule = synth(twoRegion, "region1")[0] as unknown as Rule & ObjectData;
    const broken = {
      ...rule,
      spec: { ...rule.spec, trafficPolicy: { outlierDetection: { consecutive5xxErrors: "five" } } },
    };
    await assert.rejects(validateAll([broken as ObjectData]));
  });
});
