/**
 * A mesh document: the mesh spec plus the traffic policies and services that go with it, as one
 * YAML file for `isthmus synth`. A bare MeshSpec is a document too.
 */
import { validateEastWestGatewayOptions, type EastWestGatewayOptions } from "./east-west-gateway";
import { validateFailoverPolicy, type FailoverPolicySpec } from "./failover";
import { validateMeshService, type MeshServiceSpec } from "./mesh-service";
import { didYouMean, type SpecProblem } from "./problems";
import { resolvePlan } from "./resolve";
import { isPlainObject } from "./shape";
import type { MeshSpec } from "./spec";
import { validateTrafficSplit, type TrafficSplitSpec } from "./traffic-split";
import { validateMeshSpec } from "./validate";

/** Everything `isthmus synth` renders. */
export interface MeshDocument {
  /** The mesh. */
  readonly mesh: MeshSpec;
  /**
   * East-west gateway options per cluster id.
   * @default {}
   */
  readonly eastWestGateways?: Readonly<Record<string, EastWestGatewayOptions>>;
  /**
   * Locality failover policies.
   * @default []
   */
  readonly failoverPolicies?: readonly FailoverPolicySpec[];
  /**
   * Weighted splits across clusters.
   * @default []
   */
  readonly trafficSplits?: readonly TrafficSplitSpec[];
  /**
   * Services deployed to several clusters.
   * @default []
   */
  readonly services?: readonly MeshServiceSpec[];
}

const DOCUMENT_FIELDS = ["mesh", "eastWestGateways", "failoverPolicies", "trafficSplits", "services"];

/** A bare MeshSpec (it has `clusters` at the top) as a document. */
export function asMeshDocument(input: unknown): unknown {
  return isPlainObject(input) && "clusters" in input && !("mesh" in input) ? { mesh: input } : input;
}

/** Every problem of a document, paths from the document root. */
export function validateMeshDocument(input: unknown): SpecProblem[] {
  const doc = asMeshDocument(input);
  if (!isPlainObject(doc)) {
    return [
      {
        path: "(document)",
        problem: "is not a mesh document",
        received: doc,
        expected: "a MeshSpec, or an object with mesh and optional failoverPolicies, trafficSplits, services",
        fix: "Write the mesh spec at the top of the file, or under mesh:.",
      },
    ];
  }
  const out: SpecProblem[] = [];
  for (const key of Object.keys(doc)) {
    if (!DOCUMENT_FIELDS.includes(key)) {
      out.push({
        path: key,
        problem: "is not a known field",
        received: doc[key],
        expected: `one of the fields ${DOCUMENT_FIELDS.join(", ")}`,
        fix: `Remove it or correct its name.${didYouMean(key, DOCUMENT_FIELDS)}`,
      });
    }
  }
  const meshProblems = validateMeshSpec(doc.mesh).map((p) => ({
    ...p,
    path: p.path === "(spec)" ? "mesh" : `mesh.${p.path}`,
  }));
  out.push(...meshProblems);
  if (meshProblems.length > 0) return out;
  const plan = resolvePlan(doc.mesh as MeshSpec);
  const list = <T>(key: string): T[] => {
    const value = doc[key];
    if (value === undefined) return [];
    if (Array.isArray(value)) return value as T[];
    out.push({
      path: key,
      problem: "has the wrong type",
      received: value,
      expected: "a list",
      fix: "Write a list here.",
    });
    return [];
  };
  list<FailoverPolicySpec>("failoverPolicies").forEach((p, i) =>
    out.push(...validateFailoverPolicy(plan, p, `failoverPolicies[${i}]`)),
  );
  list<TrafficSplitSpec>("trafficSplits").forEach((s, i) =>
    out.push(...validateTrafficSplit(plan, s, `trafficSplits[${i}]`)),
  );
  list<MeshServiceSpec>("services").forEach((s, i) =>
    out.push(...validateMeshService(plan, s, `services[${i}]`)),
  );
  const gateways = doc.eastWestGateways;
  if (gateways !== undefined) {
    if (!isPlainObject(gateways)) {
      out.push({
        path: "eastWestGateways",
        problem: "has the wrong type",
        received: gateways,
        expected: "a map of cluster id to gateway options",
        fix: "Write a map here.",
      });
    } else {
      for (const [id, options] of Object.entries(gateways)) {
        out.push(
          ...validateEastWestGatewayOptions(
            plan,
            id,
            options as EastWestGatewayOptions,
            `eastWestGateways.${id}`,
          ),
        );
      }
    }
  }
  return out;
}
