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
import {
  eastWestGatewayPeers,
  needsEastWestGateway,
  validateEastWestGatewayOptions,
  type EastWestGatewayOptions,
} from "../core/east-west-gateway";
import { validateFailoverPolicy, type FailoverPolicySpec } from "../core/failover";
import { validateBroughtIntermediates } from "../core/brought-intermediates";
import type { MeshPlan } from "../core/mesh-plan";
import { validateMeshService, type MeshServiceSpec } from "../core/mesh-service";
import { toLabel } from "../core/names";
import { didYouMean, type SpecProblem } from "../core/problems";
import { resolvePlan } from "../core/resolve";
import type { MeshSpec } from "../core/spec";
import { validateTrafficSplit, type TrafficSplitSpec } from "../core/traffic-split";
import { validateMeshTrustSpec, type MeshTrustSpec } from "../core/trust";
import { validateMeshSpec } from "../core/validate";
import { ClusterReader } from "./cluster-reader";
import { EastWestGateway } from "./east-west-gateway";
import { FailoverPolicy } from "./failover-policy";
import { throwIfProblems, underArgument } from "../base/input-errors";
import { IstioInstallation } from "./istio-installation";
import { MeshService } from "./mesh-service";
import { MeshTrust } from "./mesh-trust";
import { RemoteSecret } from "./remote-secret";
import { TrafficSplit } from "./traffic-split";

/** Arguments of {@link MultiClusterMesh}. */
export interface MultiClusterMeshArgs {
  /** The mesh, as plain data (e.g. from `config.requireObject("mesh")`). */
  readonly spec: MeshSpec;
  /** One handle per cluster of the spec, keyed by the same ids (from EksCluster, GkeCluster, ExistingCluster). */
  readonly clusters: Readonly<Record<string, MeshCluster>>;
  /**
   * Certificate validity, extra trusted roots (rotation) or a root of your own.
   * @default - a generated root (10 years) and intermediates (2 years)
   */
  readonly trust?: MeshTrustSpec<pulumi.Input<string>>;
  /**
   * East-west gateway options per cluster id.
   * @default - exposure chosen from the topology
   */
  readonly eastWestGateways?: Readonly<Record<string, EastWestGatewayOptions>>;
  /**
   * Locality failover policies (one DestinationRule per host, in every primary).
   * @default []
   */
  readonly failoverPolicies?: readonly FailoverPolicySpec[];
  /**
   * Weighted traffic splits across clusters.
   * @default []
   */
  readonly trafficSplits?: readonly TrafficSplitSpec[];
  /**
   * Services deployed to several clusters.
   * @default []
   */
  readonly services?: readonly MeshServiceSpec[];
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
    const plan = MultiClusterMesh.validate(name, args);
    super("isthmus:mesh:MultiClusterMesh", name, {}, opts);
    const child = { parent: this };

    const trust = new MeshTrust(
      `${name}-trust`,
      { plan, ...(args.trust ? { trust: args.trust } : {}) },
      child,
    );

    // Istio in every primary first: remotes need their primary's exposed istiod.
    const installations: Record<string, IstioInstallation> = {};
    const gateways: Record<string, EastWestGateway> = {};
    const install = (id: string, remotePilotAddress?: pulumi.Input<string>): void => {
      const cluster = args.clusters[id]!;
      const istio = new IstioInstallation(
        `${name}-${id}`,
        {
          plan,
          clusterId: id,
          cluster,
          ...(plan.clusters[id]!.role === "primary" ? { cacerts: trust.cacerts(id) } : {}),
          ...(remotePilotAddress === undefined ? {} : { remotePilotAddress }),
        },
        child,
      );
      installations[id] = istio;
      if (needsEastWestGateway(plan, id)) {
        // The peers' egress addresses, when every peer's handle knows them.
        const peers = eastWestGatewayPeers(plan, id).map((p) => args.clusters[p]!.egressAddresses);
        const peerEgressAddresses = peers.every((e) => e !== undefined && e.length > 0)
          ? peers.flatMap((e) => [...e!])
          : undefined;
        gateways[id] = new EastWestGateway(
          `${name}-${id}-eastwest`,
          {
            plan,
            clusterId: id,
            cluster,
            ...(args.eastWestGateways?.[id] ? { options: args.eastWestGateways[id] } : {}),
            ...(peerEgressAddresses === undefined ? {} : { peerEgressAddresses }),
            dependsOn: [istio.istiod],
          },
          child,
        );
      }
    };
    const ids = Object.keys(plan.clusters);
    ids.filter((id) => plan.clusters[id]!.role === "primary").forEach((id) => install(id));
    for (const id of ids.filter((i) => plan.clusters[i]!.role === "remote")) {
      const primary = plan.clusters[id]!.controlPlaneCluster!;
      install(id, gateways[primary]!.address);
    }

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

    // Traffic: services where they are deployed; policies where istiod reads configuration, after
    // the services (whose namespaces they live in).
    const istiodOf = Object.fromEntries(
      ids.map((id) => [id, [installations[id]!.istiod as pulumi.Resource]]),
    );
    const services = (args.services ?? []).map(
      (service) =>
        new MeshService(
          `${name}-${service.name}-service`,
          { plan, service, clusters: args.clusters, dependsOn: istiodOf },
          child,
        ),
    );
    const policyWaitsFor = Object.fromEntries(ids.map((id) => [id, [...istiodOf[id]!, ...services]]));
    for (const policy of args.failoverPolicies ?? []) {
      new FailoverPolicy(
        `${name}-${policyKey(policy)}-failover`,
        { plan, policy, clusters: args.clusters, dependsOn: policyWaitsFor },
        child,
      );
    }
    for (const split of args.trafficSplits ?? []) {
      new TrafficSplit(
        `${name}-${policyKey(split)}-split`,
        { plan, split, clusters: args.clusters, dependsOn: policyWaitsFor },
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

  /** Every problem of the arguments, as one InputPropertiesError, before anything is registered. */
  private static validate(name: string, args: MultiClusterMeshArgs): MeshPlan {
    const specProblems = underArgument("spec", validateMeshSpec(args.spec));
    throwIfProblems(`MultiClusterMesh ${name}`, specProblems);
    const plan = resolvePlan(args.spec);
    const problems: SpecProblem[] = [...handleProblems(plan, args.clusters ?? {})];
    problems.push(...validateMeshTrustSpec(args.trust ?? {}, "trust"));
    if (args.trust?.bringYourOwnIntermediates !== undefined) {
      problems.push(
        ...validateBroughtIntermediates(
          args.trust.bringYourOwnIntermediates,
          plan.controlPlane.primaries,
          "trust.bringYourOwnIntermediates",
        ),
      );
    }
    for (const [id, options] of Object.entries(args.eastWestGateways ?? {})) {
      problems.push(...validateEastWestGatewayOptions(plan, id, options, `eastWestGateways.${id}`));
    }
    (args.failoverPolicies ?? []).forEach((p, i) =>
      problems.push(...validateFailoverPolicy(plan, p, `failoverPolicies[${i}]`)),
    );
    (args.trafficSplits ?? []).forEach((s, i) =>
      problems.push(...validateTrafficSplit(plan, s, `trafficSplits[${i}]`)),
    );
    (args.services ?? []).forEach((s, i) => problems.push(...validateMeshService(plan, s, `services[${i}]`)));
    problems.push(...duplicateKeys("failoverPolicies", (args.failoverPolicies ?? []).map(policyKey)));
    problems.push(...duplicateKeys("trafficSplits", (args.trafficSplits ?? []).map(policyKey)));
    problems.push(
      ...duplicateKeys(
        "services",
        (args.services ?? []).map((s) => s.name),
      ),
    );
    throwIfProblems(`MultiClusterMesh ${name}`, problems);
    return plan;
  }
}

/** Every cluster of the plan needs a handle under its own id, and every handle a cluster. */
function handleProblems(plan: MeshPlan, clusters: Readonly<Record<string, MeshCluster>>): SpecProblem[] {
  const ids = Object.keys(plan.clusters);
  const out: SpecProblem[] = [];
  for (const id of ids) {
    const handle = clusters[id];
    if (handle === undefined) {
      out.push({
        path: `clusters.${id}`,
        problem: "is missing: the spec has this cluster but no handle was given for it",
        received: undefined,
        expected: "a MeshCluster (from EksCluster, GkeCluster or ExistingCluster)",
        fix: `Pass clusters: { ${id}: <cluster>.cluster, ... }.`,
      });
    } else if (handle.id !== id) {
      out.push({
        path: `clusters.${id}.id`,
        problem: "differs from the key it is given under",
        received: handle.id,
        expected: JSON.stringify(id),
        fix: "Create the handle with the same id as its key in spec.clusters.",
      });
    }
  }
  for (const key of Object.keys(clusters)) {
    if (!ids.includes(key)) {
      out.push({
        path: `clusters.${key}`,
        problem: "is not a cluster of the spec",
        received: key,
        expected: `one of ${ids.join(", ")}`,
        fix: `Add it to spec.clusters, or remove the handle.${didYouMean(key, ids)}`,
      });
    }
  }
  return out;
}

/** The stable key a policy's child resources are named by: its name, or one derived from its host. */
function policyKey(policy: { readonly name?: string; readonly host: string }): string {
  return policy.name ?? toLabel(policy.host.split(".")[0]!.replace(/^\*$/, "wildcard"));
}

function duplicateKeys(path: string, keys: readonly string[]): SpecProblem[] {
  const seen = new Set<string>();
  const out: SpecProblem[] = [];
  keys.forEach((key, i) => {
    if (seen.has(key)) {
      out.push({
        path: `${path}[${i}]`,
        problem: "has the same name (or host) as another one",
        received: key,
        expected: "a name unique among them (it names the child resources)",
        fix: "Give each a distinct name.",
      });
    }
    seen.add(key);
  });
  return out;
}
