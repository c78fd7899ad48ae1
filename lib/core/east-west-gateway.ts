/**
 * The east-west gateway of a cluster: the values of Istio's `gateway` Helm chart, the cross-network
 * `Gateway` that passes mTLS traffic from other networks through port 15443, and, on a primary of a
 * primary-remote mesh, the `Gateway` and `VirtualService` that expose istiod to its remotes.
 *
 * Facts (Istio 1.30, `manifests/charts/gateway` and `samples/multicluster`):
 * - the release name `istio-eastwestgateway` yields the selector label `istio: eastwestgateway`
 *   (the chart strips the `istio-` prefix); we also set `labels.istio` so the selector holds
 *   whatever the release is called;
 * - `networkGateway: <network>` makes the chart label the Service and pods
 *   `topology.istio.io/network=<network>`, set `ISTIO_META_REQUESTED_NETWORK_VIEW` and publish the
 *   ports 15021 (status), 15443 (tls), 15012 (tls-istiod) and 15017 (tls-webhook). We do not repeat
 *   the network label under `labels`: the chart would then write the key twice in the same map;
 * - the cross-network `Gateway` serves 15443, protocol TLS, `AUTO_PASSTHROUGH`, for the hosts of the
 *   mesh's cluster domain (`*.local` for `cluster.local`).
 *
 * Pure: no Pulumi, no cdk8s. The cdk8s construct and the Pulumi component render what this returns.
 */
import { cidrProblem } from "./cidr";
import { readsOf, seesEndpointsOf } from "./hierarchy";
import type { ClusterPlan, MeshPlan } from "./mesh-plan";
import { didYouMean, formatProblem, type SpecProblem } from "./problems";

export * from "./gateway-values-schema";

/** The metadata of a rendered Kubernetes object. */
export type ObjectMeta = {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
};

/** A rendered Kubernetes or Istio object as plain data (what `kubectl apply` reads). */
export type ObjectData = {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
  readonly [field: string]: unknown;
};

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

/** Choices about one cluster's east-west gateway; everything else comes from the plan. */
export interface EastWestGatewayOptions {
  /**
   * Whether the load balancer is internal (private addresses only) or internet-facing.
   * @default - the rule of {@link eastWestGatewayExposure}: internal when every cluster that must reach the gateway runs in the same cloud and region, internet-facing otherwise
   */
  readonly exposure?: GatewayExposure;
  /**
   * The source ranges allowed to reach the load balancer (`loadBalancerSourceRanges`), e.g. the
   * other clusters' NAT egress addresses as /32s.
   * @default - for an internal gateway, the ranges of {@link internalSources}; for an internet-facing one, none (any source: the ports only accept mTLS with the mesh's certificates, and istiod's TLS)
   */
  readonly sourceRanges?: readonly string[];
  /**
   * The gateway's minimum number of pods (`replicaCount` and the chart's autoscaler minimum); a
   * PodDisruptionBudget keeps one running through node drains. One pod would make every node upgrade
   * cut the cluster off the mesh.
   * @default 2
   */
  readonly replicas?: number;
}

/** The east-west gateway's default minimum number of pods. */
export const DEFAULT_EAST_WEST_GATEWAY_REPLICAS = 2;

/** The values isthmus gives Istio's `gateway` chart for the east-west gateway. */
export interface GatewayChartValues {
  /** The Istio revision whose istiod injects the gateway; absent for the default revision. */
  readonly revision?: string;
  /** The Istio network this gateway serves (`topology.istio.io/network`). */
  readonly networkGateway: string;
  /** The Service ports (charts from Istio 1.30 on); older charts publish the same ports by themselves. */
  readonly networkGatewayPorts?: Readonly<
    Record<string, { readonly port: number; readonly targetPort: number }>
  >;
  /** Labels of every object of the release; `istio` also sets the pods' selector label. */
  readonly labels: Readonly<Record<string, string>>;
  /** Pods when the autoscaler is off. */
  readonly replicaCount: number;
  /** The chart's HorizontalPodAutoscaler (on by default in the chart): at least `replicaCount` pods. */
  readonly autoscaling: { readonly minReplicas: number };
  /** The PodDisruptionBudget the chart renders: one pod stays up through voluntary disruptions. */
  readonly podDisruptionBudget: { readonly minAvailable: number };
  /** The load balancer Service. */
  readonly service: {
    readonly type: "LoadBalancer";
    readonly annotations: Readonly<Record<string, string>>;
    readonly loadBalancerSourceRanges?: readonly string[];
  };
}

/** Everything a renderer needs to install one cluster's east-west gateway. */
export interface EastWestGatewayPlan {
  /** The cluster's id. */
  readonly cluster: string;
  /** The Helm release name: `plan.istio.releases.eastWestGateway`. */
  readonly release: string;
  /** The release's namespace (istiod's). */
  readonly namespace: string;
  /** The chart (`gateway`), its repository and pinned version. */
  readonly chart: { readonly name: string; readonly repository: string; readonly version: string };
  /** The chart values (write them as `<release>.values.yaml`). */
  readonly values: GatewayChartValues;
  /** Internal or internet-facing (the rule of {@link eastWestGatewayExposure}, unless overridden). */
  readonly exposure: GatewayExposure;
  /** Why: the rule's reason, or that the options chose it. */
  readonly exposureReason: string;
  /** The clusters that must reach this gateway, sorted. */
  readonly peers: readonly string[];
  /** Whether this gateway carries cross-network traffic on 15443 (`gateways` mode). */
  readonly crossNetwork: boolean;
  /** Whether this gateway exposes istiod on 15012 and 15017 (a primary with remotes). */
  readonly exposesIstiod: boolean;
  /**
   * Whether the load balancer takes static addresses from the cluster (`MeshCluster.gatewayStaticAddresses`):
   * an internet-facing AWS NLB that exposes istiod. AWS load balancers publish host names, and a remote
   * whose `global.remotePilotAddress` is a host name gets an ExternalName `istiod` Service, which
   * kube-apiserver refuses to call webhooks through; with Elastic IPs the remotes get an IP.
   */
  readonly staticAddresses: boolean;
  /**
   * The ports firewalls and security groups must open to the peers (status-port 15021 is for the
   * cloud's load balancer health checks only).
   */
  readonly ports: readonly NetworkGatewayPort[];
}

/**
 * The clusters that must reach a cluster's east-west gateway: every cluster on another Istio
 * network whose istiod knows this cluster's endpoints (cross-network traffic on 15443: all of them
 * unless discovery is hierarchical) and, for a primary, the remotes that use its istiod
 * (15012, 15017). Sorted.
 */
export function eastWestGatewayPeers(plan: MeshPlan, clusterId: string): string[] {
  const self = clusterOf(plan, clusterId);
  const reads = readsOf(plan);
  return Object.values(plan.clusters)
    .filter((c) => c.id !== self.id)
    .filter(
      (c) =>
        (plan.networkMode === "gateways" &&
          c.network !== self.network &&
          seesEndpointsOf(plan.clusters, reads, c.id, self.id)) ||
        (c.role === "remote" && c.controlPlaneCluster === self.id),
    )
    .map((c) => c.id)
    .sort();
}

/** Whether a cluster's east-west gateway exposes istiod: it is a primary that remotes use. */
export function exposesIstiod(plan: MeshPlan, clusterId: string): boolean {
  const self = clusterOf(plan, clusterId);
  return (
    self.role === "primary" &&
    Object.values(plan.clusters).some((c) => c.role === "remote" && c.controlPlaneCluster === self.id)
  );
}

/**
 * Whether a cluster runs an east-west gateway: every cluster in `gateways` mode, and in `wireguard`
 * mode the primaries that expose istiod to remotes (their only way in, since ClusterIPs are not
 * routable from other clusters).
 */
export function needsEastWestGateway(plan: MeshPlan, clusterId: string): boolean {
  clusterOf(plan, clusterId);
  return plan.networkMode === "gateways" || exposesIstiod(plan, clusterId);
}

/**
 * The rule that picks internal or internet-facing, and why ({@link eastWestGatewayExposureReason}):
 * - `wireguard` mode: **internal**. The tunnel routes every peer's node range, and internal load
 *   balancer addresses are taken from the node subnets.
 * - `gateways` mode: **internal** only when every peer (see {@link eastWestGatewayPeers}) shares the
 *   cluster's `privateNetwork` (peered VPCs, a shared VPC: a path the user declares, since isthmus's
 *   adapters create unpeered networks), cloud and region; **internet-facing** otherwise — including
 *   two clusters of one region without a declared private network, whose separate VPCs have no
 *   private path. Clusters adopted with cloud `existing` are internet-facing when they have peers.
 * - A cluster without peers gets an internal load balancer.
 */
export function eastWestGatewayExposure(plan: MeshPlan, clusterId: string): GatewayExposure {
  return exposureDecision(plan, clusterId).exposure;
}

/** Why {@link eastWestGatewayExposure} chose what it chose, in one sentence. */
export function eastWestGatewayExposureReason(plan: MeshPlan, clusterId: string): string {
  return exposureDecision(plan, clusterId).reason;
}

function exposureDecision(plan: MeshPlan, clusterId: string): { exposure: GatewayExposure; reason: string } {
  const self = clusterOf(plan, clusterId);
  const peers = eastWestGatewayPeers(plan, clusterId).map((id) => plan.clusters[id]!);
  if (peers.length === 0) return { exposure: "internal", reason: "no other cluster reaches this gateway" };
  if (plan.networkMode === "wireguard")
    return { exposure: "internal", reason: "the peers reach it over the WireGuard tunnel" };
  if (self.cloud === "existing")
    return { exposure: "internet-facing", reason: "isthmus cannot know an existing cluster's network" };
  const apart = peers.filter(
    (p) =>
      p.cloud !== self.cloud ||
      p.region !== self.region ||
      self.privateNetwork === undefined ||
      p.privateNetwork !== self.privateNetwork,
  );
  if (apart.length === 0) {
    return {
      exposure: "internal",
      reason: `every peer shares the private network ${self.privateNetwork} in ${self.cloud} ${self.region}`,
    };
  }
  const p = apart[0]!;
  const why =
    p.cloud !== self.cloud || p.region !== self.region
      ? `${p.id} runs in ${p.cloud} ${p.region}`
      : `${p.id} shares no declared privateNetwork with it (separate VPCs have no private path)`;
  return {
    exposure: "internet-facing",
    reason: `${why}; set clusters.<id>.privateNetwork on both to declare peering`,
  };
}

/** The Helm chart (eks-charts) of the AWS Load Balancer Controller, which serves the AWS annotations below. */
export const AWS_LOAD_BALANCER_CONTROLLER_CHART = "aws-load-balancer-controller";

/** The annotation that hands a Service to the AWS Load Balancer Controller. */
export const AWS_LOAD_BALANCER_TYPE = "service.beta.kubernetes.io/aws-load-balancer-type";

/** The annotation of an NLB's attributes (AWS Load Balancer Controller). */
export const AWS_LOAD_BALANCER_ATTRIBUTES = "service.beta.kubernetes.io/aws-load-balancer-attributes";
/** Cross-zone load balancing on (off by default on NLBs). */
export const AWS_CROSS_ZONE = "load_balancing.cross_zone.enabled=true";

/**
 * The load balancer annotations of each cloud:
 * - AWS (the AWS Load Balancer Controller must run in the cluster): an NLB
 *   (`aws-load-balancer-type: external`) that targets pod IPs (`nlb-target-type: ip`), with
 *   `aws-load-balancer-scheme` internal or internet-facing;
 * - GCP: `networking.gke.io/load-balancer-type: Internal` for an internal passthrough load
 *   balancer; an internet-facing one is GKE's default external passthrough load balancer;
 * - existing clusters: none (their cloud is unknown).
 */
export function loadBalancerAnnotations(
  cluster: ClusterPlan,
  exposure: GatewayExposure,
): Record<string, string> {
  if (cluster.cloud === "aws") {
    return {
      [AWS_LOAD_BALANCER_TYPE]: "external",
      "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
      "service.beta.kubernetes.io/aws-load-balancer-scheme": exposure,
      // Any zone's address reaches every zone's pods: a zone without a ready gateway pod still serves.
      [AWS_LOAD_BALANCER_ATTRIBUTES]: AWS_CROSS_ZONE,
    };
  }
  if (cluster.cloud === "gcp" && exposure === "internal") {
    return { "networking.gke.io/load-balancer-type": "Internal" };
  }
  return {};
}

/**
 * The addresses the peers of an internal gateway reach it from: their node and pod ranges, and in
 * `wireguard` mode everything their tunnel gateway routes (which adds the service range and the
 * tunnel address). Sorted, without repeats.
 */
export function internalSources(plan: MeshPlan, peers: readonly string[]): string[] {
  const ranges = peers.flatMap((id) => {
    const tunnel = plan.wireguard?.gateways[id];
    const c = plan.clusters[id]!;
    return tunnel !== undefined ? tunnel.localCidrs : [c.cidrs.node, c.cidrs.pod];
  });
  return [...new Set(ranges)].sort();
}

/** Whether the gateway chart of this Istio version reads `networkGatewayPorts` (added in 1.30). */
export function chartHasNetworkGatewayPorts(version: string): boolean {
  const [major, minor] = version.split(".").map((part) => Number.parseInt(part, 10));
  return (major ?? 0) > 1 || ((major ?? 0) === 1 && (minor ?? 0) >= 30);
}

/**
 * Plans one cluster's east-west gateway.
 * @throws Error when the cluster is not in the plan, needs no east-west gateway, or the options have problems
 */
export function eastWestGatewayPlan(
  plan: MeshPlan,
  clusterId: string,
  options: EastWestGatewayOptions = {},
): EastWestGatewayPlan {
  const cluster = clusterOf(plan, clusterId);
  if (!needsEastWestGateway(plan, clusterId)) {
    throw new Error(
      `${clusterId}: needs no east-west gateway: the mesh is in wireguard mode and the cluster exposes no istiod to remotes. Check needsEastWestGateway() before planning one.`,
    );
  }
  const problems = validateEastWestGatewayOptions(plan, clusterId, options, `eastWestGateways.${clusterId}`);
  if (problems.length > 0) throw new Error(problems.map(formatProblem).join("\n"));

  const peers = eastWestGatewayPeers(plan, clusterId);
  const exposure = options.exposure ?? eastWestGatewayExposure(plan, clusterId);
  const sourceRanges = options.sourceRanges ?? (exposure === "internal" ? internalSources(plan, peers) : []);
  const crossNetwork = plan.networkMode === "gateways";
  const istiod = exposesIstiod(plan, clusterId);

  const values: GatewayChartValues = {
    ...(plan.istio.revision === undefined ? {} : { revision: plan.istio.revision }),
    networkGateway: cluster.network,
    ...(chartHasNetworkGatewayPorts(plan.istio.version)
      ? {
          networkGatewayPorts: Object.fromEntries(
            NETWORK_GATEWAY_PORTS.map((p) => [p.name, { port: p.port, targetPort: p.port }]),
          ),
        }
      : {}),
    labels: { ...EAST_WEST_GATEWAY_SELECTOR },
    replicaCount: options.replicas ?? DEFAULT_EAST_WEST_GATEWAY_REPLICAS,
    autoscaling: { minReplicas: options.replicas ?? DEFAULT_EAST_WEST_GATEWAY_REPLICAS },
    podDisruptionBudget: { minAvailable: 1 },
    service: {
      type: "LoadBalancer",
      annotations: loadBalancerAnnotations(cluster, exposure),
      ...(sourceRanges.length > 0 ? { loadBalancerSourceRanges: [...sourceRanges] } : {}),
    },
  };

  return {
    cluster: clusterId,
    release: plan.istio.releases.eastWestGateway,
    namespace: plan.istio.namespace,
    chart: { name: GATEWAY_CHART, repository: plan.istio.chartRepository, version: plan.istio.version },
    values,
    exposure,
    exposureReason:
      options.exposure === undefined
        ? eastWestGatewayExposureReason(plan, clusterId)
        : `eastWestGateways.${clusterId}.exposure sets it`,
    peers,
    crossNetwork,
    exposesIstiod: istiod,
    staticAddresses: istiod && cluster.cloud === "aws" && exposure === "internet-facing",
    ports: NETWORK_GATEWAY_PORTS.filter(
      (p) => p.name === "status-port" || (p.name === "tls" ? crossNetwork : istiod),
    ),
  };
}

/** Every problem of the options of one cluster's east-west gateway; empty when they are valid. */
export function validateEastWestGatewayOptions(
  plan: MeshPlan,
  clusterId: string,
  options: EastWestGatewayOptions,
  path: string,
): SpecProblem[] {
  const out: SpecProblem[] = [];
  if (plan.clusters[clusterId] === undefined) {
    out.push({
      path,
      problem: "is not a cluster of the mesh",
      received: clusterId,
      expected: `one of ${Object.keys(plan.clusters).join(", ")}`,
      fix: `Use the id of a cluster of the mesh.${didYouMean(clusterId, Object.keys(plan.clusters))}`,
    });
    return out;
  }
  if (
    options.exposure !== undefined &&
    options.exposure !== "internal" &&
    options.exposure !== "internet-facing"
  ) {
    out.push({
      path: `${path}.exposure`,
      problem: "is not a load balancer exposure",
      received: options.exposure,
      expected: '"internal" or "internet-facing"',
      fix: "Pick one, or leave it out to let isthmus choose from the topology.",
    });
  }
  if (options.replicas !== undefined && (!Number.isInteger(options.replicas) || options.replicas < 2)) {
    out.push({
      path: `${path}.replicas`,
      problem: "leaves the gateway without a spare pod",
      received: options.replicas,
      expected: "an integer of at least 2",
      fix: "Run two or more east-west gateway pods, so that a node drain never cuts the cluster off the mesh.",
    });
  }
  (options.sourceRanges ?? []).forEach((range, i) => {
    const problem = cidrProblem(range);
    if (problem !== undefined) {
      out.push({
        path: `${path}.sourceRanges[${i}]`,
        problem,
        received: range,
        expected: "an IPv4 network in CIDR notation such as 203.0.113.7/32",
        fix: "Write the network address followed by the prefix length.",
      });
    }
  });
  return out;
}

/** The hosts the cross-network Gateway passes: `*.<last label of the cluster domain>` (`*.local`). */
export function crossNetworkHosts(plan: MeshPlan): string[] {
  const labels = plan.clusterDomain.split(".");
  return [`*.${labels[labels.length - 1]}`];
}

/** The cross-network `Gateway`: port 15443, TLS, `AUTO_PASSTHROUGH`, in istiod's namespace. */
export function crossNetworkGateway(plan: MeshPlan): ObjectData {
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
export function istiodHost(plan: MeshPlan): string {
  const service = plan.istio.revision === undefined ? "istiod" : `istiod-${plan.istio.revision}`;
  return `${service}.${plan.istio.namespace}.svc.${plan.clusterDomain}`;
}

/**
 * The `Gateway` and `VirtualService` that expose istiod through the east-west gateway (15012 for
 * xDS and certificates, 15017 for the webhooks, routed to istiod's 443), both `PASSTHROUGH`: istiod
 * terminates TLS itself. With a revision, only that revision's istiod names are matched and the
 * VirtualService is named after the revision, so two revisions can be exposed side by side.
 */
export function istiodExposure(plan: MeshPlan): ObjectData[] {
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
 * The Istio objects of one cluster's east-west gateway: the cross-network `Gateway` in `gateways`
 * mode, and istiod's exposure on a primary that remotes use. Empty when the cluster needs no
 * east-west gateway.
 */
export function eastWestGatewayObjects(plan: MeshPlan, clusterId: string): ObjectData[] {
  if (!needsEastWestGateway(plan, clusterId)) return [];
  return [
    ...(plan.networkMode === "gateways" ? [crossNetworkGateway(plan)] : []),
    ...(exposesIstiod(plan, clusterId) ? istiodExposure(plan) : []),
  ];
}

function portOf(name: NetworkGatewayPort["name"]): number {
  return NETWORK_GATEWAY_PORTS.find((p) => p.name === name)!.port;
}

function clusterOf(plan: MeshPlan, clusterId: string): ClusterPlan {
  const cluster = plan.clusters[clusterId];
  if (cluster === undefined) {
    throw new Error(
      `${clusterId}: is not a cluster of the mesh; expected one of ${Object.keys(plan.clusters).join(", ")}.${didYouMean(clusterId, Object.keys(plan.clusters))}`,
    );
  }
  return cluster;
}
