/** The generated meshes the bench plans: `size` existing clusters `c0000`… in one of the two models. */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { MeshCluster } from "../lib/base/mesh-cluster";
import type { MeshSpec } from "../lib/core";
import { fakePem } from "../lib/testing/mock-outputs";

export function benchMeshSpec(
  size: number,
  model: "multi-primary" | "primary-remote",
  slots?: number,
): MeshSpec {
  const ids = Array.from({ length: size }, (_, i) => `c${String(i).padStart(4, "0")}`);
  const space =
    slots ?? (size > 32 ? [128, 256, 512, 1024, 2048, 4096].find((n) => n >= size * 2) : undefined);
  return {
    meshID: "bench",
    ...(space === undefined ? {} : { allocation: { slots: space } }),
    ...(model === "primary-remote" ? { controlPlane: { model, primaries: [ids[0]!] } } : {}),
    clusters: Object.fromEntries(
      ids.map((id, i) => [id, { cloud: "existing" as const, region: `dc${i % 16}` }]),
    ),
  };
}

/**
 * Handles for the spec's existing clusters: the mesh alone, without cloud resources. Each kubeconfig
 * names a GKE context, so its load balancers publish IPs (as MetalLB does on premises), which a
 * primary exposing istiod to remotes needs (an ELB host name would make the remote's istiod an
 * ExternalName Service, which kube-apiserver refuses as a webhook target).
 */
export function existingHandles(spec: MeshSpec): Record<string, MeshCluster> {
  return Object.fromEntries(
    Object.keys(spec.clusters).map((id) => [
      id,
      {
        id,
        provider: new k8s.Provider(`${id}-k8s`, {
          kubeconfig: pulumi.secret(`apiVersion: v1\ncurrent-context: gke_bench_dc_${id}\n`),
          clusterIdentifier: id,
        }),
        endpoint: `https://${id}.bench.test`,
        certificateAuthority: fakePem("CERTIFICATE", id),
      },
    ]),
  );
}
