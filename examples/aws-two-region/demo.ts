/**
 * The demo's stack graph as a function: EKS clusters for every cluster of the spec, one mesh across
 * them, helloworld in every cluster and locality failover. Used by the program and by the bench.
 */
import { MultiClusterMesh, planMesh, type MeshSpec } from "../../lib";
import { EksCluster } from "../../lib/aws";
import { helloworldDocument } from "../shared/helloworld";

/** Creates the demo's clusters and mesh. */
export function eksMesh(name: string, spec: MeshSpec): MultiClusterMesh {
  const plan = planMesh(helloworldDocument(spec));
  const clusters = Object.fromEntries(
    Object.keys(plan.clusters).map((id) => [
      id,
      new EksCluster(`${name}-${id}`, { plan, clusterId: id }).cluster,
    ]),
  );
  return new MultiClusterMesh(name, { plan, clusters });
}
