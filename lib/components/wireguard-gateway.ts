/**
 * WireGuardGateway: one cluster's end of the flat network — a WireGuard interface with the plan's
 * tunnel address, MTU and peers, on a machine that really routes pod traffic between the networks.
 *
 * Where it runs, by the cluster's {@link GatewayNetwork}:
 * - **AWS** (`aws`): a small EC2 instance (`t3.small`, Ubuntu 24.04 LTS) in the cluster's first
 *   public subnet. Its network interface is a resource of its own with source/destination check off
 *   (AWS drops forwarded packets otherwise), an Elastic IP (the peers' endpoint) and a security group
 *   that opens the WireGuard port to each peer's /32 only. The cluster's route tables send every
 *   remote range to that interface, and the cluster security group admits the remote ranges. Routes
 *   target the interface, not the instance, so they survive the instance being replaced.
 * - **Google Cloud** (`gcp`): a small Compute Engine instance (`e2-small`, Debian 12) with
 *   `canIpForward`, a static external address, a firewall rule per peer opening the WireGuard port
 *   to that peer's /32, firewall rules admitting the local ranges into the gateway and the remote
 *   ranges into the network, and one route per remote range with the instance as next hop.
 * - **In the cluster** (`inCluster`, clusters isthmus does not provision): a `hostNetwork` pod with
 *   NET_ADMIN pinned to one labelled node, its wg-quick file in a Secret, a UDP load balancer as its
 *   endpoint (see `lib/manifests/wireguard-gateway.ts`). The network's routes to that node are the
 *   user's to add (isthmus does not own that network); {@link WireGuardGateway.remoteCidrs} lists them.
 *
 * Keys: the private key is 32 bytes of stateful randomness (`random.RandomBytes`, kept in Pulumi
 * state, never regenerated), clamped as `wg genkey` does; the public key is derived in code. One key
 * pair per gateway, not per link: one interface has one private key for all its peers.
 *
 * Delivering the config (it holds the private key): EC2 user data and GCE metadata are readable by
 * anyone allowed `ec2:DescribeInstanceAttribute` / `compute.instances.get`, so the config never goes
 * there. It is stored encrypted — an SSM Parameter Store SecureString on AWS, a Secret Manager secret
 * on Google Cloud — readable only by the gateway's own role / service account, and fetched at boot.
 * The boot script (plain, non-secret) names the config's version, so a new config replaces the
 * instance (on AWS through `userDataReplaceOnChange`, on GCE because the startup script forces a
 * new instance). Needs the Secret Manager API enabled in the project on Google Cloud.
 *
 * Pod addresses on EKS come from the VPC, and the VPC CNI translates pod traffic to addresses
 * outside the VPC to the node's address unless told otherwise: set `AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS`
 * on the `aws-node` DaemonSet to the remote ranges to keep pod addresses end to end (connectivity
 * holds without it: node ranges are routed too).
 */
import { createHash } from "node:crypto";
import type * as AwsSdk from "@pulumi/aws";
import type * as GcpSdk from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { ExistingCluster } from "../clusters/existing-cluster";
import type { MeshCluster } from "../clusters/mesh-cluster";
import { cidrProblem } from "../core/cidr";
import type { MeshPlan, WireGuardGatewayPlan } from "../core/mesh-plan";
import type { SpecProblem } from "../core/problems";
import {
  clampPrivateKey,
  publicKeyOf,
  renderWgQuickConfig,
  WIREGUARD_KEY_BYTES,
  type WireGuardPeerInput,
} from "../core/wireguard";
import {
  WIREGUARD_CONFIG_KEY,
  WIREGUARD_GATEWAY_NAME,
  WIREGUARD_NAMESPACE,
  WIREGUARD_SECRET_NAME,
  WireGuardGateway as WireGuardGatewayManifest,
  type WireGuardGatewayProps,
} from "../manifests/wireguard-gateway";
import { awsBootScript, gcpBootScript } from "./gateway-boot";
import { throwIfProblems } from "./input-errors";
import { applyObjects, objectKey } from "./kubernetes-objects";
import { renderCluster } from "./render-cluster";
import { throwIfBadArguments } from "./argument-checks";
import { WIREGUARD_GATEWAY_ARGUMENTS } from "./component-arguments";

/** The gateway's type token. */
export const WIREGUARD_GATEWAY_TYPE = "isthmus:network:WireGuardGateway";

/** The AWS gateway's default instance type: 2 vCPUs burstable, enough for ~1 Gbit/s of WireGuard. */
export const DEFAULT_AWS_INSTANCE_TYPE = "t3.small";
/**
 * The AWS gateway's default image: Canonical's Ubuntu 24.04 LTS (amd64), resolved by EC2 at launch
 * from Canonical's public SSM parameter (`resolve:ssm:`), so no provider function runs at plan time.
 */
export const DEFAULT_AWS_IMAGE_ID =
  "resolve:ssm:/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id";
/** The Google Cloud gateway's default machine type. */
export const DEFAULT_GCP_MACHINE_TYPE = "e2-small";
/** The Google Cloud gateway's default image family. */
export const DEFAULT_GCP_IMAGE = "debian-cloud/debian-12";
/** The priority of the gateway's routes on Google Cloud (lower wins; the default route is 1000). */
export const GCP_ROUTE_PRIORITY = 900;

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

/** A GKE-style network the gateway instance joins. */
export interface GcpGatewayNetwork {
  /** The project and region's Google Cloud provider (a `gcp.Provider`). */
  readonly provider: pulumi.ProviderResource;
  /** The VPC network (id or self link). */
  readonly network: pulumi.Input<string>;
  /** The regional subnetwork the instance takes its address in. */
  readonly subnetwork: pulumi.Input<string>;
  /**
   * The project services (APIs) the gateway's resources wait for: Compute Engine, Secret Manager, IAM.
   * @default - none: the APIs are enabled already
   */
  readonly apis?: readonly pulumi.Resource[];
  /**
   * The zone of the instance.
   * @default - the cluster's first zone in the plan
   */
  readonly zone?: string;
  /**
   * The machine type.
   * @default "e2-small"
   */
  readonly machineType?: string;
  /**
   * The boot image; needs `apt-get`, `curl` and `python3` (Debian).
   * @default "debian-cloud/debian-12"
   */
  readonly image?: string;
}

/** Where a cluster's gateway runs and how it joins the cluster's network. */
export type GatewayNetwork =
  | { readonly aws: AwsGatewayNetwork }
  | { readonly gcp: GcpGatewayNetwork }
  | { readonly inCluster: WireGuardGatewayProps };

/** A cluster as the flat network needs it: its handle, and where its gateway goes. */
export interface FlatNetworkAttachment {
  readonly cluster: MeshCluster;
  readonly network: GatewayNetwork;
}

/**
 * What the flat network reads of an `EksCluster` (`isthmus/aws`). Structural, so that the typings of
 * `isthmus` never need `@pulumi/aws`.
 */
export interface EksClusterNetwork {
  readonly cluster: MeshCluster;
  readonly awsProvider: pulumi.ProviderResource;
  readonly vpc: { readonly id: pulumi.Input<string> };
  readonly publicSubnets: Readonly<Record<string, { readonly id: pulumi.Input<string> }>>;
  readonly routeTables: {
    readonly private: { readonly id: pulumi.Input<string> };
    readonly public: { readonly id: pulumi.Input<string> };
  };
  readonly eksCluster: { readonly vpcConfig: pulumi.Output<{ readonly clusterSecurityGroupId?: string }> };
}

/**
 * What the flat network reads of a `GkeCluster` (`isthmus/gcp`). Structural, so that the typings of
 * `isthmus` never need `@pulumi/gcp`.
 */
export interface GkeClusterNetwork {
  readonly cluster: MeshCluster;
  readonly gcpProvider: pulumi.ProviderResource;
  readonly network: { readonly id: pulumi.Input<string> };
  readonly subnetwork: { readonly id: pulumi.Input<string> };
  /** The Google APIs the cluster's program enabled (the gateway's resources wait for them). */
  readonly apis: Readonly<Record<string, pulumi.Resource>>;
}

/** What a flat network accepts per cluster: a provisioned or adopted cluster, or an attachment. */
export type FlatNetworkCluster =
  EksClusterNetwork | GkeClusterNetwork | ExistingCluster | FlatNetworkAttachment;

/**
 * The attachment of a cluster: an `EksCluster` joins its first zone's public subnet and both route
 * tables; a `GkeCluster` its network and subnetwork; an `ExistingCluster` gets an in-cluster gateway;
 * an attachment is taken as it is.
 */
export function flatNetworkAttachment(plan: MeshPlan, source: FlatNetworkCluster): FlatNetworkAttachment {
  if ("awsProvider" in source) {
    const zone = plan.clusters[source.cluster.id]?.zones[0] ?? Object.keys(source.publicSubnets)[0]!;
    return {
      cluster: source.cluster,
      network: {
        aws: {
          provider: source.awsProvider,
          vpcId: source.vpc.id,
          subnetId: (source.publicSubnets[zone] ?? Object.values(source.publicSubnets)[0]!).id,
          routeTableIds: { private: source.routeTables.private.id, public: source.routeTables.public.id },
          nodeSecurityGroupId: source.eksCluster.vpcConfig.apply((v) => v.clusterSecurityGroupId!),
        },
      },
    };
  }
  if ("gcpProvider" in source) {
    return {
      cluster: source.cluster,
      network: {
        gcp: {
          provider: source.gcpProvider,
          network: source.network.id,
          subnetwork: source.subnetwork.id,
          apis: Object.values(source.apis),
        },
      },
    };
  }
  if ("network" in source) return source;
  return { cluster: source.cluster, network: { inCluster: {} } };
}

/** Arguments of {@link WireGuardGateway}. */
export interface WireGuardGatewayArgs {
  /** The mesh plan, in `wireguard` mode. */
  readonly plan: MeshPlan;
  readonly clusterId: string;
  readonly cluster: MeshCluster;
  /** Where the gateway runs. */
  readonly network: GatewayNetwork;
  /**
   * Every peer of this gateway in the plan, keyed by cluster id: its public key, the link's preshared
   * key (secret) and its public address (the links' `peerOf`). May be an Output resolved later (a
   * deferred output), which is how `FlatNetwork` ties gateways and links together.
   */
  readonly peers: pulumi.Input<Readonly<Record<string, WireGuardPeerInput>>>;
}

/** One cluster's WireGuard gateway. */
export class WireGuardGateway extends pulumi.ComponentResource {
  /** Where it runs: `aws`, `gcp` or `in-cluster`. */
  declare readonly kind: "aws" | "gcp" | "in-cluster";
  /** The gateway's public key, base64 (not secret). */
  declare readonly publicKey: pulumi.Output<string>;
  /** The gateway's private key, base64: secret. */
  declare readonly privateKey: pulumi.Output<string>;
  /** The public address the peers reach it at (an IP; a hostname for some in-cluster load balancers). */
  declare readonly endpoint: pulumi.Output<string>;
  /** The wg-quick file: secret. */
  declare readonly config: pulumi.Output<string>;
  /** The ranges routed to this gateway (every peer's AllowedIPs), which the network must route to it. */
  declare readonly remoteCidrs: readonly string[];

  constructor(name: string, args: WireGuardGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfBadArguments(`WireGuardGateway ${name}`, args, WIREGUARD_GATEWAY_ARGUMENTS);
    throwIfProblems(
      `WireGuardGateway ${name}`,
      wireGuardGatewayProblems(args.plan, args.clusterId, args.network),
    );
    super(WIREGUARD_GATEWAY_TYPE, name, {}, opts);
    const { plan, clusterId } = args;
    const gateway = plan.wireguard!.gateways[clusterId]!;

    // Stateful key material: created once, kept (secret) in Pulumi state.
    const material = new random.RandomBytes(
      `${name}-private-key`,
      { length: WIREGUARD_KEY_BYTES },
      { parent: this },
    );
    const privateKey = pulumi.secret(material.base64.apply((b) => clampPrivateKey(Buffer.from(b, "base64"))));
    const publicKey = pulumi.unsecret(privateKey.apply(publicKeyOf));
    const peers = pulumi.output(args.peers);
    const config = pulumi.secret(
      pulumi.all([privateKey, peers]).apply(([key, p]) =>
        renderWgQuickConfig(plan, clusterId, {
          privateKey: key,
          peers: p as Record<string, WireGuardPeerInput>,
        }),
      ),
    );
    const peerSource = (peerId: string): pulumi.Output<string> =>
      pulumi.unsecret(peers.apply((p) => peerAddressRange(name, peerId, p[peerId]?.endpoint)));
    const remoteCidrs = remoteRanges(gateway);
    const context: GatewayContext = {
      name,
      plan,
      clusterId,
      gateway,
      config,
      peerSource,
      remoteCidrs,
      parent: this,
    };

    let built: { kind: WireGuardGateway["kind"]; endpoint: pulumi.Output<string> };
    if ("aws" in args.network) built = { kind: "aws", endpoint: awsGateway(context, args.network.aws) };
    else if ("gcp" in args.network) built = { kind: "gcp", endpoint: gcpGateway(context, args.network.gcp) };
    else
      built = {
        kind: "in-cluster",
        endpoint: inClusterGateway(context, args.cluster, args.network.inCluster),
      };

    Object.assign(this, { ...built, publicKey, privateKey, config, remoteCidrs });
    this.registerOutputs({
      kind: built.kind,
      publicKey,
      privateKey,
      endpoint: built.endpoint,
      config,
      tunnelAddress: gateway.tunnelAddress,
      mtu: gateway.mtu,
      remoteCidrs,
    });
  }
}

/** The problems of a gateway's arguments, before anything is registered. */
export function wireGuardGatewayProblems(
  plan: MeshPlan,
  clusterId: string,
  network: GatewayNetwork,
): SpecProblem[] {
  if (plan?.wireguard === undefined) {
    return [
      {
        path: "plan.networkMode",
        problem: "has no WireGuard gateways",
        received: plan?.networkMode,
        expected: '"wireguard"',
        fix: 'Plan the mesh with networkMode: "wireguard".',
      },
    ];
  }
  const cluster = plan.clusters[clusterId];
  const gateway = plan.wireguard.gateways[clusterId];
  if (cluster === undefined || gateway === undefined) {
    return [
      {
        path: "clusterId",
        problem: "is not a cluster of the plan",
        received: clusterId,
        expected: `one of ${Object.keys(plan.clusters).join(", ")}`,
        fix: "Name a cluster of the plan.",
      },
    ];
  }
  const out: SpecProblem[] = [];
  if (gateway.tunnelAddress === "unallocated") {
    out.push({
      path: "plan.wireguard.tunnelCidr",
      problem: `has no tunnel address for cluster ${clusterId}`,
      received: plan.wireguard.tunnelCidr,
      expected: "a range with room for every cluster's slot",
      fix: "Give wireguard.tunnelCidr a larger range.",
    });
  }
  const kind = networkKind(network);
  if (kind === undefined) {
    out.push({
      path: "network",
      problem: "names no place for the gateway",
      received: network,
      expected: "{ aws: {...} }, { gcp: {...} } or { inCluster: {...} }",
      fix: "Pass flatNetworkAttachment(plan, <EksCluster | GkeCluster | ExistingCluster>).network.",
    });
  } else if (kind !== "inCluster" && kind !== cluster.cloud) {
    out.push({
      path: `network.${kind}`,
      problem: `puts the gateway of a ${cluster.cloud} cluster on ${kind}`,
      received: kind,
      expected: cluster.cloud === "existing" ? "inCluster" : `${cluster.cloud} or inCluster`,
      fix: `Attach cluster ${clusterId} to its own cloud's network, or run its gateway in the cluster.`,
    });
  }
  return out;
}

function networkKind(network: GatewayNetwork | undefined): "aws" | "gcp" | "inCluster" | undefined {
  if (typeof network !== "object" || network === null) return undefined;
  if ("aws" in network && typeof network.aws === "object") return "aws";
  if ("gcp" in network && typeof network.gcp === "object") return "gcp";
  if ("inCluster" in network && typeof network.inCluster === "object") return "inCluster";
  return undefined;
}

/** Every range the gateway's peers route to it, without repeats, sorted. */
function remoteRanges(gateway: WireGuardGatewayPlan): string[] {
  return [...new Set(gateway.peers.flatMap((p) => p.allowedIps))].sort();
}

/**
 * The /32 a firewall admits a peer from: its endpoint, which must be an IPv4 address.
 * @throws Error when the endpoint is a hostname or missing (raised at deploy time, inside an apply)
 */
export function peerAddressRange(name: string, peerId: string, endpoint: string | undefined): string {
  const range = `${endpoint}/32`;
  if (endpoint === undefined || cidrProblem(range) !== undefined) {
    throw new Error(
      `${name}: peers.${peerId}.endpoint: is not an IPv4 address, so no firewall can admit that peer alone; got ${JSON.stringify(endpoint)}, expected an IPv4 address. ` +
        "Give that peer's gateway a static IP (an in-cluster gateway: a load balancer with a fixed address, see serviceAnnotations).",
    );
  }
  return range;
}

/** A stable child-name key for a range: `10-0-0-0-16`. */
function rangeKey(cidr: string): string {
  return cidr.replace(/[./:]/g, "-");
}

/** What every placement needs. */
interface GatewayContext {
  readonly name: string;
  readonly plan: MeshPlan;
  readonly clusterId: string;
  readonly gateway: WireGuardGatewayPlan;
  readonly config: pulumi.Output<string>;
  readonly peerSource: (peerId: string) => pulumi.Output<string>;
  readonly remoteCidrs: readonly string[];
  readonly parent: pulumi.Resource;
}

/** The AWS gateway; returns its Elastic IP. */
function awsGateway(ctx: GatewayContext, net: AwsGatewayNetwork): pulumi.Output<string> {
  // Loaded here, not at the top: an isthmus program without AWS gateways never loads @pulumi/aws.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const aws = require("@pulumi/aws") as typeof AwsSdk;
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
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
        ],
      }),
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

/** The Google Cloud gateway; returns its static address. */
function gcpGateway(ctx: GatewayContext, net: GcpGatewayNetwork): pulumi.Output<string> {
  // Loaded here, not at the top: an isthmus program without Google Cloud gateways never loads @pulumi/gcp.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const gcp = require("@pulumi/gcp") as typeof GcpSdk;
  const { name, plan, clusterId, gateway } = ctx;
  const cluster = plan.clusters[clusterId]!;
  const port = plan.wireguard!.listenPort;
  const opts = { parent: ctx.parent, provider: net.provider, dependsOn: [...(net.apis ?? [])] };
  const zone = net.zone ?? cluster.zones[0]!;
  const instanceName = `${cluster.names.cloudCluster}-wireguard`;
  const tag = instanceName;

  const address = new gcp.compute.Address(
    `${name}-address`,
    {
      region: cluster.region,
      addressType: "EXTERNAL",
      description: `WireGuard gateway of ${clusterId} (isthmus)`,
    },
    opts,
  );
  const firewalls = [
    ...gateway.peers.map(
      (peer) =>
        new gcp.compute.Firewall(
          `${name}-${peer.id}-wireguard-fw`,
          {
            network: net.network,
            direction: "INGRESS",
            sourceRanges: [ctx.peerSource(peer.id)],
            targetTags: [tag],
            allows: [{ protocol: "udp", ports: [String(port)] }],
            description: `WireGuard from the gateway of ${peer.id}`,
          },
          opts,
        ),
    ),
    new gcp.compute.Firewall(
      `${name}-forward-fw`,
      {
        network: net.network,
        direction: "INGRESS",
        sourceRanges: [...gateway.localCidrs],
        targetTags: [tag],
        allows: [{ protocol: "all" }],
        description: "traffic of this cluster to forward into the tunnel",
      },
      opts,
    ),
    new gcp.compute.Firewall(
      `${name}-remote-fw`,
      {
        network: net.network,
        direction: "INGRESS",
        sourceRanges: [...ctx.remoteCidrs],
        allows: [{ protocol: "all" }],
        description: "the other regions, over the WireGuard tunnel",
      },
      opts,
    ),
  ];

  // The config, in Secret Manager, readable by the gateway's service account alone.
  const account = new gcp.serviceaccount.Account(
    `${name}-sa`,
    { accountId: serviceAccountId(plan.meshID, clusterId), displayName: `WireGuard gateway of ${clusterId}` },
    opts,
  );
  const secret = new gcp.secretmanager.Secret(
    `${name}-config`,
    { secretId: instanceName, replication: { auto: {} } },
    opts,
  );
  const version = new gcp.secretmanager.SecretVersion(
    `${name}-config-version`,
    { secret: secret.id, secretData: ctx.config },
    opts,
  );
  const reader = new gcp.secretmanager.SecretIamMember(
    `${name}-config-reader`,
    {
      secretId: secret.id,
      role: "roles/secretmanager.secretAccessor",
      member: pulumi.interpolate`serviceAccount:${account.email}`,
    },
    opts,
  );
  new gcp.compute.Instance(
    `${name}-instance`,
    {
      name: instanceName,
      zone,
      machineType: net.machineType ?? DEFAULT_GCP_MACHINE_TYPE,
      canIpForward: true,
      bootDisk: { initializeParams: { image: net.image ?? DEFAULT_GCP_IMAGE } },
      networkInterfaces: [{ subnetwork: net.subnetwork, accessConfigs: [{ natIp: address.address }] }],
      tags: [tag],
      serviceAccount: { email: account.email, scopes: ["https://www.googleapis.com/auth/cloud-platform"] },
      metadataStartupScript: version.name.apply((versionName) => gcpBootScript(versionName)),
      shieldedInstanceConfig: { enableSecureBoot: true },
    },
    // One instance owns the name and the static address at a time.
    { ...opts, deleteBeforeReplace: true, dependsOn: [...opts.dependsOn, reader, ...firewalls] },
  );
  for (const cidr of ctx.remoteCidrs) {
    new gcp.compute.Route(
      `${name}-${rangeKey(cidr)}-route`,
      {
        network: net.network,
        destRange: cidr,
        nextHopInstance: instanceName,
        nextHopInstanceZone: zone,
        priority: GCP_ROUTE_PRIORITY,
        description: `to cluster ranges over the WireGuard gateway of ${clusterId}`,
      },
      { ...opts, dependsOn: [...opts.dependsOn, ...firewalls] },
    );
  }
  return address.address;
}

/** A service account id (6–30 characters) stable per mesh and cluster: `wg-<10 hex>`. */
export function serviceAccountId(meshID: string, clusterId: string): string {
  return `wg-${createHash("sha256").update(`${meshID}/${clusterId}`).digest("hex").slice(0, 10)}`;
}

/** The in-cluster gateway; returns its load balancer's address. */
function inClusterGateway(
  ctx: GatewayContext,
  cluster: MeshCluster,
  props: WireGuardGatewayProps,
): pulumi.Output<string> {
  const { name, plan, clusterId } = ctx;
  const provider = cluster.provider;
  const objects = renderCluster(
    plan,
    clusterId,
    (chart) => new WireGuardGatewayManifest(chart, "wireguard", props),
  );
  const secretObject = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: WIREGUARD_SECRET_NAME, namespace: WIREGUARD_NAMESPACE },
  };
  const secret = new k8s.core.v1.Secret(
    `${name}-${objectKey(secretObject)}`,
    {
      metadata: secretObject.metadata,
      type: "Opaque",
      stringData: { [WIREGUARD_CONFIG_KEY]: ctx.config },
    },
    { parent: ctx.parent, provider },
  );
  const isService = (o: { kind: string }): boolean => o.kind === "Service";
  applyObjects(
    objects.filter((o) => !isService(o)),
    {
      provider,
      parent: ctx.parent,
      namePrefix: name,
      dependsOn: [secret, ...(cluster.readyResources ?? [])],
    },
  );
  const serviceObject = objects.find(isService)!;
  const service = new k8s.core.v1.Service(
    `${name}-${objectKey(serviceObject)}`,
    serviceObject as unknown as k8s.core.v1.ServiceArgs,
    {
      parent: ctx.parent,
      provider,
      dependsOn: [...(cluster.readyResources ?? []), ...(cluster.loadBalancerReady ?? [])],
    },
  );
  return service.status.apply((status) => {
    const ingress = status?.loadBalancer?.ingress?.[0];
    const address = ingress?.ip ?? ingress?.hostname;
    if (!address)
      throw new Error(`${name}: the load balancer of ${WIREGUARD_GATEWAY_NAME} has no address yet`);
    return address;
  });
}

export { awsBootScript, gcpBootScript } from "./gateway-boot";
