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
import { addressBeforeEnd, cidrProblem } from "./cidr";
import { clusterOf, isClusterOf, notAClusterProblem } from "./cluster-of";
import {
  eastWestGatewayExposure,
  eastWestGatewayExposureReason,
  eastWestGatewayPeers,
  exposesIstiod,
  internalSources,
  needsEastWestGateway,
} from "./east-west-exposure";
import {
  DEFAULT_EAST_WEST_GATEWAY_REPLICAS,
  EAST_WEST_GATEWAY_SELECTOR,
  GATEWAY_CHART,
  NETWORK_GATEWAY_PORTS,
  type GatewayExposure,
  type NetworkGatewayPort,
} from "./east-west-names";
import { loadBalancerAnnotations } from "./load-balancer";
import type { ClusterTopology, MeshTopology } from "./mesh-plan";
import { DNS_ADDRESS_OFFSET_FROM_END } from "./dns-address-offset";
import { formatProblem, type SpecProblem } from "./problems";

export * from "./gateway-values-schema";
export * from "./east-west-names";
export * from "./east-west-exposure";
export * from "./east-west-objects";
export * from "./load-balancer";
export type { KubernetesObject, ObjectMeta } from "./kubernetes-object";

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
   * The fixed private addresses of an internal AWS NLB that exposes istiod, one per node subnet
   * (`aws-load-balancer-private-ipv4-addresses` with `aws-load-balancer-subnets`): the remotes'
   * `remotePilotAddress` is the first, an IP, for the reason {@link staticAddresses} gives. Each is
   * {@link GATEWAY_ADDRESS_OFFSET_FROM_END} before the end of its subnet; `EksCluster` reserves them
   * so that the VPC CNI never hands one to a pod.
   * @default - none: no internal AWS gateway exposes istiod
   */
  readonly privateAddresses?: readonly PrivateLoadBalancerAddress[];
  /**
   * Whether the peers' egress addresses, known at deploy time (`MeshCluster.egressAddresses`), become
   * the load balancer's source ranges: an internet-facing gateway whose options set no `sourceRanges`.
   */
  readonly admitsPeerEgress: boolean;
  /**
   * The ports firewalls and security groups must open to the peers (status-port 15021 is for the
   * cloud's load balancer health checks only).
   */
  readonly ports: readonly NetworkGatewayPort[];
}

/** One fixed private address of an internal load balancer, in one subnet. */
export interface PrivateLoadBalancerAddress {
  readonly zone: string;
  /** The subnet's `Name` (the AWS Load Balancer Controller resolves it in the cluster's VPC). */
  readonly subnet: string;
  readonly address: string;
}

/**
 * Where an internal AWS east-west gateway's fixed addresses sit: this many before the end of each
 * node subnet (the DNS stub's address is {@link DNS_ADDRESS_OFFSET_FROM_END} before the end of the first).
 */
export const GATEWAY_ADDRESS_OFFSET_FROM_END = DNS_ADDRESS_OFFSET_FROM_END + 1;

/** The NLB annotation that pins an internal NLB's private addresses (one per subnet). */
export const AWS_PRIVATE_IPV4_ADDRESSES =
  "service.beta.kubernetes.io/aws-load-balancer-private-ipv4-addresses";

/** The fixed private addresses of an internal AWS gateway that exposes istiod, or `undefined`. */
function privateAddressesOf(
  cluster: ClusterTopology,
  exposure: GatewayExposure,
  istiod: boolean,
): PrivateLoadBalancerAddress[] | undefined {
  if (!istiod || cluster.cloud !== "aws" || exposure !== "internal") return undefined;
  const out = cluster.subnets.flatMap((s) => {
    const address = addressBeforeEnd(s.cidr, GATEWAY_ADDRESS_OFFSET_FROM_END);
    return address === undefined ? [] : [{ zone: s.zone, subnet: s.name, address }];
  });
  return out.length === 0 ? undefined : out;
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
  plan: MeshTopology,
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
  const exposure = options.exposure ?? eastWestGatewayExposure(plan, clusterId, peers);
  const sourceRanges = options.sourceRanges ?? (exposure === "internal" ? internalSources(plan, peers) : []);
  const crossNetwork = plan.networkMode === "gateways";
  const istiod = exposesIstiod(plan, clusterId);
  const privateAddresses = privateAddressesOf(cluster, exposure, istiod);

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
      annotations: {
        ...loadBalancerAnnotations(cluster, exposure),
        ...(privateAddresses === undefined
          ? {}
          : {
              [AWS_PRIVATE_IPV4_ADDRESSES]: privateAddresses.map((a) => a.address).join(","),
              "service.beta.kubernetes.io/aws-load-balancer-subnets": privateAddresses
                .map((a) => a.subnet)
                .join(","),
            }),
      },
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
        ? eastWestGatewayExposureReason(plan, clusterId, peers)
        : `eastWestGateways.${clusterId}.exposure sets it`,
    peers,
    crossNetwork,
    exposesIstiod: istiod,
    staticAddresses: istiod && cluster.cloud === "aws" && exposure === "internet-facing",
    ...(privateAddresses === undefined ? {} : { privateAddresses }),
    admitsPeerEgress: exposure === "internet-facing" && options.sourceRanges === undefined,
    ports: NETWORK_GATEWAY_PORTS.filter(
      (p) => p.name === "status-port" || (p.name === "tls" ? crossNetwork : istiod),
    ),
  };
}

/** Every problem of the options of one cluster's east-west gateway; empty when they are valid. */
export function validateEastWestGatewayOptions(
  plan: MeshTopology,
  clusterId: string,
  options: EastWestGatewayOptions,
  path: string,
): SpecProblem[] {
  const out: SpecProblem[] = [];
  if (!isClusterOf(plan, clusterId)) {
    out.push(notAClusterProblem(path, clusterId, Object.keys(plan.clusters)));
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
