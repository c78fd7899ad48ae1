/**
 * `plan(spec)`: validate, then resolve. The one entry point renderers use.
 */
import type { MeshPlan } from "./mesh-plan";
import { MeshSpecError } from "./problems";
import { resolvePlan } from "./resolve";
import type { MeshSpec } from "./spec";
import { validateMeshSpec } from "./validate";

/**
 * Plans a mesh: every default resolved, every name and range decided. Deterministic and independent
 * of the order of keys in the spec.
 * @throws MeshSpecError with every problem of the spec at once
 */
export function plan(spec: MeshSpec | unknown): MeshPlan {
  const problems = validateMeshSpec(spec);
  if (problems.length > 0) throw new MeshSpecError(problems);
  return resolvePlan(spec as MeshSpec);
}
