/**
 * Applies rendered Kubernetes objects (the cdk8s charts' output) through one cluster's provider.
 *
 * Each object becomes a Pulumi resource of its own Kubernetes type token
 * (`kubernetes:<group>/<version>:<Kind>`, `core` for the core group), exactly as the typed classes of
 * @pulumi/kubernetes register them, so the plan the charts render is the plan Pulumi applies.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KubernetesObject } from "../core/kubernetes-object";

export type { KubernetesObject } from "../core/kubernetes-object";

/** The Pulumi type token of a Kubernetes object (`apps/v1` Deployment → `kubernetes:apps/v1:Deployment`). */
export function kubernetesTypeToken(apiVersion: string, kind: string): string {
  const group = apiVersion.includes("/") ? apiVersion : `core/${apiVersion}`;
  return `kubernetes:${group}:${kind}`;
}

/** The stable child-name suffix of an object: `<kind>-<namespace>-<name>`, lower case. */
export function objectKey(object: KubernetesObject): string {
  const ns = object.metadata.namespace;
  return [object.kind.toLowerCase(), ...(ns ? [ns] : []), object.metadata.name].join("-");
}

/** A Kubernetes object of any kind, registered under its real type token. */
export class KubernetesObjectResource extends pulumi.CustomResource {
  constructor(name: string, object: KubernetesObject, opts: pulumi.CustomResourceOptions) {
    super(kubernetesTypeToken(object.apiVersion, object.kind), name, { ...object }, opts);
  }
}

/** Options for {@link applyObjects}. */
export interface ApplyOptions {
  /** The cluster's provider: every object goes through it, never the default one. */
  readonly provider: k8s.Provider;
  /** The parent component. */
  readonly parent: pulumi.Resource;
  /** Child names are `<prefix>-<kind>-<namespace>-<name>`. */
  readonly namePrefix: string;
  /**
   * What every object waits for (e.g. the `base` release that installs Istio's CRDs).
   * @default - nothing
   */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * Registers each object; returns them keyed by {@link objectKey}. An object in a namespace that the
 * same batch creates waits for that Namespace as well.
 */
export function applyObjects(
  objects: readonly KubernetesObject[],
  options: ApplyOptions,
): Record<string, pulumi.CustomResource> {
  const out: Record<string, pulumi.CustomResource> = {};
  const namespaces: Record<string, pulumi.CustomResource> = {};
  const ordered = [...objects].sort(
    (a, b) => Number(b.kind === "Namespace") - Number(a.kind === "Namespace"),
  );
  for (const object of ordered) {
    const key = objectKey(object);
    const namespace =
      object.metadata.namespace === undefined ? undefined : namespaces[object.metadata.namespace];
    const dependsOn = [...(options.dependsOn ?? []), ...(namespace === undefined ? [] : [namespace])];
    out[key] = new KubernetesObjectResource(`${options.namePrefix}-${key}`, object, {
      parent: options.parent,
      provider: options.provider,
      ...(dependsOn.length > 0 ? { dependsOn } : {}),
    });
    if (object.kind === "Namespace") namespaces[object.metadata.name] = out[key];
  }
  return out;
}
