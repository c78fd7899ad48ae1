/**
 * The WireGuard gateway of a cluster on AWS: a small EC2 instance (`t3.small`, Ubuntu 24.04 LTS) in
 * the cluster's first public subnet. Its network interface is a resource of its own with
 * source/destination check off (AWS drops forwarded packets otherwise), an Elastic IP (the peers'
 * endpoint) and a security group that opens the WireGuard port to each peer's /32 only. The
 * cluster's route tables send every remote range to that interface, and the cluster security group
 * admits the remote ranges. Routes target the interface, not the instance, so they survive the
 * instance being replaced.
 *
 * The config (it holds the private key) never goes into user data, which anyone allowed
 * `ec2:DescribeInstanceAttribute` reads: it is an SSM Parameter Store SecureString readable only by
 * the gateway's role, fetched at boot. The boot script names the parameter's version, so a new config
 * replaces the instance (`userDataReplaceOnChange`).
 *
 * Pod addresses on EKS come from the VPC, and the VPC CNI translates pod traffic to addresses
 * outside the VPC to the node's address unless told otherwise: set `AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS`
 * on the `aws-node` DaemonSet to the remote ranges to keep pod addresses end to end (connectivity
 * holds without it: node ranges are routed too).
 */
import * as aws from "./pulumi-aws";
import * as pulumi from "@pulumi/pulumi";
import { WIREGUARD_CONFIG_KEY } from "../../manifests/wireguard-gateway";
import {
  rangeKey,
  type WireGuardEndpoint,
  type WireGuardEndpointContext,
} from "../../base/wireguard-endpoint";
import { awsBootScript } from "../gateway-boot";
import { assumeRolePolicy } from "./eks-args";

/** The AWS gateway's default instance type: 2 vCPUs burstable, enough for ~1 Gbit/s of WireGuard. */
export const DEFAULT_AWS_INSTANCE_TYPE = "t3.small";
/**
 * The AWS gateway's default image: Canonical's Ubuntu 24.04 LTS (amd64), resolved by EC2 at launch
 * from Canonical's public SSM parameter (`resolve:ssm:`), so no provider function runs at plan time.
 */
export const DEFAULT_AWS_IMAGE_ID =
  "resolve:ssm:/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id";
/** An EKS-style network the gateway instance joins. */
export interface AwsGatewayNetwork {
  /** The region's AWS provider (an `aws.Provider`). */
  readonly provider: pulumi.ProviderResource;
  /** The cluster's VPC. */
  readonly vpcId: pulumi.Input<string>;
  /** A public subnet (default route to an internet gateway) for the instance and its Elastic IP. */
  readonly subnetId: pulumi.Input<string>;
  /** The route tables that get a route per remote range, by a stable key (it names the routes). */
  readonly routeTableIds: Readonly<Record<string, pulumi.Input<string>>>;
  /** The nodes' security group (EKS's cluster security group), which must admit the remote ranges. */
  readonly nodeSecurityGroupId: pulumi.Input<string>;
  /**
   * The instance type.
   * @default "t3.small"
   */
  readonly instanceType?: string;
  /**
   * The image: an AMI id or `resolve:ssm:<public parameter>`; needs `apt-get` and `snap` (Ubuntu).
   * @default {@link DEFAULT_AWS_IMAGE_ID}
   */
  readonly imageId?: string;
}

/**
 * The gateway machine in an EKS-style network (see {@link AwsGatewayNetwork}): security groups, an
 * interface with source/destination check off, an Elastic IP, the config in SSM, the instance and
 * its routes. Every child is named `<gateway>-…` under the gateway component.
 */
export function awsWireGuardEndpoint(net: AwsGatewayNetwork): WireGuardEndpoint {
  return { cloud: "aws", build: (ctx) => awsGateway(ctx, net) };
}

/** The AWS gateway; returns its Elastic IP. */
function awsGateway(ctx: WireGuardEndpointContext, net: AwsGatewayNetwork): pulumi.Output<string> {
  const { name, plan, clusterId, gateway } = ctx;
  const cluster = plan.clusters[clusterId]!;
  const port = plan.wireguard!.listenPort;
  const opts = { parent: ctx.parent, provider: net.provider };
  const label = `${cluster.names.cloudCluster}-wireguard`;

  const group = new aws.ec2.SecurityGroup(
    `${name}-sg`,
    { vpcId: net.vpcId, description: `WireGuard gateway of ${clusterId} (isthmus)`, tags: { Name: label } },
    opts,
  );
  const rules = [
    ...gateway.peers.map(
      (peer) =>
        new aws.ec2.SecurityGroupRule(
          `${name}-${peer.id}-wireguard-ingress`,
          {
            type: "ingress",
            securityGroupId: group.id,
            protocol: "udp",
            fromPort: port,
            toPort: port,
            cidrBlocks: [ctx.peerSource(peer.id)],
            description: `WireGuard from the gateway of ${peer.id}`,
          },
          opts,
        ),
    ),
    new aws.ec2.SecurityGroupRule(
      `${name}-forward-ingress`,
      {
        type: "ingress",
        securityGroupId: group.id,
        protocol: "-1",
        fromPort: 0,
        toPort: 0,
        cidrBlocks: [...gateway.localCidrs],
        description: "traffic of this cluster to forward into the tunnel",
      },
      opts,
    ),
    new aws.ec2.SecurityGroupRule(
      `${name}-egress`,
      {
        type: "egress",
        securityGroupId: group.id,
        protocol: "-1",
        fromPort: 0,
        toPort: 0,
        cidrBlocks: ["0.0.0.0/0"],
        description: "WireGuard to the peers, forwarded traffic, packages at boot",
      },
      opts,
    ),
  ];
  const nodeRule = new aws.ec2.SecurityGroupRule(
    `${name}-remote-ingress`,
    {
      type: "ingress",
      securityGroupId: net.nodeSecurityGroupId,
      protocol: "-1",
      fromPort: 0,
      toPort: 0,
      cidrBlocks: [...ctx.remoteCidrs],
      description: "the other regions, over the WireGuard tunnel",
    },
    opts,
  );

  // The interface carries the routes and the address; the instance can be replaced under it.
  const eni = new aws.ec2.NetworkInterface(
    `${name}-eni`,
    { subnetId: net.subnetId, securityGroups: [group.id], sourceDestCheck: false, tags: { Name: label } },
    opts,
  );
  const eip = new aws.ec2.Eip(`${name}-eip`, { domain: "vpc", tags: { Name: label } }, opts);
  const association = new aws.ec2.EipAssociation(
    `${name}-eip-association`,
    { allocationId: eip.id, networkInterfaceId: eni.id },
    opts,
  );

  // The config, encrypted, readable by the gateway's role alone.
  const parameter = new aws.ssm.Parameter(
    `${name}-config`,
    {
      name: `/isthmus/${plan.meshID}/${clusterId}/wireguard/${WIREGUARD_CONFIG_KEY}`,
      type: "SecureString",
      tier: "Intelligent-Tiering",
      value: ctx.config,
      description: `wg-quick file of the WireGuard gateway of ${clusterId} (isthmus)`,
    },
    opts,
  );
  const role = new aws.iam.Role(
    `${name}-role`,
    {
      assumeRolePolicy: assumeRolePolicy("ec2.amazonaws.com"),
    },
    opts,
  );
  const policy = new aws.iam.RolePolicy(
    `${name}-read-config`,
    {
      role: role.id,
      policy: parameter.arn.apply((arn) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: ["ssm:GetParameter"], Resource: arn }],
        }),
      ),
    },
    opts,
  );
  const profile = new aws.iam.InstanceProfile(`${name}-profile`, { role: role.name }, opts);
  const template = new aws.ec2.LaunchTemplate(
    `${name}-launch-template`,
    {
      imageId: net.imageId ?? DEFAULT_AWS_IMAGE_ID,
      metadataOptions: { httpTokens: "required", httpEndpoint: "enabled" },
      tags: { Name: label },
    },
    opts,
  );
  const userData = pulumi
    .all([parameter.name, parameter.version])
    .apply(([parameterName, version]) => awsBootScript(cluster.region, parameterName, version));
  new aws.ec2.Instance(
    `${name}-instance`,
    {
      instanceType: net.instanceType ?? DEFAULT_AWS_INSTANCE_TYPE,
      launchTemplate: { id: template.id, version: "$Latest" },
      primaryNetworkInterface: { networkInterfaceId: eni.id },
      iamInstanceProfile: profile.name,
      userData,
      userDataReplaceOnChange: true,
      tags: { Name: label },
    },
    // The interface attaches to one instance at a time.
    { ...opts, deleteBeforeReplace: true, dependsOn: [association, policy, ...rules] },
  );

  for (const [key, routeTableId] of Object.entries(net.routeTableIds)) {
    for (const cidr of ctx.remoteCidrs) {
      new aws.ec2.Route(
        `${name}-${key}-${rangeKey(cidr)}-route`,
        { routeTableId, destinationCidrBlock: cidr, networkInterfaceId: eni.id },
        { ...opts, dependsOn: [nodeRule] },
      );
    }
  }
  return eip.publicIp;
}
