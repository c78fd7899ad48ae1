/**
 * A mesh service as cdk8s objects in one cluster's chart: Namespace and Service in every cluster,
 * ServiceAccount and Deployment where the service runs.
 */
import { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import type { PlannedFeature } from "../core/mesh-plan";
import { meshServiceObjects, type MeshServiceSpec } from "../core/mesh-service";
import type { ClusterChart } from "./cluster-chart";

/** One service of the mesh, rendered in one cluster's chart. */
export class MeshService extends Construct {
  /** The objects added to the chart. */
  readonly objects: readonly ApiObject[];

  /** @param service - one of the plan's `services` (validated with the document) */
  constructor(chart: ClusterChart, id: string, service: PlannedFeature<MeshServiceSpec>) {
    super(chart, id);
    this.objects = service.clusters.includes(chart.cluster.id)
      ? meshServiceObjects(chart.plan, service.spec, chart.cluster.id).map(
          (o) => new ApiObject(this, o.kind.toLowerCase(), { ...o }),
        )
      : [];
  }
}
