// isthmus/gcp: the GKE cluster adapter. The only entry point that loads @pulumi/gcp.
export { GkeCluster, type GkeClusterArgs } from "./clusters/gke-cluster";
