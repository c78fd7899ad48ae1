/**
 * Renders a whole mesh document for GitOps: per cluster, the Kubernetes objects of every feature
 * and the files that are not Kubernetes objects (Helm values, DNS and WireGuard configs). The same
 * constructs the Pulumi components apply; nothing here holds key material.
 */
import { stringify } from "yaml";
import type { MeshPlan } from "../core/mesh-plan";
import { planMeshDocument, type MeshDocument } from "../core/mesh-document";
import { chartFeature, meshFeatures } from "./features";
import { istioHelmValuesFiles } from "./istio-installation";
import { renderMesh, type KubernetesObject } from "./render-mesh";
import { wireGuardTemplateFiles } from "./wireguard-gateway";

export type { MeshDocument } from "../core/mesh-document";

/** A file beside a cluster's manifests. */
export interface ClusterFile {
  /** File name, e.g. `istiod.values.yaml`. */
  readonly name: string;
  readonly text: string;
}

/** A rendered document. */
export interface RenderedMeshDocument {
  readonly plan: MeshPlan;
  readonly clusters: Readonly<
    Record<string, { readonly objects: readonly KubernetesObject[]; readonly files: readonly ClusterFile[] }>
  >;
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
  const clusters: Record<string, { objects: readonly KubernetesObject[]; files: ClusterFile[] }> = {};
  for (const id of Object.keys(plan.clusters)) {
    clusters[id] = { objects: rendered[id]!.objects, files: clusterFiles(plan, id) };
  }
  return { plan, clusters };
}

/** Helm values files (Istio, east-west gateway) and the WireGuard config template of a cluster. */
function clusterFiles(plan: MeshPlan, id: string): ClusterFile[] {
  const files: ClusterFile[] = istioHelmValuesFiles(plan, id).map((f) => ({
    name: f.fileName,
    text: helmValuesText(f.chart.releaseName, f.chart.namespace, f.chart, f.values),
  }));
  const gateway = plan.clusters[id]!.eastWestGateway;
  if (gateway !== undefined) {
    files.push({
      name: `${gateway.release}.values.yaml`,
      text: helmValuesText(
        gateway.release,
        gateway.namespace,
        { chart: gateway.chart.name, version: gateway.chart.version, repository: gateway.chart.repository },
        gateway.values,
      ),
    });
  }
  files.push(...wireGuardTemplateFiles(plan, id));
  return files;
}

/** A values file whose first line is the exact Helm command that installs it. */
function helmValuesText(
  release: string,
  namespace: string,
  chart: { readonly chart: string; readonly version: string; readonly repository: string },
  values: unknown,
): string {
  const command = `helm upgrade --install ${release} ${chart.chart} --repo ${chart.repository} --version ${chart.version} --namespace ${namespace} --values ${release}.values.yaml`;
  return `# ${command}\n${stringify(values)}`;
}
