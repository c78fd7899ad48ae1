/**
 * The one type of a rendered Kubernetes object: what the planners of `lib/core` return, the cdk8s
 * charts render, `isthmus synth` writes and the Pulumi components register.
 */

/** The metadata of a rendered Kubernetes object. */
export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly [field: string]: unknown;
}

/** A rendered Kubernetes or Istio object as plain data (what `kubectl apply` reads). */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
  readonly [field: string]: unknown;
}
