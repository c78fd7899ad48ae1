// isthmus/existing: adopt clusters that already exist, through their kubeconfig or provider.
export { ExistingCluster, type ExistingClusterArgs } from "./clusters/existing-cluster";
