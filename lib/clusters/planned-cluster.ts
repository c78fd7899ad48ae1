/**
 * The start every cluster adapter's argument check shares: the `clusterId` it is given names a
 * cluster of the plan, and, for an adapter that provisions one cloud, a cluster of that cloud.
 */
import type { ClusterPlan, MeshPlan } from "../core/mesh-plan";
import { didYouMean, type SpecProblem } from "../core/problems";
import type { Cloud } from "../core/spec";

/** The adapter that stands up a cluster of each cloud, as the fix of a cloud mismatch names it. */
const ADAPTER_FIX: Readonly<Record<Cloud, string>> = {
  aws: "Provision it with EksCluster.",
  gcp: "Provision it with GkeCluster.",
  existing: "Adopt it with ExistingCluster.",
};

/**
 * The planned cluster an adapter stands up, with what is wrong with `clusterId`: it names no cluster
 * of the plan, or (with `cloud`) a cluster of another cloud. `cluster` is set only when there is no
 * such problem, so that the adapter checks the rest of its arguments against a cluster it can use.
 * @param plan - the adapter's `plan` argument (a JavaScript caller may leave it out)
 * @param clusterId - the adapter's `clusterId` argument
 * @param cloud - the cloud the adapter provisions; `undefined` for one that adopts a cluster of any cloud
 */
export function plannedCluster(
  plan: MeshPlan | undefined,
  clusterId: string,
  cloud?: Exclude<Cloud, "existing">,
): { readonly cluster?: ClusterPlan; readonly problems: SpecProblem[] } {
  const ids = Object.keys(plan?.clusters ?? {});
  const c = plan?.clusters?.[clusterId];
  if (c === undefined) {
    const which = cloud === undefined ? "the cluster" : `${cloud === "aws" ? "an" : "a"} ${cloud} cluster`;
    return {
      problems: [
        {
          path: "clusterId",
          problem: "is not a cluster of the mesh",
          received: clusterId,
          expected:
            ids.length > 0 ? `one of ${ids.map((id) => JSON.stringify(id)).join(", ")}` : "a cluster id",
          fix: `Use the key of ${which} in the spec's clusters.${didYouMean(clusterId ?? "", ids)}`,
        },
      ],
    };
  }
  if (cloud !== undefined && c.cloud !== cloud) {
    return {
      problems: [
        {
          path: "clusterId",
          problem: `names a ${c.cloud} cluster`,
          received: clusterId,
          expected: `a cluster with cloud "${cloud}"`,
          fix: ADAPTER_FIX[c.cloud] ?? ADAPTER_FIX.existing,
        },
      ],
    };
  }
  return { cluster: c, problems: [] };
}
