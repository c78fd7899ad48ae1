/**
 * `planMesh`: the plan a Pulumi program needs before it creates clusters, with spec problems
 * reported the Pulumi way (an InputPropertiesError naming every property path).
 */
import type { MeshPlan } from "../core/mesh-plan";
import { resolvePlan } from "../core/resolve";
import type { MeshSpec } from "../core/spec";
import { validateMeshSpec } from "../core/validate";
import { throwIfProblems, underArgument } from "../base/input-errors";

/**
 * Validates and plans a mesh spec.
 * @param argument - the name the spec came in, prefixed to property paths
 * @throws pulumi.InputPropertiesError with every problem of the spec
 */
export function planMesh(spec: MeshSpec, argument = "mesh"): MeshPlan {
  throwIfProblems("isthmus", underArgument(argument, validateMeshSpec(spec)));
  return resolvePlan(spec);
}
