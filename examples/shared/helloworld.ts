/**
 * The demo's workload: Istio's helloworld sample in every cluster (a different version per region,
 * so responses show which region answered), with locality failover between the two regions.
 */
import type { FailoverPolicySpec, MeshPlan, MeshServiceSpec } from "../../lib";

/** helloworld in every cluster: v1 in the first cluster by id, v2 in the others. */
export function helloworld(plan: MeshPlan): MeshServiceSpec {
  // By id, not by position: reordering the clusters of a spec changes nothing.
  const ids = Object.keys(plan.clusters).sort();
  return {
    name: "helloworld",
    namespace: "sample",
    image: "docker.io/istio/examples-helloworld-v1:1.0",
    ports: [{ name: "http", port: 5000 }],
    replicas: 2,
    // The sample answers with SERVICE_VERSION, so responses tell which region answered.
    env: { SERVICE_VERSION: "v1" },
    clusters: Object.fromEntries(
      ids.map((id, i) => [id, i === 0 ? {} : { version: "v2", env: { SERVICE_VERSION: "v2" } }]),
    ),
  };
}

/** Each region fails over to the next one (and the last to the first). */
export function helloworldFailover(plan: MeshPlan): FailoverPolicySpec {
  const regions = [...new Set(Object.values(plan.clusters).map((c) => c.region))];
  return {
    host: `helloworld.sample.svc.${plan.clusterDomain}`,
    failover:
      regions.length < 2 ? [] : regions.map((from, i) => ({ from, to: regions[(i + 1) % regions.length]! })),
  };
}
