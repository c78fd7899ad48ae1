/**
 * A GKE cluster's network: a VPC network in regional routing mode, one subnetwork with the plan's
 * node range and the pod and service ranges as secondary ranges, and Cloud NAT with a static address
 * for the private nodes' egress. Children of the `GkeCluster`, named `<cluster>-…`.
 */
import * as gcp from "./pulumi-gcp";
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterPlan } from "../../core/mesh-plan";

/** The subnetwork's secondary range the cluster takes pod addresses from. */
export const GKE_POD_RANGE_NAME = "pods";
/** The subnetwork's secondary range the cluster takes service (ClusterIP) addresses from. */
export const GKE_SERVICE_RANGE_NAME = "services";

/** The cluster's network, subnetwork and Cloud NAT (with its static egress address). */
export function gkeNetwork(
  name: string,
  meshID: string,
  c: ClusterPlan,
  gopts: pulumi.CustomResourceOptions & { dependsOn: pulumi.Resource[] },
): {
  network: gcp.compute.Network;
  subnetwork: gcp.compute.Subnetwork;
  natAddress: gcp.compute.Address;
  nat: gcp.compute.RouterNat;
} {
  const network = new gcp.compute.Network(
    `${name}-network`,
    {
      autoCreateSubnetworks: false,
      routingMode: "REGIONAL",
      description: `isthmus ${meshID}/${c.id}`,
    },
    gopts,
  );
  const subnetwork = new gcp.compute.Subnetwork(
    `${name}-subnet`,
    {
      network: network.id,
      region: c.region,
      ipCidrRange: c.cidrs.node,
      secondaryIpRanges: [
        { rangeName: GKE_POD_RANGE_NAME, ipCidrRange: c.cidrs.pod },
        { rangeName: GKE_SERVICE_RANGE_NAME, ipCidrRange: c.cidrs.service },
      ],
      privateIpGoogleAccess: true,
    },
    gopts,
  );
  // Private nodes egress (image pulls, the other regions' gateways) through Cloud NAT.
  // Named, not auto-named: the NAT refers to its router by name.
  const router = new gcp.compute.Router(
    `${name}-router`,
    { name: `${c.names.cloudCluster}-router`, network: network.id, region: c.region },
    { ...gopts, deleteBeforeReplace: true },
  );
  // A static NAT address: the cluster's known egress, which the other clusters' gateways admit.
  const natAddress = new gcp.compute.Address(
    `${name}-nat-address`,
    {
      region: c.region,
      addressType: "EXTERNAL",
      description: `Cloud NAT egress of ${meshID}/${c.id} (isthmus)`,
    },
    gopts,
  );
  const nat = new gcp.compute.RouterNat(
    `${name}-nat`,
    {
      name: `${c.names.cloudCluster}-nat`,
      router: router.name,
      region: c.region,
      natIpAllocateOption: "MANUAL_ONLY",
      natIps: [natAddress.selfLink],
      sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
    },
    { ...gopts, deleteBeforeReplace: true },
  );
  return { network, subnetwork, natAddress, nat };
}
