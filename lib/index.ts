/**
 * The mesh spec, its plan (`planMesh`) and the Pulumi components (`MultiClusterMesh`, `FlatNetwork`). This file only re-exports.
 * @module isthmus
 */
// The spec.
export type {
  MeshSpec,
  ClusterSpec,
  ClusterCidrs,
  NodePoolSpec,
  ControlPlaneSpec,
  IstioSpec,
  DnsSpec,
  WireGuardSpec,
  IpFamily,
  AllocationSpec,
  Cloud,
  NetworkMode,
  ControlPlaneModel,
} from "./core/spec";
export type { DiscoveryScope } from "./core/hierarchy";
export { DEFAULT_ISTIO_VERSION } from "./core/spec";
export type {
  FailoverPolicySpec,
  RegionFailover,
  LocalityDistribution,
  OutlierDetectionSpec,
} from "./core/failover";
export type { MeshServiceSpec, MeshServicePort, MeshServiceClusterOverrides } from "./core/mesh-service";
export type { TrafficSplitSpec } from "./core/traffic-split";
export type { MeshTrustSpec, BringYourOwnRoot, CertificateSubject } from "./core/trust";
export type { BringYourOwnIntermediates, IssuedIntermediate } from "./core/brought-intermediates";
export type { EastWestGatewayOptions, EastWestGatewayPlan } from "./core/east-west-gateway";
export type { MeshDocument } from "./core/mesh-document";
export type { DocumentChoices } from "./core/decide";

// The plan: one entry point.
export { planMesh } from "./components/plan-mesh";
export type {
  MeshPlan,
  ClusterPlan,
  MeshTopology,
  ClusterTopology,
  PlannedFeature,
  FirewallOpening,
  DnsStubsPlan,
  DnsFlavor,
  WireGuardEndpointPlacement,
  IstioPlan,
  SubnetPlan,
  DiscoveryPair,
  WireGuardPlan,
  WireGuardGatewayPlan,
} from "./core/mesh-plan";
export { validateMeshSpec } from "./core/validate";
export { validateMeshDocument } from "./core/mesh-document";
export { formatProblem, type SpecProblem } from "./core/problems";
export { aliasTwinOf } from "./core/alias-names";

// The components.
export type { MeshCluster } from "./base/mesh-cluster";
export {
  MultiClusterMesh,
  type MultiClusterMeshArgs,
  type MeshClusterStatus,
} from "./components/multi-cluster-mesh";
export { FlatNetwork, type FlatNetworkArgs } from "./components/flat-network";
export type {
  FlatNetworkCluster,
  FlatNetworkAttachment,
  FlatNetworkClusterHandle,
  EksClusterNetwork,
  GkeClusterNetwork,
  GatewayNetwork,
} from "./components/wireguard-gateway";
export type { WireGuardEndpoint, WireGuardEndpointContext } from "./base/wireguard-endpoint";
export type { AwsGatewayNetwork } from "./clusters/aws/wireguard-endpoint";
export type { GcpGatewayNetwork } from "./clusters/gcp/wireguard-endpoint";
