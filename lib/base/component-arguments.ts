/**
 * What each component and cluster adapter takes, for {@link throwIfBadArguments}: the generic
 * checks (types, ids against the plan, handles against their cluster, unknown arguments) that run
 * on the first line of every constructor, before the component's own rules.
 */
import type { MeshPlan } from "../core/mesh-plan";
import { bool, list, obj, req, str, type Shape } from "../core/shape";
import { own } from "../core/values";
import { plannedClusters, type Argument, type PlannedList } from "./argument-checks";

const plan: Argument = { kind: "plan", required: true };
const clusterId: Argument = { kind: "clusterId", required: true };
/** The adapters check the id against the plan themselves, with the cloud in their message. */
const adapterClusterId: Argument = { kind: "data", shape: { kind: "string" }, required: true };
const handle: Argument = { kind: "handle", of: "clusterId", required: true };
const resources: Argument = { kind: "resources" };
const input: Argument = { kind: "input" };
const data = (shape: Shape, required = false): Argument => ({ kind: "data", shape, required });
const provider: Argument = {
  kind: "resource",
  what: "the cluster's Kubernetes provider (a k8s.Provider)",
  required: true,
};
const strings = data(list(str));

export const CLUSTER_READER_ARGUMENTS = { plan, clusterId, cluster: handle, serviceAccountReady: resources };
export const REMOTE_SECRET_ARGUMENTS = {
  plan,
  pair: data(obj({ reader: req(str, ""), target: req(str, ""), secretName: req(str, "") }), true),
  provider,
  kubeconfig: { kind: "input", required: true } as Argument,
  dependsOn: resources,
};
export const MESH_TRUST_ARGUMENTS = { plan, trust: { kind: "object" } as Argument };
/** A planned service, policy or split, and the handles of the clusters it renders into. */
const plannedFeature = (key: string, of: PlannedList): Readonly<Record<string, Argument>> => ({
  plan,
  [key]: { kind: "planned", of, required: true },
  clusters: {
    kind: "handles",
    required: true,
    need: (p: MeshPlan, args: Record<string, unknown>) => {
      const only = own(args, "onlyIn");
      const planned = plannedClusters(p, own(args, key), of);
      return Array.isArray(only) ? planned.filter((id) => only.includes(id)) : planned;
    },
  },
  dependsOn: resources,
  onlyIn: { kind: "placedIn", feature: key, of } as Argument,
});
export const FAILOVER_POLICY_ARGUMENTS = plannedFeature("policy", "failoverPolicies");
export const TRAFFIC_SPLIT_ARGUMENTS = plannedFeature("split", "trafficSplits");
export const MESH_SERVICE_ARGUMENTS = plannedFeature("service", "services");
export const EAST_WEST_GATEWAY_ARGUMENTS = {
  plan,
  clusterId,
  cluster: handle,
  peerEgressAddresses: { kind: "resources" } as Argument,
  dependsOn: resources,
};
export const DNS_STUBS_ARGUMENTS = {
  plan,
  clusterId,
  cluster: handle,
  dependsOn: resources,
};
export const ISTIO_INSTALLATION_ARGUMENTS = {
  plan,
  clusterId,
  cluster: handle,
  cacerts: input,
  remotePilotAddress: input,
};
export const WIREGUARD_LINK_ARGUMENTS = {
  plan,
  clusters: data(list(str), true),
  ends: { kind: "object", required: true } as Argument,
};
export const WIREGUARD_GATEWAY_ARGUMENTS = {
  plan,
  clusterId,
  cluster: handle,
  network: { kind: "object", required: true } as Argument,
  peers: { kind: "input", required: true } as Argument,
};
export const FLAT_NETWORK_ARGUMENTS = {
  plan,
  clusters: { kind: "object", required: true } as Argument,
  dnsStubs: { kind: "object" } as Argument,
};
export const EKS_CLUSTER_ARGUMENTS = {
  plan,
  clusterId: adapterClusterId,
  profile: data(str),
  kubernetesVersion: data(str),
  publicAccessCidrs: resources,
  eastWestGatewaySourceCidrs: resources,
  adminPrincipalArns: strings,
};
export const GKE_CLUSTER_ARGUMENTS = {
  plan,
  clusterId: adapterClusterId,
  project: data(str, true),
  masterIpv4CidrBlock: data(str),
  eastWestGatewaySourceRanges: resources,
  kubernetesVersion: data(str),
  nodeServiceAccount: input,
  enableApis: data(bool),
};
export const EXISTING_CLUSTER_ARGUMENTS = {
  plan,
  clusterId: adapterClusterId,
  kubeconfig: input,
  context: data(str),
  provider: { kind: "resource", what: "a k8s.Provider" } as Argument,
  endpoint: input,
  certificateAuthority: input,
  readyResources: resources,
  loadBalancerReady: resources,
  egressAddresses: resources,
};
export const MULTI_CLUSTER_MESH_ARGUMENTS = {
  plan,
  // MultiClusterMesh checks its handles itself, against the plan's clusters.
  clusters: { kind: "object", required: true } as Argument,
  trust: { kind: "object" } as Argument,
};
