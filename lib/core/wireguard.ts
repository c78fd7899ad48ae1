/**
 * WireGuard gateway configs: X25519 keys and standard wg-quick files, rendered from the plan.
 *
 * The plan decides addresses, ports, MTUs and AllowedIPs; key material and peer endpoints are only
 * known at deploy time, so they come in as plain strings. A Pulumi component calls
 * {@link renderWgQuickConfig} inside an `apply` over its secret inputs and wraps the result in
 * `pulumi.secret`; GitOps output uses {@link renderWgQuickTemplate}, which never holds key text.
 * Error messages name the offending field and never echo a key.
 */
import { createPrivateKey, createPublicKey, randomBytes } from "node:crypto";
import type { MeshTopology, WireGuardGatewayPlan } from "./mesh-plan";
import { clusterOf } from "./cluster-of";

/** The length of every WireGuard key (private, public, preshared): 32 bytes. */
export const WIREGUARD_KEY_BYTES = 32;

/** DER prefix of a PKCS#8 X25519 private key (RFC 8410); the 32 key bytes follow. */
const PKCS8_X25519_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");
/** A key as `wg genkey` prints it: base64 of 32 bytes, 44 characters ending in `=`. */
const BASE64_KEY = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

/** Whether `text` is a WireGuard key in `wg`'s format (base64 of exactly 32 bytes). */
export function isWireGuardKey(text: string): boolean {
  return BASE64_KEY.test(text);
}

/**
 * Clamps 32 random bytes into an X25519 private key (RFC 7748 §5: clear the 3 low bits, clear the
 * top bit, set the second-highest bit), as `wg genkey` does. Returns it base64-encoded.
 * @throws RangeError when `raw` is not 32 bytes
 */
export function clampPrivateKey(raw: Uint8Array): string {
  if (raw.length !== WIREGUARD_KEY_BYTES) {
    throw new RangeError(`raw key material: has ${raw.length} bytes, expected ${WIREGUARD_KEY_BYTES}`);
  }
  const key = Buffer.from(raw);
  key[0]! &= 248;
  key[31]! &= 127;
  key[31]! |= 64;
  return key.toString("base64");
}

/** A fresh private key from the system's secure random source (`wg genkey`). */
export function generatePrivateKey(): string {
  return clampPrivateKey(randomBytes(WIREGUARD_KEY_BYTES));
}

/** A fresh preshared key: 32 random bytes, base64 (`wg genpsk`). */
export function generatePresharedKey(): string {
  return randomBytes(WIREGUARD_KEY_BYTES).toString("base64");
}

/**
 * The public key of a private key, both base64 (`wg pubkey`). X25519 clamps the scalar itself, so an
 * unclamped private key yields the same public key as its clamped form, as with `wg`.
 * @throws Error when `privateKey` is not a base64 32-byte key (the message never contains the key)
 */
export function publicKeyOf(privateKey: string): string {
  assertKey("privateKey", privateKey);
  const der = Buffer.concat([PKCS8_X25519_PREFIX, Buffer.from(privateKey, "base64")]);
  const jwk = createPublicKey(createPrivateKey({ key: der, format: "der", type: "pkcs8" })).export({
    format: "jwk",
  });
  return Buffer.from(jwk.x!, "base64url").toString("base64");
}

/** What one peer of a gateway needs at deploy time. */
export interface WireGuardPeerInput {
  /** The peer gateway's public key, base64. */
  readonly publicKey: string;
  /**
   * The link's preshared key, base64: the same on both ends of the link. Secret.
   * @default - no preshared key
   */
  readonly presharedKey?: string;
  /**
   * The peer gateway's public address (an IP or a DNS name, without a port); the port is the plan's
   * `wireguard.listenPort`.
   * @default - no Endpoint: this gateway only answers the peer, which must know this gateway's endpoint
   */
  readonly endpoint?: string;
}

/** Key material and endpoints for one gateway's config: plain strings, resolved inside an `apply`. */
export interface WireGuardGatewayInput {
  /** This gateway's private key, base64. Secret. */
  readonly privateKey: string;
  /** Every peer the plan gives this gateway, keyed by cluster id; no others. */
  readonly peers: { readonly [peerId: string]: WireGuardPeerInput };
}

/**
 * The wg-quick config (`/etc/wireguard/<if>.conf`) of one cluster's gateway: `[Interface]` with the
 * plan's tunnel address, listen port and MTU, then one `[Peer]` per plan peer in id order with
 * AllowedIPs exactly the plan's ranges for it. Contains the private key: treat it as a secret.
 * @throws Error when the plan has no such gateway, a key is malformed, or peers do not match the plan
 */
export function renderWgQuickConfig(
  plan: MeshTopology,
  clusterId: string,
  input: WireGuardGatewayInput,
): string {
  const gateway = gatewayOf(plan, clusterId);
  assertKey("privateKey", input.privateKey);
  assertPeers(gateway, input.peers);
  return render(plan, clusterId, gateway, {
    privateKey: input.privateKey,
    peer: (id) => {
      const peer = input.peers[id]!;
      assertKey(`peers.${id}.publicKey`, peer.publicKey);
      if (peer.presharedKey !== undefined) assertKey(`peers.${id}.presharedKey`, peer.presharedKey);
      if (peer.endpoint !== undefined) assertEndpoint(`peers.${id}.endpoint`, peer.endpoint);
      return peer;
    },
  });
}

/** What a GitOps template may know about a peer: nothing secret. */
export interface WireGuardTemplatePeerInput {
  /**
   * The peer gateway's public key, base64.
   * @default - the placeholder {@link wireGuardPlaceholder}`(clusterId, "public-key", peerId)`
   */
  readonly publicKey?: string;
  /**
   * The peer gateway's public address, without a port.
   * @default - the placeholder {@link wireGuardPlaceholder}`(clusterId, "endpoint", peerId)`
   */
  readonly endpoint?: string;
}

/**
 * The same file as {@link renderWgQuickConfig}, for GitOps: the PrivateKey and every PresharedKey
 * are placeholders (`${WIREGUARD_<CLUSTER>_PRIVATE_KEY}`, `${WIREGUARD_<CLUSTER>_<PEER>_PRESHARED_KEY}`)
 * to be filled from a secret store at deploy time (e.g. `envsubst`), never key text.
 * @throws Error when the plan has no such gateway or peers name a cluster the plan does not link
 */
export function renderWgQuickTemplate(
  plan: MeshTopology,
  clusterId: string,
  peers: { readonly [peerId: string]: WireGuardTemplatePeerInput } = {},
): string {
  const gateway = gatewayOf(plan, clusterId);
  assertPeers(gateway, peers, false);
  return render(plan, clusterId, gateway, {
    privateKey: wireGuardPlaceholder(clusterId, "private-key"),
    peer: (id) => {
      const given = peers[id] ?? {};
      if (given.publicKey !== undefined) assertKey(`peers.${id}.publicKey`, given.publicKey);
      if (given.endpoint !== undefined) assertEndpoint(`peers.${id}.endpoint`, given.endpoint);
      // A value both ends share has one name: the peer's public key and endpoint are named after
      // the peer, the link's preshared key after both ends in id order.
      const [first, second] = [clusterId, id].sort();
      return {
        publicKey: given.publicKey ?? wireGuardPlaceholder(id, "public-key"),
        presharedKey: wireGuardPlaceholder(first!, "preshared-key", second),
        endpoint: given.endpoint ?? wireGuardPlaceholder(id, "endpoint"),
      };
    },
  });
}

/** The kinds of value a template leaves as a placeholder. */
export type WireGuardPlaceholderKind = "private-key" | "preshared-key" | "public-key" | "endpoint";

/**
 * The `envsubst`-style placeholder a template writes for a value it must not or cannot know:
 * `${WIREGUARD_REGION1_PRIVATE_KEY}`, `${WIREGUARD_REGION1_REGION2_PRESHARED_KEY}`.
 */
export function wireGuardPlaceholder(
  clusterId: string,
  kind: WireGuardPlaceholderKind,
  peerId?: string,
): string {
  const name = [clusterId, ...(peerId === undefined ? [] : [peerId]), kind]
    .join("_")
    .toUpperCase()
    .replace(/[^A-Z0-9_]/g, "_");
  return `\${WIREGUARD_${name}}`;
}

interface Material {
  readonly privateKey: string;
  readonly peer: (id: string) => { publicKey: string; presharedKey?: string; endpoint?: string };
}

function render(
  plan: MeshTopology,
  clusterId: string,
  gateway: WireGuardGatewayPlan,
  material: Material,
): string {
  const wg = plan.wireguard!;
  const lines = [
    `# WireGuard gateway of cluster ${clusterId} in mesh ${plan.meshID}, generated by isthmus from the mesh plan.`,
    "[Interface]",
    `Address = ${gateway.tunnelAddress}/32`,
    `ListenPort = ${wg.listenPort}`,
    `MTU = ${gateway.mtu}`,
    `PrivateKey = ${material.privateKey}`,
  ];
  for (const { id, allowedIps } of gateway.peers) {
    const peer = material.peer(id);
    lines.push(
      "",
      `# cluster ${id}`,
      "[Peer]",
      `PublicKey = ${peer.publicKey}`,
      ...(peer.presharedKey === undefined ? [] : [`PresharedKey = ${peer.presharedKey}`]),
      ...(peer.endpoint === undefined ? [] : [`Endpoint = ${endpointOf(peer.endpoint, wg.listenPort)}`]),
      `AllowedIPs = ${allowedIps.join(", ")}`,
      `PersistentKeepalive = ${wg.persistentKeepalive}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** `host:port`, with an IPv6 host in brackets. */
function endpointOf(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

function gatewayOf(plan: MeshTopology, clusterId: string): WireGuardGatewayPlan {
  if (plan.wireguard === undefined) {
    throw new Error(
      `networkMode: has no WireGuard gateways; got ${JSON.stringify(plan.networkMode)}, expected "wireguard". Plan the mesh with networkMode: "wireguard".`,
    );
  }
  clusterOf(plan, clusterId);
  return plan.wireguard.gateways[clusterId]!;
}

function assertPeers(gateway: WireGuardGatewayPlan, peers: object, complete = true): void {
  const planned = gateway.peers.map((p) => p.id);
  const given = Object.keys(peers);
  const missing = planned.filter((id) => !given.includes(id));
  const extra = given.filter((id) => !planned.includes(id));
  if ((complete && missing.length > 0) || extra.length > 0) {
    throw new Error(
      `peers: do not match the plan's links; got ${JSON.stringify(given.sort())}, expected ${JSON.stringify(planned)}. ` +
        "Pass exactly one entry per peer the plan links this gateway to.",
    );
  }
}

function assertKey(path: string, key: string): void {
  if (typeof key !== "string" || !isWireGuardKey(key)) {
    const got = typeof key === "string" ? `a string of ${key.length} characters` : typeof key;
    throw new Error(
      `${path}: is not a WireGuard key; got ${got}, expected base64 of ${WIREGUARD_KEY_BYTES} bytes (44 characters). Pass a key as \`wg genkey\` prints it.`,
    );
  }
}

function assertEndpoint(path: string, endpoint: string): void {
  if (!/^([A-Za-z0-9.-]+|[0-9A-Fa-f:]+)$/.test(endpoint)) {
    throw new Error(
      `${path}: is not a host; got ${JSON.stringify(endpoint)}, expected an IP address or DNS name without a port. The port is the plan's wireguard.listenPort.`,
    );
  }
}
