/**
 * Renders a whole mesh document for GitOps: per cluster, the Kubernetes objects of every feature
 * and the files that are not Kubernetes objects (Helm values, DNS and WireGuard configs). The same
 * constructs the Pulumi components apply; nothing here holds key material.
 */
import { stringify } from "yaml";
import { eastWestGatewayPlan, needsEastWestGateway } from "../core/east-west-gateway";
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
    Record<string, { readonly objects: readonly RenderedObject[]; readonly files: readonly ClusterFile[] }>
  >;
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
  const clusters: Record<string, { objects: readonly RenderedObject[]; files: ClusterFile[] }> = {};
  for (const id of Object.keys(plan.clusters)) {
    clusters[id] = { objects: rendered[id]!.objects, files: clusterFiles(plan, doc, id) };
  }
  return { plan, clusters };
}

/** Helm values files (Istio, east-west gateway) and the WireGuard config template of a cluster. */
function clusterFiles(plan: MeshPlan, doc: MeshDocument, id: string): ClusterFile[] {
  const files: ClusterFile[] = istioHelmValuesFiles(plan, id).map((f) => ({
    name: f.fileName,
    text: helmValuesText(f.chart.releaseName, f.chart.namespace, f.chart, f.values),
  }));
  if (needsEastWestGateway(plan, id)) {
    const gateway = eastWestGatewayPlan(plan, id, doc.eastWestGateways?.[id] ?? {});
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
