/**
 * Validation across clusters: ranges that overlap, DNS zones and routes, WireGuard settings.
 */
import { RANGE_KINDS, slotCountOf } from "./allocate";
import { cidrProblem, overlaps, parseCidr } from "./cidr";
import { dnsRouteProblems } from "./dns";
import type { ClusterPlan, MeshPlan } from "./mesh-plan";
import { didYouMean, type SpecProblem } from "./problems";
import { UNDERLAY_MTU, WIREGUARD_OVERHEAD } from "./resolve";
import { hasOwn } from "./values";
import type { MeshSpec } from "./spec";

export function checkCidrOverlaps(spec: MeshSpec, plan: MeshPlan, out: SpecProblem[]): void {
  const ids = Object.keys(plan.clusters);
  const usable = (c: ClusterPlan, kind: (typeof RANGE_KINDS)[number]): boolean =>
    cidrProblem(c.cidrs[kind]) === undefined;
  const pathOf = (id: string, kind: string): string => `clusters.${id}.cidrs.${kind}`;
  const explain = (id: string, kind: string): string =>
    spec.clusters[id]?.cidrs?.[kind as "pod"] === undefined ? " (a default)" : "";

  // Within one cluster the three ranges never overlap.
  for (const id of ids) {
    const c = plan.clusters[id]!;
    RANGE_KINDS.forEach((k1, i) =>
      RANGE_KINDS.slice(i + 1).forEach((k2) => {
        if (!usable(c, k1) || !usable(c, k2)) return;
        if (overlaps(parseCidr(c.cidrs[k1]), parseCidr(c.cidrs[k2]))) {
          out.push({
            path: pathOf(id, k2),
            problem: `overlaps ${pathOf(id, k1)} (${c.cidrs[k1]}${explain(id, k1)})`,
            received: c.cidrs[k2],
            expected: `a range disjoint from the cluster's ${k1} range`,
            fix: "Give node, pod and service ranges that do not overlap.",
          });
        }
      }),
    );
  }

  // Across clusters on one network (every cluster in wireguard mode), addresses must be routable.
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const a = plan.clusters[ids[i]!]!;
      const b = plan.clusters[ids[j]!]!;
      if (a.network !== b.network) continue;
      for (const ka of RANGE_KINDS) {
        for (const kb of RANGE_KINDS) {
          if (!usable(a, ka) || !usable(b, kb)) continue;
          if (!overlaps(parseCidr(a.cidrs[ka]), parseCidr(b.cidrs[kb]))) continue;
          const why =
            plan.networkMode === "wireguard"
              ? "wireguard mode routes pod, service and node ranges between clusters"
              : `both clusters are on network ${a.network}, where pods reach each other directly`;
          out.push({
            path: pathOf(b.id, kb),
            problem: `overlaps ${pathOf(a.id, ka)} (${a.cidrs[ka]}${explain(a.id, ka)}): ${why}`,
            received: b.cidrs[kb],
            expected: "a range disjoint from every range of the clusters it is routed to",
            fix:
              plan.networkMode === "wireguard"
                ? "Give each cluster its own ranges, or remove the explicit cidrs to take non-overlapping defaults."
                : "Give the clusters distinct ranges, or put them on different networks (gateways mode).",
          });
        }
      }
    }
  }
}

export function checkDns(spec: MeshSpec, plan: MeshPlan, out: SpecProblem[]): void {
  if (spec.dns?.stubs === true && plan.networkMode !== "wireguard") {
    out.push({
      path: "dns.stubs",
      problem:
        "asks for DNS forwarding stubs in gateways mode, where no route reaches the other clusters' DNS",
      received: true,
      expected: 'false, or networkMode: "wireguard"',
      fix: 'Remove dns.stubs (east-west gateways carry only mTLS traffic on 15443), or switch to networkMode: "wireguard".',
    });
  }
  const seen = new Map<string, string>();
  for (const id of Object.keys(plan.clusters)) {
    const zone = plan.clusters[id]!.dnsZone;
    const path = `clusters.${id}.dnsZone`;
    const clash = seen.get(zone);
    if (clash !== undefined) {
      out.push({
        path,
        problem: `is the same zone as clusters.${clash}.dnsZone`,
        received: zone,
        expected: "a zone no other cluster serves",
        fix: "Give each cluster its own alias zone, such as cluster.<id>.",
      });
    }
    seen.set(zone, id);
    if (
      zone === plan.clusterDomain ||
      zone.endsWith(`.${plan.clusterDomain}`) ||
      plan.clusterDomain.endsWith(`.${zone}`)
    ) {
      out.push({
        path,
        problem: `overlaps the mesh's cluster domain "${plan.clusterDomain}"`,
        received: zone,
        expected: "an alias zone outside the cluster domain",
        fix: "Region zones are aliases served beside the one cluster domain (istio/istio#29692); use a zone such as cluster.<id>.",
      });
    }
  }
  // A zone inside another cluster's zone would be answered by both (forwarded, and served there).
  // The enclosing zones are looked up by suffix (one lookup per label, not one per other cluster: a
  // fleet has thousands); the first cluster in key order that serves one is named.
  const order = new Map(Object.keys(plan.clusters).map((id, i) => [id, i]));
  const firstOfZone = new Map<string, string>();
  for (const [id, c] of Object.entries(plan.clusters))
    if (!firstOfZone.has(c.dnsZone)) firstOfZone.set(c.dnsZone, id);
  for (const [id, c] of Object.entries(plan.clusters)) {
    let parent: string | undefined;
    for (let dot = c.dnsZone.indexOf("."); dot >= 0; dot = c.dnsZone.indexOf(".", dot + 1)) {
      const owner = firstOfZone.get(c.dnsZone.slice(dot + 1));
      if (owner !== undefined && (parent === undefined || order.get(owner)! < order.get(parent)!))
        parent = owner;
    }
    const zone = c.dnsZone;
    if (parent === undefined) continue;
    out.push({
      path: `clusters.${id}.dnsZone`,
      problem: `is inside clusters.${parent}.dnsZone (${plan.clusters[parent]!.dnsZone})`,
      received: zone,
      expected: "a zone that neither contains nor is contained in another cluster's zone",
      fix: "Give each cluster a sibling zone, such as cluster.<id>.",
    });
  }
  // Without its hub a hub topology routes nothing: that one problem is reported, not its echoes.
  const hub = spec.wireguard?.topology === "hub" ? spec.wireguard.hub : undefined;
  const hubless = spec.wireguard?.topology === "hub" && (hub === undefined || !hasOwn(plan.clusters, hub));
  if (plan.dns.stubs && !hubless) out.push(...dnsRouteProblems(plan));
}

export function checkWireGuard(spec: MeshSpec, plan: MeshPlan, out: SpecProblem[]): void {
  const wg = spec.wireguard;
  if (plan.networkMode !== "wireguard") {
    if (wg !== undefined) {
      out.push({
        path: "wireguard",
        problem: "is set in gateways mode, which joins networks through east-west gateways",
        received: wg,
        expected: 'no wireguard section, or networkMode: "wireguard"',
        fix: 'Remove wireguard, or set networkMode: "wireguard".',
      });
    }
    return;
  }
  const networks = new Set(Object.values(plan.clusters).map((c) => c.network));
  if (networks.size > 1) {
    for (const id of Object.keys(spec.clusters)) {
      const network = spec.clusters[id]!.network;
      if (network === undefined) continue;
      out.push({
        path: `clusters.${id}.network`,
        problem: "differs between clusters in wireguard mode, which is one flat network",
        received: network,
        expected: `one network for every cluster (default network-${plan.meshID})`,
        fix: "Remove the per-cluster network, or use gateways mode for several networks.",
      });
    }
  }
  // An adopted cluster's ranges exist already: a default would be routed, but no pod lives there.
  for (const id of Object.keys(spec.clusters)) {
    const c = spec.clusters[id]!;
    if (c.cloud !== "existing") continue;
    const missing = RANGE_KINDS.filter((kind) => c.cidrs?.[kind] === undefined);
    if (missing.length === 0) continue;
    out.push({
      path: c.cidrs === undefined ? `clusters.${id}` : `clusters.${id}.cidrs`,
      problem: `declares no ${missing.join(", ")} range for an existing cluster in wireguard mode, which routes every cluster's ranges`,
      received: c.cidrs,
      expected: "cidrs.node, cidrs.pod and cidrs.service as the cluster really uses them",
      fix: "Set the cluster's real node, pod and service ranges (isthmus can not invent the ranges of a cluster it adopts), or use gateways mode.",
    });
  }
  const ids = Object.keys(plan.clusters);
  if (wg?.topology === "hub") {
    if (wg.hub === undefined) {
      out.push({
        path: "wireguard.hub",
        problem: "is missing with topology hub",
        received: undefined,
        expected: `one of ${ids.join(", ")}`,
        fix: "Name the cluster every other region links to.",
      });
    } else if (!ids.includes(wg.hub)) {
      out.push({
        path: "wireguard.hub",
        problem: "is not a cluster of this mesh",
        received: wg.hub,
        expected: `one of ${ids.join(", ")}`,
        fix: `Name a cluster from clusters.${didYouMean(wg.hub, ids)}`,
      });
    }
  } else if (wg?.hub !== undefined) {
    out.push({
      path: "wireguard.hub",
      problem: "is set with a full-mesh topology",
      received: wg.hub,
      expected: "no hub, or topology: hub",
      fix: 'Remove hub, or set topology: "hub".',
    });
  }
  if (wg?.mtu !== undefined) {
    // The tightest link: its smaller underlay MTU less the overhead of its underlay's IP family.
    const gateways = plan.wireguard?.gateways ?? {};
    const ends = (plan.wireguard?.links ?? []).map((l) => ({
      underlay: Math.min(gateways[l.a]!.underlayMtu, gateways[l.b]!.underlayMtu),
      family: l.ipFamily,
    }));
    if (ends.length === 0) {
      for (const g of Object.values(gateways))
        ends.push({ underlay: g.underlayMtu, family: g.underlayIpFamily });
    }
    if (ends.length === 0) {
      for (const c of Object.values(plan.clusters))
        ends.push({ underlay: UNDERLAY_MTU[c.cloud], family: "ipv4" });
    }
    const tightest = ends.reduce((a, b) =>
      b.underlay - WIREGUARD_OVERHEAD[b.family] < a.underlay - WIREGUARD_OVERHEAD[a.family] ? b : a,
    );
    const overhead = WIREGUARD_OVERHEAD[tightest.family];
    const max = tightest.underlay - overhead;
    if (wg.mtu > max || wg.mtu < 1280) {
      out.push({
        path: "wireguard.mtu",
        problem:
          wg.mtu > max
            ? `leaves less than ${overhead} bytes (WireGuard over ${tightest.family === "ipv4" ? "IPv4" : "IPv6"}) under the smallest underlay MTU (${tightest.underlay}): full-size packets would be black-holed where fragments are dropped`
            : "is under 1280, the IPv6 minimum WireGuard needs",
        received: wg.mtu,
        expected: `an MTU from 1280 to ${max}`,
        fix: `Remove mtu to take underlay − overhead, or choose a value from 1280 to ${max}.`,
      });
    }
  }
  const tunnel = plan.wireguard?.tunnelCidr;
  if (tunnel !== undefined) {
    const problem = cidrProblem(tunnel);
    if (problem !== undefined) {
      out.push({
        path: "wireguard.tunnelCidr",
        problem,
        received: tunnel,
        expected: "an IPv4 network such as 100.96.0.0/24",
        fix: "Write the network address followed by the prefix length.",
      });
    } else if (2 ** (32 - parseCidr(tunnel).prefix) < slotCountOf(spec.allocation?.slots) + 2) {
      // Slot s takes address s + 1; the network and broadcast addresses stay free.
      const room = 32 - Math.ceil(Math.log2(slotCountOf(spec.allocation?.slots) + 2));
      out.push({
        path: "wireguard.tunnelCidr",
        problem: `is too small for a tunnel address per slot (${slotCountOf(spec.allocation?.slots)} slots, allocation.slots)`,
        received: tunnel,
        expected: `a /${room} or larger`,
        fix:
          room === 25
            ? "Use a /24 such as 100.96.0.0/24."
            : `Use a /${room} such as ${room >= 10 ? "100.96.0.0" : "100.64.0.0"}/${room}.`,
      });
    } else {
      for (const c of Object.values(plan.clusters)) {
        for (const kind of RANGE_KINDS) {
          if (cidrProblem(c.cidrs[kind]) !== undefined) continue;
          if (overlaps(parseCidr(tunnel), parseCidr(c.cidrs[kind]))) {
            out.push({
              path: "wireguard.tunnelCidr",
              problem: `overlaps clusters.${c.id}.cidrs.${kind} (${c.cidrs[kind]})`,
              received: tunnel,
              expected: "a range disjoint from every cluster range",
              fix: "Choose a tunnel range outside the clusters' ranges, such as 100.96.0.0/24.",
            });
          }
        }
      }
    }
  }
}
