/**
 * The fixed names and ports of the east-west gateway (Istio 1.30, `manifests/charts/gateway` and
 * `samples/multicluster`).
 */

/** Istio's networking API version of the objects isthmus renders. */
export const ISTIO_NETWORKING_API = "networking.istio.io/v1";

/** The value of the `istio` label that selects the east-west gateway's pods. */
export const EAST_WEST_GATEWAY_SELECTOR = { istio: "eastwestgateway" } as const;

/** The name of the Istio `Gateway` that passes cross-network traffic through port 15443. */
export const CROSS_NETWORK_GATEWAY_NAME = "cross-network-gateway";

/** The name of the Istio `Gateway` that exposes istiod through the east-west gateway. */
export const ISTIOD_GATEWAY_NAME = "istiod-gateway";

/** The chart's name in Istio's chart repository. */
export const GATEWAY_CHART = "gateway";

/** A port of the east-west gateway's Service. */
export interface NetworkGatewayPort {
  /** The Service port's name, as the gateway chart names it. */
  readonly name: "status-port" | "tls" | "tls-istiod" | "tls-webhook";
  /** The port number on the load balancer and the pod. */
  readonly port: number;
  /** What the port carries. */
  readonly purpose: string;
}

/** The four ports the gateway chart publishes when `networkGateway` is set, in the chart's order. */
export const NETWORK_GATEWAY_PORTS: readonly NetworkGatewayPort[] = [
  { name: "status-port", port: 15021, purpose: "gateway readiness, for load balancer health checks" },
  { name: "tls", port: 15443, purpose: "cross-network mTLS traffic between workloads (AUTO_PASSTHROUGH)" },
  { name: "tls-istiod", port: 15012, purpose: "xDS and certificate signing for remote clusters' proxies" },
  {
    name: "tls-webhook",
    port: 15017,
    purpose: "istiod's injection and validation webhooks for remote clusters",
  },
];

/** How reachable the east-west gateway's load balancer is. */
export type GatewayExposure = "internal" | "internet-facing";

/** The east-west gateway's default minimum number of pods. */
export const DEFAULT_EAST_WEST_GATEWAY_REPLICAS = 2;

/** The port number of one of the gateway's named ports. */
export function portOf(name: NetworkGatewayPort["name"]): number {
  return NETWORK_GATEWAY_PORTS.find((p) => p.name === name)!.port;
}
