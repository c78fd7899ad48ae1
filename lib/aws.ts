/**
 * The EKS cluster adapter; the only entry point that loads @pulumi/aws. This file only re-exports.
 * @module isthmus/aws
 */
export { EksCluster, type EksClusterArgs } from "./clusters/aws/eks-cluster";
export { awsWireGuardEndpoint, type AwsGatewayNetwork } from "./clusters/aws/wireguard-endpoint";
