/**
 * A failover policy as a cdk8s object: its DestinationRule, added to the chart of every primary
 * (the clusters whose istiod reads traffic policy) and to no other chart.
 */
import { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import {
  configClusters,
  failoverDestinationRule,
  validateFailoverPolicy,
  type FailoverPolicySpec,
} from "../core/failover";
import { MeshSpecError } from "../core/problems";
import type { ClusterChart } from "./cluster-chart";

/** Props of {@link FailoverPolicy}: the policy, and where it sits in the user's configuration. */
export interface FailoverPolicyProps extends FailoverPolicySpec {
  /**
   * The property path problems are reported under.
   * @default - the construct id
   */
  readonly path?: string;
}

/** Locality failover for one host, rendered in a primary's chart. */
export class FailoverPolicy extends Construct {
  /** The DestinationRule, or `undefined` in a cluster that is not a primary. */
  readonly destinationRule?: ApiObject;

  /** @throws MeshSpecError with every problem of the policy */
  constructor(chart: ClusterChart, id: string, props: FailoverPolicyProps) {
    super(chart, id);
    const problems = validateFailoverPolicy(chart.plan, props, props.path ?? id);
    if (problems.length > 0) throw new MeshSpecError(problems);
    if (configClusters(chart.plan).includes(chart.cluster.id)) {
      const rule = failoverDestinationRule(chart.plan, props);
      this.destinationRule = new ApiObject(this, "destinationrule", { ...rule });
    }
  }
}
