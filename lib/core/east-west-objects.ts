/**
 * The Istio objects of an east-west gateway: the cross-network `Gateway` that passes mTLS traffic
 * from other networks through port 15443, and, on a primary that remotes use, the `Gateway` and
 * `VirtualService` that expose istiod.
 */
import type { EastWestGatewayPlan } from "./east-west-gateway";
import {
  CROSS_NETWORK_GATEWAY_NAME,
  EAST_WEST_GATEWAY_SELECTOR,
  ISTIO_NETWORKING_API,
  ISTIOD_GATEWAY_NAME,
  portOf,
} from "./east-west-names";
import type { KubernetesObject } from "./kubernetes-object";
import type { MeshTopology } from "./mesh-plan";

/** The hosts the cross-network Gateway passes: `*.<last label of the cluster domain>` (`*.local`). */
export function crossNetworkHosts(plan: MeshTopology): string[] {
  const labels = plan.clusterDomain.split(".");
  return [`*.${labels[labels.length - 1]}`];
}

/** The cross-network `Gateway`: port 15443, TLS, `AUTO_PASSTHROUGH`, in istiod's namespace. */
export function crossNetworkGateway(plan: MeshTopology): KubernetesObject {
  return {
    apiVersion: ISTIO_NETWORKING_API,
    kind: "Gateway",
    metadata: { name: CROSS_NETWORK_GATEWAY_NAME, namespace: plan.istio.namespace },
    spec: {
      selector: { ...EAST_WEST_GATEWAY_SELECTOR },
      servers: [
        {
          port: { number: portOf("tls"), name: "tls", protocol: "TLS" },
          tls: { mode: "AUTO_PASSTHROUGH" },
          hosts: crossNetworkHosts(plan),
        },
      ],
    },
  };
}

/** istiod's in-cluster host name (`istiod[-<revision>].istio-system.svc.<clusterDomain>`). */
export function istiodHost(plan: MeshTopology): string {
  const service = plan.istio.revision === undefined ? "istiod" : `istiod-${plan.istio.revision}`;
  return `${service}.${plan.istio.namespace}.svc.${plan.clusterDomain}`;
}

/**
 * The `Gateway` and `VirtualService` that expose istiod through the east-west gateway (15012 for
 * xDS and certificates, 15017 for the webhooks, routed to istiod's 443), both `PASSTHROUGH`: istiod
 * terminates TLS itself. With a revision, only that revision's istiod names are matched and the
 * VirtualService is named after the revision, so two revisions can be exposed side by side.
 */
export function istiodExposure(plan: MeshTopology): KubernetesObject[] {
  const rev = plan.istio.revision;
  const host = istiodHost(plan);
  const sniHosts =
    rev === undefined
      ? ["*"]
      : [
          `istiod-${rev}.${plan.istio.namespace}.svc`,
          `istiod-${rev}.${plan.istio.namespace}.svc.${plan.clusterDomain}`,
        ];
  const ns = plan.istio.namespace;
  const server = (name: "tls-istiod" | "tls-webhook") => ({
    port: { name, number: portOf(name), protocol: "TLS" },
    tls: { mode: "PASSTHROUGH" },
    hosts: ["*"],
  });
  const route = (port: number, target: number) => ({
    match: [{ port, sniHosts }],
    route: [{ destination: { host, port: { number: target } } }],
  });
  return [
    {
      apiVersion: ISTIO_NETWORKING_API,
      kind: "Gateway",
      metadata: { name: ISTIOD_GATEWAY_NAME, namespace: ns },
      spec: {
        selector: { ...EAST_WEST_GATEWAY_SELECTOR },
        servers: [server("tls-istiod"), server("tls-webhook")],
      },
    },
    {
      apiVersion: ISTIO_NETWORKING_API,
      kind: "VirtualService",
      metadata: { name: rev === undefined ? "istiod-vs" : `istiod-vs-${rev}`, namespace: ns },
      spec: {
        hosts: ["*"],
        gateways: [ISTIOD_GATEWAY_NAME],
        tls: [route(portOf("tls-istiod"), portOf("tls-istiod")), route(portOf("tls-webhook"), 443)],
      },
    },
  ];
}

/**
 * The Istio objects of one cluster's east-west gateway: the cross-network `Gateway` when it carries
 * cross-network traffic (`gateways` mode), and istiod's exposure when it exposes istiod to remotes.
 */
export function eastWestGatewayObjects(plan: MeshTopology, gateway: EastWestGatewayPlan): KubernetesObject[] {
  return [
    ...(gateway.crossNetwork ? [crossNetworkGateway(plan)] : []),
    ...(gateway.exposesIstiod ? istiodExposure(plan) : []),
  ];
}
