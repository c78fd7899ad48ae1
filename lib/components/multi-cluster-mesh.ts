/**
 * MultiClusterMesh: one Istio mesh across every cluster of a spec, in one stack graph.
 *
 * From a MeshSpec and one MeshCluster handle per cluster it creates, in order and in parallel across
 * clusters: the mesh's trust (root and intermediates), Istio in every cluster, east-west gateways
 * (`gateways` mode, or istiod exposure for remotes), endpoint discovery (reader tokens and remote
 * secrets), and the traffic policies and services it is given. Every input is validated before
 * anything is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import type { MeshCluster } from "../base/mesh-cluster";
import type { MeshPlan } from "../core/mesh-plan";
import type { SpecProblem } from "../core/problems";
import type { MeshTrustSpec } from "../core/trust";
import { meshFeatures, type FeatureKind, type MeshFeature } from "../manifests/features";
import { ClusterReader } from "./cluster-reader";
import { EastWestGateway } from "./east-west-gateway";
import { FailoverPolicy } from "./failover-policy";
import { throwIfProblems } from "../base/input-errors";
import { IstioInstallation } from "./istio-installation";
import { MeshService } from "./mesh-service";
import { MeshTrust, meshTrustProblems } from "./mesh-trust";
import { RemoteSecret } from "./remote-secret";
import { TrafficSplit } from "./traffic-split";
import { notAClusterProblem } from "../core/cluster-of";
import { handleProblems as checkHandle, throwIfBadArguments } from "../base/argument-checks";
import { MULTI_CLUSTER_MESH_ARGUMENTS } from "../base/component-arguments";

/** Arguments of {@link MultiClusterMesh}. */
export interface MultiClusterMeshArgs {
  /**
   * The plan of the mesh document, from `planMesh(document)`: the mesh spec with its services,
   * failover policies, traffic splits and east-west gateway options, validated and decided once.
   * The same document `isthmus synth` renders.
   */
  readonly plan: MeshPlan;
  /** One handle per cluster of the plan, keyed by the same ids (from EksCluster, GkeCluster, ExistingCluster). */
  readonly clusters: Readonly<Record<string, MeshCluster>>;
  /**
   * Certificate validity, extra trusted roots (rotation) or a root of your own.
   * @default - a generated root (10 years) and intermediates (2 years)
   */
  readonly trust?: MeshTrustSpec<pulumi.Input<string>>;
}

/** Per-cluster results. */
export interface MeshClusterStatus {
  readonly role: "primary" | "remote";
  readonly network: string;
  /** The istiod release's status. */
  readonly istio: string;
  /** The east-west gateway's address, where the cluster has one. */
  readonly gatewayAddress?: string;
}

/** A multi-cluster Istio mesh. */
export class MultiClusterMesh extends pulumi.ComponentResource {
  /** The resolved plan (plain data). */
  declare readonly plan: MeshPlan;
  declare readonly trust: MeshTrust;
  declare readonly installations: Readonly<Record<string, IstioInstallation>>;
  declare readonly gateways: Readonly<Record<string, EastWestGateway>>;
  /** Per cluster: role, network, Istio status, gateway address. */
  declare readonly clusterStatus: pulumi.Output<Record<string, MeshClusterStatus>>;
  /** Certificate expiry dates: `root` and each primary's intermediate. */
  declare readonly certificateExpiry: pulumi.Output<Record<string, string | undefined>>;

  constructor(name: string, args: MultiClusterMeshArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfBadArguments(`MultiClusterMesh ${name}`, args, MULTI_CLUSTER_MESH_ARGUMENTS);
    MultiClusterMesh.validate(name, args);
    super("isthmus:mesh:MultiClusterMesh", name, {}, opts);
    const { plan } = args;
    const child = { parent: this };
    const ids = Object.keys(plan.clusters);

    const trust = new MeshTrust(
      `${name}-trust`,
      { plan, ...(args.trust ? { trust: args.trust } : {}) },
      child,
    );

    const installations: Record<string, IstioInstallation> = {};
    const gateways: Record<string, EastWestGateway> = {};
    const services: MeshService[] = [];
    const istiodOf = (id: string): pulumi.Resource[] => [installations[id]!.istiod];
    // Traffic policies wait for istiod (its webhooks validate them) and for the services (whose
    // namespaces they live in), which the table lists first.
    const policyWaitsFor = (): Record<string, pulumi.Resource[]> =>
      Object.fromEntries(ids.map((id) => [id, [...istiodOf(id), ...services]]));
    const planned = <T extends { readonly key: string }>(list: readonly T[], f: MeshFeature): T =>
      list.find((p) => p.key === f.key)!;

    // The feature table, in order: each kind through its component.
    const apply: { readonly [K in FeatureKind]: (feature: MeshFeature) => void } = {
      istio: (f) => {
        for (const id of f.clusters) {
          // A remote uses its primary's istiod through the primary's east-west gateway (created before).
          const primary = plan.clusters[id]!.controlPlaneCluster;
          const remotePilotAddress = primary === undefined ? undefined : gateways[primary]!.address;
          installations[id] = new IstioInstallation(
            `${name}-${id}`,
            {
              plan,
              clusterId: id,
              cluster: args.clusters[id]!,
              ...(plan.clusters[id]!.role === "primary" ? { cacerts: trust.cacerts(id) } : {}),
              ...(remotePilotAddress === undefined ? {} : { remotePilotAddress }),
            },
            child,
          );
        }
      },
      "east-west-gateway": (f) => {
        for (const id of f.clusters) {
          // The peers' egress addresses, when every peer's handle knows them.
          const peers = plan.clusters[id]!.eastWestGateway!.peers.map(
            (p) => args.clusters[p]!.egressAddresses,
          );
          const peerEgressAddresses = peers.every((e) => e !== undefined && e.length > 0)
            ? peers.flatMap((e) => [...e!])
            : undefined;
          gateways[id] = new EastWestGateway(
            `${name}-${id}-eastwest`,
            {
              plan,
              clusterId: id,
              cluster: args.clusters[id]!,
              ...(peerEgressAddresses === undefined ? {} : { peerEgressAddresses }),
              dependsOn: istiodOf(id),
            },
            child,
          );
        }
      },
      // The tunnel's gateways and the DNS stubs need WireGuard keys and cloud endpoints: FlatNetwork
      // applies them, from the same plan.
      "wireguard-gateway": () => undefined,
      "dns-stubs": () => undefined,
      service: (f) => {
        services.push(
          new MeshService(
            `${name}-${f.key}-service`,
            {
              plan,
              service: planned(plan.services, f),
              clusters: args.clusters,
              dependsOn: Object.fromEntries(ids.map((id) => [id, istiodOf(id)])),
            },
            child,
          ),
        );
      },
      "failover-policy": (f) => {
        new FailoverPolicy(
          `${name}-${f.key}-failover`,
          {
            plan,
            policy: planned(plan.failoverPolicies, f),
            clusters: args.clusters,
            dependsOn: policyWaitsFor(),
          },
          child,
        );
      },
      "traffic-split": (f) => {
        new TrafficSplit(
          `${name}-${f.key}-split`,
          {
            plan,
            split: planned(plan.trafficSplits, f),
            clusters: args.clusters,
            dependsOn: policyWaitsFor(),
          },
          child,
        );
      },
    };
    for (const feature of meshFeatures(plan)) apply[feature.kind](feature);

    // Endpoint discovery: a reader token in every target, a remote secret in every reader.
    const readers: Record<string, ClusterReader> = {};
    for (const pair of plan.discovery) {
      readers[pair.target] ??= new ClusterReader(
        `${name}-${pair.target}-reader`,
        {
          plan,
          clusterId: pair.target,
          cluster: args.clusters[pair.target]!,
          serviceAccountReady: [installations[pair.target]!.base],
        },
        child,
      );
      new RemoteSecret(
        `${name}-${pair.reader}-reads-${pair.target}`,
        {
          plan,
          pair,
          provider: args.clusters[pair.reader]!.provider,
          kubeconfig: readers[pair.target]!.kubeconfig,
          dependsOn: [installations[pair.reader]!.namespace],
        },
        child,
      );
    }

    const statuses = ids.map((id) =>
      pulumi
        .all([installations[id]!.status, gateways[id]?.address])
        .apply(([istio, address]): [string, MeshClusterStatus] => [
          id,
          {
            role: plan.clusters[id]!.role,
            network: plan.clusters[id]!.network,
            istio,
            ...(address === undefined ? {} : { gatewayAddress: address }),
          },
        ]),
    );
    this.plan = plan;
    this.trust = trust;
    this.installations = installations;
    this.gateways = gateways;
    this.clusterStatus = pulumi.all(statuses).apply((entries) => Object.fromEntries(entries));
    this.certificateExpiry = trust.expiries;
    this.registerOutputs({
      plan,
      clusterStatus: this.clusterStatus,
      certificateExpiry: this.certificateExpiry,
    });
  }

  /**
   * Every problem of the arguments, as one InputPropertiesError, before anything is registered. The
   * document was validated by `planMesh`; what is left are the handles and the trust options.
   */
  private static validate(name: string, args: MultiClusterMeshArgs): void {
    const plan = args.plan;
    const problems: SpecProblem[] = [...handleProblems(plan, args.clusters ?? {})];
    problems.push(...meshTrustProblems(plan, args.trust ?? {}, "trust"));
    throwIfProblems(`MultiClusterMesh ${name}`, problems);
  }
}

/** Every cluster of the plan needs a handle under its own id, and every handle a cluster. */
function handleProblems(plan: MeshPlan, clusters: Readonly<Record<string, MeshCluster>>): SpecProblem[] {
  const ids = Object.keys(plan.clusters);
  const out: SpecProblem[] = [];
  for (const id of ids) {
    const handle = Object.prototype.hasOwnProperty.call(clusters, id) ? clusters[id] : undefined;
    if (handle === undefined) {
      out.push({
        path: `clusters.${id}`,
        problem: "is missing: the spec has this cluster but no handle was given for it",
        received: undefined,
        expected: "a MeshCluster (from EksCluster, GkeCluster or ExistingCluster)",
        fix: `Pass clusters: { ${id}: <cluster>.cluster, ... }.`,
      });
    } else out.push(...checkHandle(`clusters.${id}`, handle, id));
  }
  for (const key of Object.keys(clusters)) {
    if (!ids.includes(key)) {
      out.push(
        notAClusterProblem(`clusters.${key}`, key, ids, "Add it to mesh.clusters, or remove the handle."),
      );
    }
  }
  return out;
}
