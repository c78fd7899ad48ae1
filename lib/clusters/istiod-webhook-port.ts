/**
 * The port every cluster adapter opens from its control plane to the nodes.
 */
import { NETWORK_GATEWAY_PORTS } from "../core/east-west-gateway";

/**
 * istiod's injection and validation webhook port, which the API server calls: the number of the
 * gateway's `tls-webhook` port in {@link NETWORK_GATEWAY_PORTS}, which mirrors istiod's own.
 */
export const ISTIOD_WEBHOOK_PORT: number = NETWORK_GATEWAY_PORTS.find((p) => p.name === "tls-webhook")!.port;
