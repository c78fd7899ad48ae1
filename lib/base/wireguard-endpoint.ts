/**
 * The contract between the flat network (`lib/components`) and a cloud's WireGuard gateway machine
 * (`lib/clusters/aws`, `lib/clusters/gcp`): the mesh layer owns the keys and the wg-quick file, the
 * cloud's adapter owns the instance, its firewall, where the file is stored and the routes.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { MeshPlan, WireGuardGatewayPlan } from "../core/mesh-plan";

/** What a cloud's gateway machine is built from. */
export interface WireGuardEndpointContext {
  /** The gateway component's name: the prefix of every child's name. */
  readonly name: string;
  readonly plan: MeshPlan;
  readonly clusterId: string;
  /** The plan's gateway of this cluster: tunnel address, peers, local ranges. */
  readonly gateway: WireGuardGatewayPlan;
  /** The wg-quick file: secret. */
  readonly config: pulumi.Output<string>;
  /** The /32 a firewall admits a peer from (its public address). */
  readonly peerSource: (peerId: string) => pulumi.Output<string>;
  /** Every range routed to this gateway, sorted. */
  readonly remoteCidrs: readonly string[];
  /** The gateway component: the parent of every child. */
  readonly parent: pulumi.Resource;
}

/**
 * A WireGuard gateway machine in a cloud's network, as a cloud adapter describes it:
 * `EksCluster.wireGuardEndpoint`, `GkeCluster.wireGuardEndpoint`, or `awsWireGuardEndpoint(...)` /
 * `gcpWireGuardEndpoint(...)` for a network you name yourself.
 */
export interface WireGuardEndpoint {
  /** The cloud it runs in; must be the cluster's. */
  readonly cloud: "aws" | "gcp";
  /** Creates the machine and what it needs, as children of `ctx.parent`; returns the peers' address. */
  build(ctx: WireGuardEndpointContext): pulumi.Output<string>;
}

/** A stable child-name key for a range: `10-0-0-0-16`. */
export function rangeKey(cidr: string): string {
  return cidr.replace(/[./:]/g, "-");
}
