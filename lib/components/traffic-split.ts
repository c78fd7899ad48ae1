/**
 * TrafficSplit: one host's traffic split across clusters by weight (A/B or canary by cluster):
 * subsets by `topology.istio.io/cluster` and a VirtualService whose weights sum to 100, in every
 * primary.
 */
import * as pulumi from "@pulumi/pulumi";
import type { MeshCluster } from "../base/mesh-cluster";
import type { MeshPlan } from "../core/mesh-plan";
import { validateTrafficSplit, type TrafficSplitSpec } from "../core/traffic-split";
import { TrafficSplit as TrafficSplitManifest } from "../manifests/traffic-split";
import { throwIfProblems } from "../base/input-errors";
import { applyFeature } from "./render-cluster";

/** Arguments of {@link TrafficSplit}. */
export interface TrafficSplitArgs {
  readonly plan: MeshPlan;
  readonly split: TrafficSplitSpec;
  /** Every cluster's handle, by id. */
  readonly clusters: Readonly<Record<string, MeshCluster>>;
  /**
   * What the objects wait for in each cluster (its istiod).
   * @default - nothing
   */
  readonly dependsOn?: Readonly<Record<string, readonly pulumi.Resource[]>>;
}

/** One host's weighted split across clusters. */
export class TrafficSplit extends pulumi.ComponentResource {
  constructor(name: string, args: TrafficSplitArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfProblems(`TrafficSplit ${name}`, validateTrafficSplit(args.plan, args.split, "split"));
    super("isthmus:traffic:TrafficSplit", name, {}, opts);
    applyFeature(this, name, args, (chart) => new TrafficSplitManifest(chart, "split", args.split));
    this.registerOutputs({});
  }
}
