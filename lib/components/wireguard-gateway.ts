/**
 * WireGuardGateway: one cluster's end of the flat network — a WireGuard interface with the plan's
 * tunnel address, MTU and peers, on a machine that really routes pod traffic between the networks.
 *
 * Where it runs, by the cluster's {@link GatewayNetwork}:
 * - **a cloud's machine** (`endpoint`): an EC2 instance beside an EKS cluster, a Compute Engine
 *   instance beside a GKE cluster, built by that cloud's adapter (`lib/clusters/aws`,
 *   `lib/clusters/gcp`; `EksCluster.wireGuardEndpoint`, `GkeCluster.wireGuardEndpoint`). This file
 *   imports neither cloud's SDK.
 * - **In the cluster** (`inCluster`, clusters isthmus does not provision): a `hostNetwork` pod with
 *   NET_ADMIN pinned to one labelled node, its wg-quick file in a Secret, a UDP load balancer as its
 *   endpoint (see `./wireguard-in-cluster.ts`). The network's routes to that node are the user's to
 *   add (isthmus does not own that network); {@link WireGuardGateway.remoteCidrs} lists them.
 *
 * Keys: the private key is 32 bytes of stateful randomness (`random.RandomBytes`, kept in Pulumi
 * state, never regenerated), clamped as `wg genkey` does; the public key is derived in code. One key
 * pair per gateway, not per link: one interface has one private key for all its peers.
 *
 * Delivering the config (it holds the private key): never in instance user data or metadata, which
 * any reader of the instance sees; each cloud's machine stores it encrypted, readable only by the
 * gateway's own identity, and fetches it at boot.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { MeshCluster } from "../base/mesh-cluster";
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
import type { WireGuardGatewayProps } from "../manifests/wireguard-gateway";
import { throwIfProblems } from "../base/input-errors";
import type { WireGuardEndpoint, WireGuardEndpointContext } from "../base/wireguard-endpoint";
import { inClusterGateway } from "./wireguard-in-cluster";

/** The gateway's type token. */
export const WIREGUARD_GATEWAY_TYPE = "isthmus:network:WireGuardGateway";

/**
 * Where a cluster's gateway runs: a cloud's machine (`{ endpoint }`, from the cloud's adapter) or a
 * pod in the cluster (`{ inCluster }`).
 */
export type GatewayNetwork =
  { readonly endpoint: WireGuardEndpoint } | { readonly inCluster: WireGuardGatewayProps };

/** A cluster as the flat network needs it: its handle, and where its gateway goes. */
export interface FlatNetworkAttachment {
  readonly cluster: MeshCluster;
  readonly network: GatewayNetwork;
}

/**
 * What the flat network reads of a provisioned or adopted cluster: its handle and, on a cloud whose
 * adapter builds gateway machines (`EksCluster`, `GkeCluster`), that machine. Structural, so that the
 * typings of `isthmus` never need `@pulumi/aws` or `@pulumi/gcp`.
 */
export interface FlatNetworkClusterHandle {
  readonly cluster: MeshCluster;
  /**
   * The gateway machine in the cluster's network.
   * @default - none: the gateway runs in the cluster (`inCluster`)
   */
  readonly wireGuardEndpoint?: WireGuardEndpoint;
}

/** What the flat network reads of an `EksCluster` (`isthmus/aws`). */
export type EksClusterNetwork = FlatNetworkClusterHandle;
/** What the flat network reads of a `GkeCluster` (`isthmus/gcp`). */
export type GkeClusterNetwork = FlatNetworkClusterHandle;

/** What a flat network accepts per cluster: a provisioned or adopted cluster, or an attachment. */
export type FlatNetworkCluster = FlatNetworkClusterHandle | FlatNetworkAttachment;

/**
 * The attachment of a cluster: an `EksCluster` or a `GkeCluster` brings its own gateway machine; an
 * `ExistingCluster` gets an in-cluster gateway; an attachment is taken as it is.
 */
export function flatNetworkAttachment(source: FlatNetworkCluster): FlatNetworkAttachment {
  if ("wireGuardEndpoint" in source && source.wireGuardEndpoint !== undefined) {
    return { cluster: source.cluster, network: { endpoint: source.wireGuardEndpoint } };
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
    const context: WireGuardEndpointContext = {
      name,
      plan,
      clusterId,
      gateway,
      config,
      peerSource,
      remoteCidrs,
      parent: this,
    };

    const network = args.network;
    const built: { kind: WireGuardGateway["kind"]; endpoint: pulumi.Output<string> } =
      "endpoint" in network
        ? { kind: network.endpoint.cloud, endpoint: network.endpoint.build(context) }
        : { kind: "in-cluster", endpoint: inClusterGateway(context, args.cluster, network.inCluster) };

    this.kind = built.kind;
    this.endpoint = built.endpoint;
    this.publicKey = publicKey;
    this.privateKey = privateKey;
    this.config = config;
    this.remoteCidrs = remoteCidrs;
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
      expected: "{ endpoint: <a cloud's WireGuardEndpoint> } or { inCluster: {...} }",
      fix: "Pass flatNetworkAttachment(<EksCluster | GkeCluster | ExistingCluster>).network.",
    });
  } else if (kind !== "inCluster" && kind !== cluster.cloud) {
    out.push({
      path: "network.endpoint",
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
  if ("endpoint" in network && typeof network.endpoint?.build === "function") return network.endpoint.cloud;
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
