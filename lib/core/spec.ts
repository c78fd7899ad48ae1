/**
 * The mesh spec: one plain-data description of a multi-region mesh.
 *
 * Everything here is JSON/YAML-able so it can live in Pulumi stack config
 * (`config.requireObject("mesh")`) or in a YAML file for `isthmus synth`.
 * Clusters are a map keyed by a stable id: the id names every child resource,
 * so renaming a key is a breaking change, reordering keys is not.
 */
import type { DiscoveryScope } from "./hierarchy";

/** Where a cluster comes from. */
export type Cloud = "aws" | "gcp" | "existing";

/**
 * How pods in different clusters reach each other.
 * - `gateways`: one Istio network per cluster, joined by east-west gateways (port 15443).
 * - `wireguard`: one flat Istio network, pod networks routed over WireGuard links.
 */
export type NetworkMode = "gateways" | "wireguard";

/**
 * Istio's control-plane models.
 * - `multi-primary`: istiod in every cluster, each reading every other cluster's API.
 * - `primary-remote`: istiod in the primaries only; remotes use a primary's exposed istiod.
 */
export type ControlPlaneModel = "multi-primary" | "primary-remote";

/** An IP family: the underlay's, for WireGuard's overhead. */
export type IpFamily = "ipv4" | "ipv6";

/** The whole mesh. */
export interface MeshSpec {
  /**
   * Istio `global.meshID`, the same in every cluster. A DNS-1123 label.
   * @default "mesh1"
   */
  readonly meshID?: string;
  /**
   * The SPIFFE trust domain of every workload identity; one for the whole mesh.
   * @default "cluster.local"
   */
  readonly trustDomain?: string;
  /**
   * The Kubernetes cluster domain Istio uses; one for the whole mesh (region-qualified names are
   * aliases served by DNS stubs, never a cluster's own domain: istio/istio#29692).
   * @default "cluster.local"
   */
  readonly clusterDomain?: string;
  /**
   * How pods in different clusters reach each other.
   * @default "gateways"
   */
  readonly networkMode?: NetworkMode;
  /**
   * Which clusters run istiod.
   * @default - `{ model: "multi-primary" }`: every cluster is a primary
   */
  readonly controlPlane?: ControlPlaneSpec;
  /**
   * The Istio release installed in every cluster.
   * @default - Istio {@link DEFAULT_ISTIO_VERSION} from Istio's chart repository, no revision
   */
  readonly istio?: IstioSpec;
  /**
   * CoreDNS / kube-dns forwarding stubs, so that each region resolves the others' alias zones.
   * @default - on in `wireguard` mode (the tunnel routes DNS), off in `gateways` mode
   */
  readonly dns?: DnsSpec;
  /**
   * WireGuard links between regions; only in `wireguard` mode.
   * @default - a full mesh of links on UDP 51820, MTU from each cloud's underlay
   */
  readonly wireguard?: WireGuardSpec;
  /**
   * How default address ranges are handed out to the clusters that do not set all of theirs.
   * @default - `{ slots: 64 }`
   */
  readonly allocation?: AllocationSpec;
  /** The clusters, keyed by stable id (a DNS-1123 label, at most 32 characters). */
  readonly clusters: { readonly [id: string]: ClusterSpec };
}

/**
 * The default-range slot space. Slot s of S gives pods the s-th of S equal parts of 10.0.0.0/9,
 * nodes the s-th part of 10.128.0.0/10 and services the s-th part of 10.192.0.0/10.
 */
export interface AllocationSpec {
  /**
   * The number of slots: a power of two from 64 (pods /15, nodes and services /16) to 16384 (pods
   * /23, nodes and services /24); each doubling halves every default range. Only clusters that
   * leave a range to its default need a slot (and, in `wireguard` mode, every cluster: its tunnel
   * address derives from it). Choose it before the first deploy: a cluster's slot is the hash of
   * its id modulo this count, so changing it moves the default ranges of every cluster that uses
   * them, and a changed node range replaces the cluster.
   * @default 64
   */
  readonly slots?: number;
}

/** Which clusters run istiod. */
export interface ControlPlaneSpec {
  /** The Istio control-plane model. */
  readonly model: ControlPlaneModel;
  /**
   * The ids of the clusters that run istiod (`primary-remote` only; in `multi-primary` every
   * cluster is a primary).
   * @default - none: required for `primary-remote`
   */
  readonly primaries?: readonly string[];
  /**
   * How far each primary's endpoint discovery reaches (`primary-remote` only):
   * - `all`: every primary reads every other cluster (P·(N−1) remote secrets);
   * - `hierarchical`: each primary reads the other primaries and its own remotes (P·(P−1) + (N−P)):
   *   core and edge clusters, where an edge sees its core, the core's other edges and the other
   *   cores, never another core's edges.
   * @default "all"
   */
  readonly discovery?: DiscoveryScope;
}

/** The Istio release installed in every cluster. */
export interface IstioSpec {
  /**
   * The Istio chart version (`base`, `istiod`, `gateway`), pinned.
   * @default "1.30.3"
   */
  readonly version?: string;
  /**
   * An Istio revision (`istio.io/rev`), so that a new version can run beside the old one during a
   * canary upgrade. A DNS-1123 label.
   * @default - no revision (the `default` revision)
   */
  readonly revision?: string;
  /**
   * The Helm repository the charts come from: Istio's, or a mirror of it (Artifactory, Harbor,
   * ChartMuseum, a static index served inside an air-gapped site) holding the same charts at the
   * pinned version. The real local tests install from such a mirror on loopback.
   * @default "https://istio-release.storage.googleapis.com/charts"
   */
  readonly chartRepository?: string;
  /**
   * Mesh-wide strict mTLS (a `PeerAuthentication` named `default` in istio-system).
   * @default true
   */
  readonly strictMtls?: boolean;
}

/** DNS forwarding between regions. */
export interface DnsSpec {
  /**
   * Serve each cluster's alias zone and forward the other regions' zones to their DNS.
   * @default - true in `wireguard` mode, false in `gateways` mode
   */
  readonly stubs?: boolean;
}

/** WireGuard links between regions (`wireguard` mode only). */
export interface WireGuardSpec {
  /**
   * `full-mesh`: a link between every pair of regions; `hub`: every region links to one hub.
   * @default "full-mesh"
   */
  readonly topology?: "full-mesh" | "hub";
  /**
   * The hub cluster's id, with `topology: hub`.
   * @default - none: required with `topology: hub`
   */
  readonly hub?: string;
  /**
   * The UDP port WireGuard listens on.
   * @default 51820
   */
  readonly listenPort?: number;
  /**
   * The range tunnel addresses are taken from (one /32 per cluster gateway).
   * @default "100.96.0.0/24"
   */
  readonly tunnelCidr?: string;
  /**
   * The tunnel MTU. Must leave WireGuard's overhead under the smallest underlay MTU of the two ends
   * of every link: 60 bytes over an IPv4 underlay (20 IP + 8 UDP + 32 WireGuard), 80 over IPv6.
   * @default - underlay MTU − overhead: 1440 on AWS and existing clusters (1500, IPv4), 1400 on GCP (1460, IPv4); 1420 and 1380 over IPv6
   */
  readonly mtu?: number;
  /**
   * Seconds between keepalives, so that NAT and stateful firewalls keep the path open.
   * @default 25
   */
  readonly persistentKeepalive?: number;
}

/** One cluster of the mesh. */
export interface ClusterSpec {
  /** Where the cluster comes from: provisioned on AWS (EKS) or GCP (GKE), or adopted. */
  readonly cloud: Cloud;
  /**
   * The cloud region, in the cloud's own spelling (`us-east-1` on AWS, `us-east1` on GCP). Istio's
   * locality comes from it. For existing clusters, the value of the nodes'
   * `topology.kubernetes.io/region` label.
   */
  readonly region: string;
  /**
   * Availability zones the nodes spread over.
   * @default - the region's first three zones (`<region>a`–`c` on AWS, `<region>-a`–`c` on GCP); none for existing clusters
   */
  readonly zones?: readonly string[];
  /**
   * The Istio network (`global.network`, the `topology.istio.io/network` label).
   * @default - `network-<id>` in `gateways` mode; `network-<meshID>` for every cluster in `wireguard` mode
   */
  readonly network?: string;
  /**
   * The cluster's address ranges.
   * @default - non-overlapping ranges picked from 10.0.0.0/8 by a stable hash of the id
   */
  readonly cidrs?: ClusterCidrs;
  /**
   * The allocation slot (0 to `allocation.slots` − 1) the default CIDRs and the WireGuard tunnel
   * address derive from. Pin it (the value `plan.json` shows) on deployed clusters so that a cluster
   * added later can never take it.
   * @default - the FNV-1a hash of the id modulo `allocation.slots`, or the next free slot when that one is taken
   */
  readonly slot?: number;
  /**
   * The IP family of the underlay the cluster's WireGuard gateway is reached over (`wireguard`
   * mode): it sets the tunnel's overhead, 60 bytes over IPv4, 80 over IPv6. A link is IPv6 when
   * either end says so.
   * @default "ipv4" — on every cloud: EKS clusters are IPv4 unless created with `ipFamily: ipv6`, GKE
   * clusters unless `stackType: IPV4_IPV6`, and the gateway addresses isthmus allocates (Elastic IPs,
   * GCP static addresses) are IPv4
   */
  readonly underlayIpFamily?: IpFamily;
  /**
   * The region alias DNS zone, served by this cluster beside the cluster domain and forwarded to it
   * by the other regions (`cluster.region2` style).
   * @default - `cluster.<id>`
   */
  readonly dnsZone?: string;
  /**
   * The private network this cluster's nodes share with other clusters of the mesh — peered VPCs, a
   * shared VPC, a Transit Gateway — that you set up outside isthmus (its cluster adapters create one
   * network per cluster and never peer them). East-west gateways are internal load balancers only
   * between clusters with the same `privateNetwork`, cloud and region; everywhere else they are
   * internet-facing, since nothing else gives the peers a private path.
   * @default - none: the cluster reaches the others over the internet
   */
  readonly privateNetwork?: string;
  /**
   * The id of the primary whose istiod this remote uses (`primary-remote` only, remotes only).
   * @default - the only primary, when there is exactly one
   */
  readonly controlPlaneCluster?: string;
  /**
   * Worker nodes (ignored for existing clusters).
   * @default - 3 nodes of the cloud's default machine type
   */
  readonly nodes?: NodePoolSpec;
}

/** Address ranges of one cluster. */
export interface ClusterCidrs {
  /**
   * The node (VPC / subnet) range.
   * @default - a /16 in 10.128.0.0/10
   */
  readonly node?: string;
  /**
   * The pod range.
   * @default - a /15 in 10.0.0.0/9
   */
  readonly pod?: string;
  /**
   * The service (ClusterIP) range.
   * @default - a /16 in 10.192.0.0/10
   */
  readonly service?: string;
}

/** Worker node sizing. */
export interface NodePoolSpec {
  /**
   * Desired node count.
   * @default 3
   */
  readonly count?: number;
  /**
   * The machine type.
   * @default - "m6i.large" on AWS, "e2-standard-4" on GCP
   */
  readonly machineType?: string;
}

/** The Istio version isthmus is tested with and installs unless told otherwise. */
export const DEFAULT_ISTIO_VERSION = "1.30.3";
/** Istio's official Helm chart repository. */
export const ISTIO_CHART_REPOSITORY = "https://istio-release.storage.googleapis.com/charts";
