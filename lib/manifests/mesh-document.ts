/**
 * Renders a whole mesh document for GitOps: per cluster, the Kubernetes objects of every feature
 * and the files that are not Kubernetes objects (Helm values, DNS and WireGuard configs). The same
 * constructs the Pulumi components apply; nothing here holds key material.
 */
import type { HelmReleaseFile } from "../core/helm-values-file";
import type { MeshPlan } from "../core/mesh-plan";
import { planMeshDocument, type MeshDocument } from "../core/mesh-document";
import { chartFeature, meshFeatures } from "./features";
import { istioHelmValuesFiles } from "./istio-installation";
import { renderMesh, type KubernetesObject } from "./render-mesh";
import { wireGuardTemplateFiles } from "./wireguard-gateway";

export type { MeshDocument } from "../core/mesh-document";

/** A file beside a cluster's manifests that is not a Kubernetes object nor YAML. */
export interface ClusterFile {
  /** File name, e.g. `wireguard/wg0.conf.template`. */
  readonly name: string;
  readonly text: string;
}

/** A rendered document. */
export interface RenderedMeshDocument {
  readonly plan: MeshPlan;
  readonly clusters: Readonly<Record<string, RenderedCluster>>;
}

/** One cluster of a rendered document. */
export interface RenderedCluster {
  /** The Kubernetes objects, for the folder a GitOps tool applies. */
  readonly objects: readonly KubernetesObject[];
  /** Istio's (and the east-west gateway's) Helm releases, in install order: written apart. */
  readonly helmReleases: readonly HelmReleaseFile[];
  /** Other files (the WireGuard config template). */
  readonly files: readonly ClusterFile[];
}

/**
 * Validates, plans and renders a document (or a bare MeshSpec).
 * @throws MeshSpecError with every problem of the document at once
 */
export function renderMeshDocument(input: MeshDocument | unknown): RenderedMeshDocument {
  return renderMeshPlan(planMeshDocument(input));
}

/** Renders a plan: every feature of the table into the charts of its clusters, and the files beside them. */
export function renderMeshPlan(plan: MeshPlan): RenderedMeshDocument {
  const rendered = renderMesh(plan, meshFeatures(plan).map(chartFeature));
  const clusters: Record<string, RenderedCluster> = {};
  for (const id of Object.keys(plan.clusters)) {
    clusters[id] = {
      objects: rendered[id]!.objects,
      helmReleases: clusterReleases(plan, id),
      files: wireGuardTemplateFiles(plan, id),
    };
  }
  return { plan, clusters };
}

/** A cluster's Helm releases (Istio's, then the east-west gateway's), with their values. */
function clusterReleases(plan: MeshPlan, id: string): HelmReleaseFile[] {
  const releases: HelmReleaseFile[] = istioHelmValuesFiles(plan, id).map((f) => ({
    release: f.chart.releaseName,
    namespace: f.chart.namespace,
    chart: f.chart.chart,
    version: f.chart.version,
    repository: f.chart.repository,
    values: f.values,
  }));
  const gateway = plan.clusters[id]!.eastWestGateway;
  if (gateway !== undefined) {
    releases.push({
      release: gateway.release,
      namespace: gateway.namespace,
      chart: gateway.chart.name,
      version: gateway.chart.version,
      repository: gateway.chart.repository,
      values: gateway.values,
    });
  }
  return releases;
}
