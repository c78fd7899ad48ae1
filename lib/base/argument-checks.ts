/**
 * The arguments of a component, checked before it registers anything: each argument's type, ids
 * against the plan, cluster handles against their cluster, unknown arguments with a did-you-mean.
 * Every constructor calls {@link throwIfBadArguments} on its first line.
 */
import { notAClusterProblem } from "../core/cluster-of";
import type { MeshPlan } from "../core/mesh-plan";
import { isMadePlan } from "../core/plan-registry";
import { didYouMean, type SpecProblem } from "../core/problems";
import { checkAgainst, list, str, typeProblem, type Shape } from "../core/shape";
import { hasOwn, isOutputLike, isPlainObject, isResourceLike, kindOf, own } from "../core/values";
import { throwIfProblems } from "./input-errors";

/** What one argument must be. */
export type Argument =
  /** The plan from `planMesh`. */
  | { readonly kind: "plan"; readonly required?: boolean }
  /** The id of a cluster of the plan. */
  | { readonly kind: "clusterId"; readonly required?: boolean }
  /** An entry of the plan's services, failover policies or traffic splits (`plan.<of>`). */
  | { readonly kind: "planned"; readonly of: PlannedList; readonly required?: boolean }
  /**
   * Some of the clusters a planned feature argument (`feature`, an entry of `plan.<of>`) renders
   * into.
   */
  | {
      readonly kind: "placedIn";
      readonly feature: string;
      readonly of: PlannedList;
      readonly required?: boolean;
    }
  /** A MeshCluster handle; `of` names the clusterId argument it must belong to. */
  | { readonly kind: "handle"; readonly of?: string; readonly required?: boolean }
  /** Handles keyed by cluster id; `need` lists the ids that must be there (all of the plan's by default). */
  | {
      readonly kind: "handles";
      readonly need?: (plan: MeshPlan, args: Record<string, unknown>) => readonly string[];
      readonly required?: boolean;
    }
  /** A Pulumi resource (a provider, a component). */
  | { readonly kind: "resource"; readonly what: string; readonly required?: boolean }
  /** Plain data: decides which resources exist, so no Output. */
  | { readonly kind: "data"; readonly shape: Shape; readonly required?: boolean }
  /** A plain object whose fields the component's own validator checks. */
  | { readonly kind: "object"; readonly required?: boolean }
  /** A value known at deploy time: plain data or an Output. */
  | { readonly kind: "input"; readonly required?: boolean }
  /** Resources to wait for: a list, or an Output of one, or (per cluster) a map of lists. */
  | { readonly kind: "resources"; readonly required?: boolean };

/** The plan's lists of planned features. */
export type PlannedList = "services" | "failoverPolicies" | "trafficSplits";

/** The clusters a planned feature argument renders into (none when it is not an entry of the plan). */
export function plannedClusters(plan: MeshPlan, entry: unknown, of: PlannedList): readonly string[] {
  const found = (plan[of] as readonly unknown[]).includes(entry);
  return found ? (entry as { readonly clusters: readonly string[] }).clusters : [];
}

/** Throws one `pulumi.InputPropertiesError` with every problem of `args`; nothing is registered. */
export function throwIfBadArguments(
  component: string,
  args: unknown,
  spec: Readonly<Record<string, Argument>>,
): void {
  throwIfProblems(component, argumentProblems(args, spec));
}

/** Every problem of `args` against `spec`; empty when they are usable. */
export function argumentProblems(args: unknown, spec: Readonly<Record<string, Argument>>): SpecProblem[] {
  const names = Object.keys(spec);
  if (!isPlainObject(args)) {
    return [typeProblem("(args)", args, `an object with ${names.join(", ")}`)];
  }
  const out: SpecProblem[] = [];
  for (const key of Object.keys(args)) {
    if (hasOwn(spec, key)) continue;
    out.push({
      path: key,
      problem: "is not an argument of this component",
      received: args[key],
      expected: `one of ${names.join(", ")}`,
      fix: `Remove it or correct its name.${didYouMean(key, names)}`,
    });
  }
  const planArg = names.find((n) => spec[n]!.kind === "plan");
  const plan = planArg === undefined ? undefined : asPlan(own(args, planArg));
  for (const name of names) {
    const arg = spec[name]!;
    const value = own(args, name);
    if (value === undefined) {
      if (arg.required) {
        out.push({
          path: name,
          problem: "is required",
          received: undefined,
          expected: expectedOf(arg),
          fix: `Pass ${name}.`,
        });
      }
      continue;
    }
    out.push(...argumentProblem(name, value, arg, args, plan));
  }
  return out;
}

function argumentProblem(
  path: string,
  value: unknown,
  arg: Argument,
  args: Record<string, unknown>,
  plan: MeshPlan | undefined,
): SpecProblem[] {
  switch (arg.kind) {
    case "plan":
      return plan === undefined ? [typeProblem(path, value, expectedOf(arg))] : [];
    case "clusterId": {
      if (typeof value !== "string") return [typeProblem(path, value, expectedOf(arg))];
      if (plan === undefined || hasOwn(plan.clusters, value)) return [];
      return [notAClusterProblem(path, value, Object.keys(plan.clusters))];
    }
    case "planned": {
      if (plan === undefined || (plan[arg.of] as readonly unknown[]).includes(value)) return [];
      return [
        {
          path,
          problem: `is not an entry of the plan's ${arg.of}`,
          received: value,
          expected: expectedOf(arg),
          fix: `Pass an entry of plan.${arg.of} (planMesh puts every ${arg.of} entry of the document there).`,
        },
      ];
    }
    case "placedIn": {
      const listed = checkAgainst(value, list(str), { path }).problems;
      if (listed.length > 0 || plan === undefined) return listed;
      const placed = plannedClusters(plan, own(args, arg.feature), arg.of);
      return (value as string[]).flatMap((id, i) =>
        placed.includes(id)
          ? []
          : [
              {
                path: `${path}[${i}]`,
                problem: `is not a cluster ${arg.feature} renders into`,
                received: id,
                expected: `one of ${placed.join(", ") || "no cluster"}`,
                fix: `Apply it where the plan places it (${arg.feature}.clusters), or drop ${id}.`,
              },
            ],
      );
    }
    case "handle": {
      const id = arg.of === undefined ? undefined : own(args, arg.of);
      return handleProblems(path, value, typeof id === "string" ? id : undefined);
    }
    case "handles": {
      if (!isPlainObject(value)) return [typeProblem(path, value, expectedOf(arg))];
      const out: SpecProblem[] = [];
      for (const key of Object.keys(value)) out.push(...handleProblems(`${path}.${key}`, value[key], key));
      if (plan !== undefined) {
        for (const id of arg.need?.(plan, args) ?? Object.keys(plan.clusters)) {
          if (hasOwn(value, id)) continue;
          out.push({
            path: `${path}.${id}`,
            problem: "is missing: the plan has this cluster but no handle was given for it",
            received: undefined,
            expected: "a MeshCluster (from EksCluster, GkeCluster or ExistingCluster)",
            fix: `Pass ${path}: { ${id}: <cluster>.cluster, ... }.`,
          });
        }
      }
      return out;
    }
    case "resource":
      return isResourceLike(value) ? [] : [typeProblem(path, value, arg.what)];
    case "data":
      return checkAgainst(value, arg.shape, { path }).problems;
    case "object":
      return isPlainObject(value) ? [] : [typeProblem(path, value, "an object")];
    case "input":
      return [];
    case "resources": {
      if (isOutputLike(value)) return [];
      const lists = Array.isArray(value) ? [value] : isPlainObject(value) ? Object.values(value) : undefined;
      if (lists === undefined || lists.some((l) => !Array.isArray(l) && !isOutputLike(l)))
        return [typeProblem(path, value, expectedOf(arg))];
      return [];
    }
  }
}

/**
 * The problems of one MeshCluster handle: a component passed instead of its `.cluster`, a missing
 * provider, a handle of another cluster.
 */
export function handleProblems(path: string, value: unknown, expectedId?: string): SpecProblem[] {
  const expected = "a MeshCluster handle (the .cluster of an EksCluster, GkeCluster or ExistingCluster)";
  if (isResourceLike(value) && isHandleLike(own(value, "cluster"))) {
    return [
      {
        path,
        problem: `is ${kindOf(value)}, not its cluster handle`,
        received: value,
        expected,
        fix: "Pass the component's .cluster (e.g. clusters: { east: east.cluster }).",
      },
    ];
  }
  if (
    typeof value !== "object" ||
    value === null ||
    Array.isArray(value) ||
    isOutputLike(value) ||
    isResourceLike(value)
  )
    return [typeProblem(path, value, expected)];
  const out: SpecProblem[] = [];
  const id = own(value, "id");
  if (typeof id !== "string") out.push(typeProblem(`${path}.id`, id, "the cluster's id, a string"));
  else if (expectedId !== undefined && id !== expectedId) {
    out.push({
      path: `${path}.id`,
      problem: `belongs to cluster ${id}, not ${expectedId}`,
      received: id,
      expected: JSON.stringify(expectedId),
      fix: `Pass the handle of cluster ${expectedId}: its provider is what installs into that cluster.`,
    });
  }
  if (!isResourceLike(own(value, "provider")))
    out.push(
      typeProblem(
        `${path}.provider`,
        own(value, "provider"),
        "the cluster's Kubernetes provider (a k8s.Provider)",
      ),
    );
  for (const key of ["readyResources", "loadBalancerReady", "egressAddresses"]) {
    const v = own(value, key);
    if (v !== undefined && !Array.isArray(v)) out.push(typeProblem(`${path}.${key}`, v, "a list"));
  }
  const statics = own(value, "gatewayStaticAddresses");
  if (statics !== undefined) {
    if (!isPlainObject(statics))
      out.push(typeProblem(`${path}.gatewayStaticAddresses`, statics, "an object"));
    else
      for (const key of ["allocationIds", "publicIps", "subnetIds"]) {
        const v = own(statics, key);
        if (!Array.isArray(v)) out.push(typeProblem(`${path}.gatewayStaticAddresses.${key}`, v, "a list"));
      }
  }
  for (const key of ["endpoint", "certificateAuthority"]) {
    const v = own(value, key);
    if (typeof v !== "string" && !isOutputLike(v) && !isThenable(v))
      out.push(typeProblem(`${path}.${key}`, v, "a string or an Output of one"));
  }
  return out;
}

function isThenable(value: unknown): boolean {
  return (
    typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function"
  );
}

function isHandleLike(value: unknown): boolean {
  return typeof value === "object" && value !== null && typeof own(value, "id") === "string";
}

/** The plan, if `value` is one the planner made (`planMesh`). */
function asPlan(value: unknown): MeshPlan | undefined {
  return isMadePlan(value) ? (value as MeshPlan) : undefined;
}

function expectedOf(arg: Argument): string {
  switch (arg.kind) {
    case "plan":
      return "the mesh plan from planMesh(spec), unaltered";
    case "clusterId":
      return "the id of a cluster of the plan";
    case "planned":
      return `one of plan.${arg.of}, from planMesh(document)`;
    case "placedIn":
      return `a list of the clusters ${arg.feature} renders into`;
    case "handle":
      return "a MeshCluster handle (the .cluster of an EksCluster, GkeCluster or ExistingCluster)";
    case "handles":
      return "a map of cluster id to MeshCluster handle";
    case "resource":
      return arg.what;
    case "data":
      return "plain data";
    case "object":
      return "an object";
    case "input":
      return "a value or an Output";
    case "resources":
      return "a list of resources (or an Output of one)";
  }
}
