/**
 * The AWS Load Balancer Controller in an EKS cluster: what gives the mesh's `LoadBalancer` Services
 * (east-west gateway, DNS stubs) their NLBs. Kubernetes' built-in AWS cloud provider skips Services
 * annotated `service.beta.kubernetes.io/aws-load-balancer-type: external` (`isLBExternal` in
 * kubernetes/cloud-provider-aws), so without the controller they never get an address.
 *
 * - The chart `aws-load-balancer-controller` from eks-charts, pinned ({@link AWS_LOAD_BALANCER_CONTROLLER_VERSION}),
 *   with `clusterName`, `region` and `vpcId` set (so the controller needs no instance metadata).
 * - Its IAM permissions ({@link awsLoadBalancerControllerPolicy}) on a role bound to its service
 *   account through **EKS Pod Identity**: the role's trust policy names the `pods.eks.amazonaws.com`
 *   service, not a per-cluster OIDC issuer, so no IAM OIDC provider (an account-wide, limited
 *   resource with a certificate thumbprint to maintain) is created per cluster, and the binding is
 *   one `PodIdentityAssociation`. The controller's docs recommend IRSA or Pod Identity equally; Pod
 *   Identity needs the `eks-pod-identity-agent` add-on, installed here.
 *
 * Every Service that needs the controller depends on the release (`MeshCluster.loadBalancerReady`),
 * so `pulumi destroy` deletes the load balancers while the controller still runs, before the VPC.
 */
import * as aws from "./pulumi-aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AWS_LOAD_BALANCER_CONTROLLER_CHART } from "../../core/east-west-gateway";
import { awsLoadBalancerControllerPolicy } from "./aws-load-balancer-controller-policy";

/** The pinned chart version (the controller v3.5.0). */
export const AWS_LOAD_BALANCER_CONTROLLER_VERSION = "3.5.0";
/** The eks-charts Helm repository. */
export const EKS_CHARTS_REPOSITORY = "https://aws.github.io/eks-charts";
/** The controller's namespace and service account (the Pod Identity association names it). */
export const AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT = {
  namespace: "kube-system",
  name: "aws-load-balancer-controller",
} as const;
/** The EKS add-on that hands Pod Identity credentials to pods. */
export const POD_IDENTITY_AGENT_ADDON = "eks-pod-identity-agent";

/** What the controller's installation needs from its EKS cluster. */
export interface AwsLoadBalancerControllerArgs {
  readonly clusterName: pulumi.Input<string>;
  readonly region: string;
  readonly partition: string;
  readonly vpcId: pulumi.Input<string>;
  /** The cluster's Kubernetes provider. */
  readonly provider: k8s.Provider;
  /** The cluster's AWS provider. */
  readonly awsProvider: aws.Provider;
  /** What must exist first (the node group: the controller's pods and the agent need nodes). */
  readonly dependsOn: readonly pulumi.Resource[];
}

/** Installs the controller as children of `parent`; returns its Helm release. */
export function installAwsLoadBalancerController(
  name: string,
  args: AwsLoadBalancerControllerArgs,
  parent: pulumi.Resource,
): k8s.helm.v3.Release {
  const aopts = { parent, provider: args.awsProvider };
  const agent = new aws.eks.Addon(
    `${name}-pod-identity-agent`,
    { clusterName: args.clusterName, addonName: POD_IDENTITY_AGENT_ADDON },
    { ...aopts, dependsOn: [...args.dependsOn] },
  );
  const role = new aws.iam.Role(
    `${name}-lb-controller-role`,
    {
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "pods.eks.amazonaws.com" },
            Action: ["sts:AssumeRole", "sts:TagSession"],
          },
        ],
      }),
    },
    aopts,
  );
  const policy = new aws.iam.Policy(
    `${name}-lb-controller-policy`,
    {
      description: "AWS Load Balancer Controller (isthmus)",
      policy: JSON.stringify(awsLoadBalancerControllerPolicy(args.partition)),
    },
    aopts,
  );
  const attachment = new aws.iam.RolePolicyAttachment(
    `${name}-lb-controller-role-policy`,
    { role: role.name, policyArn: policy.arn },
    aopts,
  );
  const association = new aws.eks.PodIdentityAssociation(
    `${name}-lb-controller-identity`,
    {
      clusterName: args.clusterName,
      namespace: AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.namespace,
      serviceAccount: AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.name,
      roleArn: role.arn,
    },
    { ...aopts, dependsOn: [agent] },
  );
  return new k8s.helm.v3.Release(
    `${name}-lb-controller`,
    {
      name: AWS_LOAD_BALANCER_CONTROLLER_CHART,
      chart: AWS_LOAD_BALANCER_CONTROLLER_CHART,
      version: AWS_LOAD_BALANCER_CONTROLLER_VERSION,
      namespace: AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.namespace,
      repositoryOpts: { repo: EKS_CHARTS_REPOSITORY },
      values: {
        clusterName: args.clusterName,
        region: args.region,
        vpcId: args.vpcId,
        serviceAccount: { create: true, name: AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.name },
        // The chart's Service mutator webhook (failurePolicy Fail) would intercept every Service
        // created in the cluster — Istio's own, while the controller is still starting. Off, the
        // controller serves exactly the Services annotated aws-load-balancer-type: external.
        enableServiceMutatorWebhook: false,
      },
    },
    // The pods must start after the association, or they get no credentials until restarted.
    { parent, provider: args.provider, dependsOn: [association, attachment, ...args.dependsOn] },
  );
}
