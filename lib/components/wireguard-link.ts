/**
 * WireGuardLink: one link of the plan (`plan.wireguard.links`) between two clusters' gateways — the
 * link's preshared key and what each end's config says about the other (`[Peer]`: public key,
 * preshared key, endpoint; AllowedIPs and keepalive come from the plan when the gateway renders it).
 *
 * The key pairs belong to the gateways (one interface, one private key, whatever its number of
 * peers); a link owns what is per pair: the preshared key, 32 bytes of stateful randomness
 * (`random.RandomBytes`, kept secret in Pulumi state, never regenerated), an extra symmetric layer
 * WireGuard mixes into the handshake.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { MeshPlan } from "../core/mesh-plan";
import type { SpecProblem } from "../core/problems";
import { WIREGUARD_KEY_BYTES, type WireGuardPeerInput } from "../core/wireguard";
import { throwIfProblems } from "../base/input-errors";
import { throwIfBadArguments } from "../base/argument-checks";
import { WIREGUARD_LINK_ARGUMENTS } from "../base/component-arguments";

/** The link's type token. */
export const WIREGUARD_LINK_TYPE = "isthmus:network:WireGuardLink";

/** One end of a link: what the other end needs to know about it (e.g. a `WireGuardGateway`). */
export interface WireGuardLinkEnd {
  /** The gateway's public key, base64. */
  readonly publicKey: pulumi.Input<string>;
  /** The gateway's public address, without a port. */
  readonly endpoint: pulumi.Input<string>;
}

/** Arguments of {@link WireGuardLink}. */
export interface WireGuardLinkArgs {
  /** The mesh plan, in `wireguard` mode. */
  readonly plan: MeshPlan;
  /** The link's two clusters, in either order; the plan must link them. */
  readonly clusters: readonly [string, string];
  /** The two ends, keyed by cluster id. */
  readonly ends: Readonly<Record<string, WireGuardLinkEnd>>;
}

/** A WireGuard link between two clusters' gateways. */
export class WireGuardLink extends pulumi.ComponentResource {
  /** The link's clusters, sorted (`a` < `b`, as in the plan). */
  declare readonly clusters: readonly [string, string];
  /** The link's MTU from the plan (the smaller underlay MTU of the two ends less WireGuard's overhead: 60 bytes over IPv4, 80 over IPv6). */
  declare readonly mtu: number;
  /** The preshared key, base64: secret. */
  declare readonly presharedKey: pulumi.Output<string>;
  /**
   * Per cluster of the link, the `[Peer]` its gateway's config holds for the other end: secret (it
   * carries the preshared key).
   */
  declare readonly peers: Readonly<Record<string, pulumi.Output<WireGuardPeerInput>>>;

  constructor(name: string, args: WireGuardLinkArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfBadArguments(`WireGuardLink ${name}`, args, WIREGUARD_LINK_ARGUMENTS);
    throwIfProblems(`WireGuardLink ${name}`, wireGuardLinkProblems(args));
    super(WIREGUARD_LINK_TYPE, name, {}, opts);
    const [a, b] = [...args.clusters].sort() as [string, string];
    const link = args.plan.wireguard!.links.find((l) => l.a === a && l.b === b)!;

    const material = new random.RandomBytes(
      `${name}-preshared-key`,
      { length: WIREGUARD_KEY_BYTES },
      { parent: this },
    );
    const presharedKey = pulumi.secret(material.base64);
    const peerFor = (other: string): pulumi.Output<WireGuardPeerInput> =>
      pulumi.secret(
        pulumi
          .all([args.ends[other]!.publicKey, args.ends[other]!.endpoint, presharedKey])
          .apply(([publicKey, endpoint, psk]) => ({ publicKey, presharedKey: psk, endpoint })),
      );
    const peers = { [a]: peerFor(b), [b]: peerFor(a) };

    this.clusters = [a, b];
    this.mtu = link.mtu;
    this.presharedKey = presharedKey;
    this.peers = peers;
    this.registerOutputs({ clusters: [a, b], mtu: link.mtu, presharedKey, peers });
  }
}

/** The problems of a link's arguments: not wireguard mode, clusters the plan does not link, missing ends. */
export function wireGuardLinkProblems(args: WireGuardLinkArgs): SpecProblem[] {
  const wg = args.plan?.wireguard;
  if (wg === undefined) {
    return [
      {
        path: "plan.networkMode",
        problem: "has no WireGuard links",
        received: args.plan?.networkMode,
        expected: '"wireguard"',
        fix: 'Plan the mesh with networkMode: "wireguard".',
      },
    ];
  }
  const [a, b] = [...(args.clusters ?? [])].sort();
  if (a === undefined || b === undefined || !wg.links.some((l) => l.a === a && l.b === b)) {
    return [
      {
        path: "clusters",
        problem: "are not a link of the plan",
        received: args.clusters,
        expected: `one of ${wg.links.map((l) => `[${l.a}, ${l.b}]`).join(", ") || "no links"}`,
        fix: `The plan's ${wg.topology} topology decides the links; link only the pairs it lists.`,
      },
    ];
  }
  return [a, b]
    .filter((id) => args.ends?.[id] === undefined)
    .map((id) => ({
      path: `ends.${id}`,
      problem: "is missing",
      received: undefined,
      expected: "the gateway's public key and endpoint",
      fix: `Pass ends: { ${a}: <gateway>, ${b}: <gateway> }.`,
    }));
}
