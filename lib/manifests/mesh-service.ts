/**
 * A mesh service as cdk8s objects in one cluster's chart: Namespace and Service in every cluster,
 * ServiceAccount and Deployment where the service runs.
 */
import { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import { meshServiceObjects, validateMeshService, type MeshServiceSpec } from "../core/mesh-service";
import { MeshSpecError } from "../core/problems";
import type { ClusterChart } from "./cluster-chart";

/** Props of {@link MeshService}: the service, and where it sits in the user's configuration. */
export interface MeshServiceProps extends MeshServiceSpec {
  /**
   * The property path problems are reported under.
   * @default - the construct id
   */
  readonly path?: string;
}

/** One service of the mesh, rendered in one cluster's chart. */
export class MeshService extends Construct {
  /** The objects added to the chart. */
  readonly objects: readonly ApiObject[];

  /** @throws MeshSpecError with every problem of the service */
  constructor(chart: ClusterChart, id: string, props: MeshServiceProps) {
    super(chart, id);
    const problems = validateMeshService(chart.plan, props, props.path ?? id);
    if (problems.length > 0) throw new MeshSpecError(problems);
    this.objects = meshServiceObjects(chart.plan, props, chart.cluster.id).map(
      (o) => new ApiObject(this, o.kind.toLowerCase(), { ...o }),
    );
  }
}
