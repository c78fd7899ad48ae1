/**
 * A mesh document: the mesh spec plus the traffic policies and services that go with it, as one
 * YAML file for `isthmus synth`. A bare MeshSpec is a document too.
 */
import type { DocumentChoices } from "./decide";
import { crossObjectProblems } from "./document-rules";
import { validateEastWestGatewayOptions, type EastWestGatewayOptions } from "./east-west-gateway";
import { validateFailoverPolicy, type FailoverPolicySpec } from "./failover";
import type { MeshPlan } from "./mesh-plan";
import { validateMeshService, type MeshServiceSpec } from "./mesh-service";
import { didYouMean, MeshSpecError, type SpecProblem } from "./problems";
import { resolvePlan, resolveTopology } from "./resolve";
import { isPlainObject } from "./shape";
import type { MeshSpec } from "./spec";
import { validateTrafficSplit, type TrafficSplitSpec } from "./traffic-split";
import { validateMeshSpec } from "./validate";

/**
 * A mesh document: everything `isthmus synth` renders and `planMesh` plans for the Pulumi
 * components. Plain data: it decides which resources exist.
 */
export interface MeshDocument extends DocumentChoices {
  /** The mesh. */
  readonly mesh: MeshSpec;
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
  const plan = resolveTopology(doc.mesh as MeshSpec);
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
  const policies = list<FailoverPolicySpec>("failoverPolicies");
  const splits = list<TrafficSplitSpec>("trafficSplits");
  const services = list<MeshServiceSpec>("services");
  policies.forEach((p, i) => out.push(...validateFailoverPolicy(plan, p, `failoverPolicies[${i}]`)));
  splits.forEach((s, i) => out.push(...validateTrafficSplit(plan, s, `trafficSplits[${i}]`)));
  services.forEach((s, i) => out.push(...validateMeshService(plan, s, `services[${i}]`)));
  out.push(...crossObjectProblems({ failoverPolicies: policies, trafficSplits: splits, services }));
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

/**
 * Validates and plans a mesh document (or a bare MeshSpec): the one resolution of a program.
 * @throws MeshSpecError with every problem of the document at once
 */
export function planMeshDocument(input: MeshDocument | MeshSpec | unknown): MeshPlan {
  const problems = validateMeshDocument(input);
  if (problems.length > 0) throw new MeshSpecError(problems);
  const { mesh, ...choices } = asMeshDocument(input) as MeshDocument;
  return resolvePlan(mesh, choices);
}
