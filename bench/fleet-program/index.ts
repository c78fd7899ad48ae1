/**
 * A generated fleet: `ISTHMUS_FLEET_CLUSTERS` clusters (default 2,000), of which
 * `ISTHMUS_FLEET_CORES` (default 4) are cores (existing GKE clusters, one per core region) and the rest
 * edges (on-premises stores) spread evenly over the cores; hierarchical discovery; 50 edges per stack.
 * Planned offline by `npm run bench` (`isthmus plan bench/fleet-program`): 49 stacks at the default size.
 *
 * Every cluster sets its three ranges explicitly (a /22 node range, a /20 pod range and a /22 service
 * range, from its index), so that the plan needs no default allocation slot. The kubeconfigs are fake
 * (a made-up server, a placeholder CA, no credential); nothing here reaches a cluster.
 */
import * as pulumi from "@pulumi/pulumi";
import { ExistingCluster } from "../../lib/existing";
import { fleetProgram, meshFleet } from "../../lib/fleet";
import type { ClusterSpec, MeshSpec } from "../../lib";

const CLUSTERS = Number(process.env.ISTHMUS_FLEET_CLUSTERS ?? 2000);
const CORES = Number(process.env.ISTHMUS_FLEET_CORES ?? 4);
const CORE_REGIONS = [
  "us-east1",
  "us-west1",
  "europe-west1",
  "asia-east1",
  "southamerica-east1",
  "australia-southeast1",
];

/** The i-th block of `size` addresses (a power of two) counted from `base` (an IPv4 address). */
function block(base: string, size: number, i: number, prefix: number): string {
  const start = base.split(".").reduce((n, o) => n * 256 + Number(o), 0) + size * i;
  const octets = [24, 16, 8, 0].map((s) => (start >>> s) & 255);
  return `${octets.join(".")}/${prefix}`;
}

const cores = Array.from({ length: CORES }, (_, i) => `core-${i + 1}`);
const clusters: Record<string, ClusterSpec> = {};
for (let i = 0; i < CLUSTERS; i++) {
  const core = i < CORES;
  const id = core ? cores[i]! : `edge-${String(i - CORES + 1).padStart(4, "0")}`;
  const home = core ? i : (i - CORES) % CORES;
  clusters[id] = {
    cloud: "existing",
    region: core ? CORE_REGIONS[home % CORE_REGIONS.length]! : `site-${home + 1}`,
    cidrs: {
      node: block("10.128.0.0", 1024, i, 22),
      pod: block("10.0.0.0", 4096, i, 20),
      service: block("10.192.0.0", 1024, i, 22),
    },
    ...(core ? {} : { controlPlaneCluster: cores[home]! }),
  };
}
const spec: MeshSpec = {
  meshID: "fleet",
  controlPlane: { model: "primary-remote", primaries: cores, discovery: "hierarchical" },
  clusters,
};

/** A fake kubeconfig; a core's context is named the way `gcloud` names a GKE cluster's. */
function kubeconfig(id: string): string {
  const ca = Buffer.from(`-----BEGIN CERTIFICATE-----\nRkFLRQ==\n-----END CERTIFICATE-----\n`).toString(
    "base64",
  );
  const name = id.startsWith("core-") ? `gke_fleet_${clusters[id]!.region}_${id}` : `fake-${id}`;
  return [
    "apiVersion: v1",
    "kind: Config",
    `clusters: [{ name: ${name}, cluster: { server: "https://${id}.example.invalid:6443", certificate-authority-data: ${ca} } }]`,
    `contexts: [{ name: ${name}, context: { cluster: ${name}, user: none } }]`,
    `current-context: ${name}`,
    "users: [{ name: none, user: {} }]",
  ].join("\n");
}

export = fleetProgram(
  meshFleet({
    project: "isthmus-fleet-2000",
    spec,
    remotesPerStack: 50,
    cluster: (id, plan) =>
      new ExistingCluster(`fleet-${id}`, { plan, clusterId: id, kubeconfig: pulumi.secret(kubeconfig(id)) })
        .cluster,
  }),
);
