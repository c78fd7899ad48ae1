/**
 * Who must reach a cluster's east-west gateway, whether it runs at all, and how reachable its load
 * balancer is: the decisions the plan makes for each gateway.
 */
import { clusterOf } from "./cluster-of";
import type { GatewayExposure } from "./east-west-names";
import { readsOf } from "./hierarchy";
import type { ClusterTopology, MeshTopology } from "./mesh-plan";

/**
 * The clusters that must reach a cluster's east-west gateway: every cluster on another Istio
 * network whose istiod knows this cluster's endpoints (cross-network traffic on 15443: all of them
 * unless discovery is hierarchical) and, for a primary, the remotes that use its istiod
 * (15012, 15017). Sorted.
 */
export function eastWestGatewayPeers(plan: MeshTopology, clusterId: string): string[] {
  const self = clusterOf(plan, clusterId);
  const index = peerIndex(plan);
  const crossNetwork = plan.networkMode === "gateways";
  const peers = new Set<string>();
  // A cluster sees this one's endpoints when its istiod is this one's istiod, is this cluster, or
  // reads it: the clusters served by those istiods are the only candidates.
  const cp = index.controlPlane.get(self.id);
  const istiods = new Set([
    ...(cp === undefined ? [] : [cp]),
    self.id,
    ...(index.readers.get(self.id) ?? []),
  ]);
  for (const istiod of istiods) {
    for (const c of index.servedBy.get(istiod) ?? []) {
      if (c.id === self.id) continue;
      if (
        (crossNetwork && c.network !== self.network) ||
        (c.role === "remote" && c.controlPlaneCluster === self.id)
      )
        peers.add(c.id);
    }
  }
  return [...peers].sort();
}

/** Who serves and reads whom in a plan, for {@link eastWestGatewayPeers}. */
interface PeerIndex {
  readonly discovery: MeshTopology["discovery"];
  /** Each cluster's istiod: its own (a primary) or its primary's. */
  readonly controlPlane: ReadonlyMap<string, string>;
  /** The clusters each istiod serves (its own and its remotes'). */
  readonly servedBy: ReadonlyMap<string, readonly ClusterTopology[]>;
  /** The primaries that read each cluster. */
  readonly readers: ReadonlyMap<string, readonly string[]>;
}

const PEER_INDEX = new WeakMap<MeshTopology["clusters"], PeerIndex>();

/**
 * Computed once per plan: every gateway asks, and a scan of every cluster per gateway made a fleet of
 * thousands of clusters spend most of its plan here.
 */
function peerIndex(plan: MeshTopology): PeerIndex {
  const known = PEER_INDEX.get(plan.clusters);
  if (known !== undefined && known.discovery === plan.discovery) return known;
  const controlPlane = new Map<string, string>();
  const servedBy = new Map<string, ClusterTopology[]>();
  for (const c of Object.values(plan.clusters)) {
    const cp = c.role === "primary" ? c.id : c.controlPlaneCluster;
    if (cp === undefined) continue;
    controlPlane.set(c.id, cp);
    if (!servedBy.has(cp)) servedBy.set(cp, []);
    servedBy.get(cp)!.push(c);
  }
  const readers = new Map<string, string[]>();
  for (const [reader, targets] of readsOf(plan)) {
    for (const target of targets) {
      if (!readers.has(target)) readers.set(target, []);
      readers.get(target)!.push(reader);
    }
  }
  const index = { discovery: plan.discovery, controlPlane, servedBy, readers };
  PEER_INDEX.set(plan.clusters, index);
  return index;
}

/** Whether a cluster's east-west gateway exposes istiod: it is a primary that remotes use. */
export function exposesIstiod(plan: MeshTopology, clusterId: string): boolean {
  const self = clusterOf(plan, clusterId);
  return self.role === "primary" && usedByRemotes(plan).has(self.id);
}

const USED_BY_REMOTES = new WeakMap<MeshTopology["clusters"], ReadonlySet<string>>();

/** The primaries some remote uses (computed once per plan: asked for every cluster). */
function usedByRemotes(plan: MeshTopology): ReadonlySet<string> {
  let used = USED_BY_REMOTES.get(plan.clusters);
  if (used === undefined) {
    used = new Set(
      Object.values(plan.clusters).flatMap((c) =>
        c.role === "remote" && c.controlPlaneCluster !== undefined ? [c.controlPlaneCluster] : [],
      ),
    );
    USED_BY_REMOTES.set(plan.clusters, used);
  }
  return used;
}

/**
 * Whether a cluster runs an east-west gateway: every cluster in `gateways` mode, and in `wireguard`
 * mode the primaries that expose istiod to remotes (their only way in, since ClusterIPs are not
 * routable from other clusters).
 */
export function needsEastWestGateway(plan: MeshTopology, clusterId: string): boolean {
  clusterOf(plan, clusterId);
  return plan.networkMode === "gateways" || exposesIstiod(plan, clusterId);
}

/**
 * The rule that picks internal or internet-facing, and why ({@link eastWestGatewayExposureReason}):
 * - `wireguard` mode: **internal**. The tunnel routes every peer's node range, and internal load
 *   balancer addresses are taken from the node subnets.
 * - `gateways` mode: **internal** only when every peer (see {@link eastWestGatewayPeers}) shares the
 *   cluster's `privateNetwork` (peered VPCs, a shared VPC: a path the user declares, since isthmus's
 *   adapters create unpeered networks), cloud and region; **internet-facing** otherwise — including
 *   two clusters of one region without a declared private network, whose separate VPCs have no
 *   private path. Clusters adopted with cloud `existing` are internet-facing when they have peers.
 * - A cluster without peers gets an internal load balancer.
 * @param peers - the gateway's peers, when the caller has them already; by default
 *   {@link eastWestGatewayPeers} of the cluster
 */
export function eastWestGatewayExposure(
  plan: MeshTopology,
  clusterId: string,
  peers?: readonly string[],
): GatewayExposure {
  return exposureDecision(plan, clusterId, peers).exposure;
}

/**
 * Why {@link eastWestGatewayExposure} chose what it chose, in one sentence.
 * @param peers - the gateway's peers, when the caller has them already; by default
 *   {@link eastWestGatewayPeers} of the cluster
 */
export function eastWestGatewayExposureReason(
  plan: MeshTopology,
  clusterId: string,
  peers?: readonly string[],
): string {
  return exposureDecision(plan, clusterId, peers).reason;
}

function exposureDecision(
  plan: MeshTopology,
  clusterId: string,
  // Computed once by a gateway's plan: eastWestGatewayPeers is O(N) per gateway, O(N²) per mesh.
  peerIds: readonly string[] = eastWestGatewayPeers(plan, clusterId),
): { exposure: GatewayExposure; reason: string } {
  const self = clusterOf(plan, clusterId);
  if (peerIds.length === 0) return { exposure: "internal", reason: "no other cluster reaches this gateway" };
  if (plan.networkMode === "wireguard")
    return { exposure: "internal", reason: "the peers reach it over the WireGuard tunnel" };
  if (self.cloud === "existing")
    return { exposure: "internet-facing", reason: "isthmus cannot know an existing cluster's network" };
  const apart = peerIds
    .map((id) => plan.clusters[id]!)
    .filter(
      (p) =>
        p.cloud !== self.cloud ||
        p.region !== self.region ||
        self.privateNetwork === undefined ||
        p.privateNetwork !== self.privateNetwork,
    );
  if (apart.length === 0) {
    return {
      exposure: "internal",
      reason: `every peer shares the private network ${self.privateNetwork} in ${self.cloud} ${self.region}`,
    };
  }
  const p = apart[0]!;
  const why =
    p.cloud !== self.cloud || p.region !== self.region
      ? `${p.id} runs in ${p.cloud} ${p.region}`
      : `${p.id} shares no declared privateNetwork with it (separate VPCs have no private path)`;
  return {
    exposure: "internet-facing",
    reason: `${why}; set clusters.<id>.privateNetwork on both to declare peering`,
  };
}

/**
 * The addresses the peers of an internal gateway reach it from: their node and pod ranges, and in
 * `wireguard` mode everything their tunnel gateway routes (which adds the service range and the
 * tunnel address). Sorted, without repeats.
 */
export function internalSources(plan: MeshTopology, peers: readonly string[]): string[] {
  const ranges = peers.flatMap((id) => {
    const tunnel = plan.wireguard?.gateways[id];
    const c = plan.clusters[id]!;
    return tunnel !== undefined ? tunnel.localCidrs : [c.cidrs.node, c.cidrs.pod];
  });
  return [...new Set(ranges)].sort();
}
