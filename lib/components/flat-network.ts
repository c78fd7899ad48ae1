/**
 * FlatNetwork: the `wireguard` network mode, built — one WireGuard gateway per cluster, one link per
 * pair the plan links (every pair in `full-mesh`, every spoke to the hub in `hub`), and, with
 * `dns.stubs`, each cluster's DNS forwarding the other regions' alias zones over the tunnel.
 *
 * Gateways and links need each other: a gateway's config lists its peers (their public keys and
 * addresses, the link's preshared key), and a link needs both gateways' keys and addresses. Nothing
 * in the cloud is circular (an address and a key exist before any instance), so each gateway takes
 * its peers as a deferred output, resolved once the links exist.
 *
 * Use it beside `MultiClusterMesh` with the same plan: Istio does not wait on the tunnel (the
 * installs need only each cluster's own API); cross-cluster traffic flows once both exist.
 */
import * as pulumi from "@pulumi/pulumi";
import { dnsRouteProblems } from "../core/dns";
import type { MeshPlan } from "../core/mesh-plan";
import { didYouMean, type SpecProblem } from "../core/problems";
import type { WireGuardPeerInput } from "../core/wireguard";
import type { DnsStubsProps } from "../manifests/dns-stubs";
import { DnsStubs, dnsStubsProblems } from "./dns-stubs";
import { throwIfProblems } from "../base/input-errors";
import {
  flatNetworkAttachment,
  WireGuardGateway,
  wireGuardGatewayProblems,
  type FlatNetworkAttachment,
  type FlatNetworkCluster,
} from "./wireguard-gateway";
import { WireGuardLink } from "./wireguard-link";

/** The flat network's type token. */
export const FLAT_NETWORK_TYPE = "isthmus:network:FlatNetwork";

/** Arguments of {@link FlatNetwork}. */
export interface FlatNetworkArgs {
  /** The mesh plan (`planMesh(spec)`), in `wireguard` mode. */
  readonly plan: MeshPlan;
  /**
   * Every cluster of the plan, keyed by id: an `EksCluster`, a `GkeCluster` (their gateways are
   * instances in their networks), an `ExistingCluster` (an in-cluster gateway), or an attachment
   * `{ cluster, network }` naming the network yourself.
   */
  readonly clusters: Readonly<Record<string, FlatNetworkCluster>>;
  /**
   * DNS stub options per cluster id.
   * @default - the defaults of each cluster's cloud
   */
  readonly dnsStubs?: Readonly<Record<string, DnsStubsProps>>;
}

/** The flat (WireGuard) network between every cluster of a mesh. */
export class FlatNetwork extends pulumi.ComponentResource {
  declare readonly plan: MeshPlan;
  declare readonly gateways: Readonly<Record<string, WireGuardGateway>>;
  /** The links, keyed `<a>-<b>`. */
  declare readonly links: Readonly<Record<string, WireGuardLink>>;
  /** The DNS stubs per cluster (empty when `dns.stubs` is off). */
  declare readonly dnsStubs: Readonly<Record<string, DnsStubs>>;
  /** Each gateway's public address. */
  declare readonly endpoints: pulumi.Output<Record<string, string>>;
  /** Each gateway's public key. */
  declare readonly publicKeys: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: FlatNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    const attachments = FlatNetwork.validate(name, args);
    super(FLAT_NETWORK_TYPE, name, {}, opts);
    const { plan } = args;
    const child = { parent: this };
    const ids = Object.keys(plan.clusters);

    const deferred = Object.fromEntries(
      ids.map((id) => [id, pulumi.deferredOutput<Record<string, WireGuardPeerInput>>()]),
    );
    const gateways: Record<string, WireGuardGateway> = {};
    for (const id of ids) {
      gateways[id] = new WireGuardGateway(
        `${name}-${id}-gateway`,
        { plan, clusterId: id, ...attachments[id]!, peers: deferred[id]![0] },
        child,
      );
    }
    const links: Record<string, WireGuardLink> = {};
    for (const { a, b } of plan.wireguard!.links) {
      links[`${a}-${b}`] = new WireGuardLink(
        `${name}-${a}-${b}-link`,
        { plan, clusters: [a, b], ends: { [a]: gateways[a]!, [b]: gateways[b]! } },
        child,
      );
    }
    for (const id of ids) {
      const peers: Record<string, pulumi.Output<WireGuardPeerInput>> = {};
      for (const link of Object.values(links)) {
        const [a, b] = link.clusters;
        if (a === id) peers[b] = link.peers[a]!;
        if (b === id) peers[a] = link.peers[b]!;
      }
      deferred[id]![1](pulumi.secret(pulumi.all(peers)));
    }

    const dnsStubs: Record<string, DnsStubs> = {};
    if (plan.dns.stubs) {
      for (const id of ids) {
        dnsStubs[id] = new DnsStubs(
          `${name}-${id}-dns`,
          { plan, clusterId: id, cluster: attachments[id]!.cluster, ...(args.dnsStubs?.[id] ?? {}) },
          child,
        );
      }
    }

    const collect = (
      pick: (g: WireGuardGateway) => pulumi.Output<string>,
    ): pulumi.Output<Record<string, string>> =>
      pulumi.all(Object.fromEntries(ids.map((id) => [id, pick(gateways[id]!)])));
    const endpoints = collect((g) => g.endpoint);
    const publicKeys = collect((g) => g.publicKey);
    this.plan = plan;
    this.gateways = gateways;
    this.links = links;
    this.dnsStubs = dnsStubs;
    this.endpoints = endpoints;
    this.publicKeys = publicKeys;
    this.registerOutputs({
      endpoints,
      publicKeys,
      links: Object.keys(links),
      dnsAddresses: Object.fromEntries(ids.map((id) => [id, plan.wireguard!.gateways[id]!.dnsAddress])),
    });
  }

  /** Every problem of the arguments, as one InputPropertiesError, before anything is registered. */
  private static validate(name: string, args: FlatNetworkArgs): Record<string, FlatNetworkAttachment> {
    const plan = args.plan;
    const component = `FlatNetwork ${name}`;
    if (plan?.wireguard === undefined) {
      throwIfProblems(component, [
        {
          path: "plan.networkMode",
          problem: "is not the flat network mode",
          received: plan?.networkMode,
          expected: '"wireguard"',
          fix: 'Set networkMode: "wireguard" in the mesh spec; in "gateways" mode the east-west gateways join the networks.',
        },
      ]);
    }
    const ids = Object.keys(plan.clusters);
    const given = args.clusters ?? {};
    const problems: SpecProblem[] = [];
    const attachments: Record<string, FlatNetworkAttachment> = {};
    for (const id of ids) {
      const source = given[id];
      if (source === undefined) {
        problems.push({
          path: `clusters.${id}`,
          problem: "is missing: the plan has this cluster but no cluster was given for it",
          received: undefined,
          expected: "an EksCluster, GkeCluster, ExistingCluster or { cluster, network }",
          fix: `Pass clusters: { ${id}: <cluster>, ... }.`,
        });
        continue;
      }
      const attachment = flatNetworkAttachment(source);
      if (attachment.cluster?.id !== id) {
        problems.push({
          path: `clusters.${id}`,
          problem: "is another cluster's handle",
          received: attachment.cluster?.id,
          expected: JSON.stringify(id),
          fix: "Give each cluster under its own id in the plan.",
        });
        continue;
      }
      problems.push(
        ...wireGuardGatewayProblems(plan, id, attachment.network).map((p) => ({
          ...p,
          path: p.path.startsWith("network") ? `clusters.${id}.${p.path}` : p.path,
        })),
      );
      if (plan.dns.stubs) problems.push(...dnsStubsProblems(plan, id));
      attachments[id] = attachment;
    }
    for (const key of Object.keys(given)) {
      if (!ids.includes(key)) {
        problems.push({
          path: `clusters.${key}`,
          problem: "is not a cluster of the plan",
          received: key,
          expected: `one of ${ids.join(", ")}`,
          fix: `Remove it, or add it to the mesh spec.${didYouMean(key, ids)}`,
        });
      }
    }
    problems.push(...dnsRouteProblems(plan).map((p) => ({ ...p, path: `plan.${p.path}` })));
    const unique = problems.filter(
      (p, i) => problems.findIndex((q) => q.path === p.path && q.problem === p.problem) === i,
    );
    throwIfProblems(component, unique);
    return attachments;
  }
}
