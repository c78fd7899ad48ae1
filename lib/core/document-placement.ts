/**
 * Where a document's traffic may go: a traffic split or a failover target must point at clusters
 * and regions where the service runs, when the same document says where it runs (its entry under
 * `services`). Otherwise the share sent there finds no endpoint: Envoy answers 503.
 *
 * Pure: no Pulumi, no cdk8s.
 */
import type { FailoverPolicySpec } from "./failover";
import type { MeshPlan } from "./mesh-plan";
import { meshServiceClusters, type MeshServiceSpec } from "./mesh-service";
import type { SpecProblem } from "./problems";
import type { TrafficSplitSpec } from "./traffic-split";
import { hasOwn } from "./values";

/** A sound entry of a document list, with its path. */
export interface Placed<T> {
  readonly path: string;
  readonly value: T;
}

interface Running {
  readonly path: string;
  readonly clusters: readonly string[];
  readonly regions: readonly string[];
}

/** The problems of splits and failover policies that send traffic where their service does not run. */
export function placementProblems(
  plan: MeshPlan,
  services: readonly Placed<MeshServiceSpec>[],
  splits: readonly Placed<TrafficSplitSpec>[],
  policies: readonly Placed<FailoverPolicySpec>[],
): SpecProblem[] {
  const byHost = new Map<string, Running>();
  for (const { path, value } of services) {
    const clusters = meshServiceClusters(plan, value).filter((id) => hasOwn(plan.clusters, id));
    const regions = [...new Set(clusters.map((id) => plan.clusters[id]!.region))].sort();
    byHost.set(`${value.name}.${value.namespace}.svc.${plan.clusterDomain}`, { path, clusters, regions });
  }
  const out: SpecProblem[] = [];
  for (const { path, value } of splits) {
    const running = byHost.get(value.host);
    if (running === undefined) continue;
    for (const id of Object.keys(value.weights)) {
      const weight = value.weights[id]!;
      if (weight <= 0 || !hasOwn(plan.clusters, id) || running.clusters.includes(id)) continue;
      out.push({
        path: `${path}.weights.${id}`,
        problem: `sends ${weight}% of the requests to cluster ${id}, where the service does not run (${running.path}.clusters)`,
        received: weight,
        expected: `weights for the clusters it runs in: ${running.clusters.join(", ")}`,
        fix: `Give ${id} weight 0 or remove it, or deploy the service there (add ${id} to ${running.path}.clusters).`,
      });
    }
  }
  for (const { path, value } of policies) {
    const running = byHost.get(value.host);
    if (running === undefined) continue;
    (value.failover ?? []).forEach((f, i) => {
      if (!meshRegion(plan, f.to) || running.regions.includes(f.to)) return;
      out.push({
        path: `${path}.failover[${i}].to`,
        problem: `fails over to ${f.to}, where the service does not run (${running.path}.clusters)`,
        received: f.to,
        expected: `a region it runs in: ${running.regions.join(", ")}`,
        fix: `Fail over to a region the service runs in, or deploy it to a cluster in ${f.to}.`,
      });
    });
    (value.distribute ?? []).forEach((d, i) => {
      for (const locality of Object.keys(d.to)) {
        const region = locality.split("/")[0]!;
        if ((d.to[locality] ?? 0) <= 0 || region.includes("*") || !meshRegion(plan, region)) continue;
        if (running.regions.includes(region)) continue;
        out.push({
          path: `${path}.distribute[${i}].to["${locality}"]`,
          problem: `sends ${d.to[locality]}% of the traffic to ${region}, where the service does not run (${running.path}.clusters)`,
          received: d.to[locality],
          expected: `localities in the regions it runs in: ${running.regions.join(", ")}`,
          fix: `Move the weight to a region the service runs in, or deploy it to a cluster in ${region}.`,
        });
      }
    });
  }
  return out;
}

function meshRegion(plan: MeshPlan, region: string): boolean {
  return Object.values(plan.clusters).some((c) => c.region === region);
}
