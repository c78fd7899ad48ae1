/**
 * The demo's workload: Istio's helloworld sample in every cluster (a different version per region,
 * so responses show which region answered), with locality failover between the two regions. Both
 * read the spec only, so they can go into the document `planMesh` plans.
 */
import type { FailoverPolicySpec, MeshDocument, MeshServiceSpec, MeshSpec } from "../../lib";

/** The spec with helloworld in every cluster and its failover: the demo's whole document. */
export function helloworldDocument(spec: MeshSpec): MeshDocument {
  return { mesh: spec, services: [helloworld(spec)], failoverPolicies: [helloworldFailover(spec)] };
}

/** helloworld in every cluster: v1 in the first cluster by id, v2 in the others. */
export function helloworld(spec: MeshSpec): MeshServiceSpec {
  // By id, not by position: reordering the clusters of a spec changes nothing.
  const ids = Object.keys(spec.clusters).sort();
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

/** Each region fails over to the next one (and the last to the first), clusters by id. */
export function helloworldFailover(spec: MeshSpec): FailoverPolicySpec {
  const ids = Object.keys(spec.clusters).sort();
  const regions = [...new Set(ids.map((id) => spec.clusters[id]!.region))];
  return {
    // Istio's default cluster domain, unless the spec sets one.
    host: `helloworld.sample.svc.${spec.clusterDomain ?? "cluster.local"}`,
    failover:
      regions.length < 2 ? [] : regions.map((from, i) => ({ from, to: regions[(i + 1) % regions.length]! })),
  };
}
