/**
 * The network of an `EksCluster`: the VPC (the plan's node range), one private subnet per zone (the
 * plan's subnets: nodes and, with the AWS VPC CNI, pods), one public subnet per zone (quarter 3 of
 * the node range: the NAT gateway and internet-facing load balancers), an internet gateway, one NAT
 * gateway and the two route tables. Children of the cluster component, named as they always were.
 */
import * as aws from "./pulumi-aws";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterPlan } from "../../core/mesh-plan";

/**
 * Zones where EKS does not place control planes, by zone id (EKS user guide, "VPC and subnet
 * requirements"): the adapter never picks them.
 */
export const EKS_UNSUPPORTED_ZONE_IDS: readonly string[] = ["use1-az3", "usw1-az2", "cac1-az3"];

/** What {@link eksNetwork} creates. */
export interface EksNetwork {
  readonly vpc: aws.ec2.Vpc;
  readonly igw: aws.ec2.InternetGateway;
  readonly publicSubnets: aws.ec2.Subnet[];
  readonly privateSubnets: aws.ec2.Subnet[];
  readonly publicRoutes: aws.ec2.RouteTable;
  readonly privateRoutes: aws.ec2.RouteTable;
  readonly privateAssociations: readonly aws.ec2.RouteTableAssociation[];
  /** The NAT gateway's Elastic IP: the cluster's egress address. */
  readonly natAddress: aws.ec2.Eip;
}

/** Creates the cluster's network as children of `aopts.parent`, through its AWS provider. */
export function eksNetwork(
  name: string,
  c: ClusterPlan,
  aopts: { readonly parent: pulumi.Resource; readonly provider: aws.Provider },
): EksNetwork {
  const provider = aopts.provider;
  const clusterTag = `kubernetes.io/cluster/${c.names.cloudCluster}`;
  // Where each planned zone's subnets go: the spec's zone, or the i-th available zone by zone id.
  const zoneIds = c.zonesPinned ? undefined : availableZoneIds(provider);
  const placement = (i: number, zone: string) =>
    zoneIds === undefined
      ? { availabilityZone: zone }
      : {
          availabilityZoneId: zoneIds.apply((ids) =>
            ids === undefined ? undefined : zoneAt(ids, i, c.region),
          ),
        };

  // Network: the VPC is the node range; private subnets are the plan's, public ones quarter 3.
  const vpc = new aws.ec2.Vpc(
    `${name}-vpc`,
    {
      cidrBlock: c.cidrs.node,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: c.names.cloudCluster },
    },
    aopts,
  );
  const igw = new aws.ec2.InternetGateway(
    `${name}-igw`,
    { vpcId: vpc.id, tags: { Name: c.names.cloudCluster } },
    aopts,
  );
  const publicSubnets = c.publicSubnets.map(
    (s, i) =>
      new aws.ec2.Subnet(
        `${name}-${s.zone}-public-subnet`,
        {
          vpcId: vpc.id,
          ...placement(i, s.zone),
          cidrBlock: s.cidr,
          mapPublicIpOnLaunch: true,
          tags: {
            Name: s.name,
            "kubernetes.io/role/elb": "1",
            [clusterTag]: "shared",
          },
        },
        aopts,
      ),
  );
  const privateSubnets = c.subnets.map(
    (s, i) =>
      new aws.ec2.Subnet(
        `${name}-${s.zone}-private-subnet`,
        {
          vpcId: vpc.id,
          ...placement(i, s.zone),
          cidrBlock: s.cidr,
          tags: {
            Name: s.name,
            "kubernetes.io/role/internal-elb": "1",
            [clusterTag]: "shared",
          },
        },
        aopts,
      ),
  );
  // A route table with the default route through `via`, associated with the kind's subnets.
  const routeTable = (
    kind: "public" | "private",
    via: { readonly gatewayId: pulumi.Input<string> } | { readonly natGatewayId: pulumi.Input<string> },
    subnets: readonly aws.ec2.Subnet[],
  ) => {
    const table = new aws.ec2.RouteTable(
      `${name}-${kind}-rt`,
      {
        vpcId: vpc.id,
        routes: [{ cidrBlock: "0.0.0.0/0", ...via }],
        tags: { Name: `${c.names.cloudCluster}-${kind}` },
      },
      aopts,
    );
    const associations = c.subnets.map(
      (s, i) =>
        new aws.ec2.RouteTableAssociation(
          `${name}-${s.zone}-${kind}-rta`,
          { subnetId: subnets[i]!.id, routeTableId: table.id },
          aopts,
        ),
    );
    return [table, associations] as const;
  };
  const [publicRoutes] = routeTable("public", { gatewayId: igw.id }, publicSubnets);
  // One NAT gateway, in the first zone: the demo's cost trade-off (one per zone survives a zone loss).
  const natZone = c.subnets[0]!.zone;
  const natAddress = new aws.ec2.Eip(
    `${name}-nat-eip`,
    { domain: "vpc", tags: { Name: `${c.names.cloudCluster}-nat` } },
    { ...aopts, dependsOn: [igw] },
  );
  const nat = new aws.ec2.NatGateway(
    `${name}-nat`,
    {
      allocationId: natAddress.id,
      subnetId: publicSubnets[0]!.id,
      tags: { Name: `${c.names.cloudCluster}-${natZone}` },
    },
    { ...aopts, dependsOn: [igw] },
  );
  const [privateRoutes, privateAssociations] = routeTable(
    "private",
    { natGatewayId: nat.id },
    privateSubnets,
  );

  return {
    vpc,
    igw,
    publicSubnets,
    privateSubnets,
    publicRoutes,
    privateRoutes,
    privateAssociations,
    natAddress,
  };
}

/**
 * The region's zone ids usable for EKS, sorted: available, not opt-in (Local Zones), not in
 * {@link EKS_UNSUPPORTED_ZONE_IDS}.
 */
/**
 * The region's usable zone ids, sorted. `undefined` only under mocks that compute no outputs (Pulumi's
 * echo mocks): the subnets then carry no zone id.
 */
function availableZoneIds(provider: aws.Provider): pulumi.Output<string[] | undefined> {
  return aws
    .getAvailabilityZonesOutput(
      {
        state: "available",
        excludeZoneIds: [...EKS_UNSUPPORTED_ZONE_IDS],
        filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
      },
      { provider },
    )
    .apply((zones) => (zones.zoneIds === undefined ? undefined : [...zones.zoneIds].sort()));
}

function zoneAt(ids: readonly string[], i: number, region: string): string {
  const id = ids[i];
  if (id === undefined) {
    throw new Error(
      `${region}: has ${ids.length} usable availability zones; got a plan with more, expected at most ${ids.length}. Pin zones in the spec.`,
    );
  }
  return id;
}
