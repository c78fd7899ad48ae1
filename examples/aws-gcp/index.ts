/**
 * Two clouds: an EKS cluster on AWS and a GKE cluster on Google Cloud, one multi-primary Istio mesh
 * across them in `gateways` mode (one Istio network per cluster; pods reach the other cloud through
 * its internet-facing east-west gateway on port 15443, mTLS passthrough), helloworld in both and
 * locality failover between them.
 *
 * The clouds' own region names are the localities Istio fails over between (`us-east-1` on AWS,
 * `us-east1` on Google Cloud), so failover works even when both are "the same" place.
 *
 * Config:
 * - `gcp:project` or `project` (required): the Google Cloud project id of the GKE cluster;
 * - `awsRegion` (optional): the EKS cluster's AWS region, `us-east-1` by default;
 * - `gcpRegion` (optional): the GKE cluster's Google Cloud region, `us-east1` by default;
 * - `mesh` (optional): a whole MeshSpec instead, with clusters `aws` (cloud `aws`) and `gcp` (cloud `gcp`).
 */
import * as pulumi from "@pulumi/pulumi";
import { MultiClusterMesh, planMesh, type MeshSpec } from "../../lib";
import { EksCluster } from "../../lib/aws";
import { GkeCluster } from "../../lib/gcp";
import { gcpProject } from "../shared/gcp-project";
import { helloworldDocument } from "../shared/helloworld";

const config = new pulumi.Config();
const project = gcpProject(config);
const spec: MeshSpec = config.getObject<MeshSpec>("mesh") ?? {
  meshID: "demo",
  networkMode: "gateways",
  clusters: {
    aws: { cloud: "aws", region: config.get("awsRegion") || "us-east-1" },
    gcp: { cloud: "gcp", region: config.get("gcpRegion") || "us-east1" },
  },
};

const plan = planMesh({
  ...helloworldDocument(spec),
  // Across clouds there is no private path: each gateway is reached over the internet (mTLS only).
  eastWestGateways: {
    aws: { exposure: "internet-facing" },
    gcp: { exposure: "internet-facing" },
  },
});
const eks = new EksCluster("demo-aws", { plan, clusterId: "aws" });
const gke = new GkeCluster("demo-gcp", { plan, clusterId: "gcp", project });
const mesh = new MultiClusterMesh("demo", { plan, clusters: { aws: eks.cluster, gcp: gke.cluster } });

export const clusterStatus = mesh.clusterStatus;
export const certificateExpiry = mesh.certificateExpiry;
export const networks = Object.fromEntries(Object.values(mesh.plan.clusters).map((c) => [c.id, c.network]));
