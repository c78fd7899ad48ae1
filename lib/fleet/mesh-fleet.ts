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
 * - `network`, in `wireguard` mode: the flat network (`FlatNetwork`: a gateway per cluster, the links,
 *   DNS stubs) over every cluster, adopted (in-cluster gateways). Reads nothing; nothing waits on it.
 *
 * The document's services, failover policies and traffic splits go into the stacks of the clusters
 * the plan places them in. A cluster the fleet provisions is created in the stack that owns it; a
 * provisioned primary's stack also exports its kubeconfig (output `access`, secret), through which its
 * discovery stacks reach it.
 *
 * An edge's stack holds nothing that reaches another cluster: the credentials to read a cluster
 * travel only into the discovery stack of a primary that reads it.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { MeshCluster } from "../base/mesh-cluster";
import { ClusterReader } from "../components/cluster-reader";
import { EastWestGateway } from "../components/east-west-gateway";
import { FlatNetwork } from "../components/flat-network";
import { throwIfProblems } from "../base/input-errors";
import { IstioInstallation } from "../components/istio-installation";
import { MeshTrust } from "../components/mesh-trust";
import { planMesh } from "../components/plan-mesh";
import { RemoteSecret } from "../components/remote-secret";
import type { DiscoveryPair, MeshPlan } from "../core/mesh-plan";
import { discoveryTargets } from "../core/remote-secret";
import { fleetProblems, type Fleet, type FleetContext, type FleetStack } from "./fleet";
import { documentProblems, isProvisioned, meshFleetProblems, type MeshFleetArgs } from "./mesh-fleet-args";
import { applyStackFeatures, type StackCluster } from "./stack-features";

export type { MeshFleetArgs, ProvisionedCluster, FleetTrust } from "./mesh-fleet-args";

/** A fleet with the mesh plan it was split from. */
export interface MeshFleet extends Fleet {
  /** The resolved plan every stack shares. */
  readonly plan: MeshPlan;
  /** The stack that owns each cluster. */
  readonly ownerOf: Readonly<Record<string, string>>;
}

/**
 * Splits a mesh into a fleet of stacks (see the module comment for the stacks).
 * @throws pulumi.InputPropertiesError with every problem of the spec and of the arguments, before
 * any stack is built
 */
export function meshFleet(args: MeshFleetArgs): MeshFleet {
  const what = `meshFleet ${args.project}`;
  const docProblems = documentProblems(args);
  const sound = docProblems.length === 0 ? planMesh(args.spec) : undefined;
  throwIfProblems(what, [...docProblems, ...meshFleetProblems(args, sound)]);
  const plan = sound!;
  const perStack = args.remotesPerStack ?? 50;
  const provisioned = new Set(args.provisioned ?? []);
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

  /** What `cluster` returns for `id`: a provisioned cluster exactly for the ids listed as such. */
  const called = (id: string): ReturnType<MeshFleetArgs["cluster"]> => {
    const got = args.cluster(id, plan);
    if (isProvisioned(got) === provisioned.has(id)) return got;
    throw new Error(
      provisioned.has(id)
        ? `cluster("${id}"): returned a cluster handle for a cluster listed in provisioned; got a MeshCluster, expected { cluster, kubeconfig } (an EksCluster, a GkeCluster). Return the adapter itself, so that the fleet can export its kubeconfig to the stacks that write into it.`
        : `cluster("${id}"): returned a provisioned cluster for a cluster not listed in provisioned; got { cluster, kubeconfig }, expected a MeshCluster. Add "${id}" to provisioned: otherwise every discovery stack that writes into it would create it again.`,
    );
  };
  /** The handle of a cluster in the stack that owns it (where a provisioned one is created). */
  const owned = (id: string): { handle: MeshCluster; kubeconfig?: pulumi.Input<string> } => {
    const got = called(id);
    return isProvisioned(got) ? { handle: got.cluster, kubeconfig: got.kubeconfig } : { handle: got };
  };
  /** The Kubernetes provider of a cluster in a stack that writes into it without owning it. */
  const writer = (ctx: FleetContext, id: string): k8s.Provider => {
    if (!provisioned.has(id)) return (called(id) as MeshCluster).provider;
    const kubeconfig = ctx
      .ref(ownerOf[id]!)
      .getOutput("access")
      .apply((all: Record<string, string>) => all[id]!);
    return new k8s.Provider(`${name}-${id}-access`, {
      kubeconfig: pulumi.secret(kubeconfig),
      clusterIdentifier: id,
    });
  };

  /** What a stack that owns clusters exports, beside its gateways' addresses. */
  interface Owned {
    readonly readers: Record<string, pulumi.Output<string>>;
    readonly access: Record<string, pulumi.Input<string>>;
    readonly clusters: Record<string, StackCluster>;
  }

  /** Istio, the east-west gateway and the reader of one cluster, in the stack that owns it. */
  const install = (id: string, ctx: FleetContext, into: Owned): EastWestGateway | undefined => {
    const { handle: cluster, kubeconfig } = owned(id);
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
    into.clusters[id] = { handle: cluster, istiod: istio.istiod };
    // Only a primary is written into by other stacks (its discovery stacks).
    if (kubeconfig !== undefined && c.role === "primary") into.access[id] = kubeconfig;
    const gateway = c.eastWestGateway
      ? new EastWestGateway(`${name}-${id}-eastwest`, {
          plan,
          clusterId: id,
          cluster,
          dependsOn: [istio.istiod],
        })
      : undefined;
    if (targets.has(id)) {
      into.readers[id] = new ClusterReader(`${name}-${id}-reader`, {
        plan,
        clusterId: id,
        cluster,
        serviceAccountReady: [istio.base],
      }).kubeconfig;
    }
    return gateway;
  };
  /** The outputs every owning stack has: reader kubeconfigs and, for provisioned primaries, access. */
  const ownedOutputs = (into: Owned): Record<string, unknown> => {
    applyStackFeatures(name, plan, into.clusters);
    return {
      readers: pulumi.secret(pulumi.all(into.readers)),
      ...(Object.keys(into.access).length === 0 ? {} : { access: pulumi.secret(pulumi.all(into.access)) }),
    };
  };
  const fresh = (): Owned => ({ readers: {}, access: {}, clusters: {} });

  const stacks: FleetStack[] = [
    {
      name: "trust",
      program: () => {
        const given = typeof args.trust === "function" ? args.trust() : args.trust;
        const trust = new MeshTrust(`${name}-trust`, {
          plan,
          ...(given === undefined ? {} : { trust: given }),
        });
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
        const into = fresh();
        const gateway = install(p, ctx, into);
        return {
          ...(gateway === undefined ? {} : { gatewayAddress: gateway.address }),
          ...ownedOutputs(into),
        };
      },
    })),
    ...remoteStacks.map(({ stack, primary, remotes }): FleetStack => ({
      name: stack,
      dependsOn: [`primary-${primary}`],
      program: (ctx) => {
        const into = fresh();
        const gateways: Record<string, pulumi.Output<string>> = {};
        for (const r of remotes) {
          const gateway = install(r, ctx, into);
          if (gateway !== undefined) gateways[r] = gateway.address;
        }
        return { gatewayAddresses: pulumi.all(gateways), ...ownedOutputs(into) };
      },
    })),
    ...(plan.networkMode === "wireguard"
      ? [
          {
            name: "network",
            // The tunnel and the mesh do not wait on each other (as beside one MultiClusterMesh):
            // cross-cluster traffic flows once both exist.
            program: () => {
              const clusters = Object.fromEntries(
                ids.map((id) => [id, { cluster: called(id) as MeshCluster }]),
              );
              const network = new FlatNetwork(name, { plan, clusters });
              return { endpoints: network.endpoints, publicKeys: network.publicKeys };
            },
          } satisfies FleetStack,
        ]
      : []),
    ...discoveryGroups.map(({ stack, reader, pairs }): FleetStack => {
      const upstream = [...new Set([ownerOf[reader]!, ...pairs.map((pair) => ownerOf[pair.target]!)])].sort();
      return {
        name: stack,
        dependsOn: upstream,
        program: (ctx) => {
          const provider = writer(ctx, reader);
          for (const pair of pairs) {
            new RemoteSecret(`${name}-${pair.reader}-reads-${pair.target}`, {
              plan,
              pair,
              provider,
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
  const fleet: MeshFleet = {
    project: args.project,
    ...(args.organization === undefined ? {} : { organization: args.organization }),
    stacks,
    plan,
    ownerOf,
  };
  // Stack names grow with cluster ids: a name past 63 characters is refused here, not at run time.
  throwIfProblems(what, fleetProblems(fleet));
  return fleet;
}
