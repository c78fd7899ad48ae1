/**
 * The handle every cluster adapter (EKS, GKE, existing) returns, and every mesh component takes.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/** One cluster, ready to be meshed. */
export interface MeshCluster {
  /** The stable id of the cluster in the mesh spec (`clusters.<id>`). */
  readonly id: string;
  /** The Kubernetes provider every object in this cluster is created through. */
  readonly provider: k8s.Provider;
  /**
   * The API server URL (`https://…`) as other clusters' istiod reach it: goes into the remote
   * secret's kubeconfig.
   */
  readonly endpoint: pulumi.Input<string>;
  /** The API server's CA certificate, PEM. */
  readonly certificateAuthority: pulumi.Input<string>;
  /**
   * Resources that must exist before workloads can be scheduled (a node group, a node pool);
   * Istio's Helm releases wait on them.
   * @default - none
   */
  readonly readyResources?: readonly pulumi.Resource[];
  /**
   * What a `LoadBalancer` Service needs before it can get an address (on EKS, the AWS Load Balancer
   * Controller's release). Every such Service, or the Helm release that renders it, depends on these,
   * so that `pulumi destroy` deletes the load balancers while their controller still runs.
   * @default - none: the cluster's own cloud provider serves LoadBalancer Services
   */
  readonly loadBalancerReady?: readonly pulumi.Resource[];
  /**
   * Static public addresses for the east-west gateway's load balancer, where the plan asks for them
   * (`EastWestGatewayPlan.staticAddresses`: an AWS primary that exposes istiod to remotes): one Elastic
   * IP per public subnet, in the subnets' order. The remotes reach istiod at the first address.
   * @default - none
   */
  /**
   * The public addresses this cluster's traffic to other regions leaves from (its NAT gateways' IPs):
   * the other clusters' internet-facing east-west gateways admit only these by default.
   * @default - unknown: peers' gateways admit any source (only mTLS and istiod's TLS pass their ports)
   */
  readonly egressAddresses?: readonly pulumi.Input<string>[];
  readonly gatewayStaticAddresses?: {
    readonly allocationIds: readonly pulumi.Input<string>[];
    readonly publicIps: readonly pulumi.Input<string>[];
    readonly subnetIds: readonly pulumi.Input<string>[];
  };
}
