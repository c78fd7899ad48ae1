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
import {
  eastWestGatewayPlan,
  validateEastWestGatewayOptions,
  type EastWestGatewayOptions,
  type EastWestGatewayPlan,
} from "../core/east-west-gateway";
import type { MeshPlan } from "../core/mesh-plan";
import { EastWestGateway as EastWestGatewayManifest } from "../manifests/east-west-gateway";
import { throwIfProblems } from "../base/input-errors";
import { applyObjects } from "./kubernetes-objects";
import { renderCluster } from "./render-cluster";

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
  readonly plan: MeshPlan;
  readonly clusterId: string;
  readonly cluster: MeshCluster;
  /**
   * Exposure and source ranges.
   * @default - chosen from the topology (see `eastWestGatewayExposure`)
   */
  readonly options?: EastWestGatewayOptions;
  /**
   * The public addresses the peers' traffic comes from (their NAT gateways' IPs), known at deploy time:
   * an internet-facing gateway whose options set no `sourceRanges` admits only these (as /32s).
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
    throwIfProblems(
      `EastWestGateway ${name}`,
      validateEastWestGatewayOptions(args.plan, args.clusterId, args.options ?? {}, "options"),
    );
    super("isthmus:mesh:EastWestGateway", name, {}, opts);
    const { plan, clusterId, cluster } = args;
    const provider = cluster.provider;
    const gateway = eastWestGatewayPlan(plan, clusterId, args.options ?? {});
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
      args.options?.sourceRanges === undefined &&
      gateway.exposure === "internet-facing" &&
      (args.peerEgressAddresses ?? []).length > 0
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
    const release = new k8s.helm.v3.Release(
      `${name}-release`,
      {
        name: gateway.release,
        chart: gateway.chart.name,
        version: gateway.chart.version,
        namespace: gateway.namespace,
        repositoryOpts: { repo: gateway.chart.repository },
        values: values as unknown as pulumi.Input<Record<string, pulumi.Input<unknown>>>,
        createNamespace: false,
      },
      {
        parent: this,
        provider,
        // The load balancer's controller first: created before, deleted after the Service.
        dependsOn: [...(args.dependsOn ?? []), ...(cluster.loadBalancerReady ?? [])],
      },
    );
    applyObjects(
      renderCluster(
        plan,
        clusterId,
        (chart) => new EastWestGatewayManifest(chart, "east-west", args.options ?? {}),
      ),
      { provider, parent: this, namePrefix: name, dependsOn: [release] },
    );
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
    // With static addresses the remotes use an IP: the first Elastic IP (cross-zone, it reaches every zone).
    this.address =
      gateway.staticAddresses && statics !== undefined
        ? pulumi.all([loadBalancerAddress, statics.publicIps[0]!]).apply(([, ip]) => ip)
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
