/**
 * Renders a mesh plan into each cluster's Kubernetes objects and Helm values: the one rendering both
 * `isthmus synth` (GitOps) and the Pulumi components apply.
 */
import { App } from "cdk8s";
import type { MeshPlan } from "../core/mesh-plan";
import { ClusterChart } from "./cluster-chart";
import type { KubernetesObject } from "../core/kubernetes-object";

export type { KubernetesObject } from "../core/kubernetes-object";

/** What one cluster gets. */
export interface ClusterManifests {
  /** The cluster's Kubernetes objects, in dependency-friendly order (namespaces first). */
  readonly objects: readonly KubernetesObject[];
}

/** A feature that adds its constructs to each cluster's chart. */
export type ChartFeature = (chart: ClusterChart) => void;

/**
 * Renders each cluster's chart; features run in order on each chart.
 * @param only - render only these clusters (default: all)
 */
export function renderMesh(
  plan: MeshPlan,
  features: readonly ChartFeature[],
  only?: readonly string[],
): Record<string, ClusterManifests> {
  const app = new App();
  const out: Record<string, ClusterManifests> = {};
  for (const id of only ?? Object.keys(plan.clusters)) {
    const chart = new ClusterChart(app, plan, id);
    for (const feature of features) feature(chart);
    out[id] = { objects: chart.toJson() as KubernetesObject[] };
  }
  return out;
}
