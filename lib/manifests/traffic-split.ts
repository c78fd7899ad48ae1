/**
 * A traffic split across clusters as cdk8s objects: its DestinationRule (subsets by cluster) and
 * VirtualService (weights), added to the chart of every primary and to no other chart.
 */
import { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import { MeshSpecError } from "../core/problems";
import {
  trafficSplitClusters,
  trafficSplitObjects,
  validateTrafficSplit,
  type TrafficSplitSpec,
} from "../core/traffic-split";
import type { ClusterChart } from "./cluster-chart";

/** Props of {@link TrafficSplit}: the split, and where it sits in the user's configuration. */
export interface TrafficSplitProps extends TrafficSplitSpec {
  /**
   * The property path problems are reported under.
   * @default - the construct id
   */
  readonly path?: string;
}

/** A weighted split of one host's traffic between clusters, rendered in a primary's chart. */
export class TrafficSplit extends Construct {
  /** The DestinationRule and VirtualService; empty in a cluster that is not a primary. */
  readonly objects: readonly ApiObject[];

  /** @throws MeshSpecError with every problem of the split */
  constructor(chart: ClusterChart, id: string, props: TrafficSplitProps) {
    super(chart, id);
    const problems = validateTrafficSplit(chart.plan, props, props.path ?? id);
    if (problems.length > 0) throw new MeshSpecError(problems);
    this.objects = trafficSplitClusters(chart.plan).includes(chart.cluster.id)
      ? trafficSplitObjects(chart.plan, props).map((o) => new ApiObject(this, o.kind.toLowerCase(), { ...o }))
      : [];
  }
}
