/**
 * What {@link meshFleet} takes, and every problem of it, found before a stack is built or a resource
 * registered.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { MeshCluster } from "../base/mesh-cluster";
import { underArgument } from "../base/input-errors";
import { meshTrustProblems } from "../components/mesh-trust";
import { notAClusterProblem } from "../core/cluster-of";
import {
  asMeshDocument,
  isBareMeshSpec,
  validateMeshDocument,
  type MeshDocument,
} from "../core/mesh-document";
import type { MeshPlan } from "../core/mesh-plan";
import type { SpecProblem } from "../core/problems";
import type { MeshSpec } from "../core/spec";
import { validateMeshTrustSpec, type MeshTrustSpec } from "../core/trust";
import { isPlainObject } from "../core/values";

/**
 * A cluster the fleet creates itself, as `cluster` returns it for an id listed in `provisioned`:
 * its handle, and the kubeconfig Pulumi reaches it with (an `EksCluster` or a `GkeCluster` is one).
 */
export interface ProvisionedCluster {
  /** The handle the mesh components take. */
  readonly cluster: MeshCluster;
  /** The kubeconfig Pulumi's Kubernetes provider uses for it (exec plugins are fine): a credential. */
  readonly kubeconfig: pulumi.Input<string>;
}

/** The trust of a fleet, or a function that gives it, called only in the `trust` stack. */
export type FleetTrust = MeshTrustSpec<pulumi.Input<string>> | (() => MeshTrustSpec<pulumi.Input<string>>);

/** Arguments of {@link meshFleet}. */
export interface MeshFleetArgs {
  /** The Pulumi project every stack of the fleet belongs to (its Pulumi.yaml `name`). */
  readonly project: string;
  /**
   * The mesh document (`{ mesh, services, failoverPolicies, trafficSplits, eastWestGateways }`, as
   * `isthmus synth` reads it) or a bare MeshSpec. Each service, policy and split is applied in the
   * stacks of the clusters the plan places it in. In `wireguard` mode every cluster is adopted
   * (`cloud: existing`, an in-cluster gateway) and a `network` stack holds the flat network.
   */
  readonly spec: MeshSpec | MeshDocument;
  /**
   * The handle of a cluster. For a cluster that exists it runs in every stack that installs into or
   * writes into it (its own stack, and the discovery stacks of a primary): adopt it with
   * `ExistingCluster`, e.g. from a kubeconfig in stack config. For a cluster listed in `provisioned`
   * it runs only in the stack that owns the cluster, and returns a {@link ProvisionedCluster}
   * (`new EksCluster(…)`, `new GkeCluster(…)`).
   */
  readonly cluster: (id: string, plan: MeshPlan) => MeshCluster | ProvisionedCluster;
  /**
   * The clusters `cluster` creates rather than adopts. The stack that owns one creates it and exports
   * its kubeconfig in the secret output `access`; the discovery stacks that write into a provisioned
   * primary reach it through a Kubernetes provider over that output, read through their
   * StackReference (never in plain text), instead of calling `cluster` again.
   * @default [] - every cluster exists already
   */
  readonly provisioned?: readonly string[];
  /**
   * Certificate validity, extra trusted roots (rotation), a root of your own
   * (`bringYourOwnRoot`) or intermediates of your own, as MultiClusterMesh's `trust`; a function is
   * called only in the `trust` stack (read the root's key from that stack's config there) and its
   * result checked there, before anything is registered.
   * @default - a generated root (10 years) and intermediates (2 years), kept in the trust stack's state
   */
  readonly trust?: FleetTrust;
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

/**
 * Every problem of the fleet's own arguments (the document's are {@link documentProblems}): cluster
 * ids against the plan (or, when the document does not plan, its cluster keys), and the trust when it
 * is given as a value.
 */
export function meshFleetProblems(args: MeshFleetArgs, plan: MeshPlan | undefined): SpecProblem[] {
  const out: SpecProblem[] = [];
  const perStack = args.remotesPerStack ?? 50;
  if (!Number.isInteger(perStack) || perStack < 1) {
    out.push({
      path: "remotesPerStack",
      problem: "is not a positive integer",
      received: perStack,
      expected: "1 or more",
      fix: "Set how many remote clusters share a stack, e.g. 50 (1 gives each edge its own stack).",
    });
  }
  const document = asMeshDocument(args.spec);
  const mesh = isPlainObject(document) && isPlainObject(document.mesh) ? document.mesh : undefined;
  // The cluster ids from the plan, or from the document when it does not plan.
  const ids =
    plan !== undefined
      ? Object.keys(plan.clusters)
      : isPlainObject(mesh?.clusters)
        ? Object.keys(mesh.clusters)
        : undefined;
  const provisioned: unknown = args.provisioned ?? [];
  if (!Array.isArray(provisioned)) {
    out.push({
      path: "provisioned",
      problem: "is not a list",
      received: provisioned,
      expected: "a list of cluster ids",
      fix: 'List the clusters `cluster` creates, e.g. provisioned: ["core-us"].',
    });
  } else if (ids !== undefined) {
    provisioned.forEach((id: unknown, i) => {
      if (typeof id !== "string" || !ids.includes(id))
        out.push(notAClusterProblem(`provisioned[${i}]`, String(id), ids));
    });
  }
  if (plan?.networkMode === "wireguard") out.push(...flatFleetProblems(args, plan));
  if (args.trust !== undefined && typeof args.trust !== "function") {
    // Intermediates you bring are checked against the primaries, which only a plan knows.
    out.push(
      ...(plan !== undefined
        ? meshTrustProblems(plan, args.trust, "trust")
        : validateMeshTrustSpec(args.trust, "trust")),
    );
  }
  return out;
}

/** The document's problems, under `spec`. */
export function documentProblems(args: MeshFleetArgs): SpecProblem[] {
  return underArgument("spec", validateMeshDocument(args.spec));
}

/** Whether `cluster` returned a provisioned cluster (handle and kubeconfig) rather than a handle. */
export function isProvisioned(value: MeshCluster | ProvisionedCluster): value is ProvisionedCluster {
  return typeof value === "object" && value !== null && "cluster" in value && "kubeconfig" in value;
}

/**
 * What a fleet's `network` stack cannot do in `wireguard` mode: build a gateway on a cloud instance
 * (the instance belongs to the cluster's adapter, in the cluster's own stack), or reach a cluster the
 * fleet creates (it adopts every cluster itself).
 */
function flatFleetProblems(args: MeshFleetArgs, plan: MeshPlan): SpecProblem[] {
  const out: SpecProblem[] = [];
  const path = isBareMeshSpec(args.spec) ? "spec.clusters" : "spec.mesh.clusters";
  for (const [id, c] of Object.entries(plan.clusters)) {
    if (c.wireguardEndpoint !== "instance") continue;
    out.push({
      path: `${path}.${id}.cloud`,
      problem:
        "places the cluster's WireGuard gateway on a cloud instance, which a fleet's network stack cannot build (the instance belongs to the cluster's adapter, in another stack)",
      received: c.cloud,
      expected: '"existing" (an in-cluster gateway)',
      fix: "Adopt the cluster with cloud: existing, or run a flat mesh of EKS/GKE clusters as one MultiClusterMesh with a FlatNetwork in one stack.",
    });
  }
  if (Array.isArray(args.provisioned) && args.provisioned.length > 0) {
    out.push({
      path: "provisioned",
      problem: "lists clusters of a wireguard mesh, whose network stack adopts every cluster itself",
      received: args.provisioned,
      expected: "[]",
      fix: "Create the clusters in a stack of their own and adopt them here, or use gateways mode.",
    });
  }
  return out;
}
