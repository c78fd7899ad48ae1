/**
 * A mesh split into stacks: what MultiClusterMesh does in one stack, spread over a fleet so that no
 * stack grows with the whole mesh.
 *
 * - `trust`: the root CA and one intermediate per primary (output `cacerts`, secret).
 * - `primary-<id>`, one per primary: Istio with its `cacerts`, its east-west gateway (which exposes
 *   istiod to its remotes) and, when another primary reads it, its reader token (outputs
 *   `gatewayAddress`, `readers` secret). Reads `trust`.
 * - `remotes-<primary>-<n>` (`remote-<id>` with one remote per stack), up to `remotesPerStack` remotes
 *   of one primary each: Istio's remote
 *   profile pointed at the primary's gateway, east-west gateways, reader tokens (output `readers`,
 *   secret). Reads `primary-<primary>`.
 * - `discovery-<id>`, one per primary: the remote secrets it holds for the other primaries (and, with
 *   discovery `all`, for every remote). Reads the stacks of the clusters it reads.
 * - `discovery-<remotes stack>`, with hierarchical discovery: the remote secrets a primary holds for
 *   one stack's remotes, so that no stack grows with the fleet. Reads the primary's and that stack.
 *
 * An edge's stack holds nothing that reaches another cluster: the credentials to read a cluster
 * travel only into the discovery stack of a primary that reads it.
 */
import * as pulumi from "@pulumi/pulumi";
import type { MeshCluster } from "../base/mesh-cluster";
import { ClusterReader } from "../components/cluster-reader";
import { EastWestGateway } from "../components/east-west-gateway";
import { throwIfProblems, underArgument } from "../base/input-errors";
import { IstioInstallation } from "../components/istio-installation";
import { MeshTrust } from "../components/mesh-trust";
import { RemoteSecret } from "../components/remote-secret";
import { needsEastWestGateway } from "../core/east-west-gateway";
import type { DiscoveryPair, MeshPlan } from "../core/mesh-plan";
import type { SpecProblem } from "../core/problems";
import { discoveryTargets } from "../core/remote-secret";
import { resolvePlan } from "../core/resolve";
import type { MeshSpec } from "../core/spec";
import { validateMeshSpec } from "../core/validate";
import type { Fleet, FleetContext, FleetStack } from "./fleet";

/** Arguments of {@link meshFleet}. */
export interface MeshFleetArgs {
  /** The Pulumi project every stack of the fleet belongs to (its Pulumi.yaml `name`). */
  readonly project: string;
  /** The mesh, as plain data; `gateways` network mode. */
  readonly spec: MeshSpec;
  /**
   * The handle of a cluster, built in every stack that installs into it or writes into it (its own
   * stack, and the discovery stack of a primary): adopt it with `ExistingCluster`, e.g. from a
   * kubeconfig in stack config.
   */
  readonly cluster: (id: string, plan: MeshPlan) => MeshCluster;
  /**
   * How many remotes share a stack (1: a stack per edge cluster).
   * @default 50
   */
  readonly remotesPerStack?: number;
  /**
   * The prefix of every resource name, as MultiClusterMesh's `name`.
   * @default - the spec's meshID, or "mesh1"
   */
  readonly name?: string;
  /**
   * The organization StackReferences name.
   * @default "organization" - Pulumi's local backend
   */
  readonly organization?: string;
}

/** A fleet with the mesh plan it was split from. */
export interface MeshFleet extends Fleet {
  /** The resolved plan every stack shares. */
  readonly plan: MeshPlan;
  /** The stack that owns each cluster. */
  readonly ownerOf: Readonly<Record<string, string>>;
}

/**
 * Splits a mesh into a fleet of stacks (see the module comment for the stacks).
 * @throws pulumi.InputPropertiesError with every problem of the spec and of the arguments
 */
export function meshFleet(args: MeshFleetArgs): MeshFleet {
  const problems: SpecProblem[] = underArgument("spec", validateMeshSpec(args.spec));
  const perStack = args.remotesPerStack ?? 50;
  if (!Number.isInteger(perStack) || perStack < 1) {
    problems.push({
      path: "remotesPerStack",
      problem: "is not a positive integer",
      received: perStack,
      expected: "1 or more",
      fix: "Set how many remote clusters share a stack, e.g. 50 (1 gives each edge its own stack).",
    });
  }
  if (args.spec.networkMode === "wireguard") {
    problems.push({
      path: "spec.networkMode",
      problem: "is wireguard, which a fleet does not split into stacks yet",
      received: args.spec.networkMode,
      expected: '"gateways"',
      fix: "Use gateways mode for a fleet, or one MultiClusterMesh with a FlatNetwork in one stack.",
    });
  }
  throwIfProblems(`meshFleet ${args.project}`, problems);
  const plan = resolvePlan(args.spec);
  const name = args.name ?? plan.meshID;
  const ids = Object.keys(plan.clusters);
  const primaries = plan.controlPlane.primaries;
  const targets = new Set(discoveryTargets(plan));

  const ownerOf: Record<string, string> = {};
  const remoteStacks: { stack: string; primary: string; remotes: string[] }[] = [];
  for (const p of primaries) {
    ownerOf[p] = `primary-${p}`;
    const remotes = ids.filter((id) => plan.clusters[id]!.controlPlaneCluster === p);
    for (let i = 0; i * perStack < remotes.length; i++) {
      const chunk = remotes.slice(i * perStack, (i + 1) * perStack);
      const stack = perStack === 1 ? `remote-${chunk[0]!}` : `remotes-${p}-${i + 1}`;
      chunk.forEach((r) => (ownerOf[r] = stack));
      remoteStacks.push({ stack, primary: p, remotes: chunk });
    }
  }

  // Who writes which remote secret. With hierarchical discovery a primary reads its remotes chunk by
  // chunk, so a discovery stack per chunk (beside the remotes' own stack) keeps every stack as small
  // as a chunk; otherwise one discovery stack per primary holds all it reads.
  const hierarchical = plan.controlPlane.discovery === "hierarchical";
  const discoveryGroups: { stack: string; reader: string; pairs: DiscoveryPair[] }[] = [];
  for (const p of primaries) {
    const pairs = plan.discovery.filter((pair) => pair.reader === p);
    const own = (pair: DiscoveryPair): boolean =>
      hierarchical && plan.clusters[pair.target]!.role === "remote";
    const core = pairs.filter((pair) => !own(pair));
    if (core.length > 0) discoveryGroups.push({ stack: `discovery-${p}`, reader: p, pairs: core });
    for (const chunk of remoteStacks.filter((r) => r.primary === p)) {
      const chunkPairs = pairs.filter((pair) => own(pair) && ownerOf[pair.target] === chunk.stack);
      if (chunkPairs.length > 0)
        discoveryGroups.push({ stack: `discovery-${chunk.stack}`, reader: p, pairs: chunkPairs });
    }
  }

  /** Istio, the east-west gateway and the reader of one cluster, in the stack that owns it. */
  const install = (
    id: string,
    ctx: FleetContext,
    readers: Record<string, pulumi.Output<string>>,
  ): EastWestGateway | undefined => {
    const cluster = args.cluster(id, plan);
    const c = plan.clusters[id]!;
    const istio = new IstioInstallation(`${name}-${id}`, {
      plan,
      clusterId: id,
      cluster,
      ...(c.role === "primary"
        ? {
            cacerts: ctx
              .ref("trust")
              .getOutput("cacerts")
              .apply((all: Record<string, Record<string, string>>) => all[id]!),
          }
        : {
            remotePilotAddress: ctx
              .ref(`primary-${c.controlPlaneCluster!}`)
              .getOutput("gatewayAddress") as pulumi.Output<string>,
          }),
    });
    const gateway = needsEastWestGateway(plan, id)
      ? new EastWestGateway(`${name}-${id}-eastwest`, {
          plan,
          clusterId: id,
          cluster,
          dependsOn: [istio.istiod],
        })
      : undefined;
    if (targets.has(id)) {
      readers[id] = new ClusterReader(`${name}-${id}-reader`, {
        plan,
        clusterId: id,
        cluster,
        serviceAccountReady: [istio.base],
      }).kubeconfig;
    }
    return gateway;
  };
  const secretMap = (readers: Record<string, pulumi.Output<string>>): pulumi.Output<Record<string, string>> =>
    pulumi.secret(pulumi.all(readers));

  const stacks: FleetStack[] = [
    {
      name: "trust",
      program: () => {
        const trust = new MeshTrust(`${name}-trust`, { plan });
        return {
          cacerts: pulumi.secret(pulumi.all(Object.fromEntries(primaries.map((p) => [p, trust.cacerts(p)])))),
          certificateExpiry: trust.expiries,
        };
      },
    },
    ...primaries.map((p): FleetStack => ({
      name: `primary-${p}`,
      dependsOn: ["trust"],
      program: (ctx) => {
        const readers: Record<string, pulumi.Output<string>> = {};
        const gateway = install(p, ctx, readers);
        return {
          ...(gateway === undefined ? {} : { gatewayAddress: gateway.address }),
          readers: secretMap(readers),
        };
      },
    })),
    ...remoteStacks.map(({ stack, primary, remotes }): FleetStack => ({
      name: stack,
      dependsOn: [`primary-${primary}`],
      program: (ctx) => {
        const readers: Record<string, pulumi.Output<string>> = {};
        const gateways: Record<string, pulumi.Output<string>> = {};
        for (const r of remotes) {
          const gateway = install(r, ctx, readers);
          if (gateway !== undefined) gateways[r] = gateway.address;
        }
        return { gatewayAddresses: pulumi.all(gateways), readers: secretMap(readers) };
      },
    })),
    ...discoveryGroups.map(({ stack, reader, pairs }): FleetStack => {
      const upstream = [...new Set([ownerOf[reader]!, ...pairs.map((pair) => ownerOf[pair.target]!)])].sort();
      return {
        name: stack,
        dependsOn: upstream,
        program: (ctx) => {
          const cluster = args.cluster(reader, plan);
          for (const pair of pairs) {
            new RemoteSecret(`${name}-${pair.reader}-reads-${pair.target}`, {
              plan,
              pair,
              provider: cluster.provider,
              kubeconfig: ctx
                .ref(ownerOf[pair.target]!)
                .getOutput("readers")
                .apply((all: Record<string, string>) => all[pair.target]!),
            });
          }
          return { remoteSecrets: pairs.map((pair) => pair.target) };
        },
      };
    }),
  ];
  return {
    project: args.project,
    ...(args.organization === undefined ? {} : { organization: args.organization }),
    stacks,
    plan,
    ownerOf,
  };
}
