/**
 * Spec problems as Pulumi's `InputPropertiesError`, thrown before a component registers anything.
 */
import * as pulumi from "@pulumi/pulumi";
import { formatProblem, type SpecProblem } from "../core/problems";

/** The problems with their paths prefixed by the argument they came in (`spec.clusters.a.region`). */
export function underArgument(argument: string, problems: readonly SpecProblem[]): SpecProblem[] {
  return problems.map((p) => ({ ...p, path: p.path === "(spec)" ? argument : `${argument}.${p.path}` }));
}

/**
 * Throws every problem at once as a `pulumi.InputPropertiesError` (the engine prints each property
 * path with its reason). Call it before `super()` so that nothing is registered.
 */
export function throwIfProblems(component: string, problems: readonly SpecProblem[]): void {
  if (problems.length === 0) return;
  const errors = problems.map((p) => ({ propertyPath: p.path, reason: formatProblem(p) }));
  const lines = errors.map((e) => `  - ${e.reason}`).join("\n");
  throw new pulumi.InputPropertiesError({
    message: `${component}: ${problems.length} invalid input${problems.length === 1 ? "" : "s"}; nothing was created:\n${lines}`,
    errors,
  });
}
