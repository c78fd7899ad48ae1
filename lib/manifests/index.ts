/**
 * cdk8s constructs that render a mesh plan into Kubernetes objects, one chart per cluster, for GitOps. This file only re-exports.
 * @module isthmus/manifests
 */
export { ClusterChart } from "./cluster-chart";
export { renderMesh, type KubernetesObject, type ClusterManifests, type ChartFeature } from "./render-mesh";
export {
  renderMeshDocument,
  type MeshDocument,
  type RenderedMeshDocument,
  type RenderedCluster,
  type ClusterFile,
} from "./mesh-document";
export { IstioInstallationManifest, type IstioInstallationManifestProps } from "./istio-installation";
export { EastWestGateway } from "./east-west-gateway";
export { FailoverPolicy } from "./failover-policy";
export { TrafficSplit } from "./traffic-split";
export { MeshService } from "./mesh-service";
export { DnsStubs, type DnsStubsProps } from "./dns-stubs";
export { WireGuardGateway, type WireGuardGatewayProps } from "./wireguard-gateway";
export { aliasTwinOf } from "../core/alias-names";
