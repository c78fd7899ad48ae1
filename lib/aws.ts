// isthmus/aws: the EKS cluster adapter. The only entry point that loads @pulumi/aws.
export { EksCluster, type EksClusterArgs } from "./clusters/eks-cluster";
