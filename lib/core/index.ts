export * from "./spec";
export * from "./mesh-plan";
export * from "./problems";
export * from "./plan";
export { validateMeshSpec } from "./validate";
export { remoteSecretName, ISTIO_NAMESPACE, EAST_WEST_GATEWAY_RELEASE, UNDERLAY_MTU, WIREGUARD_OVERHEAD } from "./resolve";
export { AWS_REGIONS, GCP_REGIONS } from "./regions";
