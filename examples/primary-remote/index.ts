/**
 * Primary-remote: istiod runs in one primary EKS cluster; two remotes in other regions use it through
 * its exposed istiod (east-west gateway, ports 15012 and 15017): O(N) remote secrets instead of N·(N−1).
 *
 * Config (all optional): `primary`, `remote1`, `remote2` (AWS regions), `mesh` (a whole MeshSpec).
 */
import * as pulumi from "@pulumi/pulumi";
import type { MeshSpec } from "../../lib";
import { eksMesh } from "../aws-two-region/demo";

const config = new pulumi.Config();
const spec: MeshSpec = config.getObject<MeshSpec>("mesh") ?? {
  meshID: "demo",
  controlPlane: { model: "primary-remote", primaries: ["primary"] },
  clusters: {
    primary: { cloud: "aws", region: config.get("primary") || "us-east-1" },
    remote1: { cloud: "aws", region: config.get("remote1") || "us-west-2" },
    remote2: { cloud: "aws", region: config.get("remote2") || "eu-west-1" },
  },
};
const mesh = eksMesh("demo", spec);

export const clusterStatus = mesh.clusterStatus;
export const certificateExpiry = mesh.certificateExpiry;
