/**
 * The flat-network demo: two EKS clusters in two AWS regions, their pod networks joined by a
 * WireGuard link (a gateway instance per region, routes in each VPC), one multi-primary Istio mesh
 * on ONE network (no east-west gateways), and each region's CoreDNS forwarding the other region's
 * alias zone (`cluster.region2`) over the tunnel. helloworld runs in both regions with locality
 * failover between them.
 *
 * The mesh comes from `mesh.yaml` beside this file (the same file `isthmus synth` renders), or from
 * the stack config `mesh` (a whole MeshSpec in `wireguard` mode).
 *
 * Istio does not wait on the tunnel: each installation needs only its own cluster's API, and the
 * remote secrets reach the other API server over its public endpoint. Cross-region pod traffic flows
 * once both the mesh and the tunnel are up.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { FlatNetwork, MultiClusterMesh, planMesh, type MeshSpec } from "../../lib";
import { EksCluster } from "../../lib/aws";
import { helloworldDocument } from "../shared/helloworld";

const config = new pulumi.Config();
const spec: MeshSpec =
  config.getObject<MeshSpec>("mesh") ??
  (parse(readFileSync(path.join(__dirname, "mesh.yaml"), "utf8")) as MeshSpec);

const plan = planMesh(helloworldDocument(spec));
const eks = Object.fromEntries(
  Object.keys(plan.clusters).map((id) => [id, new EksCluster(`demo-${id}`, { plan, clusterId: id })]),
);
const network = new FlatNetwork("demo", { plan, clusters: eks });
const mesh = new MultiClusterMesh("demo", {
  plan,
  clusters: Object.fromEntries(Object.entries(eks).map(([id, c]) => [id, c.cluster])),
});

export const clusterStatus = mesh.clusterStatus;
export const certificateExpiry = mesh.certificateExpiry;
export const wireguardEndpoints = network.endpoints;
export const wireguardPublicKeys = network.publicKeys;
export const dnsAddresses = Object.fromEntries(
  Object.entries(plan.wireguard?.gateways ?? {}).map(([id, g]) => [id, g.dnsAddress]),
);
