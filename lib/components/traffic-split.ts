/**
 * TrafficSplit: one host's traffic split across clusters by weight (A/B or canary by cluster):
 * subsets by `topology.istio.io/cluster` and a VirtualService whose weights sum to 100, in every
 * cluster the plan places it in (the primaries). The split comes from the plan, validated with its
 * document.
 */
import * as pulumi from "@pulumi/pulumi";
import type { MeshCluster } from "../base/mesh-cluster";
import type { MeshPlan, PlannedFeature } from "../core/mesh-plan";
import type { TrafficSplitSpec } from "../core/traffic-split";
import { trafficSplitFeature } from "../manifests/features";
import { applyFeature } from "./render-cluster";
import { throwIfBadArguments } from "../base/argument-checks";
import { TRAFFIC_SPLIT_ARGUMENTS } from "../base/component-arguments";

/** Arguments of {@link TrafficSplit}. */
export interface TrafficSplitArgs {
  readonly plan: MeshPlan;
  /** One of `plan.trafficSplits`. */
  readonly split: PlannedFeature<TrafficSplitSpec>;
  /** Every cluster's handle, by id. */
  readonly clusters: Readonly<Record<string, MeshCluster>>;
  /**
   * What the objects wait for in each cluster (its istiod).
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

/** One host's weighted split across clusters. */
export class TrafficSplit extends pulumi.ComponentResource {
  constructor(name: string, args: TrafficSplitArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfBadArguments(`TrafficSplit ${name}`, args, TRAFFIC_SPLIT_ARGUMENTS);
    super("isthmus:traffic:TrafficSplit", name, {}, opts);
    applyFeature(this, name, args, trafficSplitFeature(args.split));
    this.registerOutputs({});
  }
}
