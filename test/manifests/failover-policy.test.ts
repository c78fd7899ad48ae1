import assert from "node:assert/strict";
import { join } from "node:path";
import { App, Testing } from "cdk8s";
import { stringify } from "yaml";
import type { KubernetesObject } from "../../lib/core/east-west-gateway";
import type { MeshPlan } from "../../lib/core/mesh-plan";
import { MeshSpecError } from "../../lib/core/problems";
import { ClusterChart } from "../../lib/manifests/cluster-chart";
import type { FailoverPolicySpec } from "../../lib/core/failover";
import { planMeshDocument } from "../../lib/core/mesh-document";
import { FailoverPolicy } from "../../lib/manifests/failover-policy";
import { goldenFiles } from "../support/golden";
import { schemaValidator } from "../support/schemas";
import { clusters, primaryRemote, twoRegion, withChoices } from "../support/plans";

const POLICY: FailoverPolicySpec = {
  host: "helloworld.sample.svc.cluster.local",
  failover: [
    { from: "us-east-1", to: "us-east1" },
    { from: "us-east1", to: "us-east-1" },
  ],
  failoverPriority: ["topology.istio.io/network"],
};

const golden = goldenFiles(join(__dirname, "golden"));

function synth(p: MeshPlan, id: string, props: FailoverPolicySpec = POLICY): KubernetesObject[] {
  const placed = withChoices(p, { failoverPolicies: [props] });
  const chart = new ClusterChart(new App(), placed, id);
  new FailoverPolicy(chart, "helloworld", placed.failoverPolicies[0]!);
  return Testing.synth(chart) as KubernetesObject[];
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

  it("is refused with every problem by the document validator, under its document path", () => {
    assert.throws(
      () =>
        planMeshDocument({
          mesh: { clusters },
          failoverPolicies: [
            {
              host: "helloworld.sample.svc.cluster.local",
              failover: [{ from: "us-east-1", to: "us-east-1" }],
              distribute: [{ from: "us-east-1", to: { "us-east1": 100 } }],
            },
          ],
        }),
      (e: unknown) =>
        e instanceof MeshSpecError &&
        e.problems.map((p) => `${p.path}: ${p.problem}`).join("\n") ===
          [
            "failoverPolicies[0]: can not simultaneously specify 'distribute' and 'failover'",
            "failoverPolicies[0].failover[0]: locality lb failover settings must specify different regions",
          ].join("\n"),
    );
  });

  it("the schema check catches a broken rule (so the validation is not vacuous)", async () => {
    const rule = synth(twoRegion, "region1")[0] as unknown as Rule & KubernetesObject;
    const broken = {
      ...rule,
      spec: { ...rule.spec, trafficPolicy: { outlierDetection: { consecutive5xxErrors: "five" } } },
    };
    await assert.rejects(validateAll([broken as KubernetesObject]));
  });
});
