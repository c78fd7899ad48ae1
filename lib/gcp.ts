/**
 * The GKE cluster adapter; the only entry point that loads @pulumi/gcp. This file only re-exports.
 * @module isthmus/gcp
 */
export { GkeCluster, type GkeClusterArgs } from "./clusters/gcp/gke-cluster";
export { gcpWireGuardEndpoint, type GcpGatewayNetwork } from "./clusters/gcp/wireguard-endpoint";
