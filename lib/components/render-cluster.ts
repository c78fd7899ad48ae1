/**
 * Renders one cluster's objects for one feature, through the same cdk8s constructs `isthmus synth`
 * uses, so a component applies exactly what GitOps users get.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { MeshCluster } from "../base/mesh-cluster";
import type { MeshPlan } from "../core/mesh-plan";
import type { MeshFeature } from "../manifests/features";
import { renderMesh, type ChartFeature, type KubernetesObject } from "../manifests/render-mesh";
import { applyObjects } from "./kubernetes-objects";

/** The objects `feature` renders for `clusterId`. */
export function renderCluster(
  plan: MeshPlan,
  clusterId: string,
  feature: ChartFeature,
): readonly KubernetesObject[] {
  return renderMesh(plan, [feature], [clusterId])[clusterId]?.objects ?? [];
}

/** Whether an object is an Istio custom resource (its CRD comes with the `base` chart). */
export function isIstioResource(object: KubernetesObject): boolean {
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
  /**
   * Apply it only in these of its clusters: a fleet stack applies the part that lands in the
   * clusters it owns. Ids the plan does not place it in get nothing.
   * @default - every cluster the plan places it in
   */
  readonly onlyIn?: readonly string[];
}

/**
 * Renders an entry of the feature table in each of its clusters and applies what it renders there
 * through that cluster's provider; a cluster where it renders nothing gets nothing. Child names are
 * `<namePrefix>-<cluster>-<kind>-<namespace>-<name>`.
 */
export function applyFeature(
  parent: pulumi.Resource,
  namePrefix: string,
  target: FeatureTarget,
  feature: MeshFeature,
): Record<string, readonly KubernetesObject[]> {
  const clusters =
    target.onlyIn === undefined
      ? feature.clusters
      : feature.clusters.filter((id) => target.onlyIn!.includes(id));
  const rendered = renderMesh(target.plan, [feature.render], clusters);
  // Every handle is checked before the first object is applied: nothing is half-created.
  const missing = Object.keys(rendered).filter(
    (id) => rendered[id]!.objects.length > 0 && !Object.prototype.hasOwnProperty.call(target.clusters, id),
  );
  if (missing.length > 0) throw new Error(`${namePrefix}: no cluster handle for ${missing.join(", ")}`);
  for (const [id, manifests] of Object.entries(rendered)) {
    if (manifests.objects.length === 0) continue;
    const cluster = target.clusters[id]!;
    applyObjects(manifests.objects, {
      provider: cluster.provider,
      parent,
      namePrefix: `${namePrefix}-${id}`,
      dependsOn: [...(target.dependsOn?.[id] ?? [])],
    });
  }
  return Object.fromEntries(Object.entries(rendered).map(([id, m]) => [id, m.objects]));
}
