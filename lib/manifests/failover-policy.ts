/**
 * A failover policy as a cdk8s object: its DestinationRule, added to the chart of every cluster the
 * plan places it in (the primaries, whose istiod reads traffic policy) and to no other chart.
 */
import { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import { failoverDestinationRule, type FailoverPolicySpec } from "../core/failover";
import type { PlannedFeature } from "../core/mesh-plan";
import type { ClusterChart } from "./cluster-chart";

/** Locality failover for one host, rendered in a primary's chart. */
export class FailoverPolicy extends Construct {
  /** The DestinationRule, or `undefined` in a cluster the plan does not place the policy in. */
  readonly destinationRule?: ApiObject;

  /** @param policy - one of the plan's `failoverPolicies` (validated with the document) */
  constructor(chart: ClusterChart, id: string, policy: PlannedFeature<FailoverPolicySpec>) {
    super(chart, id);
    if (policy.clusters.includes(chart.cluster.id)) {
      const rule = failoverDestinationRule(chart.plan, policy.spec);
      this.destinationRule = new ApiObject(this, "destinationrule", { ...rule });
    }
  }
}
