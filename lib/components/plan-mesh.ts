/**
 * `planMesh`: the one plan of a Pulumi program — the mesh document validated (every problem at once,
 * the Pulumi way: an InputPropertiesError naming every property path) and resolved once. The
 * cluster adapters and `MultiClusterMesh` take it and never plan again.
 */
import { checkMeshDocument, type MeshDocument } from "../core/mesh-document";
import type { MeshPlan } from "../core/mesh-plan";
import type { MeshSpec } from "../core/spec";
import { throwIfProblems } from "../base/input-errors";

/**
 * Validates and plans a mesh document: the mesh spec with its services, failover policies, traffic
 * splits and east-west gateway options — the same document `isthmus synth` reads. A bare MeshSpec
 * is a document without them. Property paths start at the document (`mesh.clusters.<id>…`,
 * `failoverPolicies[0]…`).
 * @throws pulumi.InputPropertiesError with every problem of the document
 */
export function planMesh(document: MeshDocument | MeshSpec): MeshPlan {
  const { problems, plan } = checkMeshDocument(document);
  throwIfProblems("isthmus", problems);
  return plan!;
}
