/**
 * Traffic split across clusters (A/B, canary by cluster): a `DestinationRule` with one subset per
 * cluster, selected by the `topology.istio.io/cluster` label istiod puts on every endpoint, and a
 * `VirtualService` that sends each cluster its share of the requests. Both are rendered in every
 * primary ({@link configClusters}).
 *
 * The split's DestinationRule carries subsets only, no traffic policy: placed in the same namespace
 * as a failover policy for the same host, istiod merges the two rules (subsets from one,
 * the traffic policy from the other). A request routed to one cluster's subset stays in that
 * cluster: locality failover does not move it elsewhere.
 *
 * Pure: no Pulumi, no cdk8s.
 */
import { hasOwn } from "./values";
import { ISTIO_NETWORKING_API, type ObjectData } from "./east-west-gateway";
import { configClusters, hostNamespace, hostObjectName, hostProblems, nameProblems } from "./failover";
import type { MeshPlan } from "./mesh-plan";
import { didYouMean, type SpecProblem } from "./problems";

/** The endpoint label istiod sets to the cluster an endpoint runs in (`global.multiCluster.clusterName`). */
export const CLUSTER_LABEL = "topology.istio.io/cluster";

/** How requests to one host are shared between clusters. */
export interface TrafficSplitSpec {
  /** The service's fully qualified host, e.g. `helloworld.sample.svc.cluster.local`. */
  readonly host: string;
  /**
   * Percent of the requests each cluster's endpoints receive, keyed by cluster id; whole numbers
   * from 0 to 100 summing to 100.
   */
  readonly weights: { readonly [clusterId: string]: number };
  /**
   * `http` splits requests (`http` routes); `tcp` splits connections (`tcp` routes).
   * @default "http"
   */
  readonly protocol?: "http" | "tcp";
  /**
   * The name of the DestinationRule and the VirtualService. A DNS-1123 label.
   * @default - `<service>-split` for a host in the cluster domain, otherwise `<host as a label>-split`
   */
  readonly name?: string;
  /**
   * Their namespace. A DNS-1123 label.
   * @default - the namespace in the host (`<service>.<namespace>.svc.<clusterDomain>`), otherwise istiod's namespace
   */
  readonly namespace?: string;
}

/** The clusters a split is rendered in: the primaries, whose istiod reads routing config. */
export function trafficSplitClusters(plan: MeshPlan): string[] {
  return configClusters(plan);
}

/** Every problem of a traffic split; empty when it is valid for this mesh. */
export function validateTrafficSplit(plan: MeshPlan, spec: TrafficSplitSpec, path: string): SpecProblem[] {
  const out: SpecProblem[] = [...hostProblems(plan, spec.host, `${path}.host`)];
  out.push(...nameProblems(spec.name, `${path}.name`, "name"));
  out.push(...nameProblems(spec.namespace, `${path}.namespace`, "namespace"));
  if (spec.protocol !== undefined && spec.protocol !== "http" && spec.protocol !== "tcp") {
    out.push({
      path: `${path}.protocol`,
      problem: "is not a protocol a split can route",
      received: spec.protocol,
      expected: '"http" or "tcp"',
      fix: "Use http to split requests or tcp to split connections.",
    });
  }
  const ids = Object.keys(plan.clusters);
  const entries = Object.entries(spec.weights ?? {});
  if (entries.length === 0) {
    out.push({
      path: `${path}.weights`,
      problem: "names no cluster",
      received: spec.weights,
      expected: "a weight per cluster id, summing to 100",
      fix: `Give each cluster its share, e.g. { ${ids
        .slice(0, 2)
        .map((id, i) => `${id}: ${i === 0 ? 90 : 10}`)
        .join(", ")} }.`,
    });
    return out;
  }
  let total = 0;
  let weightsValid = true;
  for (const [id, weight] of entries) {
    if (!hasOwn(plan.clusters, id)) {
      out.push({
        path: `${path}.weights.${id}`,
        problem: "is not a cluster of the mesh",
        received: id,
        expected: `one of ${ids.join(", ")}`,
        fix: `Use the id of a cluster of the mesh.${didYouMean(id, ids)}`,
      });
    }
    if (!Number.isInteger(weight) || weight < 0 || weight > 100) {
      weightsValid = false;
      out.push({
        path: `${path}.weights.${id}`,
        problem: "is not a weight",
        received: weight,
        expected: "a whole number from 0 to 100",
        fix: "Give the cluster's share of the traffic in percent.",
      });
    } else total += weight;
  }
  if (weightsValid && total !== 100) {
    out.push({
      path: `${path}.weights`,
      problem: `sum to ${total}, not 100`,
      received: spec.weights,
      expected: "weights summing to 100",
      fix: "Adjust the weights so that they add up to 100.",
    });
  }
  return out;
}

/**
 * The DestinationRule (one subset per cluster of the split, named by the cluster id) and the
 * VirtualService (the weights) of a split, in the split's namespace. Validate first
 * ({@link validateTrafficSplit}).
 */
export function trafficSplitObjects(plan: MeshPlan, spec: TrafficSplitSpec): ObjectData[] {
  const name = spec.name ?? hostObjectName(plan, spec.host, "split");
  const namespace = spec.namespace ?? hostNamespace(plan, spec.host) ?? plan.istio.namespace;
  const ids = Object.keys(spec.weights).sort();
  const route = ids.map((id) => ({
    destination: { host: spec.host, subset: id },
    weight: spec.weights[id]!,
  }));
  return [
    {
      apiVersion: ISTIO_NETWORKING_API,
      kind: "DestinationRule",
      metadata: { name, namespace },
      spec: { host: spec.host, subsets: ids.map((id) => ({ name: id, labels: { [CLUSTER_LABEL]: id } })) },
    },
    {
      apiVersion: ISTIO_NETWORKING_API,
      kind: "VirtualService",
      metadata: { name, namespace },
      spec: { hosts: [spec.host], [spec.protocol ?? "http"]: [{ route }] },
    },
  ];
}
