/**
 * A traffic split across clusters as cdk8s objects: its DestinationRule (subsets by cluster) and
 * VirtualService (weights), added to the chart of every cluster the plan places it in (the
 * primaries) and to no other chart.
 */
import { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import type { PlannedFeature } from "../core/mesh-plan";
import { trafficSplitObjects, type TrafficSplitSpec } from "../core/traffic-split";
import type { ClusterChart } from "./cluster-chart";

/** A weighted split of one host's traffic between clusters, rendered in a primary's chart. */
export class TrafficSplit extends Construct {
  /** The DestinationRule and VirtualService; empty in a cluster the plan does not place it in. */
  readonly objects: readonly ApiObject[];

  /** @param split - one of the plan's `trafficSplits` (validated with the document) */
  constructor(chart: ClusterChart, id: string, split: PlannedFeature<TrafficSplitSpec>) {
    super(chart, id);
    this.objects = split.clusters.includes(chart.cluster.id)
      ? trafficSplitObjects(chart.plan, split.spec).map(
          (o) => new ApiObject(this, o.kind.toLowerCase(), { ...o }),
        )
      : [];
  }
}
