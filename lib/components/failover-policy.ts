/**
 * FailoverPolicy: locality failover for one host, as a DestinationRule with outlier detection in
 * every cluster the plan places it in (the primaries, where istiod reads traffic policy). The policy
 * comes from the plan, validated with its document.
 */
import * as pulumi from "@pulumi/pulumi";
import type { MeshCluster } from "../base/mesh-cluster";
import type { FailoverPolicySpec } from "../core/failover";
import type { MeshPlan, PlannedFeature } from "../core/mesh-plan";
import { failoverPolicyFeature } from "../manifests/features";
import { applyFeature } from "./render-cluster";
import { throwIfBadArguments } from "../base/argument-checks";
import { FAILOVER_POLICY_ARGUMENTS } from "../base/component-arguments";

/** Arguments of {@link FailoverPolicy}. */
export interface FailoverPolicyArgs {
  readonly plan: MeshPlan;
  /** One of `plan.failoverPolicies`. */
  readonly policy: PlannedFeature<FailoverPolicySpec>;
  /** Every cluster's handle, by id. */
  readonly clusters: Readonly<Record<string, MeshCluster>>;
  /**
   * What the DestinationRule waits for in each cluster (its istiod).
   * @default - nothing
   */
  readonly dependsOn?: Readonly<Record<string, readonly pulumi.Resource[]>>;
  /**
   * Apply it only in these of its clusters: a fleet stack applies the part that lands in the
   * clusters it owns, and needs only their handles. Ids the plan does not place it in get nothing.
   * @default - every cluster the plan places it in
   */
  readonly onlyIn?: readonly string[];
}

/** One host's failover policy across the mesh. */
export class FailoverPolicy extends pulumi.ComponentResource {
  /** The clusters holding the DestinationRule (the primaries). */
  declare readonly clusterIds: readonly string[];

  constructor(name: string, args: FailoverPolicyArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfBadArguments(`FailoverPolicy ${name}`, args, FAILOVER_POLICY_ARGUMENTS);
    super("isthmus:traffic:FailoverPolicy", name, {}, opts);
    const rendered = applyFeature(this, name, args, failoverPolicyFeature(args.policy));
    this.clusterIds = Object.keys(rendered).filter((id) => rendered[id]!.length > 0);
    this.registerOutputs({ clusterIds: this.clusterIds });
  }
}
