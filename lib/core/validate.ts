/**
 * Validation: every problem of a mesh spec at once, each with its path, what was received, what is
 * allowed and how to fix it. Never throws on bad input.
 */
import { RANGE_KINDS, slotCountOf } from "./allocate";
import { cidrProblem, overlaps, parseCidr } from "./cidr";
import { dnsRouteProblems } from "./dns";
import { discoveryScopeProblems } from "./hierarchy";
import type { ClusterPlan, MeshPlan } from "./mesh-plan";
import {
  CLUSTER_ID_MAX,
  EKS_CLUSTER_NAME_MAX,
  GKE_CLUSTER_NAME_MAX,
  HELM_RELEASE_MAX,
  labelProblem,
  subdomainProblem,
} from "./names";
import { didYouMean, type SpecProblem } from "./problems";
import { cloudOfRegion, isZoneOf, regionsOf } from "./regions";
import { MAX_ZONES, resolvePlan, UNDERLAY_MTU, WIREGUARD_OVERHEAD } from "./resolve";
import { checkShape } from "./shape";
import { slotProblems } from "./slot-problems";
import type { MeshSpec } from "./spec";

/** Every problem of `input` as a mesh spec; empty when it is valid. */
export function validateMeshSpec(input: unknown): SpecProblem[] {
  const { problems, cleaned } = checkShape(input);
  const spec = cleaned as MeshSpec;
  // The semantic checks run on what is structurally sound; a problem at or under a path that
  // already has a structural problem would only repeat it.
  const reported = problems.map((p) => p.path);
  const repeats = (path: string): boolean =>
    reported.some(
      (r) => r === "(spec)" || path === r || path.startsWith(`${r}.`) || path.startsWith(`${r}[`),
    );
  return [...problems, ...semanticProblems(spec, resolvePlan(spec)).filter((p) => !repeats(p.path))];
}

function semanticProblems(spec: MeshSpec, plan: MeshPlan): SpecProblem[] {
  const out: SpecProblem[] = [];
  checkMesh(spec, plan, out);
  for (const id of Object.keys(spec.clusters)) checkCluster(id, spec, plan, out);
  checkControlPlane(spec, plan, out);
  out.push(...discoveryScopeProblems(spec));
  checkSlots(spec, out);
  out.push(...slotProblems(spec, plan));
  checkCidrOverlaps(spec, plan, out);
  checkDns(spec, plan, out);
  checkWireGuard(spec, plan, out);
  return out;
}

function checkMesh(spec: MeshSpec, plan: MeshPlan, out: SpecProblem[]): void {
  label(out, "meshID", spec.meshID, 63, "Use a short lower-case name such as mesh1.");
  domain(out, "trustDomain", spec.trustDomain);
  domain(out, "clusterDomain", spec.clusterDomain);
  if (Object.keys(spec.clusters).length === 0) {
    out.push({
      path: "clusters",
      problem: "has no clusters",
      received: spec.clusters,
      expected: "at least one cluster",
      fix: "Add a cluster keyed by a stable id, e.g. clusters: { region1: { cloud: aws, region: us-east-1 } }.",
    });
  }
  const version = spec.istio?.version;
  if (version !== undefined && !/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) {
    out.push({
      path: "istio.version",
      problem: "is not a pinned Istio version",
      received: version,
      expected: "an exact chart version such as 1.30.3",
      fix: "Pin an exact version: ranges and tags make two clusters drift apart.",
    });
  }
  const revision = spec.istio?.revision;
  if (revision !== undefined) {
    label(
      out,
      "istio.revision",
      revision,
      HELM_RELEASE_MAX - "istiod-".length,
      "Use a short label such as 1-30 (the istiod release is named istiod-<revision>, at most 53 characters).",
    );
  }
  const repo = spec.istio?.chartRepository;
  if (repo !== undefined && !/^(https?|oci):\/\/\S+$/.test(repo)) {
    out.push({
      path: "istio.chartRepository",
      problem: "is not a Helm repository URL",
      received: repo,
      expected: "an https:// or oci:// URL",
      fix: `Use Istio's repository ${"https://istio-release.storage.googleapis.com/charts"} or a mirror of it.`,
    });
  }
  void plan;
}

function checkCluster(id: string, spec: MeshSpec, plan: MeshPlan, out: SpecProblem[]): void {
  const c = spec.clusters[id]!;
  const path = `clusters.${id}`;
  const idProblem = labelProblem(id, CLUSTER_ID_MAX);
  if (idProblem !== undefined) {
    out.push({
      path,
      problem: `has an id that ${idProblem}`,
      received: id,
      expected: `a DNS-1123 label of at most ${CLUSTER_ID_MAX} characters`,
      fix: "Rename the key to a short lower-case id such as region1 (ids name every child resource).",
    });
  } else {
    const name = plan.clusters[id]!.names.cloudCluster;
    const max =
      c.cloud === "gcp" ? GKE_CLUSTER_NAME_MAX : c.cloud === "aws" ? EKS_CLUSTER_NAME_MAX : Infinity;
    if (name.length > max) {
      out.push({
        path,
        problem: `gives the ${c.cloud === "gcp" ? "GKE" : "EKS"} cluster name "${name}" of ${name.length} characters, over the limit of ${max}`,
        received: id,
        expected: `meshID and id together at most ${max - 1} characters`,
        fix: "Shorten the cluster id or the meshID.",
      });
    }
  }

  const known = regionsOf(c.cloud);
  if (known !== undefined && !known.includes(c.region)) {
    const other = cloudOfRegion(c.region) ?? cloudOfRegion(respell(c.region));
    const hint =
      other !== undefined && other !== c.cloud
        ? ` "${c.region}" is spelled like ${other === "aws" ? "an" : "a"} ${other.toUpperCase()} region; the ${c.cloud.toUpperCase()} spelling is "${respell(c.region)}".`
        : didYouMean(c.region, known);
    out.push({
      path: `${path}.region`,
      problem: `is not a region of ${c.cloud}`,
      received: c.region,
      expected: `${c.cloud === "aws" ? "an" : "a"} ${c.cloud.toUpperCase()} region such as ${c.cloud === "aws" ? "us-east-1" : "us-east1"}`,
      fix: `Use the region's name in ${c.cloud.toUpperCase()}'s spelling.${hint}`,
    });
  } else if (known === undefined) {
    label(
      out,
      `${path}.region`,
      c.region,
      63,
      "Use the value of the nodes' topology.kubernetes.io/region label.",
    );
  }

  const zones = plan.clusters[id]!.zones;
  if (c.cloud !== "existing" && zones.length > MAX_ZONES) {
    out.push({
      path: `${path}.zones`,
      problem: `lists ${zones.length} zones`,
      received: c.zones,
      expected: `1 to ${MAX_ZONES} zones`,
      fix: `Keep at most ${MAX_ZONES} zones; the node range is cut into one subnet per zone.`,
    });
  }
  if (c.cloud !== "existing" && c.zones !== undefined && c.zones.length === 0) {
    out.push({
      path: `${path}.zones`,
      problem: "is empty",
      received: c.zones,
      expected: `1 to ${MAX_ZONES} zones of ${c.region}`,
      fix: "List at least one zone, or remove zones to take the region's first three.",
    });
  }
  (c.zones ?? []).forEach((zone, i) => {
    if (known !== undefined && !known.includes(c.region)) return;
    if (!isZoneOf(c.cloud, c.region, zone)) {
      out.push({
        path: `${path}.zones[${i}]`,
        problem: `is not a zone of ${c.region}`,
        received: zone,
        expected:
          c.cloud === "aws"
            ? `${c.region}a, ${c.region}b, ...`
            : c.cloud === "gcp"
              ? `${c.region}-a, ${c.region}-b, ...`
              : "a zone label",
        fix: "Use a zone of the cluster's own region.",
      });
    }
  });
  if (new Set(c.zones ?? []).size !== (c.zones ?? []).length) {
    out.push({
      path: `${path}.zones`,
      problem: "lists a zone twice",
      received: c.zones,
      expected: "distinct zones",
      fix: "Remove the repeated zone.",
    });
  }

  if (c.network !== undefined)
    label(out, `${path}.network`, c.network, 63, "Use a short label such as network1.");
  if (c.dnsZone !== undefined) domain(out, `${path}.dnsZone`, c.dnsZone);
  if (c.privateNetwork !== undefined)
    label(
      out,
      `${path}.privateNetwork`,
      c.privateNetwork,
      63,
      "Name the peering or shared VPC with a short label such as vpc-peering-east.",
    );

  for (const kind of RANGE_KINDS) {
    const value = c.cidrs?.[kind];
    if (value === undefined) continue;
    const problem = cidrProblem(value);
    if (problem !== undefined) {
      out.push({
        path: `${path}.cidrs.${kind}`,
        problem,
        received: value,
        expected: "an IPv4 network in CIDR notation such as 10.0.0.0/16",
        fix: "Write the network address followed by the prefix length.",
      });
    }
  }
  const node = plan.clusters[id]!.cidrs.node;
  if (c.cloud !== "existing" && cidrProblem(node) === undefined && parseCidr(node).prefix > 26) {
    out.push({
      path: `${path}.cidrs.node`,
      problem: "is too small to hold a subnet per zone",
      received: node,
      expected: "a range of /26 or larger (one quarter per zone)",
      fix: "Use a larger node range, such as a /16.",
    });
  }
}

function checkControlPlane(spec: MeshSpec, plan: MeshPlan, out: SpecProblem[]): void {
  const model = plan.controlPlane.model;
  const ids = Object.keys(spec.clusters);
  const given = spec.controlPlane?.primaries;
  if (model === "multi-primary") {
    if (given !== undefined) {
      out.push({
        path: "controlPlane.primaries",
        problem: "is set in a multi-primary mesh, where every cluster is a primary",
        received: given,
        expected: "no primaries list",
        fix: 'Remove primaries, or set controlPlane.model: "primary-remote".',
      });
    }
    for (const id of ids) {
      const cp = spec.clusters[id]!.controlPlaneCluster;
      if (cp !== undefined) {
        out.push({
          path: `clusters.${id}.controlPlaneCluster`,
          problem: "is set in a multi-primary mesh, where every cluster runs istiod",
          received: cp,
          expected: "no controlPlaneCluster",
          fix: 'Remove it, or set controlPlane.model: "primary-remote".',
        });
      }
    }
    return;
  }

  if (given === undefined || given.length === 0) {
    out.push({
      path: "controlPlane.primaries",
      problem: "names no primary",
      received: given,
      expected: `at least one cluster id of ${ids.join(", ")}`,
      fix: "List the clusters that run istiod, e.g. primaries: [region1].",
    });
  }
  (given ?? []).forEach((p, i) => {
    if (!ids.includes(p)) {
      out.push({
        path: `controlPlane.primaries[${i}]`,
        problem: "is not a cluster of this mesh",
        received: p,
        expected: `one of ${ids.join(", ")}`,
        fix: `Name a cluster from clusters.${didYouMean(p, ids)}`,
      });
    }
  });
  if (given !== undefined && new Set(given).size !== given.length) {
    out.push({
      path: "controlPlane.primaries",
      problem: "names a cluster twice",
      received: given,
      expected: "distinct cluster ids",
      fix: "Remove the repeated id.",
    });
  }
  const primaries = plan.controlPlane.primaries.filter((p) => ids.includes(p));
  for (const id of ids) {
    const cp = spec.clusters[id]!.controlPlaneCluster;
    const path = `clusters.${id}.controlPlaneCluster`;
    if (primaries.includes(id)) {
      if (cp !== undefined) {
        out.push({
          path,
          problem: "is set on a primary",
          received: cp,
          expected: "no controlPlaneCluster on a primary",
          fix: "Remove it: a primary runs its own istiod.",
        });
      }
      continue;
    }
    if (cp === undefined) {
      if (primaries.length > 1) {
        out.push({
          path,
          problem: "is missing on a remote of a mesh with several primaries",
          received: undefined,
          expected: `one of ${primaries.join(", ")}`,
          fix: "Name the primary whose istiod this remote uses.",
        });
      }
    } else if (!primaries.includes(cp)) {
      out.push({
        path,
        problem: ids.includes(cp) ? "names a cluster that is not a primary" : "names an unknown cluster",
        received: cp,
        expected: primaries.length > 0 ? `one of the primaries ${primaries.join(", ")}` : "a primary",
        fix: `Name a cluster listed in controlPlane.primaries.${didYouMean(cp, primaries)}`,
      });
    }
  }
}

function checkSlots(spec: MeshSpec, out: SpecProblem[]): void {
  const owner = new Map<number, string>();
  for (const id of Object.keys(spec.clusters).sort()) {
    const slot = spec.clusters[id]!.slot;
    if (slot === undefined) continue;
    const other = owner.get(slot);
    if (other !== undefined) {
      out.push({
        path: `clusters.${id}.slot`,
        problem: `is clusters.${other}.slot too`,
        received: slot,
        expected: "a slot no other cluster pins",
        fix: "Pin each cluster to its own slot (plan.json shows the slots in use), or remove the pin.",
      });
    }
    owner.set(slot, id);
  }
}

function checkCidrOverlaps(spec: MeshSpec, plan: MeshPlan, out: SpecProblem[]): void {
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

function checkDns(spec: MeshSpec, plan: MeshPlan, out: SpecProblem[]): void {
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
  for (const id of Object.keys(plan.clusters)) {
    const zone = plan.clusters[id]!.dnsZone;
    const parent = Object.keys(plan.clusters).find((other) =>
      zone.endsWith(`.${plan.clusters[other]!.dnsZone}`),
    );
    if (parent === undefined) continue;
    out.push({
      path: `clusters.${id}.dnsZone`,
      problem: `is inside clusters.${parent}.dnsZone (${plan.clusters[parent]!.dnsZone})`,
      received: zone,
      expected: "a zone that neither contains nor is contained in another cluster's zone",
      fix: "Give each cluster a sibling zone, such as cluster.<id>.",
    });
  }
  if (plan.dns.stubs) out.push(...dnsRouteProblems(plan));
}

function checkWireGuard(spec: MeshSpec, plan: MeshPlan, out: SpecProblem[]): void {
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

function label(out: SpecProblem[], path: string, value: string | undefined, max: number, fix: string): void {
  if (value === undefined) return;
  const problem = labelProblem(value, max);
  if (problem !== undefined) {
    out.push({
      path,
      problem,
      received: value,
      expected: `a DNS-1123 label of at most ${max} characters`,
      fix,
    });
  }
}

function domain(out: SpecProblem[], path: string, value: string | undefined): void {
  if (value === undefined) return;
  const problem = subdomainProblem(value);
  if (problem !== undefined) {
    out.push({
      path,
      problem,
      received: value,
      expected: "a DNS name such as cluster.local",
      fix: "Use lower-case labels separated by dots.",
    });
  }
}

/** `us-east-1` ↔ `us-east1`: the other cloud's spelling of a region name. */
function respell(region: string): string {
  return /-\d+$/.test(region) ? region.replace(/-(\d+)$/, "$1") : region.replace(/(\d+)$/, "-$1");
}
