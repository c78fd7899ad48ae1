/**
 * A fleet: one Pulumi project split into stacks joined by `StackReference`s, and its stack graph.
 *
 * Each stack is an ordinary Pulumi program over its own state; a stack reads what an upstream stack
 * exported through a `StackReference` (Pulumi's own cross-stack mechanism, which works the same on the
 * local backend, on Pulumi Cloud and in Pulumi Deployments). The graph says which stack reads which,
 * so that stacks run in dependency order: nothing here does Pulumi's work.
 */
import type * as pulumi from "@pulumi/pulumi";
import { didYouMean, formatProblem, type SpecProblem } from "../core/problems";

/** What a stack's program gets: the references to the stacks it depends on. */
export interface FleetContext {
  /** This stack's name. */
  readonly stack: string;
  /**
   * The `StackReference` to an upstream stack, one per upstream stack and program run.
   * @throws Error when `name` is not among this stack's `dependsOn`: the stack graph must know every edge
   */
  readonly ref: (name: string) => pulumi.StackReference;
}

/** One stack of a fleet. */
export interface FleetStack {
  /** The stack name: a DNS-1123 label, unique in the fleet. */
  readonly name: string;
  /**
   * The stacks whose outputs this stack reads (`ctx.ref(name)`), run before it and destroyed after it.
   * @default [] - a root of the graph
   */
  readonly dependsOn?: readonly string[];
  /**
   * The stack's Pulumi program; what it returns becomes the stack's outputs (wrap credentials in
   * `pulumi.secret`).
   */
  readonly program: (ctx: FleetContext) => Record<string, unknown> | Promise<Record<string, unknown>>;
}

/** A fleet of stacks of one Pulumi project. */
export interface Fleet {
  /** The Pulumi project every stack belongs to. */
  readonly project: string;
  /**
   * The organization StackReferences name (`<organization>/<project>/<stack>`).
   * @default "organization" - what Pulumi's local (DIY) backend accepts
   */
  readonly organization?: string;
  /** The stacks, in any order. */
  readonly stacks: readonly FleetStack[];
}

/** The fleet's stacks in dependency order, by level: every stack comes after all it depends on. */
export interface StackGraph {
  /** Stack names by level: level 0 depends on nothing, level k on stacks of levels < k only. */
  readonly levels: readonly (readonly string[])[];
  /** Per stack, what it depends on (sorted). */
  readonly dependsOn: Readonly<Record<string, readonly string[]>>;
  /** Per stack, the stacks that depend on it (sorted). */
  readonly dependents: Readonly<Record<string, readonly string[]>>;
}

/** The StackReference name of a fleet stack: `<organization>/<project>/<stack>`. */
export function stackReferenceName(fleet: Fleet, stack: string): string {
  return `${fleet.organization ?? "organization"}/${fleet.project}/${stack}`;
}

/** Every problem of a fleet's shape: names, unknown or repeated dependencies, cycles. */
export function fleetProblems(fleet: Fleet): SpecProblem[] {
  const out: SpecProblem[] = [];
  const names = fleet.stacks.map((s) => s.name);
  fleet.stacks.forEach((s, i) => {
    if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(s.name)) {
      out.push({
        path: `stacks[${i}].name`,
        problem: "is not a DNS-1123 label",
        received: s.name,
        expected: "lower-case letters, digits and '-', at most 63",
        fix: "Name the stack like a cluster id, e.g. core-us.",
      });
    }
    if (names.indexOf(s.name) !== i) {
      out.push({
        path: `stacks[${i}].name`,
        problem: `repeats stacks[${names.indexOf(s.name)}].name`,
        received: s.name,
        expected: "a name no other stack has",
        fix: "Give every stack its own name.",
      });
    }
    (s.dependsOn ?? []).forEach((d, j) => {
      if (!names.includes(d)) {
        out.push({
          path: `stacks.${s.name}.dependsOn[${j}]`,
          problem: "is not a stack of this fleet",
          received: d,
          expected: `one of ${[...new Set(names)].filter((n) => n !== s.name).join(", ") || "no other stack"}`,
          fix: `Name a stack of the fleet.${didYouMean(d, names)}`,
        });
      } else if (d === s.name) {
        out.push({
          path: `stacks.${s.name}.dependsOn[${j}]`,
          problem: "is the stack itself",
          received: d,
          expected: "another stack",
          fix: "Remove it: a stack cannot read its own outputs.",
        });
      }
    });
  });
  if (out.length > 0) return out;
  const cycle = findCycle(fleet);
  if (cycle !== undefined) {
    out.push({
      path: `stacks.${cycle[0]}.dependsOn`,
      problem: `closes a cycle ${cycle.join(" → ")}`,
      received: fleet.stacks.find((s) => s.name === cycle[0])?.dependsOn,
      expected: "a graph without cycles",
      fix: "Move what both stacks need into a third stack they both depend on.",
    });
  }
  return out;
}

/**
 * The stack graph of a fleet.
 * @throws Error listing every problem of {@link fleetProblems}
 */
export function stackGraph(fleet: Fleet): StackGraph {
  const problems = fleetProblems(fleet);
  if (problems.length > 0) {
    throw new Error(
      `fleet ${fleet.project}: ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n${problems
        .map((p) => `  - ${formatProblem(p)}`)
        .join("\n")}`,
    );
  }
  const dependsOn: Record<string, string[]> = {};
  const dependents: Record<string, string[]> = {};
  for (const s of fleet.stacks) {
    dependsOn[s.name] = [...new Set(s.dependsOn ?? [])].sort();
    dependents[s.name] ??= [];
  }
  for (const s of fleet.stacks) for (const d of dependsOn[s.name]!) (dependents[d] ??= []).push(s.name);
  for (const list of Object.values(dependents)) list.sort();
  const level = new Map<string, number>();
  const levelOf = (name: string): number => {
    const known = level.get(name);
    if (known !== undefined) return known;
    const l = Math.max(-1, ...dependsOn[name]!.map(levelOf)) + 1;
    level.set(name, l);
    return l;
  };
  const levels: string[][] = [];
  for (const name of [...Object.keys(dependsOn)].sort()) (levels[levelOf(name)] ??= []).push(name);
  return { levels, dependsOn, dependents };
}

/** The stack graph as text: one line per stack, by level, with what it reads. */
export function renderStackGraph(graph: StackGraph): string {
  const lines: string[] = [];
  graph.levels.forEach((names, i) => {
    lines.push(`level ${i}:`);
    for (const name of names) {
      const deps = graph.dependsOn[name]!;
      lines.push(`  ${name}${deps.length === 0 ? "" : ` ← ${deps.join(", ")}`}`);
    }
  });
  return lines.join("\n");
}

function findCycle(fleet: Fleet): string[] | undefined {
  const deps = new Map(fleet.stacks.map((s) => [s.name, s.dependsOn ?? []]));
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === "done") return undefined;
    if (state.get(name) === "open") return [...path.slice(path.indexOf(name)), name];
    state.set(name, "open");
    path.push(name);
    for (const d of deps.get(name) ?? []) {
      const cycle = visit(d);
      if (cycle !== undefined) return cycle;
    }
    path.pop();
    state.set(name, "done");
    return undefined;
  };
  for (const s of [...fleet.stacks].sort((a, b) => a.name.localeCompare(b.name))) {
    const cycle = visit(s.name);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}
