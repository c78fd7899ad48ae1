/**
 * The non-secret Kubernetes side of a cluster's Istio installation, rendered into its
 * {@link ClusterChart}, plus the Helm values files of its releases.
 *
 * Rendered: the istio-system Namespace with `topology.istio.io/network=<network>` (and, on a remote,
 * the annotation `topology.istio.io/controlPlaneClusters=<primary>` that makes that primary's istiod
 * manage it), and on primaries the mesh-wide `PeerAuthentication` `default` (STRICT) in istio-system.
 * Not rendered: the reader ServiceAccount and ClusterRole (the `base` and `istiod` charts create them),
 * and every Secret (`cacerts`, tokens, remote secrets): those carry key material and are created by
 * the Pulumi components only, by name.
 *
 * Istio custom resources go to primaries only: in primary-remote, istiod reads Istio configuration
 * from its own cluster, so a policy in a remote would be ignored.
 */
import { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import { istioReleases, type ChartRef, type HelmValues } from "../core/istio-values";
import type { MeshPlan } from "../core/mesh-plan";
import type { ClusterChart } from "./cluster-chart";

/** The namespace label that names a cluster's Istio network. */
export const NETWORK_LABEL = "topology.istio.io/network";
/** The namespace annotation that names the primaries managing a remote. */
export const CONTROL_PLANE_CLUSTERS_ANNOTATION = "topology.istio.io/controlPlaneClusters";
/** The mesh-wide PeerAuthentication's name (in istiod's namespace it applies to the whole mesh). */
export const MESH_PEER_AUTHENTICATION = "default";

/** Options of {@link IstioInstallationManifest}. */
export interface IstioInstallationManifestProps {
  /**
   * Render the istio-system Namespace. Turn off when something else owns it.
   * @default true
   */
  readonly namespace?: boolean;
}

/** The istio-system Namespace and the mesh-wide mTLS policy of one cluster. */
export class IstioInstallationManifest extends Construct {
  /** The istio-system Namespace, unless turned off. */
  readonly namespace?: ApiObject;
  /** The mesh-wide PeerAuthentication, on primaries when `istio.strictMtls` is on. */
  readonly peerAuthentication?: ApiObject;

  constructor(chart: ClusterChart, id: string, props: IstioInstallationManifestProps = {}) {
    super(chart, id);
    const { plan, cluster } = chart;
    const ns = plan.istio.namespace;

    if (props.namespace ?? true) {
      const annotations =
        cluster.role === "remote" && cluster.controlPlaneCluster !== undefined
          ? { [CONTROL_PLANE_CLUSTERS_ANNOTATION]: cluster.controlPlaneCluster }
          : undefined;
      this.namespace = new ApiObject(this, "namespace", {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: {
          name: ns,
          labels: { [NETWORK_LABEL]: cluster.network },
          ...(annotations === undefined ? {} : { annotations }),
        },
      });
    }

    if (plan.istio.strictMtls && cluster.role === "primary") {
      this.peerAuthentication = new ApiObject(this, "peer-authentication", {
        apiVersion: "security.istio.io/v1",
        kind: "PeerAuthentication",
        metadata: { name: MESH_PEER_AUTHENTICATION, namespace: ns },
        spec: { mtls: { mode: "STRICT" } },
      });
    }
  }
}

/** One Helm values file of a cluster. */
export interface HelmValuesFile {
  /** `<release>.values.yaml` */
  readonly fileName: string;
  /** The chart the values are for. */
  readonly chart: ChartRef;
  /** The values to write. */
  readonly values: HelmValues;
}

/** Options of {@link istioHelmValuesFiles}. */
export interface IstioHelmValuesFilesOptions {
  /**
   * For a remote: its primary's east-west gateway address.
   * @default - the placeholder {@link remotePilotAddressPlaceholder} (invalid as a Service name, so an
   * unreplaced file fails at install time instead of pointing nowhere)
   */
  readonly remotePilotAddress?: string;
}

/**
 * The placeholder a synthesized remote's values carry instead of the primary's east-west gateway
 * address, ready for `envsubst`: `${EAST_WEST_GATEWAY_ADDRESS_<PRIMARY>}`.
 */
export function remotePilotAddressPlaceholder(primaryId: string): string {
  return `\${EAST_WEST_GATEWAY_ADDRESS_${primaryId.toUpperCase().replace(/-/g, "_")}}`;
}

/** The Helm values files of a cluster's Istio releases, in install order (`base`, then `istiod`). */
export function istioHelmValuesFiles(
  plan: MeshPlan,
  clusterId: string,
  options: IstioHelmValuesFilesOptions = {},
): HelmValuesFile[] {
  const cluster = plan.clusters[clusterId];
  const remotePilotAddress =
    options.remotePilotAddress ??
    (cluster?.role === "remote"
      ? remotePilotAddressPlaceholder(cluster.controlPlaneCluster ?? "primary")
      : undefined);
  const releases = istioReleases(
    plan,
    clusterId,
    remotePilotAddress === undefined ? {} : { remotePilotAddress },
  );
  return [releases.base, releases.istiod].map((release) => ({
    fileName: `${release.chart.releaseName}.values.yaml`,
    chart: release.chart,
    values: release.values,
  }));
}
