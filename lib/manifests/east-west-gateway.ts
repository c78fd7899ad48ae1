/**
 * The east-west gateway of one cluster as cdk8s objects: the cross-network `Gateway` and, on a
 * primary that remotes use, istiod's exposure. The gateway itself is a Helm release of Istio's
 * `gateway` chart, not a Kubernetes object: its values are on {@link EastWestGateway.plan}, for
 * `isthmus synth` to write as `<release>.values.yaml` and for the Pulumi component to install.
 */
import { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import { eastWestGatewayObjects, type EastWestGatewayPlan } from "../core/east-west-gateway";
import type { ClusterChart } from "./cluster-chart";

/** The east-west gateway's Istio objects in one cluster's chart, and its Helm release plan. */
export class EastWestGateway extends Construct {
  /** The release, chart, values, exposure, peers and ports of the gateway. */
  readonly plan: EastWestGatewayPlan;
  /** The objects added to the chart (Gateway, and VirtualService when istiod is exposed). */
  readonly objects: readonly ApiObject[];

  /** @throws Error when the plan gives the chart's cluster no east-west gateway */
  constructor(chart: ClusterChart, id: string) {
    super(chart, id);
    const gateway = chart.cluster.eastWestGateway;
    if (gateway === undefined) {
      throw new Error(
        `${chart.cluster.id}: the plan runs no east-west gateway in this cluster (wireguard mode, and no istiod exposed to remotes).`,
      );
    }
    this.plan = gateway;
    this.objects = eastWestGatewayObjects(chart.plan, gateway).map(
      (o) => new ApiObject(this, `${o.kind.toLowerCase()}-${o.metadata.name}`, { ...o }),
    );
  }
}
