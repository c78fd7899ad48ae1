/**
 * Two regions on Google Cloud: two VPC-native GKE clusters in two regions, one multi-primary Istio
 * mesh across them joined by east-west gateways, helloworld in both regions and locality failover
 * between them.
 *
 * Config:
 * - `gcp:project` or `project` (required): the Google Cloud project id both clusters are created in
 *   (`pulumi config set gcp:project my-project`);
 * - `region1`, `region2` (optional): Google Cloud regions, `us-east1` and `us-west1` by default;
 * - `mesh` (optional): a whole MeshSpec instead (every cluster's cloud must be `gcp`).
 */
import * as pulumi from "@pulumi/pulumi";
import { MultiClusterMesh, planMesh, type MeshSpec } from "../../lib";
import { GkeCluster } from "../../lib/gcp";
import { gcpProject } from "../shared/gcp-project";
import { helloworldDocument } from "../shared/helloworld";

const config = new pulumi.Config();
const project = gcpProject(config);
const spec: MeshSpec = config.getObject<MeshSpec>("mesh") ?? {
  meshID: "demo",
  clusters: {
    region1: { cloud: "gcp", region: config.get("region1") || "us-east1" },
    region2: { cloud: "gcp", region: config.get("region2") || "us-west1" },
  },
};

const plan = planMesh(helloworldDocument(spec));
const clusters = Object.fromEntries(
  Object.keys(plan.clusters).map((id) => [
    id,
    new GkeCluster(`demo-${id}`, { plan, clusterId: id, project }).cluster,
  ]),
);
const mesh = new MultiClusterMesh("demo", {
  plan,
  clusters,
});

export const clusterStatus = mesh.clusterStatus;
export const certificateExpiry = mesh.certificateExpiry;
export const networks = Object.fromEntries(Object.values(mesh.plan.clusters).map((c) => [c.id, c.network]));
