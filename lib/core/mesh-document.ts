/**
 * A mesh document: the mesh spec plus the traffic policies and services that go with it, as one
 * YAML file for `isthmus synth`. A bare MeshSpec is a document too.
 */
import type { DocumentChoices } from "./decide";
import { crossObjectProblems } from "./document-rules";
import { validateEastWestGatewayOptions, type EastWestGatewayOptions } from "./east-west-gateway";
import type { FailoverPolicySpec } from "./failover";
import { validateFailoverPolicy } from "./failover-validation";
import type { MeshPlan, MeshTopology } from "./mesh-plan";
import { validateMeshService, type MeshServiceSpec } from "./mesh-service";
import {
  DOCUMENT_SHAPE,
  EAST_WEST_GATEWAY_OPTIONS_SHAPE,
  FAILOVER_POLICY_SHAPE,
  MESH_SERVICE_SHAPE,
  MISPLACED_IN_DOCUMENTS,
  TRAFFIC_SPLIT_SHAPE,
} from "./document-shape";
import { capProblems, MeshSpecError, type SpecProblem } from "./problems";
import { decidePlan } from "./resolve";
import { placementProblems, type Placed } from "./document-placement";
import { checkAgainst, join, under, type Shape } from "./shape";
import type { MeshSpec } from "./spec";
import { MESH_SPEC_FIELDS } from "./spec-shape";
import { validateTrafficSplit, type TrafficSplitSpec } from "./traffic-split";
import { afterShape, checkMeshSpec } from "./validate";
import { hasOwn, isPlainObject, own } from "./values";

/**
 * A mesh document: everything `isthmus synth` renders and `planMesh` plans for the Pulumi
 * components. Plain data: it decides which resources exist.
 */
export interface MeshDocument extends DocumentChoices {
  /** The mesh. */
  readonly mesh: MeshSpec;
}

const DOCUMENT_FIELDS = ["mesh", "eastWestGateways", "failoverPolicies", "trafficSplits", "services"];

/**
 * Whether `input` is a bare MeshSpec: an object without `mesh` whose fields are a MeshSpec's (a
 * spec that forgot `clusters` is still a spec, told that `clusters` is missing).
 */
export function isBareMeshSpec(input: unknown): input is Record<string, unknown> {
  if (!isPlainObject(input) || hasOwn(input, "mesh")) return false;
  const keys = Object.keys(input);
  return (
    hasOwn(input, "clusters") ||
    keys.some((k) => MESH_SPEC_FIELDS.includes(k) && !DOCUMENT_FIELDS.includes(k))
  );
}

/** A bare MeshSpec as a document. */
export function asMeshDocument(input: unknown): unknown {
  return isBareMeshSpec(input) ? { mesh: input } : input;
}

/**
 * Every problem of a document, paths from the document root (a bare MeshSpec keeps its own paths).
 * The policies, splits, services and gateway options are checked even when the mesh has problems,
 * against the plan of what is sound in it.
 */
export function validateMeshDocument(input: unknown): SpecProblem[] {
  return capProblems(checkDocument(input).problems);
}

/**
 * A document's problems (capped), and its plan when it has none: validation's own resolution of the
 * mesh, decided with the document's choices — the spec is resolved once.
 */
export function checkMeshDocument(input: unknown): {
  readonly problems: SpecProblem[];
  readonly plan: MeshPlan | undefined;
} {
  const { problems, topology } = checkDocument(input);
  if (problems.length > 0 || topology === undefined)
    return { problems: capProblems(problems), plan: undefined };
  const { mesh: _, ...choices } = asMeshDocument(input) as MeshDocument;
  return { problems: [], plan: decidePlan(topology, choices) };
}

/**
 * Every problem of a document, uncapped, with the topology validation resolved for its mesh
 * (undefined when the input is not a document).
 */
function checkDocument(input: unknown): { problems: SpecProblem[]; topology: MeshTopology | undefined } {
  if (input === undefined || input === null) {
    return notADocument([
      {
        path: "(document)",
        problem: "is empty",
        received: undefined,
        expected:
          "a mesh spec (clusters: …), or a document with mesh: and optional failoverPolicies, trafficSplits, services, eastWestGateways",
        fix: "Write the mesh spec at the top of the file, starting with clusters: { region1: { cloud: aws, region: us-east-1 } }.",
      },
    ]);
  }
  if (isBareMeshSpec(input)) {
    const { problems, topology } = checkMeshSpec(input);
    return { problems, topology };
  }
  const shape = checkAgainst(input, DOCUMENT_SHAPE, { root: "(document)" });
  if (shape.cleaned === undefined) {
    const [first] = shape.problems;
    return notADocument([
      {
        ...first!,
        problem: first!.problem.startsWith("is a pulumi.Output") ? first!.problem : "is not a mesh document",
        expected:
          "a mesh spec (clusters: …), or an object with mesh and optional failoverPolicies, trafficSplits, services, eastWestGateways",
      },
    ]);
  }
  const doc = shape.cleaned as Record<string, unknown>;
  const out: SpecProblem[] = [...shape.problems];
  const mesh = checkMeshSpec(doc.mesh ?? {});
  if (doc.mesh !== undefined) {
    out.push(...mesh.problems.map((p) => ({ ...p, path: under("mesh", p.path) })));
  }
  const plan = mesh.plan;
  /** Checks each entry of a list or map part; returns the entries without structural problems. */
  const entries = <T>(
    key: string,
    itemShape: Shape,
    validate: (item: T, path: string, key: string) => SpecProblem[],
  ): Placed<T>[] => {
    const value = doc[key];
    if (value === undefined) return [];
    const all = Array.isArray(value)
      ? value.map((item, i) => [`${key}[${i}]`, item, String(i)] as const)
      : Object.keys(value as object).map((id) => [join(key, id), own(value, id), id] as const);
    const sound: Placed<T>[] = [];
    for (const [path, item, itemKey] of all) {
      const checked = checkAgainst(item, itemShape, { path, misplaced: MISPLACED_IN_DOCUMENTS });
      out.push(...checked.problems);
      if (checked.cleaned === undefined) continue;
      out.push(
        ...afterShape(checked.problems, validate(checked.cleaned as T, path, itemKey), checked.stoodIn),
      );
      if (checked.problems.length === 0) sound.push({ path, value: checked.cleaned as T });
    }
    return sound;
  };
  const policies = entries<FailoverPolicySpec>("failoverPolicies", FAILOVER_POLICY_SHAPE, (p, path) =>
    validateFailoverPolicy(plan, p, path),
  );
  const splits = entries<TrafficSplitSpec>("trafficSplits", TRAFFIC_SPLIT_SHAPE, (s, path) =>
    validateTrafficSplit(plan, s, path),
  );
  const services = entries<MeshServiceSpec>("services", MESH_SERVICE_SHAPE, (s, path) =>
    validateMeshService(plan, s, path),
  );
  const gateways = entries<EastWestGatewayOptions>(
    "eastWestGateways",
    EAST_WEST_GATEWAY_OPTIONS_SHAPE,
    (o, path, id) => validateEastWestGatewayOptions(plan, id, o, path),
  );
  // In wireguard mode clusters reach each other over the tunnel: only a primary that exposes istiod
  // to remotes runs an east-west gateway, and only its options mean anything.
  for (const { path } of gateways) {
    const id = path.slice("eastWestGateways.".length);
    if (plan.networkMode !== "wireguard" || !hasOwn(plan.clusters, id)) continue;
    if (plan.clusters[id]!.eastWestGateway !== undefined) continue;
    out.push({
      path,
      problem:
        "is set in wireguard mode for a cluster that runs no east-west gateway (clusters reach each other over the tunnel)",
      received: own(doc.eastWestGateways, id),
      expected: 'options only for a primary that exposes istiod to remotes, or mesh.networkMode: "gateways"',
      fix: "Remove these options, or switch the mesh to gateways mode.",
    });
  }
  out.push(...placementProblems(plan, services, splits, policies));
  const list = (key: string): unknown[] => (Array.isArray(doc[key]) ? (doc[key] as unknown[]) : []);
  out.push(
    ...crossObjectProblems({
      failoverPolicies: list("failoverPolicies"),
      trafficSplits: list("trafficSplits"),
      services: list("services"),
    }),
  );
  return { problems: out, topology: mesh.topology };
}

function notADocument(problems: SpecProblem[]): { problems: SpecProblem[]; topology: undefined } {
  return { problems, topology: undefined };
}

/**
 * Validates and plans a mesh document (or a bare MeshSpec): the one resolution of a program.
 * @throws MeshSpecError with every problem of the document at once
 */
export function planMeshDocument(input: MeshDocument | MeshSpec | unknown): MeshPlan {
  const { problems, plan } = checkMeshDocument(input);
  if (plan === undefined) throw new MeshSpecError(problems);
  return plan;
}
