/**
 * The one lookup of a cluster in a plan, and the one wording of "not a cluster of the mesh".
 */
import type { MeshTopology } from "./mesh-plan";
import { didYouMean, formatProblem, type SpecProblem } from "./problems";

/**
 * The problem of a cluster id that is not one of `ids`.
 * @param fix - what to do instead; by default, use the id of a cluster of the mesh
 */
export function notAClusterProblem(
  path: string,
  received: string,
  ids: readonly string[],
  fix = "Use the id of a cluster of the mesh.",
): SpecProblem {
  return {
    path,
    problem: "is not a cluster of the mesh",
    received,
    expected: `one of ${ids.join(", ")}`,
    fix: `${fix}${didYouMean(received, ids)}`,
  };
}

/** Whether `clusterId` is a cluster of the plan (an own key: `constructor` is no cluster). */
export function isClusterOf(plan: MeshTopology, clusterId: string): boolean {
  return Object.prototype.hasOwnProperty.call(plan.clusters, clusterId);
}

/**
 * The cluster of a plan.
 * @param path - where the id came from, for the message
 * @throws Error in the words of {@link notAClusterProblem} when the plan has no such cluster
 */
export function clusterOf<P extends MeshTopology>(
  plan: P,
  clusterId: string,
  path = "clusterId",
): P["clusters"][string] {
  if (!isClusterOf(plan, clusterId)) {
    throw new Error(formatProblem(notAClusterProblem(path, clusterId, Object.keys(plan.clusters))));
  }
  return plan.clusters[clusterId] as P["clusters"][string];
}
