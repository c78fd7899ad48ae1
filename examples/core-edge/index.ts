/**
 * Core and edge clusters in one stack: two core regions run istiod and discover each other; five edge
 * clusters use their core's istiod (Istio's remote profile) and are read by their core only. See
 * mesh.ts for the mesh and its config, and fleet/ for the same mesh split into stacks.
 *
 * Config: `kubeconfigs` (required, secret object: one kubeconfig per cluster id), `mesh` (optional).
 */
import { MultiClusterMesh, planMesh } from "../../lib";
import { adopt, coreEdgeSpec } from "./mesh";

const spec = coreEdgeSpec();
const plan = planMesh(spec);
const mesh = new MultiClusterMesh(plan.meshID, {
  spec,
  clusters: Object.fromEntries(Object.keys(plan.clusters).map((id) => [id, adopt(id, plan)])),
});

export const clusterStatus = mesh.clusterStatus;
export const certificateExpiry = mesh.certificateExpiry;
/** Which core reads which cluster: the remote secrets of the mesh. */
export const discovery = plan.discovery.map((pair) => `${pair.reader} reads ${pair.target}`);
