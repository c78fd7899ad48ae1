/**
 * The load balancer annotations of each cloud, for the Services isthmus renders (the east-west
 * gateway's, the DNS stubs').
 */
import type { GatewayExposure } from "./east-west-names";
import type { ClusterTopology } from "./mesh-plan";

/** The Helm chart (eks-charts) of the AWS Load Balancer Controller, which serves the AWS annotations below. */
export const AWS_LOAD_BALANCER_CONTROLLER_CHART = "aws-load-balancer-controller";

/** The annotation that hands a Service to the AWS Load Balancer Controller. */
export const AWS_LOAD_BALANCER_TYPE = "service.beta.kubernetes.io/aws-load-balancer-type";

/** The annotation of an NLB's attributes (AWS Load Balancer Controller). */
export const AWS_LOAD_BALANCER_ATTRIBUTES = "service.beta.kubernetes.io/aws-load-balancer-attributes";
/** Cross-zone load balancing on (off by default on NLBs). */
export const AWS_CROSS_ZONE = "load_balancing.cross_zone.enabled=true";

/**
 * The load balancer annotations of each cloud:
 * - AWS (the AWS Load Balancer Controller must run in the cluster): an NLB
 *   (`aws-load-balancer-type: external`) that targets pod IPs (`nlb-target-type: ip`), with
 *   `aws-load-balancer-scheme` internal or internet-facing;
 * - GCP: `networking.gke.io/load-balancer-type: Internal` for an internal passthrough load
 *   balancer; an internet-facing one is GKE's default external passthrough load balancer;
 * - existing clusters: none (their cloud is unknown).
 */
export function loadBalancerAnnotations(
  cluster: ClusterTopology,
  exposure: GatewayExposure,
): Record<string, string> {
  if (cluster.cloud === "aws") {
    return {
      [AWS_LOAD_BALANCER_TYPE]: "external",
      "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
      "service.beta.kubernetes.io/aws-load-balancer-scheme": exposure,
      // Any zone's address reaches every zone's pods: a zone without a ready gateway pod still serves.
      [AWS_LOAD_BALANCER_ATTRIBUTES]: AWS_CROSS_ZONE,
    };
  }
  if (cluster.cloud === "gcp" && exposure === "internal") {
    return { "networking.gke.io/load-balancer-type": "Internal" };
  }
  return {};
}
