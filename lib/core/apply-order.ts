/**
 * The order in which a cluster's objects apply to a fresh cluster in one pass: what others need first
 * (Namespaces, then CRDs, accounts, Secrets and roles), workloads after their Services, admission
 * webhooks after the workloads that serve them, and custom resources (Istio's DestinationRules,
 * Gateways…) last, once their CustomResourceDefinitions exist. It follows Helm's install order
 * (`pkg/release/util/kind_sorter.go` `InstallOrder`), which Argo CD's and Flux's kind ordering also
 * follow; kinds it does not know sort after every kind it knows, as there.
 *
 * `isthmus synth` writes each cluster's `manifests.yaml` in this order, so that
 * `kubectl apply -f manifests.yaml` on a cluster with Istio's charts installed succeeds in one run.
 */

/** Kinds in install order. */
export const INSTALL_ORDER: readonly string[] = [
  "Namespace",
  "NetworkPolicy",
  "ResourceQuota",
  "LimitRange",
  "PodDisruptionBudget",
  "ServiceAccount",
  "Secret",
  "ConfigMap",
  "StorageClass",
  "PersistentVolume",
  "PersistentVolumeClaim",
  "CustomResourceDefinition",
  "ClusterRole",
  "ClusterRoleBinding",
  "Role",
  "RoleBinding",
  "Service",
  "Endpoints",
  "EndpointSlice",
  "DaemonSet",
  "Pod",
  "ReplicaSet",
  "Deployment",
  "HorizontalPodAutoscaler",
  "StatefulSet",
  "Job",
  "CronJob",
  "IngressClass",
  "Ingress",
  "APIService",
  "MutatingWebhookConfiguration",
  "ValidatingWebhookConfiguration",
];

/** Where a kind sorts: its index in {@link INSTALL_ORDER}, or after all of them. */
export function installRank(kind: string): number {
  const rank = INSTALL_ORDER.indexOf(kind);
  return rank < 0 ? INSTALL_ORDER.length : rank;
}

/** A copy of `objects` in install order; objects of one rank keep their relative order (stable). */
export function inInstallOrder<T extends { readonly kind: string }>(objects: readonly T[]): T[] {
  return objects
    .map((object, i) => ({ object, i, rank: installRank(object.kind) }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map(({ object }) => object);
}
