/**
 * EastWestGateway: the gateway that joins a cluster's network to the mesh's other networks, and
 * exposes istiod to remotes.
 *
 * Istio's `gateway` chart released as `istio-eastwestgateway` with `networkGateway` set (that release
 * name yields the `istio: eastwestgateway` selector), then the cross-network `Gateway` (15443,
 * AUTO_PASSTHROUGH) and, on a primary with remotes, istiod's Gateway and VirtualService. The load
 * balancer's address (an IP, or a hostname on AWS) is read back from the Service as an output.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { MeshCluster } from "../base/mesh-cluster";
import type { EastWestGatewayPlan } from "../core/east-west-gateway";
import type { MeshPlan } from "../core/mesh-plan";
import { eastWestGatewayFeature } from "../manifests/features";
import { throwIfProblems } from "../base/input-errors";
import { helmRelease } from "./helm-release";
import { applyObjects } from "./kubernetes-objects";
import { renderCluster } from "./render-cluster";
import { notAClusterProblem } from "../core/cluster-of";
import { throwIfBadArguments } from "../base/argument-checks";
import { EAST_WEST_GATEWAY_ARGUMENTS } from "../base/component-arguments";

/** The NLB annotation that assigns Elastic IPs (AWS Load Balancer Controller). */
export const AWS_EIP_ALLOCATIONS = "service.beta.kubernetes.io/aws-load-balancer-eip-allocations";
/** The NLB annotation that names its subnets (required with Elastic IPs: one per subnet). */
export const AWS_SUBNETS = "service.beta.kubernetes.io/aws-load-balancer-subnets";

/** An address as a /32 (a range passes as it is). */
function asHostRange(address: string): string {
  return address.includes("/") ? address : `${address}/32`;
}

/** Arguments of {@link EastWestGateway}. */
export interface EastWestGatewayArgs {
  /** The mesh plan (`planMesh(document)`): the gateway, with the document's options applied, is `plan.clusters[clusterId].eastWestGateway`. */
  readonly plan: MeshPlan;
  readonly clusterId: string;
  readonly cluster: MeshCluster;
  /**
   * The public addresses the peers' traffic comes from (their NAT gateways' IPs), known at deploy time:
   * an internet-facing gateway whose document options set no `sourceRanges` admits only these (as /32s).
   * @default - none: any source
   */
  readonly peerEgressAddresses?: readonly pulumi.Input<string>[];
  /**
   * What the gateway waits for: the cluster's istiod (it injects the gateway's proxy).
   * @default - nothing
   */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** One cluster's east-west gateway. */
export class EastWestGateway extends pulumi.ComponentResource {
  /** The release, values, exposure and ports decided by the plan. */
  declare readonly gateway: EastWestGatewayPlan;
  /** The gateway chart's release. */
  declare readonly release: k8s.helm.v3.Release;
  /** The load balancer's address: an IP, or a hostname (AWS). */
  declare readonly address: pulumi.Output<string>;

  constructor(name: string, args: EastWestGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfBadArguments(`EastWestGateway ${name}`, args, EAST_WEST_GATEWAY_ARGUMENTS);
    const gateway = gatewayOf(name, args.plan, args.clusterId);
    super("isthmus:mesh:EastWestGateway", name, {}, opts);
    const { plan, clusterId, cluster } = args;
    const provider = cluster.provider;
    const statics = cluster.gatewayStaticAddresses;
    if (gateway.staticAddresses && statics === undefined) {
      throwIfProblems(`EastWestGateway ${name}`, [
        {
          path: "cluster.gatewayStaticAddresses",
          problem: `is missing: ${clusterId} exposes istiod to remotes through an AWS load balancer, which publishes a host name`,
          received: undefined,
          expected: "one Elastic IP allocation per public subnet",
          fix: "Provision the cluster with EksCluster (it allocates them), or pass Elastic IPs with the handle.",
        },
      ]);
    }
    // Static addresses: the NLB takes the Elastic IPs (one per subnet, in the same order). Source
    // ranges: the peers' egress addresses, where the program knows them and the options set none.
    const useStatics = gateway.staticAddresses && statics !== undefined;
    const peerSources =
      gateway.admitsPeerEgress && (args.peerEgressAddresses ?? []).length > 0
        ? args.peerEgressAddresses!
        : undefined;
    const values =
      useStatics || peerSources !== undefined
        ? pulumi
            .all([
              pulumi.all([...(statics?.allocationIds ?? [])]),
              pulumi.all([...(statics?.subnetIds ?? [])]),
              pulumi.all([...(peerSources ?? [])]),
            ])
            .apply(([allocations, subnets, sources]) => ({
              ...gateway.values,
              service: {
                ...gateway.values.service,
                annotations: {
                  ...gateway.values.service.annotations,
                  ...(useStatics
                    ? { [AWS_EIP_ALLOCATIONS]: allocations.join(","), [AWS_SUBNETS]: subnets.join(",") }
                    : {}),
                },
                ...(peerSources === undefined
                  ? {}
                  : {
                      // An address is unset only under mocks that compute no outputs (echo mocks).
                      loadBalancerSourceRanges: [
                        ...new Set(
                          sources.filter((a): a is string => typeof a === "string").map(asHostRange),
                        ),
                      ].sort(),
                    }),
              },
            }))
        : gateway.values;
    const release = helmRelease(
      `${name}-release`,
      {
        release: gateway.release,
        chart: gateway.chart.name,
        version: gateway.chart.version,
        repository: gateway.chart.repository,
        namespace: gateway.namespace,
      },
      values,
      {
        parent: this,
        provider,
        // The load balancer's controller first: created before, deleted after the Service.
        dependsOn: [...(args.dependsOn ?? []), ...(cluster.loadBalancerReady ?? [])],
      },
    );
    applyObjects(renderCluster(plan, clusterId, eastWestGatewayFeature(name, [clusterId]).render), {
      provider,
      parent: this,
      namePrefix: name,
      dependsOn: [release],
    });
    // The chart names the Service after the release. Its id comes from the release's status, unknown
    // in a preview, so the read happens only once the release exists.
    // (Mocks that compute no outputs leave the status unset: the planned namespace and release name.)
    const serviceId = release.status.apply(
      (s) => `${s?.namespace ?? gateway.namespace}/${s?.name ?? gateway.release}`,
    );
    const service = k8s.core.v1.Service.get(`${name}-service`, serviceId, {
      parent: this,
      provider,
      dependsOn: [release],
    });
    const loadBalancerAddress = service.status.apply((status) => {
      // No status at all only under mocks that compute no outputs (outputs echo inputs).
      if (status === undefined) return "";
      const ingress = status.loadBalancer?.ingress?.[0];
      const address = ingress?.ip ?? ingress?.hostname;
      if (!address) throw new Error(`${name}: the load balancer of ${gateway.release} has no address yet`);
      return address;
    });
    // With static addresses the remotes use an IP: the first Elastic IP, or the first fixed private
    // address of an internal NLB (cross-zone, it reaches every zone), once the load balancer is up.
    const privateAddress = gateway.privateAddresses?.[0]?.address;
    this.address =
      gateway.staticAddresses && statics !== undefined
        ? pulumi.all([loadBalancerAddress, statics.publicIps[0]!]).apply(([, ip]) => ip)
        : privateAddress !== undefined
          ? loadBalancerAddress.apply(() => privateAddress)
          : loadBalancerAddress;
    this.gateway = gateway;
    this.release = release;
    this.registerOutputs({
      address: this.address,
      exposure: gateway.exposure,
      exposureReason: gateway.exposureReason,
    });
  }
}

/** The plan's gateway of the cluster, or every problem why there is none. */
function gatewayOf(name: string, plan: MeshPlan, clusterId: string): EastWestGatewayPlan {
  const ids = Object.keys(plan.clusters);
  const cluster = plan.clusters[clusterId];
  const gateway = cluster?.eastWestGateway;
  if (gateway !== undefined) return gateway;
  throwIfProblems(`EastWestGateway ${name}`, [
    cluster === undefined
      ? notAClusterProblem("clusterId", clusterId, ids)
      : {
          path: "clusterId",
          problem:
            "runs no east-west gateway in this plan (wireguard mode, and no istiod exposed to remotes)",
          received: clusterId,
          expected: `one of ${ids.filter((id) => plan.clusters[id]!.eastWestGateway !== undefined).join(", ")}`,
          fix: "Create an EastWestGateway only where plan.clusters.<id>.eastWestGateway is set.",
        },
  ]);
  throw new Error("unreachable");
}
