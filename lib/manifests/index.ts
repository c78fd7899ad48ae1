/**
 * cdk8s constructs that render a mesh plan into Kubernetes objects, one chart per cluster, for GitOps. This file only re-exports.
 * @module isthmus/manifests
 */
export { ClusterChart } from "./cluster-chart";
export { renderMesh, type RenderedObject, type ClusterManifests, type ChartFeature } from "./render-mesh";
export {
  renderMeshDocument,
  type MeshDocument,
  type RenderedMeshDocument,
  type RenderedCluster,
  type ClusterFile,
} from "./mesh-document";
export { IstioInstallationManifest, type IstioInstallationManifestProps } from "./istio-installation";
export { EastWestGateway, type EastWestGatewayProps } from "./east-west-gateway";
export { FailoverPolicy, type FailoverPolicyProps } from "./failover-policy";
export { TrafficSplit, type TrafficSplitProps } from "./traffic-split";
export { MeshService, type MeshServiceProps } from "./mesh-service";
export { DnsStubs, type DnsStubsProps } from "./dns-stubs";
export { WireGuardGateway, type WireGuardGatewayProps } from "./wireguard-gateway";
