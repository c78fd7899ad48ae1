/**
 * The two-region demo: two EKS clusters in two AWS regions, one multi-primary Istio mesh across
 * them joined by east-west gateways, helloworld in both regions and locality failover between them.
 *
 * Config (all optional): `region1`, `region2` (AWS regions), `mesh` (a whole MeshSpec instead).
 */
import * as pulumi from "@pulumi/pulumi";
import type { MeshSpec } from "../../lib";
import { eksMesh } from "./demo";

const config = new pulumi.Config();
const spec: MeshSpec = config.getObject<MeshSpec>("mesh") ?? {
  meshID: "demo",
  clusters: {
    region1: { cloud: "aws", region: config.get("region1") || "us-east-1" },
    region2: { cloud: "aws", region: config.get("region2") || "us-west-2" },
  },
};
const mesh = eksMesh("demo", spec);

export const clusterStatus = mesh.clusterStatus;
export const certificateExpiry = mesh.certificateExpiry;
export const networks = Object.fromEntries(Object.values(mesh.plan.clusters).map((c) => [c.id, c.network]));
