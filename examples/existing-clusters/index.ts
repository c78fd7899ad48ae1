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
 * - `chartRepository` (optional): a mirror of Istio's Helm repository (air-gapped sites).
 * - Intermediates from your own CA (optional; Vault, a corporate PKI): `caRoot` (the root, PEM),
 *   `caCert1` / `caCert2` (each primary's intermediate, PEM) and `caKey1` / `caKey2` (their keys,
 *   secret). Without them isthmus generates a root and the intermediates and keeps them in state.
 *
 *       pulumi config set caRoot "$(cat root.pem)"
 *       pulumi config set caCert1 "$(cat cluster1.pem)" && pulumi config set --secret caKey1 "$(cat cluster1.key)"
 */
import * as pulumi from "@pulumi/pulumi";
import { MultiClusterMesh, planMesh, type MeshSpec, type MeshTrustSpec } from "../../lib";
import { ExistingCluster } from "../../lib/existing";
import { helloworldDocument } from "../shared/helloworld";

const config = new pulumi.Config();
const chartRepository = config.get("chartRepository");
const spec: MeshSpec = config.getObject<MeshSpec>("mesh") ?? {
  meshID: "demo",
  clusters: {
    cluster1: { cloud: "existing", region: config.require("region1") },
    cluster2: { cloud: "existing", region: config.require("region2") },
  },
  ...(chartRepository === undefined ? {} : { istio: { chartRepository } }),
};

const caRoot = config.get("caRoot");
const trust: MeshTrustSpec<pulumi.Input<string>> | undefined =
  caRoot === undefined
    ? undefined
    : {
        bringYourOwnIntermediates: {
          rootCertPem: caRoot,
          clusters: {
            cluster1: { certPem: config.require("caCert1"), keyPem: config.requireSecret("caKey1") },
            cluster2: { certPem: config.require("caCert2"), keyPem: config.requireSecret("caKey2") },
          },
        },
      };

const document = helloworldDocument(spec);
const plan = planMesh(document);
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
  plan,
  clusters: { cluster1: adopt("cluster1", 1).cluster, cluster2: adopt("cluster2", 2).cluster },
  ...(trust === undefined ? {} : { trust }),
});

export const clusterStatus = mesh.clusterStatus;
export const certificateExpiry = mesh.certificateExpiry;
export const networks = Object.fromEntries(Object.values(mesh.plan.clusters).map((c) => [c.id, c.network]));
/**
 * The mesh document (plain data, no secret), for `isthmus verify` after `pulumi up`:
 *
 *     pulumi stack output meshDocument --json > mesh.json
 *     isthmus verify mesh.json --kubeconfig cluster1=a.yaml --kubeconfig cluster2=b.yaml
 */
export const meshDocument = document;
