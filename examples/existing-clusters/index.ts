/**
 * Existing clusters: two clusters isthmus does not provision (on-premises, another tool's, kind),
 * adopted from their kubeconfigs, one multi-primary Istio mesh across them joined by east-west
 * gateways, helloworld in both and locality failover between them.
 *
 * Config:
 * - `kubeconfig1`, `kubeconfig2` (required, secret): the two clusters' kubeconfigs, whole files. A
 *   kubeconfig holds credentials, so store it encrypted:
 *
 *       pulumi config set --secret kubeconfig1 "$(cat ~/.kube/a.yaml)"
 *       pulumi config set --secret kubeconfig2 "$(cat ~/.kube/b.yaml)"
 *
 *   Each kubeconfig's current-context is used; its cluster entry must carry the CA inline
 *   (`certificate-authority-data`: `kubectl config view --raw --flatten --minify` writes one) and a
 *   server address the other cluster can reach (not 127.0.0.1: set `endpoint1` / `endpoint2`).
 *   Exec-plugin users (`aws eks get-token`, `gke-gcloud-auth-plugin`) are fine: istiod's remote
 *   secrets are built from a service-account token, not from these kubeconfigs.
 * - `region1`, `region2` (required): each cluster's region, exactly as its nodes' label
 *   `topology.kubernetes.io/region` says (`kubectl get nodes -L topology.kubernetes.io/region`):
 *   Istio's locality failover matches on that label.
 * - `endpoint1`, `endpoint2` (optional): the API server URL as the other cluster's istiod reaches it,
 *   when it differs from the kubeconfig's server.
 * - `mesh` (optional): a whole MeshSpec instead, with clusters `cluster1` and `cluster2`.
 */
import * as pulumi from "@pulumi/pulumi";
import { MultiClusterMesh, planMesh, type MeshSpec } from "../../lib";
import { ExistingCluster } from "../../lib/existing";
import { helloworld, helloworldFailover } from "../shared/helloworld";

const config = new pulumi.Config();
const spec: MeshSpec = config.getObject<MeshSpec>("mesh") ?? {
  meshID: "demo",
  clusters: {
    cluster1: { cloud: "existing", region: config.require("region1") },
    cluster2: { cloud: "existing", region: config.require("region2") },
  },
};

const plan = planMesh(spec);
const adopt = (id: string, n: number): ExistingCluster => {
  const endpoint = config.get(`endpoint${n}`);
  return new ExistingCluster(`demo-${id}`, {
    plan,
    clusterId: id,
    kubeconfig: config.requireSecret(`kubeconfig${n}`),
    ...(endpoint === undefined ? {} : { endpoint }),
  });
};
const mesh = new MultiClusterMesh("demo", {
  spec,
  clusters: { cluster1: adopt("cluster1", 1).cluster, cluster2: adopt("cluster2", 2).cluster },
  services: [helloworld(plan)],
  failoverPolicies: [helloworldFailover(plan)],
});

export const clusterStatus = mesh.clusterStatus;
export const certificateExpiry = mesh.certificateExpiry;
export const networks = Object.fromEntries(Object.values(mesh.plan.clusters).map((c) => [c.id, c.network]));
