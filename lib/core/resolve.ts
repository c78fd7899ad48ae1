/**
 * Resolution: a structurally valid spec in, a {@link MeshTopology} out, every default filled in;
 * {@link resolvePlan} adds the plan's decisions.
 *
 * Pure and total on any spec that passed {@link shapeProblems}: semantically wrong values (an
 * unknown primary, a malformed CIDR) are carried through as they are, for validation to report.
 */
import { setOwn, withoutNulls } from "./values";
import { remember } from "./plan-registry";
import { allocateSlots, defaultRange, RANGE_KINDS, slotCountOf, type RangeKind } from "./allocate";
import { addressAt, addressBeforeEnd, cidrProblem, parseCidr, subnet } from "./cidr";
import type {
  ClusterTopology,
  IstioPlan,
  MeshPlan,
  MeshTopology,
  SubnetPlan,
  WireGuardGatewayPlan,
  WireGuardPlan,
} from "./mesh-plan";
import { decide, type DocumentChoices } from "./decide";
import { discoveryPairs, remoteSecretName } from "./hierarchy";
import { DNS_ADDRESS_OFFSET_FROM_END } from "./dns-address-offset";
import { defaultZones } from "./regions";
import {
  DEFAULT_ISTIO_VERSION,
  ISTIO_CHART_REPOSITORY,
  type Cloud,
  type IpFamily,
  type MeshSpec,
} from "./spec";

/** istiod's namespace. */
export const ISTIO_NAMESPACE = "istio-system";
/** The gateway chart's release name that yields the `istio: eastwestgateway` selector label. */
export const EAST_WEST_GATEWAY_RELEASE = "istio-eastwestgateway";
/** The underlay MTU of each cloud's network across regions. */
export const UNDERLAY_MTU: Readonly<Record<Cloud, number>> = { aws: 1500, gcp: 1460, existing: 1500 };
/**
 * WireGuard's per-packet overhead by underlay IP family: the outer IP header (20, IPv6 40), UDP (8)
 * and WireGuard's own 32 (type, receiver index, counter: 16; Poly1305 tag: 16).
 */
export const WIREGUARD_OVERHEAD: Readonly<Record<IpFamily, number>> = { ipv4: 60, ipv6: 80 };
/** The underlay IP family of each cloud's gateways by default (see `ClusterSpec.underlayIpFamily`). */
export const UNDERLAY_IP_FAMILY: Readonly<Record<Cloud, IpFamily>> = {
  aws: "ipv4",
  gcp: "ipv4",
  existing: "ipv4",
};
/** The most zones a provisioned cluster spreads over (the node range is cut in quarters). */
export const MAX_ZONES = 3;

const DEFAULT_MACHINE_TYPE: Readonly<Record<Cloud, string>> = {
  aws: "m6i.large",
  gcp: "e2-standard-4",
  existing: "",
};

/**
 * Resolves every default of a structurally valid spec, then makes every decision of the plan from
 * it and the document's other parts ({@link decide}).
 */
export function resolvePlan(spec: MeshSpec, choices: DocumentChoices = {}): MeshPlan {
  // Validation takes null fields as absent; so does the plan (and what it holds for the renderers).
  return decidePlan(resolveTopology(withoutNulls(spec)), choices);
}

/**
 * The plan of a resolved topology with the document's choices: how validation's own resolution
 * becomes a document's plan without resolving the spec again.
 */
export function decidePlan(topology: MeshTopology, choices: DocumentChoices = {}): MeshPlan {
  return remember(decide(topology, withoutNulls(choices)));
}

/** Resolves every default of a structurally valid spec: the topology the planning functions read. */
export function resolveTopology(spec: MeshSpec): MeshTopology {
  const meshID = spec.meshID ?? "mesh1";
  const networkMode = spec.networkMode ?? "gateways";
  const ids = Object.keys(spec.clusters).sort();
  const model = spec.controlPlane?.model ?? "multi-primary";
  const primaries = model === "multi-primary" ? ids : [...new Set(spec.controlPlane?.primaries ?? [])].sort();
  const networkOf = (id: string): string =>
    spec.clusters[id]?.network ?? (networkMode === "wireguard" ? `network-${meshID}` : `network-${id}`);
  const slotCount = slotCountOf(spec.allocation?.slots);
  const slots = allocateSlots(
    Object.fromEntries(
      ids.map((id) => {
        const pin = spec.clusters[id]?.slot;
        return [
          id,
          {
            explicit: spec.clusters[id]?.cidrs ?? {},
            network: networkOf(id),
            ...(pin === undefined ? {} : { pin }),
          },
        ];
      }),
    ),
    slotCount,
  );

  const clusters: Record<string, ClusterTopology> = {};
  for (const id of ids) {
    const c = spec.clusters[id]!;
    const slot = slots[id] ?? -1;
    const cidr = (kind: RangeKind): string =>
      c.cidrs?.[kind] ??
      (slot >= 0 && slot < slotCount ? defaultRange(kind, slot, slotCount) : "unallocated");
    const zones = [...(c.zones ?? defaultZones(c.cloud, c.region))];
    const node = cidr("node");
    const isPrimary = primaries.includes(id);
    setOwn(clusters, id, {
      id,
      cloud: c.cloud,
      region: c.region,
      zones,
      zonesPinned: c.zones !== undefined,
      ...(c.privateNetwork === undefined ? {} : { privateNetwork: c.privateNetwork }),
      network: networkOf(id),
      role: isPrimary ? "primary" : "remote",
      ...(isPrimary
        ? {}
        : {
            controlPlaneCluster: c.controlPlaneCluster ?? (primaries.length === 1 ? primaries[0] : undefined),
          }),
      cidrs: { node, pod: cidr("pod"), service: cidr("service") },
      ...zoneSubnets(node, zones, `${meshID}-${id}`),
      dnsZone: c.dnsZone ?? `cluster.${id}`,
      nodes: {
        count: c.nodes?.count ?? 3,
        machineType: c.nodes?.machineType ?? DEFAULT_MACHINE_TYPE[c.cloud],
      },
      slot,
      names: { cloudCluster: `${meshID}-${id}`, remoteSecret: remoteSecretName(id) },
    });
  }

  const discoveryScope = model === "multi-primary" ? "all" : (spec.controlPlane?.discovery ?? "all");
  const discovery = discoveryPairs(primaries, clusters, discoveryScope);

  return {
    meshID,
    trustDomain: spec.trustDomain ?? "cluster.local",
    clusterDomain: spec.clusterDomain ?? "cluster.local",
    networkMode,
    controlPlane: { model, primaries, discovery: discoveryScope },
    istio: resolveIstio(spec),
    dns: { stubs: spec.dns?.stubs ?? networkMode === "wireguard" },
    clusters,
    discovery,
    ...(networkMode === "wireguard" ? { wireguard: resolveWireGuard(spec, clusters) } : {}),
  };
}

export { remoteSecretName } from "./hierarchy";

function resolveIstio(spec: MeshSpec): IstioPlan {
  const revision = spec.istio?.revision;
  return {
    version: spec.istio?.version ?? DEFAULT_ISTIO_VERSION,
    ...(revision === undefined ? {} : { revision }),
    chartRepository: spec.istio?.chartRepository ?? ISTIO_CHART_REPOSITORY,
    strictMtls: spec.istio?.strictMtls ?? true,
    namespace: ISTIO_NAMESPACE,
    releases: {
      base: "istio-base",
      istiod: revision === undefined ? "istiod" : `istiod-${revision}`,
      eastWestGateway: EAST_WEST_GATEWAY_RELEASE,
    },
  };
}

/**
 * The node range cut in quarters: zone i gets quarter i as its private subnet (at most three
 * zones), and the fourth quarter, cut in four, gives each zone a public subnet (when the node range
 * is a /24 or larger).
 */
function zoneSubnets(
  node: string,
  zones: readonly string[],
  cloudCluster: string,
): { subnets: SubnetPlan[]; publicSubnets: SubnetPlan[] } {
  if (cidrProblem(node) !== undefined) return { subnets: [], publicSubnets: [] };
  const prefix = parseCidr(node).prefix;
  if (prefix + 2 > 28) return { subnets: [], publicSubnets: [] };
  const used = zones.slice(0, MAX_ZONES);
  const subnets = used.map((zone, i) => ({
    zone,
    cidr: subnet(node, prefix + 2, i),
    name: `${cloudCluster}-${zone}-private`,
  }));
  if (prefix + 4 > 28) return { subnets, publicSubnets: [] };
  const publicQuarter = subnet(node, prefix + 2, 3);
  const publicSubnets = used.map((zone, i) => ({
    zone,
    cidr: subnet(publicQuarter, prefix + 4, i),
    name: `${cloudCluster}-${zone}-public`,
  }));
  return { subnets, publicSubnets };
}

export { DNS_ADDRESS_OFFSET_FROM_END };

/** The DNS address of a cluster: {@link DNS_ADDRESS_OFFSET_FROM_END} before the end of its first node subnet. */
function dnsAddressOf(cluster: ClusterTopology): string {
  return (
    addressBeforeEnd(cluster.subnets[0]?.cidr ?? cluster.cidrs.node, DNS_ADDRESS_OFFSET_FROM_END) ??
    "unallocated"
  );
}

function resolveWireGuard(spec: MeshSpec, clusters: Record<string, ClusterTopology>): WireGuardPlan {
  const wg = spec.wireguard ?? {};
  const topology = wg.topology ?? "full-mesh";
  const ids = Object.keys(clusters);
  const tunnelCidr = wg.tunnelCidr ?? "100.96.0.0/24";
  const hub = topology === "hub" ? wg.hub : undefined;

  const linked = (a: string, b: string): boolean =>
    a !== b && (topology === "full-mesh" || a === hub || b === hub);
  const underlay = (id: string): number => UNDERLAY_MTU[clusters[id]!.cloud];
  const family = (id: string): IpFamily =>
    spec.clusters[id]?.underlayIpFamily ?? UNDERLAY_IP_FAMILY[clusters[id]!.cloud];
  const linkFamily = (a: string, b: string): IpFamily =>
    family(a) === "ipv6" || family(b) === "ipv6" ? "ipv6" : "ipv4";
  const linkMtu = (a: string, b: string): number =>
    wg.mtu ?? Math.min(underlay(a), underlay(b)) - WIREGUARD_OVERHEAD[linkFamily(a, b)];
  const tunnelAddress = (id: string): string => {
    const slot = clusters[id]!.slot;
    const fits = cidrProblem(tunnelCidr) === undefined && slot + 2 < 2 ** (32 - parseCidr(tunnelCidr).prefix);
    return fits && slot >= 0 ? addressAt(tunnelCidr, slot + 1) : "unallocated";
  };
  const localCidrs = (id: string): string[] => {
    const c = clusters[id]!;
    return [...RANGE_KINDS.map((kind) => c.cidrs[kind]), `${tunnelAddress(id)}/32`];
  };

  const links: { a: string; b: string; mtu: number; ipFamily: IpFamily }[] = [];
  for (const a of ids)
    for (const b of ids)
      if (a < b && linked(a, b)) links.push({ a, b, mtu: linkMtu(a, b), ipFamily: linkFamily(a, b) });

  const gateways: Record<string, WireGuardGatewayPlan> = {};
  for (const id of ids) {
    const peers = ids
      .filter((other) => linked(id, other))
      .map((other) => ({
        id: other,
        // Through the hub, a spoke reaches every other spoke as well.
        allowedIps:
          topology === "hub" && other === hub
            ? ids.filter((x) => x !== id).flatMap(localCidrs)
            : localCidrs(other),
      }));
    const mtus = peers.map((p) => linkMtu(id, p.id));
    gateways[id] = {
      tunnelAddress: tunnelAddress(id),
      underlayMtu: underlay(id),
      underlayIpFamily: family(id),
      mtu: mtus.length > 0 ? Math.min(...mtus) : (wg.mtu ?? underlay(id) - WIREGUARD_OVERHEAD[family(id)]),
      localCidrs: localCidrs(id),
      peers,
      dnsAddress: dnsAddressOf(clusters[id]!),
    };
  }

  return {
    topology,
    ...(hub === undefined ? {} : { hub }),
    listenPort: wg.listenPort ?? 51820,
    persistentKeepalive: wg.persistentKeepalive ?? 25,
    tunnelCidr,
    gateways,
    links,
  };
}
