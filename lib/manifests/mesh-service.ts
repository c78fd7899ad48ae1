/**
 * A mesh service as cdk8s objects in one cluster's chart: Namespace and Service (and, in a flat mesh
 * with DNS stubs, its headless twin) in every cluster, ServiceAccount and Deployment where the
 * service runs.
 */
import { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import type { PlannedFeature } from "../core/mesh-plan";
import { meshServiceObjects, type MeshServiceSpec } from "../core/mesh-service";
import type { ClusterChart } from "./cluster-chart";
import { ALIAS_OF_LABEL } from "../core/alias-names";

/** One service of the mesh, rendered in one cluster's chart. */
export class MeshService extends Construct {
  /** The objects added to the chart. */
  readonly objects: readonly ApiObject[];

  /** @param service - one of the plan's `services` (validated with the document) */
  constructor(chart: ClusterChart, id: string, service: PlannedFeature<MeshServiceSpec>) {
    super(chart, id);
    this.objects = service.clusters.includes(chart.cluster.id)
      ? meshServiceObjects(chart.plan, service.spec, chart.cluster.id).map(
          // The headless twin (flat meshes) is the one second Service.
          (o) =>
            new ApiObject(
              this,
              o.metadata.labels?.[ALIAS_OF_LABEL] ? "service-alias" : o.kind.toLowerCase(),
              { ...o },
            ),
        )
      : [];
  }
}
