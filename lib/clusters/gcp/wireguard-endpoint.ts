/**
 * The WireGuard gateway of a cluster on Google Cloud: a small Compute Engine instance (`e2-small`,
 * Debian 12) with `canIpForward`, a static external address, a firewall rule per peer opening the
 * WireGuard port to that peer's /32, firewall rules admitting the local ranges into the gateway and
 * the remote ranges into the network, and one route per remote range with the instance as next hop.
 *
 * The config (it holds the private key) never goes into metadata, which anyone allowed
 * `compute.instances.get` reads: it is a Secret Manager secret readable only by the gateway's
 * service account, fetched at boot. The startup script names the secret's version, so a new config
 * replaces the instance. Needs the Secret Manager API enabled in the project.
 */
import { createHash } from "node:crypto";
import * as gcp from "./pulumi-gcp";
import * as pulumi from "@pulumi/pulumi";
import {
  rangeKey,
  type WireGuardEndpoint,
  type WireGuardEndpointContext,
} from "../../base/wireguard-endpoint";
import { gcpBootScript } from "../gateway-boot";

/** The Google Cloud gateway's default machine type. */
export const DEFAULT_GCP_MACHINE_TYPE = "e2-small";
/** The Google Cloud gateway's default image family. */
export const DEFAULT_GCP_IMAGE = "debian-cloud/debian-12";
/** The priority of the gateway's routes on Google Cloud (lower wins; the default route is 1000). */
export const GCP_ROUTE_PRIORITY = 900;

/** A GKE-style network the gateway instance joins. */
export interface GcpGatewayNetwork {
  /** The project and region's Google Cloud provider (a `gcp.Provider`). */
  readonly provider: pulumi.ProviderResource;
  /** The VPC network (id or self link). */
  readonly network: pulumi.Input<string>;
  /** The regional subnetwork the instance takes its address in. */
  readonly subnetwork: pulumi.Input<string>;
  /**
   * The project services (APIs) the gateway's resources wait for: Compute Engine, Secret Manager, IAM.
   * @default - none: the APIs are enabled already
   */
  readonly apis?: readonly pulumi.Resource[];
  /**
   * The zone of the instance.
   * @default - the cluster's first zone in the plan
   */
  readonly zone?: string;
  /**
   * The machine type.
   * @default "e2-small"
   */
  readonly machineType?: string;
  /**
   * The boot image; needs `apt-get`, `curl` and `python3` (Debian).
   * @default "debian-cloud/debian-12"
   */
  readonly image?: string;
}

/**
 * The gateway machine in a GKE-style network (see {@link GcpGatewayNetwork}): a static address,
 * firewall rules, the config in Secret Manager, the instance and its routes. Every child is named
 * `<gateway>-…` under the gateway component.
 */
export function gcpWireGuardEndpoint(net: GcpGatewayNetwork): WireGuardEndpoint {
  return { cloud: "gcp", build: (ctx) => gcpGateway(ctx, net) };
}

/** The Google Cloud gateway; returns its static address. */
function gcpGateway(ctx: WireGuardEndpointContext, net: GcpGatewayNetwork): pulumi.Output<string> {
  const { name, plan, clusterId, gateway } = ctx;
  const cluster = plan.clusters[clusterId]!;
  const port = plan.wireguard!.listenPort;
  const opts = { parent: ctx.parent, provider: net.provider, dependsOn: [...(net.apis ?? [])] };
  const zone = net.zone ?? cluster.zones[0]!;
  const instanceName = `${cluster.names.cloudCluster}-wireguard`;
  const tag = instanceName;

  const address = new gcp.compute.Address(
    `${name}-address`,
    {
      region: cluster.region,
      addressType: "EXTERNAL",
      description: `WireGuard gateway of ${clusterId} (isthmus)`,
    },
    opts,
  );
  const firewalls = [
    ...gateway.peers.map(
      (peer) =>
        new gcp.compute.Firewall(
          `${name}-${peer.id}-wireguard-fw`,
          {
            network: net.network,
            direction: "INGRESS",
            sourceRanges: [ctx.peerSource(peer.id)],
            targetTags: [tag],
            allows: [{ protocol: "udp", ports: [String(port)] }],
            description: `WireGuard from the gateway of ${peer.id}`,
          },
          opts,
        ),
    ),
    new gcp.compute.Firewall(
      `${name}-forward-fw`,
      {
        network: net.network,
        direction: "INGRESS",
        sourceRanges: [...gateway.localCidrs],
        targetTags: [tag],
        allows: [{ protocol: "all" }],
        description: "traffic of this cluster to forward into the tunnel",
      },
      opts,
    ),
    new gcp.compute.Firewall(
      `${name}-remote-fw`,
      {
        network: net.network,
        direction: "INGRESS",
        sourceRanges: [...ctx.remoteCidrs],
        allows: [{ protocol: "all" }],
        description: "the other regions, over the WireGuard tunnel",
      },
      opts,
    ),
  ];

  // The config, in Secret Manager, readable by the gateway's service account alone.
  const account = new gcp.serviceaccount.Account(
    `${name}-sa`,
    { accountId: serviceAccountId(plan.meshID, clusterId), displayName: `WireGuard gateway of ${clusterId}` },
    opts,
  );
  const secret = new gcp.secretmanager.Secret(
    `${name}-config`,
    { secretId: instanceName, replication: { auto: {} } },
    opts,
  );
  const version = new gcp.secretmanager.SecretVersion(
    `${name}-config-version`,
    { secret: secret.id, secretData: ctx.config },
    opts,
  );
  const reader = new gcp.secretmanager.SecretIamMember(
    `${name}-config-reader`,
    {
      secretId: secret.id,
      role: "roles/secretmanager.secretAccessor",
      member: pulumi.interpolate`serviceAccount:${account.email}`,
    },
    opts,
  );
  new gcp.compute.Instance(
    `${name}-instance`,
    {
      name: instanceName,
      zone,
      machineType: net.machineType ?? DEFAULT_GCP_MACHINE_TYPE,
      canIpForward: true,
      bootDisk: { initializeParams: { image: net.image ?? DEFAULT_GCP_IMAGE } },
      networkInterfaces: [{ subnetwork: net.subnetwork, accessConfigs: [{ natIp: address.address }] }],
      tags: [tag],
      serviceAccount: { email: account.email, scopes: ["https://www.googleapis.com/auth/cloud-platform"] },
      metadataStartupScript: version.name.apply((versionName) => gcpBootScript(versionName)),
      shieldedInstanceConfig: { enableSecureBoot: true },
    },
    // One instance owns the name and the static address at a time.
    { ...opts, deleteBeforeReplace: true, dependsOn: [...opts.dependsOn, reader, ...firewalls] },
  );
  for (const cidr of ctx.remoteCidrs) {
    new gcp.compute.Route(
      `${name}-${rangeKey(cidr)}-route`,
      {
        network: net.network,
        destRange: cidr,
        nextHopInstance: instanceName,
        nextHopInstanceZone: zone,
        priority: GCP_ROUTE_PRIORITY,
        description: `to cluster ranges over the WireGuard gateway of ${clusterId}`,
      },
      { ...opts, dependsOn: [...opts.dependsOn, ...firewalls] },
    );
  }
  return address.address;
}

/** A service account id (6–30 characters) stable per mesh and cluster: `wg-<10 hex>`. */
export function serviceAccountId(meshID: string, clusterId: string): string {
  return `wg-${createHash("sha256").update(`${meshID}/${clusterId}`).digest("hex").slice(0, 10)}`;
}
