/**
 * The feature table: every feature of a mesh, in install order, each knowing which clusters the plan
 * gives it and how it renders into a cluster's chart. `isthmus synth` renders the table into charts;
 * the Pulumi components (`MultiClusterMesh`, `FlatNetwork`) walk the same table and apply each entry
 * through the component of its kind. A feature added here appears in both outputs.
 */
import type { FailoverPolicySpec } from "../core/failover";
import type { MeshPlan, PlannedFeature } from "../core/mesh-plan";
import type { MeshServiceSpec } from "../core/mesh-service";
import type { TrafficSplitSpec } from "../core/traffic-split";
import type { ClusterChart } from "./cluster-chart";
import { DnsStubs } from "./dns-stubs";
import { EastWestGateway } from "./east-west-gateway";
import { FailoverPolicy } from "./failover-policy";
import { IstioInstallationManifest } from "./istio-installation";
import { MeshService } from "./mesh-service";
import { TrafficSplit } from "./traffic-split";
import { WireGuardGateway } from "./wireguard-gateway";

/** What a feature is: each kind has one Pulumi component that applies it. */
export type FeatureKind =
  | "istio"
  | "east-west-gateway"
  | "wireguard-gateway"
  | "dns-stubs"
  | "service"
  | "failover-policy"
  | "traffic-split";

/** One entry of the feature table. */
export interface MeshFeature {
  readonly kind: FeatureKind;
  /** Stable among the entries of its kind (a policy's key, `primaries`, `remotes`, `all`). */
  readonly key: string;
  /** The clusters it renders into, in plan order. */
  readonly clusters: readonly string[];
  /** Adds the feature's constructs to one of those clusters' charts. */
  readonly render: (chart: ClusterChart) => void;
}

/**
 * The features of a plan, in install order: Istio in the primaries and their east-west gateways
 * (remotes need a primary's gateway address), then Istio and gateways in the remotes, the in-cluster
 * WireGuard gateways and DNS stubs, then the services and the policies that route to them.
 */
export function meshFeatures(plan: MeshPlan): MeshFeature[] {
  const ids = Object.keys(plan.clusters);
  const where = (pick: (id: string) => boolean): string[] => ids.filter(pick);
  const primary = (id: string): boolean => plan.clusters[id]!.role === "primary";
  const gateway = (id: string): boolean => plan.clusters[id]!.eastWestGateway !== undefined;
  return [
    istioFeature("primaries", where(primary)),
    eastWestGatewayFeature(
      "primaries",
      where((id) => primary(id) && gateway(id)),
    ),
    istioFeature(
      "remotes",
      where((id) => !primary(id)),
    ),
    eastWestGatewayFeature(
      "remotes",
      where((id) => !primary(id) && gateway(id)),
    ),
    {
      kind: "wireguard-gateway",
      key: "in-cluster",
      clusters: where((id) => plan.clusters[id]!.wireguardEndpoint === "in-cluster"),
      render: (chart) => new WireGuardGateway(chart, "wireguard"),
    },
    {
      kind: "dns-stubs",
      key: "all",
      clusters: where((id) => plan.clusters[id]!.dnsStubs !== undefined),
      render: (chart) => new DnsStubs(chart, "dns-stubs"),
    },
    ...plan.services.map(serviceFeature),
    ...plan.failoverPolicies.map(failoverPolicyFeature),
    ...plan.trafficSplits.map(trafficSplitFeature),
  ];
}

/** Istio's namespace, mesh-wide objects and values in some clusters. */
export function istioFeature(key: string, clusters: readonly string[]): MeshFeature {
  return { kind: "istio", key, clusters, render: (chart) => new IstioInstallationManifest(chart, "istio") };
}

/** The east-west gateways' Istio objects in some clusters (the plan gives each its gateway). */
export function eastWestGatewayFeature(key: string, clusters: readonly string[]): MeshFeature {
  return {
    kind: "east-west-gateway",
    key,
    clusters,
    render: (chart) => new EastWestGateway(chart, "east-west"),
  };
}

/** One of the plan's services. */
export function serviceFeature(service: PlannedFeature<MeshServiceSpec>): MeshFeature {
  return {
    kind: "service",
    key: service.key,
    clusters: service.clusters,
    render: (chart) => new MeshService(chart, service.path, service),
  };
}

/** One of the plan's failover policies. */
export function failoverPolicyFeature(policy: PlannedFeature<FailoverPolicySpec>): MeshFeature {
  return {
    kind: "failover-policy",
    key: policy.key,
    clusters: policy.clusters,
    render: (chart) => new FailoverPolicy(chart, policy.path, policy),
  };
}

/** One of the plan's traffic splits. */
export function trafficSplitFeature(split: PlannedFeature<TrafficSplitSpec>): MeshFeature {
  return {
    kind: "traffic-split",
    key: split.key,
    clusters: split.clusters,
    render: (chart) => new TrafficSplit(chart, split.path, split),
  };
}

/** A feature as a chart feature: it renders only into the charts of its clusters. */
export function chartFeature(feature: MeshFeature): (chart: ClusterChart) => void {
  return (chart) => {
    if (feature.clusters.includes(chart.cluster.id)) feature.render(chart);
  };
}
