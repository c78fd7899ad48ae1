/**
 * Adopt clusters that already exist, through their kubeconfig or a provider you have. This file only re-exports.
 * @module isthmus/existing
 */
export { ExistingCluster, type ExistingClusterArgs } from "./clusters/existing/existing-cluster";
