/**
 * Endpoint discovery scope: which cluster's API each primary reads, and so how many remote secrets a
 * mesh holds.
 *
 * - `all` (Istio's documented primary-remote and multi-primary installs): every primary reads every
 *   other cluster. P·(N−1) remote secrets; N·(N−1) in multi-primary.
 * - `hierarchical` (core and edge clusters): each primary reads the other primaries and its own
 *   remotes, nothing else. P·(P−1) + (N−P) remote secrets: the edges add one secret each, in their own
 *   primary only, so a fleet grows with primaries², not clusters².
 *
 * What Istio then discovers (istio/istio 1.30.3): istiod builds its service registry from the clusters
 * it holds a remote secret for (`pkg/kube/multicluster/secretcontroller.go`, one registry per secret)
 * plus its own, and serves every proxy that connects to it — its own cluster's and its remotes'
 * (`global.remotePilotAddress`). So the workloads of a core and of its edges see the endpoints of that
 * core, of its edges and of every other core; they never see another core's edges. Across networks the
 * east-west gateway does not forward a second hop: a gateway asks for its own network only
 * (`ISTIO_META_REQUESTED_NETWORK_VIEW`, which pilot uses to "only send endpoints corresponding to the
 * networks that the proxy wants to see", `pkg/model/context.go`), so an edge of another core is not
 * reached through that core's gateway either. A service an edge must reach everywhere runs in a core.
 *
 * Trust stays in the cores: only primaries hold remote secrets and intermediate CA keys (istiod signs
 * the edges' workload certificates); an edge holds its own reader token, nothing to reach another
 * cluster with.
 */
import type { DiscoveryPair } from "./mesh-plan";
import { didYouMean, type SpecProblem } from "./problems";
import type { MeshSpec } from "./spec";

/** The remote secret's name for a cluster: `istio-remote-secret-<id>`. */
export function remoteSecretName(id: string): string {
  return `istio-remote-secret-${id}`;
}

/** How far each primary's endpoint discovery reaches. */
export type DiscoveryScope = "all" | "hierarchical";

/** What the discovery pairs are computed from: each cluster's role and primary. */
export interface DiscoveryClusters {
  readonly [id: string]: { readonly role: "primary" | "remote"; readonly controlPlaneCluster?: string };
}

/**
 * The discovery pairs of a mesh, sorted by reader then target: every primary reads every other
 * cluster (`all`), or the other primaries and its own remotes (`hierarchical`).
 */
export function discoveryPairs(
  primaries: readonly string[],
  clusters: DiscoveryClusters,
  scope: DiscoveryScope,
): DiscoveryPair[] {
  const ids = Object.keys(clusters).sort();
  const pairs: DiscoveryPair[] = [];
  for (const reader of primaries) {
    if (!Object.prototype.hasOwnProperty.call(clusters, reader)) continue;
    for (const target of ids) {
      if (target === reader) continue;
      const c = clusters[target]!;
      if (scope === "hierarchical" && c.role === "remote" && c.controlPlaneCluster !== reader) continue;
      pairs.push({ reader, target, secretName: remoteSecretName(target) });
    }
  }
  return pairs;
}

/**
 * The number of remote secrets of a primary-remote mesh with `primaries` primaries and `clusters`
 * clusters in all: P·(N−1) with `all`, P·(P−1) + (N−P) with `hierarchical`.
 */
export function remoteSecretCount(primaries: number, clusters: number, scope: DiscoveryScope): number {
  return scope === "all" ? primaries * (clusters - 1) : primaries * (primaries - 1) + (clusters - primaries);
}

const READS = new WeakMap<readonly DiscoveryPair[], Map<string, Set<string>>>();

/** Per primary, the clusters it reads (from the plan's discovery pairs; computed once per plan). */
export function readsOf(plan: { readonly discovery: readonly DiscoveryPair[] }): Map<string, Set<string>> {
  let reads = READS.get(plan.discovery);
  if (reads === undefined) {
    reads = new Map();
    for (const pair of plan.discovery) {
      if (!reads.has(pair.reader)) reads.set(pair.reader, new Set());
      reads.get(pair.reader)!.add(pair.target);
    }
    READS.set(plan.discovery, reads);
  }
  return reads;
}

/**
 * Whether the workloads of cluster `from` see endpoints in cluster `to`: `from`'s istiod (its own, or
 * its primary's) is `to`'s istiod or reads `to`.
 */
export function seesEndpointsOf(
  clusters: DiscoveryClusters,
  readsOf: ReadonlyMap<string, ReadonlySet<string>>,
  from: string,
  to: string,
): boolean {
  const cp = controlPlaneOf(clusters, from);
  if (cp === undefined) return false;
  return cp === controlPlaneOf(clusters, to) || cp === to || (readsOf.get(cp)?.has(to) ?? false);
}

/** A cluster's istiod: its own (a primary) or its primary's. A function of the module, not a closure:
 * seesEndpointsOf runs for every pair of clusters. */
function controlPlaneOf(clusters: DiscoveryClusters, id: string): string | undefined {
  return clusters[id]?.role === "primary" ? id : clusters[id]?.controlPlaneCluster;
}

/** Every problem of the discovery scope of a spec. */
export function discoveryScopeProblems(spec: MeshSpec): SpecProblem[] {
  const scope = spec.controlPlane?.discovery;
  if (scope !== "hierarchical") return [];
  const out: SpecProblem[] = [];
  const model = spec.controlPlane?.model;
  if (model !== "primary-remote") {
    out.push({
      path: "controlPlane.discovery",
      problem: "is hierarchical in a multi-primary mesh, where every cluster is a primary",
      received: scope,
      expected: '"all", or model "primary-remote" with the cores as primaries',
      fix: 'Set controlPlane.model: "primary-remote" and list the core clusters in primaries, or remove discovery.',
    });
    return out;
  }
  const primaries = [...(spec.controlPlane?.primaries ?? [])];
  const hub = spec.networkMode === "wireguard" ? spec.wireguard?.hub : undefined;
  if (spec.wireguard?.topology === "hub" && hub !== undefined && !primaries.includes(hub)) {
    if (spec.clusters[hub] !== undefined) {
      out.push({
        path: "wireguard.hub",
        problem:
          "is an edge (remote) cluster of a hierarchical mesh: the cores would reach each other's API and istiod through it",
        received: hub,
        expected: `one of the primaries ${primaries.join(", ")}`,
        fix: `Make a core the hub, so that traffic between cores never crosses an edge.${didYouMean(hub, primaries)}`,
      });
    }
  }
  return out;
}
