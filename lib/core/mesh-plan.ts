/**
 * The resolved plan of a mesh: every default filled in and every derived decision made (names,
 * networks, CIDRs, which cluster reads which). Renderers (cdk8s charts, Pulumi components) read it
 * and never decide again. Plain JSON; `plan.json` is this object.
 */
import type { EastWestGatewayPlan } from "./east-west-gateway";
import type { FailoverPolicySpec } from "./failover";
import type { DiscoveryScope } from "./hierarchy";
import type { MeshServiceSpec } from "./mesh-service";
import type { Cloud, ControlPlaneModel, IpFamily, NetworkMode } from "./spec";
import type { TrafficSplitSpec } from "./traffic-split";

/**
 * The resolved topology of a mesh: every default of the spec filled in (names, networks, CIDRs,
 * which cluster reads which). The planning functions of `lib/core` read it; the {@link MeshPlan}
 * adds the decisions they make.
 */
export interface MeshTopology {
  readonly meshID: string;
  readonly trustDomain: string;
  readonly clusterDomain: string;
  readonly networkMode: NetworkMode;
  readonly controlPlane: {
    readonly model: ControlPlaneModel;
    /** Ids of the clusters that run istiod, sorted. */
    readonly primaries: readonly string[];
    /** How far each primary's endpoint discovery reaches (`controlPlane.discovery`). */
    readonly discovery: DiscoveryScope;
  };
  readonly istio: IstioPlan;
  readonly dns: { readonly stubs: boolean };
  /** The clusters, keyed by id, keys sorted. */
  readonly clusters: { readonly [id: string]: ClusterTopology };
  /**
   * Which primary reads which cluster's API (one remote secret each), sorted by reader then target:
   * N·(N−1) in multi-primary, primaries × others in primary-remote, P·(P−1) + (N−P) with
   * hierarchical discovery.
   */
  readonly discovery: readonly DiscoveryPair[];
  /** WireGuard links, in `wireguard` mode. */
  readonly wireguard?: WireGuardPlan;
}

/** The Istio release and its fixed names. */
export interface IstioPlan {
  readonly version: string;
  /** The revision, or undefined for the default revision. */
  readonly revision?: string;
  readonly chartRepository: string;
  readonly strictMtls: boolean;
  /** istiod's namespace: `istio-system`. */
  readonly namespace: string;
  /** Helm release names, the same in every cluster. */
  readonly releases: {
    readonly base: string;
    readonly istiod: string;
    readonly eastWestGateway: string;
  };
}

/** One resolved cluster, before the per-cluster decisions of {@link ClusterPlan}. */
export interface ClusterTopology {
  readonly id: string;
  readonly cloud: Cloud;
  readonly region: string;
  /**
   * The zones, as the spec names them or the region's defaults. On AWS the default names are only
   * keys (zone letters differ between accounts): see {@link zonesPinned}.
   */
  readonly zones: readonly string[];
  /**
   * Whether the spec names the zones. When it does not, the AWS adapter places each zone's subnets in
   * one of the region's available zones chosen by zone id (the same physical zones in every account),
   * and the zone names here key its resources only.
   */
  readonly zonesPinned: boolean;
  /** The private network the spec says this cluster shares with others (`clusters.<id>.privateNetwork`). */
  readonly privateNetwork?: string;
  /** The Istio network. */
  readonly network: string;
  /** `primary` runs istiod; `remote` uses its controlPlaneCluster's istiod. */
  readonly role: "primary" | "remote";
  /** For remotes: the primary whose istiod they use. */
  readonly controlPlaneCluster?: string;
  readonly cidrs: { readonly node: string; readonly pod: string; readonly service: string };
  /**
   * One private node subnet per zone: quarter i of the node range for zone i, named
   * `<cloud cluster>-<zone>-private`.
   */
  readonly subnets: readonly SubnetPlan[];
  /**
   * One public subnet per zone (load balancers, NAT, WireGuard gateways): the node range's fourth
   * quarter cut in four, named `<cloud cluster>-<zone>-public`.
   */
  readonly publicSubnets: readonly SubnetPlan[];
  /** The region alias zone this cluster serves. */
  readonly dnsZone: string;
  readonly nodes: { readonly count: number; readonly machineType: string };
  /** The stable allocation slot (0–63) the default CIDRs and tunnel address derive from. */
  readonly slot: number;
  readonly names: {
    /** The cloud's name for the cluster (EKS / GKE): `<meshID>-<id>`. */
    readonly cloudCluster: string;
    /** The remote secret other primaries hold for this cluster: `istio-remote-secret-<id>`. */
    readonly remoteSecret: string;
  };
}

/** One subnet of a cluster's network. */
export interface SubnetPlan {
  readonly zone: string;
  readonly cidr: string;
  /** The subnet's `Name` (a tag on AWS), which other resources find it by. */
  readonly name: string;
}

/** A primary that reads another cluster's API for endpoint discovery. */
export interface DiscoveryPair {
  /** The primary holding the remote secret. */
  readonly reader: string;
  /** The cluster whose API it reads. */
  readonly target: string;
  /** The secret's name in the reader's istio-system: `istio-remote-secret-<target>`. */
  readonly secretName: string;
}

/** The WireGuard overlay. */
export interface WireGuardPlan {
  readonly topology: "full-mesh" | "hub";
  readonly hub?: string;
  readonly listenPort: number;
  readonly persistentKeepalive: number;
  readonly tunnelCidr: string;
  /** Per cluster: its gateway's tunnel address, its interface MTU and its peers. */
  readonly gateways: { readonly [id: string]: WireGuardGatewayPlan };
  /** Every link once, `a` < `b`, sorted. */
  readonly links: readonly {
    readonly a: string;
    readonly b: string;
    readonly mtu: number;
    /** The underlay's IP family: IPv6 when either end's is. */
    readonly ipFamily: IpFamily;
  }[];
}

/** One cluster's WireGuard gateway. */
export interface WireGuardGatewayPlan {
  /** The gateway's tunnel address, a /32 inside tunnelCidr. */
  readonly tunnelAddress: string;
  /** The underlay MTU of this cluster's cloud (1500, GCP 1460). */
  readonly underlayMtu: number;
  /** The IP family of this cluster's underlay (`clusters.<id>.underlayIpFamily`). */
  readonly underlayIpFamily: IpFamily;
  /** The interface MTU: the smallest of its links' MTUs. */
  readonly mtu: number;
  /** The ranges this gateway routes into the tunnel: its own pod, service and node CIDRs. */
  readonly localCidrs: readonly string[];
  /** Its peers, sorted by id, with exactly the ranges routed to each (AllowedIPs). */
  readonly peers: readonly { readonly id: string; readonly allowedIps: readonly string[] }[];
  /**
   * The address the other regions' DNS forwards this cluster's alias zone to: a fixed internal
   * load-balancer address in front of the cluster's DNS, inside its first node subnet (or its node
   * range when it has no subnets), so that it is routed over the tunnel like every node address.
   * `"unallocated"` when the node range is unusable (validation reports why).
   */
  readonly dnsAddress: string;
}

/**
 * The plan of a mesh document: its topology and every decision made from it, once. Cluster
 * adapters, Pulumi components and cdk8s charts read it and never decide again. Plain JSON;
 * `plan.json` is this object.
 */
export interface MeshPlan extends MeshTopology {
  /** The clusters, keyed by id, keys sorted, each with its decisions. */
  readonly clusters: { readonly [id: string]: ClusterPlan };
  /** The document's services, in document order, each with the clusters it renders into. */
  readonly services: readonly PlannedFeature<MeshServiceSpec>[];
  /** The document's locality failover policies, in document order. */
  readonly failoverPolicies: readonly PlannedFeature<FailoverPolicySpec>[];
  /** The document's traffic splits, in document order. */
  readonly trafficSplits: readonly PlannedFeature<TrafficSplitSpec>[];
}

/** One resolved cluster and what runs in it. */
export interface ClusterPlan extends ClusterTopology {
  /**
   * The cluster's east-west gateway, with the document's `eastWestGateways.<id>` options applied;
   * absent where the cluster runs none (`wireguard` mode, unless it exposes istiod to remotes).
   */
  readonly eastWestGateway?: EastWestGatewayPlan;
  /**
   * Where the cluster's WireGuard endpoint runs, in `wireguard` mode: `instance`, a VM the cloud
   * adapter places in the cluster's network (EKS, GKE), or `in-cluster`, a pod on the cluster's
   * nodes (existing clusters, whose network isthmus does not own).
   */
  readonly wireguardEndpoint?: WireGuardEndpointPlacement;
  /** The cluster's DNS forwarding stubs, in `wireguard` mode with `dns.stubs`. */
  readonly dnsStubs?: DnsStubsPlan;
  /**
   * What the cluster's firewall must admit: one opening per gateway the cluster serves. Each
   * adapter writes them in its cloud's terms; none decides them again.
   */
  readonly firewall: readonly FirewallOpening[];
}

/** Where a WireGuard endpoint runs. */
export type WireGuardEndpointPlacement = "instance" | "in-cluster";

/** Which DNS a cluster runs, hence which config the stubs go into. */
export type DnsFlavor = "coredns" | "kube-dns";

/** One cluster's DNS stubs. */
export interface DnsStubsPlan {
  /** `kube-dns` on GKE Standard, `coredns` elsewhere. */
  readonly flavor: DnsFlavor;
  /** The ConfigMap in `kube-system` the forwarding config goes into: `coredns` or `kube-dns`. */
  readonly configMap: string;
  /** The internal load-balancer address the other regions forward this cluster's zone to. */
  readonly address: string;
  /** The node subnet that holds the address (its `Name`), where the cloud needs one (AWS). */
  readonly subnet?: string;
  /** The ranges allowed to query the DNS load balancer: every range the tunnel routes, sorted. */
  readonly sourceRanges: readonly string[];
}

/** One port range a cluster's firewall opens for a gateway it serves. */
export interface FirewallOpening {
  /**
   * The gateway that serves it. (The WireGuard endpoint's UDP port is opened by the cloud's endpoint
   * machine itself, to the peers' addresses known at deploy time.)
   */
  readonly gateway: "east-west";
  readonly protocol: "tcp";
  /** The ports, in the order the gateway serves them. */
  readonly ports: readonly number[];
  /**
   * Internal (private sources only) or internet-facing: for an internet-facing load balancer the
   * cloud may derive its own rules from the Service's source ranges.
   */
  readonly exposure: "internal" | "internet-facing";
  /** The sources admitted, sorted; empty means any source. */
  readonly sources: readonly string[];
}

/** A service, policy or split of the document, placed. */
export interface PlannedFeature<Spec> {
  /** The stable key its child resources are named by: its name, or one derived from its host. */
  readonly key: string;
  /** Where it sits in the document, e.g. `failoverPolicies[0]`. */
  readonly path: string;
  readonly spec: Spec;
  /** The clusters it renders objects into, sorted. */
  readonly clusters: readonly string[];
}
