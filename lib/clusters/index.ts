export * from "./mesh-cluster";
export * from "./eks-cluster";
export * from "./gke-cluster";
export * from "./existing-cluster";
export * from "./kubeconfig";
export * from "./aws-load-balancer-controller";
export * from "./aws-load-balancer-controller-policy";
