/**
 * Renders one cluster's objects for one feature, through the same cdk8s constructs `isthmus synth`
 * uses, so a component applies exactly what GitOps users get.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { MeshCluster } from "../base/mesh-cluster";
import type { MeshPlan } from "../core/mesh-plan";
import { renderMesh, type ChartFeature, type RenderedObject } from "../manifests/render-mesh";
import { applyObjects } from "./kubernetes-objects";

/** The objects `feature` renders for `clusterId`. */
export function renderCluster(
  plan: MeshPlan,
  clusterId: string,
  feature: ChartFeature,
): readonly RenderedObject[] {
  return renderMesh(plan, [feature], [clusterId])[clusterId]?.objects ?? [];
}

/** Whether an object is an Istio custom resource (its CRD comes with the `base` chart). */
export function isIstioResource(object: RenderedObject): boolean {
  return /\.istio\.io\//.test(object.apiVersion);
}

/** Where {@link applyFeature} applies a feature's objects. */
export interface FeatureTarget {
  readonly plan: MeshPlan;
  /** Every cluster's handle, by id. */
  readonly clusters: Readonly<Record<string, MeshCluster>>;
  /**
   * What the objects wait for in each cluster (its istiod: Istio's webhooks validate them).
   * @default - nothing
   */
  readonly dependsOn?: Readonly<Record<string, readonly pulumi.Resource[]>>;
}

/**
 * Renders a feature in every cluster and applies what it renders there through that cluster's
 * provider; a cluster where the feature renders nothing gets nothing. Child names are
 * `<namePrefix>-<cluster>-<kind>-<namespace>-<name>`.
 */
export function applyFeature(
  parent: pulumi.Resource,
  namePrefix: string,
  target: FeatureTarget,
  feature: ChartFeature,
): Record<string, readonly RenderedObject[]> {
  const rendered = renderMesh(target.plan, [feature]);
  for (const [id, manifests] of Object.entries(rendered)) {
    if (manifests.objects.length === 0) continue;
    const cluster = target.clusters[id];
    if (cluster === undefined) throw new Error(`${namePrefix}: no cluster handle for ${id}`);
    applyObjects(manifests.objects, {
      provider: cluster.provider,
      parent,
      namePrefix: `${namePrefix}-${id}`,
      dependsOn: [...(target.dependsOn?.[id] ?? [])],
    });
  }
  return Object.fromEntries(Object.entries(rendered).map(([id, m]) => [id, m.objects]));
}
