/**
 * Spec problems as Pulumi's `InputPropertiesError`, thrown before a component registers anything.
 */
import * as pulumi from "@pulumi/pulumi";
import { formatProblem, type SpecProblem } from "../core/problems";

/**
 * Throws every problem at once as a `pulumi.InputPropertiesError` (the engine prints each property
 * path with its reason), prefixed with the argument the spec came in (`spec`).
 */
export function throwIfProblems(component: string, argument: string, problems: readonly SpecProblem[]): void {
  if (problems.length === 0) return;
  const errors = problems.map((p) => ({
    propertyPath: p.path === "(spec)" ? argument : `${argument}.${p.path}`,
    reason: formatProblem({ ...p, path: p.path === "(spec)" ? argument : `${argument}.${p.path}` }),
  }));
  const lines = errors.map((e) => `  - ${e.reason}`).join("\n");
  throw new pulumi.InputPropertiesError({
    message: `${component}: ${problems.length} invalid input${problems.length === 1 ? "" : "s"}; nothing was created:\n${lines}`,
    errors,
  });
}
