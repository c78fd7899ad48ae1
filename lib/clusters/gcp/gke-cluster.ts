/**
 * `GkeCluster`: one planned Google Cloud cluster, provisioned — a custom-mode VPC network, a
 * VPC-native regional GKE cluster with private nodes across the plan's zones, a node pool and a
 * Kubernetes provider — returned as a {@link MeshCluster}.
 *
 * Everything it creates goes through a `gcp.Provider` of its own (the given project, the plan's
 * region); the ambient default provider is never used.
 *
 * Address ranges, all from the plan: the subnetwork's primary range is the node range (GCP subnets
 * are regional, so one subnetwork serves every zone), with two named secondary ranges — pods (the
 * plan's pod range) and services (the plan's service range) — that the cluster allocates from
 * (VPC-native). The nodes are private: they egress through Cloud NAT, and the control plane reaches
 * them from its own /28 ({@link GkeClusterArgs.masterIpv4CidrBlock}); the API endpoint stays public
 * so that Pulumi and the other clusters' istiod reach it.
 */
import * as gcp from "./pulumi-gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { cidrProblem, overlaps, parseCidr } from "../../core/cidr";
import type { ClusterPlan, MeshPlan } from "../../core/mesh-plan";
import { throwIfProblems } from "../../base/input-errors";
import { ISTIOD_WEBHOOK_PORT } from "../istiod-webhook-port";

/** Where Google's load balancer health checks come from. */
export const GCP_HEALTH_CHECK_RANGES: readonly string[] = ["35.191.0.0/16", "130.211.0.0/22"];
import { execKubeconfig } from "../kubeconfig";
import type { MeshCluster } from "../../base/mesh-cluster";
import { requireProviderMajor } from "../provider-version";
import { plannedCluster } from "../planned-cluster";
import type { WireGuardEndpoint } from "../../base/wireguard-endpoint";
import { gcpWireGuardEndpoint } from "./wireguard-endpoint";
import { GKE_POD_RANGE_NAME, GKE_SERVICE_RANGE_NAME, gkeNetwork } from "./gke-network";
import { throwIfBadArguments } from "../../base/argument-checks";
import { GKE_CLUSTER_ARGUMENTS } from "../../base/component-arguments";

/** The minimum Kubernetes version of the control plane unless told otherwise (pinned). */
export const DEFAULT_GKE_KUBERNETES_VERSION = "1.34";

/** The GKE adapter's type token. */
export const GKE_CLUSTER_TYPE = "isthmus:clusters:GkeCluster";

export { GKE_POD_RANGE_NAME, GKE_SERVICE_RANGE_NAME } from "./gke-network";
/** The control plane's range unless told otherwise. */
export const DEFAULT_MASTER_IPV4_CIDR_BLOCK = "172.16.0.0/28";
/** The OAuth scope of the nodes: access is governed by the node service account's IAM roles. */
export const GKE_NODE_SCOPES: readonly string[] = ["https://www.googleapis.com/auth/cloud-platform"];

/**
 * The Google Cloud APIs a GKE cluster of the mesh uses (a new project has them disabled): Compute
 * Engine (network, firewalls, NAT) and Kubernetes Engine; in `wireguard` mode also Secret Manager
 * and IAM, for the WireGuard gateway's config and service account.
 */
export function gkeApis(plan: MeshPlan): string[] {
  return [
    "compute.googleapis.com",
    "container.googleapis.com",
    ...(plan.networkMode === "wireguard" ? ["iam.googleapis.com", "secretmanager.googleapis.com"] : []),
  ];
}

/** Arguments of {@link GkeCluster}. */
export interface GkeClusterArgs {
  /** The mesh plan (`planMesh(document)`): CIDRs, zones, node sizing and names come from it. */
  readonly plan: MeshPlan;
  /** The id of the cluster in the plan; its cloud must be `gcp`. */
  readonly clusterId: string;
  /** The Google Cloud project id the network and cluster are created in. */
  readonly project: string;
  /**
   * The /28 the GKE control plane's private endpoint lives in; the nodes' firewall lets it call
   * istiod's webhooks (15017). It must not overlap any range of the mesh.
   * @default "172.16.0.0/28"
   */
  readonly masterIpv4CidrBlock?: string;
  /**
   * Where the east-west gateway's ports may be reached from on the nodes (only the ports the plan's
   * gateway serves; no rule when the cluster has no east-west gateway). Google's load balancers keep
   * client addresses, and their health checks come from 35.191.0.0/16 and 130.211.0.0/22.
   * @default - an internet-facing gateway: no rule of isthmus's (GKE creates the Service's own
   * ingress rule from its loadBalancerSourceRanges: the peers' egress addresses where the program knows
   * them, else any source); an internal one: the peers' ranges from the plan and the health-check ranges
   */
  readonly eastWestGatewaySourceRanges?: readonly pulumi.Input<string>[];
  /**
   * The minimum Kubernetes version of the control plane (GKE's release channel upgrades from there).
   * @default "1.34" ({@link DEFAULT_GKE_KUBERNETES_VERSION})
   */
  readonly kubernetesVersion?: string;
  /**
   * The service account the nodes run as (its e-mail).
   * @default - the project's Compute Engine default service account
   */
  readonly nodeServiceAccount?: pulumi.Input<string>;
  /**
   * Enable the APIs the cluster needs ({@link gkeApis}) with `gcp.projects.Service`
   * (`disableOnDestroy: false`: other workloads of the project may use them). Turn it off where the
   * program may not enable services; the APIs must then be enabled already.
   * @default true
   */
  readonly enableApis?: boolean;
}

/** A GKE cluster of the mesh, with its network and node pool. */
export class GkeCluster extends pulumi.ComponentResource {
  /** The handle the mesh components take. */
  declare readonly cluster: MeshCluster;
  /** The project and region's Google Cloud provider every resource of this cluster goes through. */
  declare readonly gcpProvider: gcp.Provider;
  /** The custom-mode VPC network. */
  declare readonly network: gcp.compute.Network;
  /** The regional subnetwork: the node range, with the pod and service ranges as secondary ranges. */
  declare readonly subnetwork: gcp.compute.Subnetwork;
  /** The GKE cluster. */
  declare readonly gkeCluster: gcp.container.Cluster;
  /** The node pool. */
  declare readonly nodePool: gcp.container.NodePool;
  /** The kubeconfig Pulumi uses (exec `gke-gcloud-auth-plugin`), secret. */
  declare readonly kubeconfig: pulumi.Output<string>;
  /** The project services this cluster enabled, by API name (empty with `enableApis: false`). */
  declare readonly apis: Readonly<Record<string, gcp.projects.Service>>;
  /**
   * Where a `FlatNetwork` puts this cluster's WireGuard gateway: an instance in the cluster's
   * subnetwork, in the plan's first zone, waiting for the enabled APIs. Nothing exists until a
   * gateway builds it.
   */
  declare readonly wireGuardEndpoint: WireGuardEndpoint;

  constructor(name: string, args: GkeClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfBadArguments(`GkeCluster ${name}`, args, GKE_CLUSTER_ARGUMENTS);
    const c = checkedCluster(args);
    requireProviderMajor("@pulumi/gcp", 9);
    super(GKE_CLUSTER_TYPE, name, {}, opts);
    const masterCidr = args.masterIpv4CidrBlock ?? DEFAULT_MASTER_IPV4_CIDR_BLOCK;
    const nodeTag = `${c.names.cloudCluster}-node`;

    const provider = new gcp.Provider(
      `${name}-gcp`,
      {
        project: args.project,
        region: c.region,
        defaultLabels: { "isthmus-mesh": args.plan.meshID, "isthmus-cluster": c.id },
      },
      { parent: this },
    );
    // The project's APIs first: every other Google Cloud resource of the cluster depends on them.
    const apis = Object.fromEntries(
      ((args.enableApis ?? true) ? gkeApis(args.plan) : []).map((api) => [
        api,
        new gcp.projects.Service(
          `${name}-${api.split(".")[0]}-api`,
          { project: args.project, service: api, disableOnDestroy: false, disableDependentServices: false },
          { parent: this, provider },
        ),
      ]),
    );
    const gopts = { parent: this, provider, dependsOn: Object.values(apis) };

    const { network, subnetwork, natAddress, nat } = gkeNetwork(name, args.plan.meshID, c, gopts);

    // Istio's ports on the nodes: istiod's webhooks from the control plane, and the east-west gateway.
    const webhookFirewall = new gcp.compute.Firewall(
      `${name}-istiod-webhook-fw`,
      {
        network: network.id,
        direction: "INGRESS",
        sourceRanges: [masterCidr],
        targetTags: [nodeTag],
        allows: [{ protocol: "tcp", ports: [String(ISTIOD_WEBHOOK_PORT)] }],
        description: `istiod webhooks (${ISTIOD_WEBHOOK_PORT}) from the GKE control plane`,
      },
      gopts,
    );
    // What the plan's east-west gateway serves (its ports, exposure and sources, the document's
    // options applied). An internet-facing gateway needs no rule of ours: GKE creates the ingress
    // allow rule of each LoadBalancer Service from its loadBalancerSourceRanges (the peers' egress
    // addresses), and a 0.0.0.0/0 rule here would let every source past them.
    const opening = c.firewall.find((o) => o.gateway === "east-west");
    const gatewayPorts = (opening?.ports ?? []).map(String);
    const gatewayFirewall =
      opening === undefined ||
      (opening.exposure === "internet-facing" && args.eastWestGatewaySourceRanges === undefined)
        ? undefined
        : new gcp.compute.Firewall(
            `${name}-eastwest-fw`,
            {
              network: network.id,
              direction: "INGRESS",
              sourceRanges: [
                ...(args.eastWestGatewaySourceRanges ?? [...opening.sources, ...GCP_HEALTH_CHECK_RANGES]),
              ],
              targetTags: [nodeTag],
              allows: [{ protocol: opening.protocol, ports: gatewayPorts }],
              description: `Istio east-west gateway (${gatewayPorts.join(", ")}) from the other regions`,
            },
            gopts,
          );

    const gkeCluster = new gcp.container.Cluster(
      `${name}-gke`,
      {
        name: c.names.cloudCluster,
        location: c.region,
        nodeLocations: [...c.zones],
        network: network.id,
        subnetwork: subnetwork.id,
        networkingMode: "VPC_NATIVE",
        ipAllocationPolicy: {
          clusterSecondaryRangeName: GKE_POD_RANGE_NAME,
          servicesSecondaryRangeName: GKE_SERVICE_RANGE_NAME,
        },
        privateClusterConfig: {
          enablePrivateNodes: true,
          enablePrivateEndpoint: false,
          masterIpv4CidrBlock: masterCidr,
        },
        // The node pool below replaces the default one.
        removeDefaultNodePool: true,
        initialNodeCount: 1,
        deletionProtection: false,
        minMasterVersion: args.kubernetesVersion ?? DEFAULT_GKE_KUBERNETES_VERSION,
      },
      gopts,
    );

    const nodePool = new gcp.container.NodePool(
      `${name}-nodes`,
      {
        cluster: gkeCluster.name,
        location: c.region,
        nodeLocations: [...c.zones],
        nodeCount: nodesPerZone(c),
        nodeConfig: {
          machineType: c.nodes.machineType,
          oauthScopes: [...GKE_NODE_SCOPES],
          tags: [nodeTag],
          ...(args.nodeServiceAccount === undefined ? {} : { serviceAccount: args.nodeServiceAccount }),
        },
        management: { autoRepair: true, autoUpgrade: true },
      },
      {
        ...gopts,
        dependsOn: [...gopts.dependsOn, nat, webhookFirewall, ...(gatewayFirewall ? [gatewayFirewall] : [])],
      },
    );

    const kubeconfig = pulumi.secret(
      pulumi.all([gkeCluster.endpoint, gkeCluster.masterAuth]).apply(([endpoint, auth]) =>
        execKubeconfig({
          name: `gke_${args.project}_${c.region}_${c.names.cloudCluster}`,
          server: `https://${endpoint}`,
          certificateAuthorityData: auth.clusterCaCertificate!,
          exec: {
            command: "gke-gcloud-auth-plugin",
            installHint:
              "Install gke-gcloud-auth-plugin: gcloud components install gke-gcloud-auth-plugin " +
              "(https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl)",
            provideClusterInfo: true,
          },
        }),
      ),
    );
    const k8sProvider = new k8s.Provider(
      `${name}-k8s`,
      { kubeconfig, clusterIdentifier: c.id },
      { parent: this, dependsOn: [nodePool] },
    );

    const cluster: MeshCluster = {
      id: c.id,
      provider: k8sProvider,
      endpoint: pulumi.interpolate`https://${gkeCluster.endpoint}`,
      certificateAuthority: gkeCluster.masterAuth.apply((auth) =>
        Buffer.from(auth.clusterCaCertificate ?? "", "base64").toString("utf8"),
      ),
      readyResources: [nodePool],
      egressAddresses: [natAddress.address],
    };
    this.cluster = cluster;
    this.gcpProvider = provider;
    this.network = network;
    this.subnetwork = subnetwork;
    this.gkeCluster = gkeCluster;
    this.nodePool = nodePool;
    this.kubeconfig = kubeconfig;
    this.apis = apis;
    this.wireGuardEndpoint = gcpWireGuardEndpoint({
      provider,
      network: network.id,
      subnetwork: subnetwork.id,
      apis: Object.values(apis),
    });
    this.registerOutputs({
      endpoint: cluster.endpoint,
      certificateAuthority: cluster.certificateAuthority,
      kubeconfig,
      networkId: network.id,
      clusterName: gkeCluster.name,
    });
  }
}

/**
 * The node pool's per-zone size: a regional pool's `nodeCount` is per zone, so the plan's count is
 * spread evenly and rounded up (3 nodes over 3 zones: 1 per zone; 4 over 3: 2 per zone, 6 in all).
 */
export function nodesPerZone(cluster: ClusterPlan): number {
  return Math.ceil(cluster.nodes.count / Math.max(1, cluster.zones.length));
}

/** A Google Cloud project id: 6–30 characters, lower-case letters, digits and hyphens. */
const PROJECT_ID = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;

/** Validates the arguments and returns the planned cluster; throws before anything is registered. */
function checkedCluster(args: GkeClusterArgs): ClusterPlan {
  const { cluster: c, problems } = plannedCluster(args.plan, args.clusterId, "gcp");
  if (c !== undefined && (!Number.isInteger(c.nodes.count) || c.nodes.count < 1)) {
    problems.push({
      path: `plan.clusters.${c.id}.nodes.count`,
      problem: "is not a usable node pool size",
      received: c.nodes.count,
      expected: "an integer of at least 1",
      fix: "Set nodes.count to 1 or more.",
    });
  }
  if (typeof args.project !== "string" || !PROJECT_ID.test(args.project)) {
    problems.push({
      path: "project",
      problem: "is not a Google Cloud project id",
      received: args.project,
      expected: "6–30 lower-case letters, digits and hyphens, starting with a letter",
      fix: "Pass the project id (gcloud config get-value project), not its name or number.",
    });
  }
  const master = args.masterIpv4CidrBlock ?? DEFAULT_MASTER_IPV4_CIDR_BLOCK;
  const masterProblem = cidrProblem(master);
  if (masterProblem !== undefined || parseCidr(master).prefix !== 28) {
    problems.push({
      path: "masterIpv4CidrBlock",
      problem: masterProblem ?? "is not a /28",
      received: master,
      expected: "a private /28 (172.16.0.0/28)",
      fix: "GKE's control plane takes exactly a /28.",
    });
  } else {
    const range = parseCidr(master);
    for (const other of Object.values(args.plan?.clusters ?? {})) {
      for (const kind of ["node", "pod", "service"] as const) {
        const cidr = other.cidrs[kind];
        if (cidrProblem(cidr) === undefined && overlaps(range, parseCidr(cidr))) {
          problems.push({
            path: "masterIpv4CidrBlock",
            problem: `overlaps clusters.${other.id}.cidrs.${kind} (${cidr})`,
            received: master,
            expected: "a /28 outside every range of the mesh",
            fix: `Choose a /28 outside the mesh's ranges (the default is ${DEFAULT_MASTER_IPV4_CIDR_BLOCK}).`,
          });
        }
      }
    }
  }
  throwIfProblems("GkeCluster", problems);
  return c!;
}
