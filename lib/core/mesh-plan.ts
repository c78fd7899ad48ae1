/**
 * The resolved plan of a mesh: every default filled in and every derived decision made (names,
 * networks, CIDRs, which cluster reads which). Renderers (cdk8s charts, Pulumi components) read it
 * and never decide again. Plain JSON; `plan.json` is this object.
 */
import type { DiscoveryScope } from "./hierarchy";
import type { Cloud, ControlPlaneModel, IpFamily, NetworkMode } from "./spec";

/** The resolved mesh. */
export interface MeshPlan {
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
  readonly clusters: { readonly [id: string]: ClusterPlan };
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

/** One resolved cluster. */
export interface ClusterPlan {
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
