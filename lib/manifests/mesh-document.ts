/**
 * Renders a whole mesh document for GitOps: per cluster, the Kubernetes objects of every feature
 * and the files that are not Kubernetes objects (Helm values, DNS and WireGuard configs). The same
 * constructs the Pulumi components apply; nothing here holds key material.
 */
import { eastWestGatewayPlan, needsEastWestGateway } from "../core/east-west-gateway";
import type { HelmReleaseFile } from "../core/helm-values-file";
import type { MeshPlan } from "../core/mesh-plan";
import { asMeshDocument, type MeshDocument } from "../core/mesh-document";
import { resolvePlan } from "../core/resolve";
import type { ClusterChart } from "./cluster-chart";
import { EastWestGateway } from "./east-west-gateway";
import { FailoverPolicy } from "./failover-policy";
import { istioHelmValuesFiles, IstioInstallationManifest } from "./istio-installation";
import { MeshService } from "./mesh-service";
import { renderMesh, type RenderedObject } from "./render-mesh";
import { TrafficSplit } from "./traffic-split";
import { DnsStubs } from "./dns-stubs";
import { WireGuardGateway, wireGuardTemplateFiles } from "./wireguard-gateway";

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
  readonly objects: readonly RenderedObject[];
  /** Istio's (and the east-west gateway's) Helm releases, in install order: written apart. */
  readonly helmReleases: readonly HelmReleaseFile[];
  /** Other files (the WireGuard config template). */
  readonly files: readonly ClusterFile[];
}

/** Every feature of a document, as chart features in install order. */
export function documentFeatures(doc: MeshDocument): ((chart: ClusterChart) => void)[] {
  return [
    (chart) => new IstioInstallationManifest(chart, "istio"),
    (chart) => {
      if (needsEastWestGateway(chart.plan, chart.cluster.id)) {
        new EastWestGateway(chart, "east-west", doc.eastWestGateways?.[chart.cluster.id] ?? {});
      }
    },
    (chart) => {
      if (chart.plan.wireguard === undefined) return;
      // Clouds run the WireGuard gateway on an instance (Pulumi only); existing clusters in-cluster.
      if (chart.cluster.cloud === "existing") new WireGuardGateway(chart, "wireguard");
      if (chart.plan.dns.stubs) new DnsStubs(chart, "dns-stubs");
    },
    ...(doc.failoverPolicies ?? []).map(
      (policy, i) => (chart: ClusterChart) =>
        new FailoverPolicy(chart, `failover-${i}`, { ...policy, path: `failoverPolicies[${i}]` }),
    ),
    ...(doc.trafficSplits ?? []).map(
      (split, i) => (chart: ClusterChart) =>
        new TrafficSplit(chart, `split-${i}`, { ...split, path: `trafficSplits[${i}]` }),
    ),
    ...(doc.services ?? []).map(
      (service, i) => (chart: ClusterChart) =>
        new MeshService(chart, `service-${i}`, { ...service, path: `services[${i}]` }),
    ),
  ];
}

/** Renders a validated document (or a bare MeshSpec). */
export function renderMeshDocument(input: MeshDocument | unknown): RenderedMeshDocument {
  const doc = asMeshDocument(input) as MeshDocument;
  const plan = resolvePlan(doc.mesh);
  const rendered = renderMesh(plan, documentFeatures(doc));
  const clusters: Record<string, RenderedCluster> = {};
  for (const id of Object.keys(plan.clusters)) {
    clusters[id] = {
      objects: rendered[id]!.objects,
      helmReleases: clusterReleases(plan, doc, id),
      files: wireGuardTemplateFiles(plan, id),
    };
  }
  return { plan, clusters };
}

/** A cluster's Helm releases (Istio's, then the east-west gateway's), with their values. */
function clusterReleases(plan: MeshPlan, doc: MeshDocument, id: string): HelmReleaseFile[] {
  const releases: HelmReleaseFile[] = istioHelmValuesFiles(plan, id).map((f) => ({
    release: f.chart.releaseName,
    namespace: f.chart.namespace,
    chart: f.chart.chart,
    version: f.chart.version,
    repository: f.chart.repository,
    values: f.values,
  }));
  if (needsEastWestGateway(plan, id)) {
    const gateway = eastWestGatewayPlan(plan, id, doc.eastWestGateways?.[id] ?? {});
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
