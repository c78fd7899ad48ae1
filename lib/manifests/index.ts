export * from "./cluster-chart";
export * from "./render-mesh";
export * from "./mesh-document";
export * from "./istio-installation";
export * from "./east-west-gateway";
export * from "./failover-policy";
export * from "./traffic-split";
export * from "./mesh-service";
