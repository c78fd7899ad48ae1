export * from "./spec";
export * from "./mesh-plan";
export * from "./problems";
export * from "./plan";
export * from "./mesh-document";
export { validateMeshSpec } from "./validate";
export {
  remoteSecretName,
  ISTIO_NAMESPACE,
  EAST_WEST_GATEWAY_RELEASE,
  UNDERLAY_MTU,
  WIREGUARD_OVERHEAD,
  UNDERLAY_IP_FAMILY,
  DNS_ADDRESS_OFFSET_FROM_END,
} from "./resolve";
export { AWS_REGIONS, GCP_REGIONS } from "./regions";
export { discoveryPairs, remoteSecretCount, type DiscoveryScope } from "./hierarchy";
export * from "./istio-values";
export * from "./trust";
export * from "./remote-secret";
export * from "./east-west-gateway";
export * from "./failover";
export * from "./traffic-split";
export * from "./mesh-service";
export * from "./wireguard";
export * from "./dns";
export type { BringYourOwnIntermediates, IssuedIntermediate } from "./brought-intermediates";
export * from "./helm-values-file";
