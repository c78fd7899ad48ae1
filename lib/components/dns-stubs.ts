/**
 * DnsStubs: one cluster's DNS forwarding stubs, applied — the other regions' alias zones forwarded
 * over the tunnel, and this cluster's DNS reachable at the plan's DNS address.
 *
 * The objects come from the cdk8s construct `isthmus synth` uses (`lib/manifests/dns-stubs.ts`).
 * Two of them already exist in every cluster and belong to someone else: the `coredns` ConfigMap
 * (EKS installs CoreDNS, as a self-managed or a managed add-on) and the `kube-dns` ConfigMap (GKE's
 * addon manager). Creating them would fail, and replacing them would fight their owners on every
 * update, so they are applied as server-side apply patches (`ConfigMapPatch`) that own only the
 * field isthmus decides (`data.Corefile`, `data.stubDomains`), forced (`pulumi.com/patchForce`) so
 * that isthmus takes that field over. With EKS's managed CoreDNS add-on, create the add-on with
 * `resolveConflicts: PRESERVE`, or it rewrites the Corefile on its next update.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { MeshCluster } from "../base/mesh-cluster";
import { dnsForwards, type DnsForward } from "../core/dns";
import type { MeshPlan } from "../core/mesh-plan";
import type { SpecProblem } from "../core/problems";
import {
  DNS_NAMESPACE,
  dnsConfigMapName,
  DnsStubs as DnsStubsManifest,
  type DnsStubsProps,
} from "../manifests/dns-stubs";
import { throwIfProblems } from "../base/input-errors";
import { applyObjects, objectKey, type KubernetesObject } from "./kubernetes-objects";
import { renderCluster } from "./render-cluster";

/** The annotation that makes a Pulumi patch take over fields another field manager owns. */
export const PATCH_FORCE_ANNOTATION = "pulumi.com/patchForce";

/** Arguments of {@link DnsStubs}. */
export interface DnsStubsArgs extends DnsStubsProps {
  /** The mesh plan, in `wireguard` mode with `dns.stubs` on. */
  readonly plan: MeshPlan;
  readonly clusterId: string;
  readonly cluster: MeshCluster;
  /**
   * What the objects wait for (e.g. the cluster's tunnel gateway).
   * @default - nothing
   */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** One cluster's DNS stubs. */
export class DnsStubs extends pulumi.ComponentResource {
  /** The address the other regions forward this cluster's alias zone to. */
  declare readonly address: string;
  /** The zones this cluster forwards, and where. */
  declare readonly forwards: readonly DnsForward[];
  /** The patch of the cluster DNS's ConfigMap (`coredns` or `kube-dns`). */
  declare readonly configPatch: k8s.core.v1.ConfigMapPatch;

  constructor(name: string, args: DnsStubsArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfProblems(`DnsStubs ${name}`, dnsStubsProblems(args.plan, args.clusterId));
    super("isthmus:network:DnsStubs", name, {}, opts);
    const { plan, clusterId, cluster } = args;
    const provider = cluster.provider;
    const props: DnsStubsProps = args.awsSubnet === undefined ? {} : { awsSubnet: args.awsSubnet };
    const objects = renderCluster(
      plan,
      clusterId,
      (chart) => new DnsStubsManifest(chart, "dns-stubs", props),
    );

    const configName = dnsConfigMapName(plan.clusters[clusterId]!);
    const isClusterDnsConfig = (o: KubernetesObject): boolean =>
      o.kind === "ConfigMap" && o.metadata.namespace === DNS_NAMESPACE && o.metadata.name === configName;
    const config = objects.find(isClusterDnsConfig)!;
    const dependsOn = [
      ...(args.dependsOn ?? []),
      ...(cluster.readyResources ?? []),
      ...(cluster.loadBalancerReady ?? []),
    ];
    const configPatch = new k8s.core.v1.ConfigMapPatch(
      `${name}-${objectKey(config)}`,
      {
        metadata: {
          name: config.metadata.name,
          namespace: DNS_NAMESPACE,
          annotations: { [PATCH_FORCE_ANNOTATION]: "true" },
        },
        data: config.data as Record<string, string>,
      },
      { parent: this, provider, dependsOn },
    );
    applyObjects(
      objects.filter((o) => !isClusterDnsConfig(o)),
      { provider, parent: this, namePrefix: name, dependsOn },
    );

    const address = plan.wireguard!.gateways[clusterId]!.dnsAddress;
    const forwards = dnsForwards(plan, clusterId);
    this.address = address;
    this.forwards = forwards;
    this.configPatch = configPatch;
    this.registerOutputs({ address, forwards });
  }
}

/** Why a cluster cannot have DNS stubs: no stubs in the plan, or no DNS address for it. */
export function dnsStubsProblems(plan: MeshPlan, clusterId: string, path = "plan"): SpecProblem[] {
  if (plan?.clusters?.[clusterId] === undefined) {
    return [
      {
        path: "clusterId",
        problem: "is not a cluster of the plan",
        received: clusterId,
        expected: `one of ${Object.keys(plan?.clusters ?? {}).join(", ")}`,
        fix: "Name a cluster of the plan.",
      },
    ];
  }
  const gateway = plan.wireguard?.gateways[clusterId];
  if (!plan.dns.stubs || gateway === undefined) {
    return [
      {
        path: `${path}.dns.stubs`,
        problem: "is off, or the mesh has no WireGuard tunnel to route DNS over",
        received: { networkMode: plan.networkMode, stubs: plan.dns.stubs },
        expected: 'networkMode "wireguard" with dns.stubs true',
        fix: 'Plan the mesh with networkMode: "wireguard" (stubs default to on there).',
      },
    ];
  }
  if (gateway.dnsAddress === "unallocated") {
    return [
      {
        path: `${path}.clusters.${clusterId}.cidrs.node`,
        problem: "leaves no room for the cluster's DNS address",
        received: plan.clusters[clusterId]!.cidrs.node,
        expected: "a node range with a first subnet of at least /29",
        fix: "Give the cluster a larger node range.",
      },
    ];
  }
  return [];
}
