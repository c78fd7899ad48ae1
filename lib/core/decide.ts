/**
 * The decisions of a plan, made once from a mesh's topology and the rest of its document: what runs
 * in each cluster (east-west gateway with the user's options, WireGuard endpoint, DNS stubs), what
 * each cluster's firewall opens, and which clusters each service, policy and split renders into.
 *
 * Pure and total on a validated document: nothing here reports a problem (the document validator
 * did), and nothing downstream decides again.
 */
import { own, setOwn } from "./values";
import { DNS_CONFIG_MAPS, dnsFlavorOf, dnsSourceRanges } from "./dns";
import {
  eastWestGatewayPlan,
  needsEastWestGateway,
  type EastWestGatewayOptions,
  type EastWestGatewayPlan,
} from "./east-west-gateway";
import { configClusters, type FailoverPolicySpec } from "./failover";
import type { MeshServiceSpec } from "./mesh-service";
import type {
  ClusterPlan,
  ClusterTopology,
  DnsStubsPlan,
  FirewallOpening,
  MeshPlan,
  MeshTopology,
  PlannedFeature,
  WireGuardEndpointPlacement,
} from "./mesh-plan";
import { toLabel } from "./names";
import { trafficSplitClusters, type TrafficSplitSpec } from "./traffic-split";

/** The parts of a mesh document beside its mesh spec: what the plan decides from besides the topology. */
export interface DocumentChoices {
  /**
   * East-west gateway options per cluster id.
   * @default {}
   */
  readonly eastWestGateways?: Readonly<Record<string, EastWestGatewayOptions>>;
  /**
   * Services deployed to several clusters.
   * @default []
   */
  readonly services?: readonly MeshServiceSpec[];
  /**
   * Locality failover policies.
   * @default []
   */
  readonly failoverPolicies?: readonly FailoverPolicySpec[];
  /**
   * Weighted splits across clusters.
   * @default []
   */
  readonly trafficSplits?: readonly TrafficSplitSpec[];
}

/** Every decision of a plan, from a topology and a validated document's other parts. */
export function decide(topology: MeshTopology, choices: DocumentChoices = {}): MeshPlan {
  const clusters: Record<string, ClusterPlan> = {};
  for (const [id, cluster] of Object.entries(topology.clusters)) {
    const gateway = needsEastWestGateway(topology, id)
      ? eastWestGatewayPlan(topology, id, own(choices.eastWestGateways, id) ?? {})
      : undefined;
    const wireguardEndpoint = wireGuardEndpointOf(topology, cluster);
    const dnsStubs = dnsStubsOf(topology, cluster);
    setOwn(clusters, id, {
      ...cluster,
      ...(gateway === undefined ? {} : { eastWestGateway: gateway }),
      ...(wireguardEndpoint === undefined ? {} : { wireguardEndpoint }),
      ...(dnsStubs === undefined ? {} : { dnsStubs }),
      firewall: gateway === undefined ? [] : [eastWestOpening(gateway)],
    });
  }
  const all = Object.keys(topology.clusters).sort();
  return {
    ...topology,
    clusters,
    // Namespace and Service in every cluster, so that the host resolves everywhere.
    services: (choices.services ?? []).map((spec, i) => ({
      key: spec.name,
      path: `services[${i}]`,
      spec,
      clusters: all,
    })),
    failoverPolicies: (choices.failoverPolicies ?? []).map((spec, i) =>
      placed(spec, `failoverPolicies[${i}]`, configClusters(topology)),
    ),
    trafficSplits: (choices.trafficSplits ?? []).map((spec, i) =>
      placed(spec, `trafficSplits[${i}]`, trafficSplitClusters(topology)),
    ),
  };
}

/**
 * The stable key a policy's or split's child resources are named by: its name, or the first label
 * of its host (`*` as `wildcard`).
 */
export function policyKey(policy: { readonly name?: string; readonly host: string }): string {
  return policy.name ?? toLabel(policy.host.split(".")[0]!.replace(/^\*$/, "wildcard"));
}

function placed<Spec extends { readonly name?: string; readonly host: string }>(
  spec: Spec,
  path: string,
  clusters: readonly string[],
): PlannedFeature<Spec> {
  return { key: policyKey(spec), path, spec, clusters: [...clusters].sort() };
}

/** What the firewall in front of an east-west gateway's pods admits: the ports it serves, from its sources. */
function eastWestOpening(gateway: EastWestGatewayPlan): FirewallOpening {
  return {
    gateway: "east-west",
    protocol: "tcp",
    ports: gateway.ports.map((p) => p.port),
    exposure: gateway.exposure,
    sources: [...(gateway.values.service.loadBalancerSourceRanges ?? [])].sort(),
  };
}

/** Clouds run the endpoint on an instance in the network their adapter owns; existing clusters in-cluster. */
function wireGuardEndpointOf(
  topology: MeshTopology,
  cluster: ClusterTopology,
): WireGuardEndpointPlacement | undefined {
  if (topology.wireguard === undefined) return undefined;
  return cluster.cloud === "existing" ? "in-cluster" : "instance";
}

function dnsStubsOf(topology: MeshTopology, cluster: ClusterTopology): DnsStubsPlan | undefined {
  const tunnel = topology.wireguard?.gateways[cluster.id];
  if (!topology.dns.stubs || tunnel === undefined) return undefined;
  const flavor = dnsFlavorOf(cluster.cloud);
  const subnet = cluster.subnets[0]?.name;
  return {
    flavor,
    configMap: DNS_CONFIG_MAPS[flavor],
    address: tunnel.dnsAddress,
    ...(cluster.cloud === "aws" && subnet !== undefined ? { subnet } : {}),
    sourceRanges: dnsSourceRanges(topology),
  };
}
