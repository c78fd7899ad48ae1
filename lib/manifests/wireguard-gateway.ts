/**
 * The in-cluster WireGuard gateway of one cluster as cdk8s objects, for clusters isthmus does not
 * provision (and for GitOps users): one `hostNetwork` pod pinned to a labelled node runs `wg-quick`
 * with the cluster's wg-quick file, and a UDP LoadBalancer Service gives it a public endpoint.
 *
 * The wg-quick file holds the gateway's private key, so it lives in a Secret that these objects only
 * REFERENCE by name ({@link WIREGUARD_SECRET_NAME}); nothing here carries key text. The Pulumi
 * component creates that Secret from its key material; GitOps users create it from
 * {@link wireGuardTemplateFiles} (placeholders filled from their secret store, e.g. with `envsubst`).
 *
 * What the cluster's network must add (isthmus cannot, it does not own that network): a route for
 * every remote range (the plan's `wireguard.gateways[id].peers[].allowedIps`) to the gateway node's
 * address, and, where the network checks source addresses (AWS source/destination check, GCP
 * `canIpForward`), forwarding allowed on that node.
 */
import { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import type { MeshPlan } from "../core/mesh-plan";
import { renderWgQuickTemplate, type WireGuardTemplatePeerInput } from "../core/wireguard";
import type { ClusterChart } from "./cluster-chart";

/** The namespace of the in-cluster gateway: `kube-system`, beside the node networking it changes. */
export const WIREGUARD_NAMESPACE = "kube-system";
/** The Secret holding `wg0.conf`, referenced by name. */
export const WIREGUARD_SECRET_NAME = "isthmus-wireguard";
/** The key of the wg-quick file in that Secret; also the interface name (`wg0`). */
export const WIREGUARD_CONFIG_KEY = "wg0.conf";
/** The Deployment and Service name, and the pods' `app.kubernetes.io/name`. */
export const WIREGUARD_GATEWAY_NAME = "isthmus-wireguard-gateway";
/** The node label the gateway pod is pinned to: label exactly one node with it (`"true"`). */
export const WIREGUARD_NODE_LABEL = "isthmus.dev/wireguard-gateway";
/**
 * The gateway image: Alpine with `wireguard-tools` (`wg`, `wg-quick`). Any image with `wg-quick`,
 * `ip` and `sh` works; pin a digest in production.
 */
export const WIREGUARD_IMAGE = "docker.io/procustodibus/wireguard:latest";

/** Props of {@link WireGuardGateway}. */
export interface WireGuardGatewayProps {
  /**
   * The gateway image.
   * @default {@link WIREGUARD_IMAGE}
   */
  readonly image?: string;
  /**
   * The node selector pinning the gateway pod (the remote ranges are routed to that node).
   * @default { "isthmus.dev/wireguard-gateway": "true" }
   */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /**
   * Annotations of the UDP load balancer Service (the cloud's load balancer type, a static address).
   * @default {}
   */
  readonly serviceAnnotations?: Readonly<Record<string, string>>;
  /**
   * Who may reach the WireGuard port: the peers' public addresses, as /32s. WireGuard drops every
   * packet that is not from a configured peer, but a firewall keeps scanners off the node.
   * @default - no restriction on the Service (restrict it in the cloud's firewall)
   */
  readonly loadBalancerSourceRanges?: readonly string[];
}

/** The in-cluster gateway's objects in one cluster's chart. */
export class WireGuardGateway extends Construct {
  /** The objects added to the chart: Deployment and Service. */
  readonly objects: readonly ApiObject[];

  /** @throws Error when the plan has no WireGuard gateway for the chart's cluster */
  constructor(chart: ClusterChart, id: string, props: WireGuardGatewayProps = {}) {
    super(chart, id);
    const gateway = chart.plan.wireguard?.gateways[chart.cluster.id];
    if (gateway === undefined) {
      throw new Error(
        `networkMode: has no WireGuard gateways; got ${JSON.stringify(chart.plan.networkMode)}, expected "wireguard". Plan the mesh with networkMode: "wireguard".`,
      );
    }
    const port = chart.plan.wireguard!.listenPort;
    const labels = { "app.kubernetes.io/name": WIREGUARD_GATEWAY_NAME };
    const meta = { name: WIREGUARD_GATEWAY_NAME, namespace: WIREGUARD_NAMESPACE, labels };
    const deployment = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: meta,
      spec: {
        replicas: 1,
        // One pod at a time: it owns the node's wg0 interface and UDP port.
        strategy: { type: "Recreate" },
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            hostNetwork: true,
            dnsPolicy: "ClusterFirstWithHostNet",
            nodeSelector: { ...(props.nodeSelector ?? { [WIREGUARD_NODE_LABEL]: "true" }) },
            priorityClassName: "system-node-critical",
            terminationGracePeriodSeconds: 10,
            containers: [
              {
                name: "wireguard",
                image: props.image ?? WIREGUARD_IMAGE,
                command: ["/bin/sh", "-c", GATEWAY_SCRIPT],
                ports: [{ name: "wireguard", containerPort: port, hostPort: port, protocol: "UDP" }],
                // wg-quick creates the interface and the routes of AllowedIPs on the node.
                securityContext: { capabilities: { add: ["NET_ADMIN"] } },
                readinessProbe: { exec: { command: ["wg", "show", "wg0"] }, periodSeconds: 10 },
                resources: { requests: { cpu: "50m", memory: "32Mi" }, limits: { memory: "128Mi" } },
                volumeMounts: [{ name: "config", mountPath: "/etc/wireguard", readOnly: true }],
              },
            ],
            volumes: [
              {
                name: "config",
                secret: {
                  secretName: WIREGUARD_SECRET_NAME,
                  defaultMode: 0o400,
                  items: [{ key: WIREGUARD_CONFIG_KEY, path: WIREGUARD_CONFIG_KEY }],
                },
              },
            ],
          },
        },
      },
    };
    const service = {
      apiVersion: "v1",
      kind: "Service",
      metadata: { ...meta, annotations: { ...(props.serviceAnnotations ?? {}) } },
      spec: {
        type: "LoadBalancer",
        // Straight to the gateway's node, keeping the peer's address (WireGuard's endpoint roaming).
        externalTrafficPolicy: "Local",
        selector: labels,
        ports: [{ name: "wireguard", protocol: "UDP", port, targetPort: port }],
        ...(props.loadBalancerSourceRanges === undefined
          ? {}
          : { loadBalancerSourceRanges: [...props.loadBalancerSourceRanges] }),
      },
    };
    this.objects = [deployment, service].map(
      (o) => new ApiObject(this, `${o.kind.toLowerCase()}-${o.metadata.name}`, o),
    );
  }
}

/**
 * The gateway's entrypoint: bring `wg0` up from the mounted file (removing a stale interface a killed
 * pod left on the node), take it down on termination.
 */
const GATEWAY_SCRIPT = [
  "set -e",
  "ip link del wg0 2>/dev/null || true",
  "wg-quick up /etc/wireguard/wg0.conf",
  "trap 'wg-quick down /etc/wireguard/wg0.conf; exit 0' TERM INT",
  "while true; do sleep 3600 & wait $!; done",
].join("\n");

/** A file beside a cluster's manifests. */
export interface WireGuardTemplateFile {
  /** `wireguard/wg0.conf.template`. */
  readonly name: string;
  readonly text: string;
}

/**
 * The wg-quick TEMPLATE of a cluster's gateway for GitOps: keys and endpoints as `${WIREGUARD_…}`
 * placeholders (`renderWgQuickTemplate`), to fill from a secret store and load into the
 * {@link WIREGUARD_SECRET_NAME} Secret. Empty outside `wireguard` mode.
 */
export function wireGuardTemplateFiles(
  plan: MeshPlan,
  clusterId: string,
  peers: { readonly [peerId: string]: WireGuardTemplatePeerInput } = {},
): WireGuardTemplateFile[] {
  if (plan.wireguard?.gateways[clusterId] === undefined) return [];
  return [
    {
      name: `wireguard/${WIREGUARD_CONFIG_KEY}.template`,
      text: renderWgQuickTemplate(plan, clusterId, peers),
    },
  ];
}
