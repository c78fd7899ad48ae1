/**
 * The core-edge mesh: two core regions, each running istiod, and a handful of edge clusters (stores,
 * sites) attached to one core each. Discovery is hierarchical: each core reads the other core and its
 * own edges (2·1 + 5 = 7 remote secrets instead of 2·6 = 12, and P·(P−1) + (N−P) as the fleet grows);
 * the edges hold no credential to any other cluster and no CA key.
 *
 * Every cluster already exists (the cores on GKE, the stores on-premises) and is adopted from its
 * kubeconfig.
 */
import * as pulumi from "@pulumi/pulumi";
import type { MeshCluster, MeshPlan, MeshSpec } from "../../lib";
import { ExistingCluster } from "../../lib/existing";

/**
 * The default mesh: cores in GCP's us-east1 and europe-west1 (existing GKE clusters: their load
 * balancers publish IPs, which remotes need for istiod), three stores on the US core, two on the EU core.
 */
export const CORE_EDGE_SPEC: MeshSpec = {
  meshID: "retail",
  controlPlane: { model: "primary-remote", primaries: ["core-us", "core-eu"], discovery: "hierarchical" },
  clusters: {
    "core-us": { cloud: "existing", region: "us-east1" },
    "core-eu": { cloud: "existing", region: "europe-west1" },
    "store-nyc": { cloud: "existing", region: "us-east", controlPlaneCluster: "core-us" },
    "store-bos": { cloud: "existing", region: "us-east", controlPlaneCluster: "core-us" },
    "store-chi": { cloud: "existing", region: "us-central", controlPlaneCluster: "core-us" },
    "store-ber": { cloud: "existing", region: "eu-central", controlPlaneCluster: "core-eu" },
    "store-par": { cloud: "existing", region: "eu-west", controlPlaneCluster: "core-eu" },
  },
};

/** The mesh spec: config `mesh` (a whole MeshSpec), or {@link CORE_EDGE_SPEC}. */
export function coreEdgeSpec(): MeshSpec {
  return new pulumi.Config().getObject<MeshSpec>("mesh") ?? CORE_EDGE_SPEC;
}

/**
 * Adopts a cluster from config `kubeconfigs.<id>` (secret: `pulumi config set --secret --path
 * 'kubeconfigs.core-us' "$(cat core-us.yaml)"`); each kubeconfig's server must be an address the
 * cores' istiod reach, its CA inline (`kubectl config view --raw --flatten --minify`).
 */
export function adopt(id: string, plan: MeshPlan): MeshCluster {
  const kubeconfigs = new pulumi.Config().requireSecretObject<Record<string, string>>("kubeconfigs");
  return new ExistingCluster(`${plan.meshID}-${id}`, {
    plan,
    clusterId: id,
    kubeconfig: kubeconfigs.apply((all) => {
      const kubeconfig = all[id];
      if (kubeconfig === undefined) {
        throw new Error(
          `config kubeconfigs.${id}: is missing; got ${Object.keys(all).join(", ") || "no kubeconfig"}, expected a kubeconfig for every cluster. Set it: pulumi config set --secret --path 'kubeconfigs.${id}' "$(cat ${id}.yaml)".`,
        );
      }
      return kubeconfig;
    }),
  }).cluster;
}
