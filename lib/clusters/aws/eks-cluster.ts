/**
 * `EksCluster`: one planned AWS cluster, provisioned — its VPC across the plan's zones, an EKS
 * control plane, a managed node group and a Kubernetes provider — returned as a {@link MeshCluster}.
 *
 * Everything it creates goes through an `aws.Provider` of its own in the plan's region; the ambient
 * default provider is never used, so two regions in one program cannot mix.
 *
 * Network layout inside the plan's node range (a /16 by default, cut in quarters):
 * - quarters 0–2: the plan's node subnets, one private subnet per zone (`plan.clusters[id].subnets`);
 *   nodes, and with the AWS VPC CNI their pods, take addresses here;
 * - quarter 3: public subnets, one per zone, each a quarter of that quarter (a /20 in a /16), for
 *   the NAT gateway and internet-facing load balancers (the east-west gateway).
 *
 * Pod addresses: the AWS VPC CNI gives pods VPC addresses from their node's subnet, so on EKS pod
 * IPs come from the plan's node subnets and the plan's pod range is not used. Every node subnet is
 * inside the node range, which the mesh routes like the pod range (WireGuard AllowedIPs list the
 * node, pod and service ranges), so cross-cluster reachability holds. CNI custom networking (the pod
 * range as secondary VPC CIDRs) was not chosen: VPC CIDR blocks are at most /16 while the default
 * pod range is a /15, and it needs per-zone ENIConfig objects and a max-pods override on every node.
 */
import * as aws from "./pulumi-aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { NETWORK_GATEWAY_PORTS } from "../../core/east-west-gateway";
import type { ClusterPlan, MeshPlan } from "../../core/mesh-plan";
import { installAwsLoadBalancerController } from "./aws-load-balancer-controller";
import { eksAdminAccess, eksServiceRoles } from "./eks-access";
import { checkedCluster, partitionOf } from "./eks-args";
import { eksKubeconfig } from "./eks-kubeconfig";
import { eksNetwork } from "./eks-network";
import type { MeshCluster } from "../../base/mesh-cluster";
import { ISTIOD_WEBHOOK_PORT } from "../istiod-webhook-port";
import { requireProviderMajor } from "../provider-version";
import type { WireGuardEndpoint } from "../../base/wireguard-endpoint";
import { awsWireGuardEndpoint } from "./wireguard-endpoint";
import { throwIfBadArguments } from "../../base/argument-checks";
import { EKS_CLUSTER_ARGUMENTS } from "../../base/component-arguments";

/** The EKS adapter's type token. */
export const EKS_CLUSTER_TYPE = "isthmus:clusters:EksCluster";

export { EKS_UNSUPPORTED_ZONE_IDS } from "./eks-network";
export { EKS_CLUSTER_ADMIN_POLICY, EKS_CLUSTER_POLICIES, EKS_NODE_POLICIES } from "./eks-access";

/**
 * The ports of the east-west gateway's pods: status, mTLS passthrough, istiod XDS, istiod webhook —
 * the numbers of the plan's {@link NETWORK_GATEWAY_PORTS}, in the chart's order.
 */
export const EAST_WEST_GATEWAY_PORTS: readonly number[] = NETWORK_GATEWAY_PORTS.map((p) => p.port);

/** The Kubernetes version of the control plane and nodes unless told otherwise (pinned). */
export const DEFAULT_EKS_KUBERNETES_VERSION = "1.34";

/** Arguments of {@link EksCluster}. */
export interface EksClusterArgs {
  /** The mesh plan (`planMesh(document)`): CIDRs, zones, subnets, node sizing and names come from it. */
  readonly plan: MeshPlan;
  /** The id of the cluster in the plan; its cloud must be `aws`. */
  readonly clusterId: string;
  /**
   * The AWS CLI / SDK profile for the region's provider and for `aws eks get-token`.
   * @default - the ambient credentials (environment, instance role)
   */
  readonly profile?: string;
  /**
   * The Kubernetes version of the control plane and nodes (EKS upgrades one minor version at a time).
   * @default "1.34" ({@link DEFAULT_EKS_KUBERNETES_VERSION})
   */
  readonly kubernetesVersion?: string;
  /**
   * Who may reach the public API endpoint: Pulumi, and the other clusters' istiod (through their
   * NAT addresses), read the API over it.
   * @default ["0.0.0.0/0"]
   */
  readonly publicAccessCidrs?: readonly pulumi.Input<string>[];
  /**
   * Where the east-west gateway's ports may be reached from on the nodes (only the ports the plan's
   * gateway serves: 15021 and 15443 for cross-network traffic, 15012 and 15017 where remotes use this
   * cluster's istiod; none when the cluster has no east-west gateway).
   * @default - the VPC's node range: the gateway's NLB targets pod IPs, and for IP targets AWS turns
   * client IP preservation off, so packets reach the pods from the load balancer's private addresses
   */
  readonly eastWestGatewaySourceCidrs?: readonly pulumi.Input<string>[];
  /**
   * IAM principals (role or user ARNs) granted cluster admin through EKS access entries, beside the
   * identity running the program (which gets it as the cluster's creator).
   * @default []
   */
  readonly adminPrincipalArns?: readonly string[];
}

/** An EKS cluster of the mesh, with its VPC and node group. */
export class EksCluster extends pulumi.ComponentResource {
  /** The handle the mesh components take. */
  declare readonly cluster: MeshCluster;
  /** The region's AWS provider every AWS resource of this cluster goes through. */
  declare readonly awsProvider: aws.Provider;
  /** The VPC. */
  declare readonly vpc: aws.ec2.Vpc;
  /** The private (node) subnets, by zone. */
  declare readonly privateSubnets: Readonly<Record<string, aws.ec2.Subnet>>;
  /** The public (load balancer, NAT) subnets, by zone. */
  declare readonly publicSubnets: Readonly<Record<string, aws.ec2.Subnet>>;
  /**
   * The route tables: `private` (the node subnets, default route through the NAT gateway) and
   * `public` (default route through the internet gateway). A WireGuard gateway adds its routes here.
   */
  declare readonly routeTables: { readonly private: aws.ec2.RouteTable; readonly public: aws.ec2.RouteTable };
  /** The EKS control plane. */
  declare readonly eksCluster: aws.eks.Cluster;
  /** The managed node group. */
  declare readonly nodeGroup: aws.eks.NodeGroup;
  /** The kubeconfig Pulumi uses (exec `aws eks get-token`), secret. */
  declare readonly kubeconfig: pulumi.Output<string>;
  /** The AWS Load Balancer Controller's Helm release (what gives LoadBalancer Services their NLBs). */
  declare readonly loadBalancerController: k8s.helm.v3.Release;
  /**
   * Where a `FlatNetwork` puts this cluster's WireGuard gateway: an instance in the public subnet of
   * the plan's first zone, routed from both route tables. Nothing exists until a gateway builds it.
   */
  declare readonly wireGuardEndpoint: WireGuardEndpoint;

  constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfBadArguments(`EksCluster ${name}`, args, EKS_CLUSTER_ARGUMENTS);
    const c = checkedCluster(args);
    requireProviderMajor("@pulumi/aws", 7);
    super(EKS_CLUSTER_TYPE, name, {}, opts);
    const parent = { parent: this };

    const provider = new aws.Provider(
      `${name}-aws`,
      {
        region: c.region as aws.Region,
        ...(args.profile === undefined ? {} : { profile: args.profile }),
        defaultTags: { tags: { "isthmus.dev/mesh": args.plan.meshID, "isthmus.dev/cluster": c.id } },
      },
      parent,
    );
    const aopts = { parent: this, provider };
    const network = eksNetwork(name, c, aopts);
    const { vpc, igw, publicSubnets, privateSubnets, natAddress } = network;

    // IAM: the control plane's role and the nodes' role.
    const partition = partitionOf(c.region);
    const { clusterRole, clusterPolicies, nodeRole, nodePolicies } = eksServiceRoles(name, partition, aopts);

    // The control plane, in the private subnets, with a public endpoint and the plan's service range.
    const eksCluster = new aws.eks.Cluster(
      `${name}-eks`,
      {
        name: c.names.cloudCluster,
        roleArn: clusterRole.arn,
        version: args.kubernetesVersion ?? DEFAULT_EKS_KUBERNETES_VERSION,
        vpcConfig: {
          subnetIds: privateSubnets.map((s) => s.id),
          endpointPrivateAccess: true,
          endpointPublicAccess: true,
          publicAccessCidrs: [...(args.publicAccessCidrs ?? ["0.0.0.0/0"])],
        },
        kubernetesNetworkConfig: { ipFamily: "ipv4", serviceIpv4Cidr: c.cidrs.service },
        // Access entries and the aws-auth ConfigMap; the identity running the program is admin.
        accessConfig: {
          authenticationMode: "API_AND_CONFIG_MAP",
          bootstrapClusterCreatorAdminPermissions: true,
        },
      },
      { ...aopts, dependsOn: clusterPolicies },
    );

    const admins = eksAdminAccess(name, eksCluster.name, partition, args.adminPrincipalArns ?? [], aopts);

    // Istio's ports on the cluster security group, which EKS puts on the control plane's network
    // interfaces and on the managed node group's nodes (and, with the VPC CNI, on their pods).
    const clusterSecurityGroupId = eksCluster.vpcConfig.apply((v) => v.clusterSecurityGroupId!);
    const webhookRule = new aws.ec2.SecurityGroupRule(
      `${name}-istiod-webhook-ingress`,
      {
        type: "ingress",
        securityGroupId: clusterSecurityGroupId,
        self: true,
        protocol: "tcp",
        fromPort: ISTIOD_WEBHOOK_PORT,
        toPort: ISTIOD_WEBHOOK_PORT,
        description: `istiod webhooks (${ISTIOD_WEBHOOK_PORT}) from the EKS control plane`,
      },
      aopts,
    );
    // The ports the plan's east-west gateway serves; the NLB targets pod IPs from its own addresses
    // in the node range.
    const gatewayPorts = c.firewall.find((o) => o.gateway === "east-west")?.ports ?? [];
    const gatewayRules = gatewayPorts.map(
      (port) =>
        new aws.ec2.SecurityGroupRule(
          `${name}-eastwest-${port}-ingress`,
          {
            type: "ingress",
            securityGroupId: clusterSecurityGroupId,
            cidrBlocks: [...(args.eastWestGatewaySourceCidrs ?? [c.cidrs.node])],
            protocol: "tcp",
            fromPort: port,
            toPort: port,
            description: `Istio east-west gateway (${port}) from the other regions`,
          },
          aopts,
        ),
    );

    // The DNS stub's load balancer address (WireGuard mode), kept out of the VPC CNI's reach: the CNI
    // takes pod addresses from the node subnets and could hand this one to a pod first. An explicit
    // reservation is never assigned automatically; the NLB is given the address by name.
    const dnsAddress = c.dnsStubs?.address;
    const dnsReservation =
      dnsAddress === undefined || dnsAddress === "unallocated"
        ? []
        : [
            new aws.ec2.SubnetCidrReservation(
              `${name}-dns-address-reservation`,
              {
                subnetId: privateSubnets[0]!.id,
                cidrBlock: `${dnsAddress}/32`,
                reservationType: "explicit",
                description: `isthmus DNS stub load balancer of ${c.id}`,
              },
              aopts,
            ),
          ];

    // The fixed private addresses of an internal east-west gateway exposing istiod to remotes (one
    // per node subnet, see EastWestGatewayPlan.privateAddresses), reserved the same way.
    const gatewayReservations = (c.eastWestGateway?.privateAddresses ?? []).map(
      (a) =>
        new aws.ec2.SubnetCidrReservation(
          `${name}-${a.zone}-eastwest-address-reservation`,
          {
            subnetId: privateSubnets[c.subnets.findIndex((s) => s.zone === a.zone)]!.id,
            cidrBlock: `${a.address}/32`,
            reservationType: "explicit",
            description: `isthmus east-west gateway load balancer of ${c.id} (istiod for remotes)`,
          },
          aopts,
        ),
    );

    // The nodes, spread over the private subnets (one per zone), sized by the plan.
    const nodeGroup = new aws.eks.NodeGroup(
      `${name}-nodes`,
      {
        clusterName: eksCluster.name,
        nodeRoleArn: nodeRole.arn,
        subnetIds: privateSubnets.map((s) => s.id),
        instanceTypes: [c.nodes.machineType],
        scalingConfig: { desiredSize: c.nodes.count, minSize: c.nodes.count, maxSize: c.nodes.count },
        updateConfig: { maxUnavailable: 1 },
        version: args.kubernetesVersion ?? DEFAULT_EKS_KUBERNETES_VERSION,
      },
      {
        ...aopts,
        dependsOn: [
          ...nodePolicies,
          ...network.privateAssociations,
          webhookRule,
          ...gatewayRules,
          ...admins,
          ...dnsReservation,
          ...gatewayReservations,
        ],
      },
    );

    const kubeconfig = eksKubeconfig(eksCluster, c.region, args.profile);
    const k8sProvider = new k8s.Provider(
      `${name}-k8s`,
      { kubeconfig, clusterIdentifier: c.id },
      { parent: this, dependsOn: [nodeGroup] },
    );

    const loadBalancerController = installAwsLoadBalancerController(
      name,
      {
        clusterName: eksCluster.name,
        region: c.region,
        partition,
        vpcId: vpc.id,
        provider: k8sProvider,
        awsProvider: provider,
        dependsOn: [nodeGroup],
      },
      this,
    );

    // A primary that exposes istiod to remotes: one Elastic IP per public subnet for its NLB, so the
    // remotes' remotePilotAddress is an IP (see EastWestGatewayPlan.staticAddresses).
    const gatewayEips = c.eastWestGateway?.staticAddresses
      ? c.publicSubnets.map(
          (s) =>
            new aws.ec2.Eip(
              `${name}-${s.zone}-eastwest-eip`,
              { domain: "vpc", tags: { Name: `${c.names.cloudCluster}-eastwest-${s.zone}` } },
              { ...aopts, dependsOn: [igw] },
            ),
        )
      : [];

    const cluster: MeshCluster = {
      id: c.id,
      provider: k8sProvider,
      endpoint: eksCluster.endpoint,
      certificateAuthority: eksCluster.certificateAuthority.apply((ca) =>
        Buffer.from(ca?.data ?? "", "base64").toString("utf8"),
      ),
      readyResources: [nodeGroup],
      loadBalancerReady: [loadBalancerController],
      egressAddresses: [natAddress.publicIp],
      ...(gatewayEips.length === 0
        ? {}
        : {
            gatewayStaticAddresses: {
              allocationIds: gatewayEips.map((e) => e.allocationId),
              publicIps: gatewayEips.map((e) => e.publicIp),
              subnetIds: publicSubnets.map((s) => s.id),
            },
          }),
    };
    const byZone = (subnets: aws.ec2.Subnet[]): Record<string, aws.ec2.Subnet> =>
      Object.fromEntries(c.subnets.map((s, i) => [s.zone, subnets[i]!]));
    const wireGuardEndpoint = awsWireGuardEndpoint({
      provider,
      vpcId: vpc.id,
      subnetId: byZone(publicSubnets)[c.zones[0]!]!.id,
      routeTableIds: { private: network.privateRoutes.id, public: network.publicRoutes.id },
      nodeSecurityGroupId: eksCluster.vpcConfig.apply((v) => v.clusterSecurityGroupId!),
    });
    this.cluster = cluster;
    this.awsProvider = provider;
    this.vpc = vpc;
    this.privateSubnets = byZone(privateSubnets);
    this.publicSubnets = byZone(publicSubnets);
    this.routeTables = { private: network.privateRoutes, public: network.publicRoutes };
    this.eksCluster = eksCluster;
    this.nodeGroup = nodeGroup;
    this.kubeconfig = kubeconfig;
    this.loadBalancerController = loadBalancerController;
    this.wireGuardEndpoint = wireGuardEndpoint;
    this.registerOutputs({
      endpoint: cluster.endpoint,
      certificateAuthority: cluster.certificateAuthority,
      kubeconfig,
      vpcId: vpc.id,
      clusterName: eksCluster.name,
    });
  }
}

/**
 * The public subnets: quarter 3 of the node range (the plan's node subnets use quarters 0–2), cut
 * in quarters, one per zone in the plan's zone order.
 */
export function publicSubnetCidrs(cluster: ClusterPlan): string[] {
  return cluster.publicSubnets.map((s) => s.cidr);
}
