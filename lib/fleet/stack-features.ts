/**
 * The document's services, failover policies and traffic splits in one fleet stack: each applied,
 * through its own component and under the same names as in a one-stack MultiClusterMesh, in the
 * clusters of the stack the plan places it in — so that across the fleet each object lands exactly
 * once, in the stack that owns its cluster.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { MeshCluster } from "../base/mesh-cluster";
import { FailoverPolicy } from "../components/failover-policy";
import { MeshService } from "../components/mesh-service";
import { TrafficSplit } from "../components/traffic-split";
import type { MeshPlan, PlannedFeature } from "../core/mesh-plan";

/** One cluster of the stack: its handle, and the istiod its objects wait for. */
export interface StackCluster {
  readonly handle: MeshCluster;
  readonly istiod: pulumi.Resource;
}

/** The keys of what was applied in the stack, per kind (its outputs). */
export interface StackFeatures {
  readonly services: string[];
  readonly failoverPolicies: string[];
  readonly trafficSplits: string[];
}

/**
 * Applies every service, then every policy and split (they wait for the services, whose namespaces
 * they live in), in the stack's clusters they are placed in; `name` is the mesh's name prefix.
 */
export function applyStackFeatures(
  name: string,
  plan: MeshPlan,
  clusters: Readonly<Record<string, StackCluster>>,
): StackFeatures {
  const here = <S>(f: PlannedFeature<S>): string[] => f.clusters.filter((id) => clusters[id] !== undefined);
  const target = <S>(f: PlannedFeature<S>, waitFor: (id: string) => pulumi.Resource[]) => {
    const onlyIn = here(f);
    return {
      plan,
      clusters: Object.fromEntries(onlyIn.map((id) => [id, clusters[id]!.handle])),
      onlyIn,
      dependsOn: Object.fromEntries(onlyIn.map((id) => [id, waitFor(id)])),
    };
  };
  const istiod = (id: string): pulumi.Resource[] => [clusters[id]!.istiod];
  const applied: StackFeatures = { services: [], failoverPolicies: [], trafficSplits: [] };
  const services: MeshService[] = [];
  for (const service of plan.services.filter((s) => here(s).length > 0)) {
    services.push(new MeshService(`${name}-${service.key}-service`, { service, ...target(service, istiod) }));
    applied.services.push(service.key);
  }
  const policyWaitsFor = (id: string): pulumi.Resource[] => [...istiod(id), ...services];
  for (const policy of plan.failoverPolicies.filter((p) => here(p).length > 0)) {
    new FailoverPolicy(`${name}-${policy.key}-failover`, { policy, ...target(policy, policyWaitsFor) });
    applied.failoverPolicies.push(policy.key);
  }
  for (const split of plan.trafficSplits.filter((s) => here(s).length > 0)) {
    new TrafficSplit(`${name}-${split.key}-split`, { split, ...target(split, policyWaitsFor) });
    applied.trafficSplits.push(split.key);
  }
  return applied;
}
