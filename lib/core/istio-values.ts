/**
 * Helm values for Istio's `base` and `istiod` charts, one set per cluster, from the plan.
 *
 * Facts read from istio/istio 1.30.3 (`manifests/charts/base`, `manifests/charts/istio-control/istio-discovery`,
 * whose Chart.yaml names it `istiod`):
 * - Every cluster installs `base` then `istiod`. A remote installs the same `istiod` chart with
 *   `profile: remote` (`files/profile-remote.yaml`: `istiodRemote.enabled: true`, `configMap: false`,
 *   `telemetry.enabled: false`, `global.omitSidecarInjectorConfigMap: true`): no istiod Deployment, only
 *   the injection webhook, the reader RBAC and a `istiod[-<rev>]` Service (ExternalName when
 *   `global.remotePilotAddress` is a host name, an EndpointSlice when it is an IP) towards the primary.
 * - `profile` is not a key of either values.yaml: `templates/zzz_profile.yaml` reads `.Values.profile`
 *   and merges `files/profile-<profile>.yaml` under the user's values.
 * - The cluster domain is `global.proxy.clusterDomain` (istiod chart only; its comment asks for the same
 *   value in every Istio chart). The trust domain is `meshConfig.trustDomain` (merged into the mesh
 *   ConfigMap by `templates/configmap.yaml`).
 * - `global.externalIstiod: true` on the primary sets `EXTERNAL_ISTIOD=true` in istiod
 *   (`templates/deployment.yaml`), so istiod also manages the remotes whose istio-system carries
 *   `topology.istio.io/controlPlaneClusters`. It is a key of the istiod chart only, not of `base`.
 * - `istiodRemote.injectionPath` becomes the injection webhook's service path; istiod reads it as
 *   key/value pairs (`pkg/kube/inject/webhook.go` `parseInjectEnvs`): `cluster` → the proxies' cluster id,
 *   `net` → their network.
 * - `global.configCluster` is for a remote that also holds the mesh configuration of an external
 *   control plane; in primary-remote the primary is the config cluster, so isthmus leaves it false (as
 *   Istio's own remote defaults, `tests/integration/iop-remote-integration-test-defaults.yaml`, do).
 * - `base.defaultRevision` (a top-level key `defaultRevision`, default `"default"`) decides which istiod
 *   the `istiod-default-validator` webhook calls: `istiod` for `default`, `istiod-<rev>` otherwise.
 * - The istiod chart's `revision` suffixes every istiod object (`istiod-<rev>`, `istio-sidecar-injector-<rev>`).
 */
import type { ClusterTopology, MeshTopology } from "./mesh-plan";
import { clusterOf } from "./cluster-of";

/** Plain Helm values: nested objects of strings, booleans and numbers. */
export interface HelmValues {
  readonly [key: string]: unknown;
}

/** Where a Helm release comes from and what it is called. */
export interface ChartRef {
  /** The chart repository URL (`plan.istio.chartRepository`). */
  readonly repository: string;
  /** The chart's name in that repository. */
  readonly chart: "base" | "istiod";
  /** The pinned chart version (`plan.istio.version`). */
  readonly version: string;
  /** The Helm release name (`plan.istio.releases`). */
  readonly releaseName: string;
  /** The namespace the release is installed in (`plan.istio.namespace`). */
  readonly namespace: string;
}

/** One Helm release of a cluster: its chart and its values. */
export interface IstioRelease {
  /** The chart and release name. */
  readonly chart: ChartRef;
  /** The release's values. */
  readonly values: HelmValues;
}

/** The Istio releases of one cluster, in install order: `base` before `istiod`. */
export interface IstioReleases {
  /** The `base` chart: CRDs, the default validator, the reader ServiceAccount. */
  readonly base: IstioRelease;
  /** The `istiod` chart (with `profile: remote` on remotes). */
  readonly istiod: IstioRelease;
}

/** Options that are only known at deploy time. */
export interface IstioValuesOptions {
  /**
   * For a remote: the address (IP or host name) of its control-plane cluster's east-west gateway,
   * where istiod is exposed on 15012 and 15017 (`global.remotePilotAddress`).
   * @default - none: required for a remote, ignored for a primary
   */
  readonly remotePilotAddress?: string;
}

/** The `base` chart of the plan's Istio release. */
export function baseChart(plan: MeshTopology): ChartRef {
  return chartRef(plan, "base", plan.istio.releases.base);
}

/** The `istiod` chart of the plan's Istio release (primaries and, with `profile: remote`, remotes). */
export function istiodChart(plan: MeshTopology): ChartRef {
  return chartRef(plan, "istiod", plan.istio.releases.istiod);
}

/**
 * The injection path a remote's webhook calls on its primary's istiod, so that injected proxies get
 * the remote's cluster id and network: `/inject/cluster/<cluster>/net/<network>`.
 */
export function injectionPath(cluster: ClusterTopology): string {
  return `/inject/cluster/${cluster.id}/net/${cluster.network}`;
}

/**
 * Values of the `base` chart for one cluster: the istiod namespace; with a revision, the default
 * validator pointed at that revision's istiod (`defaultRevision`); on remotes, the `remote` profile
 * (as Istio's primary-remote guide installs it; the 1.30 base templates do not read the profile's keys).
 *
 * During a canary upgrade the `base` release is shared by the old and the new control plane: moving
 * `istio.revision` moves `defaultRevision` with it, which is the "make the new revision the default"
 * step of Istio's canary upgrade.
 */
export function baseValues(plan: MeshTopology, clusterId: string): HelmValues {
  const cluster = clusterOf(plan, clusterId, `clusters.${clusterId}`);
  return {
    ...(cluster.role === "remote" ? { profile: "remote" } : {}),
    ...(plan.istio.revision === undefined ? {} : { defaultRevision: plan.istio.revision }),
    global: { istioNamespace: plan.istio.namespace },
  };
}

/**
 * Values of the `istiod` chart for one cluster.
 *
 * Every cluster: `global.meshID`, `global.multiCluster.clusterName` (= the cluster id, the name other
 * clusters' remote secrets use), `global.network`, `global.proxy.clusterDomain`, `meshConfig.trustDomain`
 * and `revision` when the plan has one. (On a remote the mesh-wide keys are inert, since the remote
 * profile renders no mesh ConfigMap; they are kept so that every cluster states the same mesh.)
 *
 * Primary in `primary-remote`: `global.externalIstiod: true`. Remote: `profile: remote`,
 * `global.remotePilotAddress` and `istiodRemote.injectionPath`.
 * @throws Error when `clusterId` is not a cluster of the mesh, or a remote has no `remotePilotAddress`
 */
export function istiodValues(
  plan: MeshTopology,
  clusterId: string,
  options: IstioValuesOptions = {},
): HelmValues {
  const cluster = clusterOf(plan, clusterId, `clusters.${clusterId}`);
  const isRemote = cluster.role === "remote";
  if (isRemote && (options.remotePilotAddress === undefined || options.remotePilotAddress.trim() === "")) {
    throw new Error(
      `istiodValues: remotePilotAddress: is missing for the remote ${clusterId}; got nothing, expected the ` +
        `address of ${cluster.controlPlaneCluster ?? "its primary"}'s east-west gateway. ` +
        "Pass the gateway's load-balancer IP or host name once it is known.",
    );
  }
  const externalIstiod = plan.controlPlane.model === "primary-remote" && cluster.role === "primary";
  return {
    ...(isRemote ? { profile: "remote" } : {}),
    ...(plan.istio.revision === undefined ? {} : { revision: plan.istio.revision }),
    global: {
      istioNamespace: plan.istio.namespace,
      meshID: plan.meshID,
      multiCluster: { clusterName: cluster.id },
      network: cluster.network,
      proxy: { clusterDomain: plan.clusterDomain },
      ...(externalIstiod ? { externalIstiod: true } : {}),
      ...(isRemote ? { remotePilotAddress: options.remotePilotAddress } : {}),
    },
    ...(isRemote ? { istiodRemote: { injectionPath: injectionPath(cluster) } } : {}),
    meshConfig: { trustDomain: plan.trustDomain },
  };
}

/** Both Istio releases of a cluster, charts and values, in install order. */
export function istioReleases(
  plan: MeshTopology,
  clusterId: string,
  options: IstioValuesOptions = {},
): IstioReleases {
  return {
    base: { chart: baseChart(plan), values: baseValues(plan, clusterId) },
    istiod: { chart: istiodChart(plan), values: istiodValues(plan, clusterId, options) },
  };
}

function chartRef(plan: MeshTopology, chart: ChartRef["chart"], releaseName: string): ChartRef {
  return {
    repository: plan.istio.chartRepository,
    chart,
    version: plan.istio.version,
    releaseName,
    namespace: plan.istio.namespace,
  };
}
