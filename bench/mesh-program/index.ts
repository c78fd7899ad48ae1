/**
 * A generated mesh of existing clusters, for timing `isthmus plan` at scale (`npm run bench`):
 *
 *     isthmus plan bench/mesh-program --config <file with clusters, model, slots>
 *
 * Config: `clusters` (count), `model` (`multi-primary` or `primary-remote`: one primary, `c0000`),
 * `slots` (optional `allocation.slots`). Existing clusters: the mesh alone, no cloud resources.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MultiClusterMesh, type MeshSpec } from "../../lib";
import type { MeshCluster } from "../../lib/base/mesh-cluster";
import { benchMeshSpec } from "../mesh-spec";

const config = new pulumi.Config();
const spec: MeshSpec = benchMeshSpec(
  config.requireNumber("clusters"),
  (config.get("model") ?? "multi-primary") as "multi-primary" | "primary-remote",
  config.getNumber("slots"),
);

const clusters: Record<string, MeshCluster> = Object.fromEntries(
  Object.keys(spec.clusters).map((id) => [
    id,
    {
      id,
      // A GKE context: its load balancers publish IPs (as MetalLB does on premises), which a primary
      // exposing istiod to remotes needs (an ELB host name would make the remote's istiod an ExternalName).
      provider: new k8s.Provider(`${id}-k8s`, {
        kubeconfig: pulumi.secret(`apiVersion: v1\ncurrent-context: gke_bench_dc_${id}\n`),
        clusterIdentifier: id,
      }),
      endpoint: `https://${id}.bench.test`,
      certificateAuthority: `-----BEGIN CERTIFICATE-----\nYmVuY2g=\n-----END CERTIFICATE-----\n`,
    },
  ]),
);

new MultiClusterMesh("bench", { spec, clusters });
