/**
 * One cdk8s chart per cluster: every Kubernetes object isthmus renders for that cluster.
 */
import { Chart } from "cdk8s";
import type { Construct } from "constructs";
import type { ClusterPlan, MeshPlan } from "../core/mesh-plan";
import { clusterOf } from "../core/cluster-of";

/** Labels every object isthmus renders carries. */
export const MANAGED_BY_LABELS = { "app.kubernetes.io/managed-by": "isthmus" } as const;

/** The chart of one cluster. Feature constructs are added to it and read `plan` and `cluster`. */
export class ClusterChart extends Chart {
  readonly plan: MeshPlan;
  readonly cluster: ClusterPlan;

  constructor(scope: Construct, plan: MeshPlan, clusterId: string) {
    // The construct library keeps children in a plain object and tests `id in children`: an id
    // such as `constructor` would collide with Object.prototype, so the chart's id is prefixed.
    super(scope, `cluster-${clusterId}`, {
      disableResourceNameHashes: true,
      labels: { ...MANAGED_BY_LABELS },
    });
    const cluster = clusterOf(plan, clusterId);
    this.plan = plan;
    this.cluster = cluster;
  }
}
