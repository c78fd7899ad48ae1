/**
 * Validation: every problem of a mesh spec at once, each with its path, what was received, what is
 * allowed and how to fix it. Never throws on bad input.
 */
import type { MeshPlan, MeshTopology } from "./mesh-plan";
import { HELM_RELEASE_MAX, labelProblem } from "./names";
import { DEFAULT_ISTIO_VERSION, type MeshSpec } from "./spec";
import { capProblems, type SpecProblem } from "./problems";
import { decidePlan, resolveTopology } from "./resolve";
import { checkShape } from "./spec-shape";
import { slotProblems } from "./slot-problems";
import { KNOWN_ISTIO_VERSIONS, newestIstioPatches } from "./istio-versions";
import { discoveryScopeProblems } from "./hierarchy";
import { checkCluster } from "./validate-cluster";
import { checkControlPlane, checkSlots } from "./validate-control-plane";
import { domain, label } from "./validate-fields";
import { checkCidrOverlaps, checkDns, checkWireGuard } from "./validate-network";
import { withoutNulls } from "./values";

/** Every problem of `input` as a mesh spec; empty when it is valid. */
export function validateMeshSpec(input: unknown): SpecProblem[] {
  return capProblems(checkMeshSpec(input).problems);
}

/** What validating a spec found, with the plan of its sound parts for the checks that need one. */
export interface MeshSpecCheck {
  /** Every problem, uncapped. */
  readonly problems: SpecProblem[];
  /** The spec with its invalid parts left out or stood in for. */
  readonly spec: MeshSpec;
  /** The topology of {@link spec}: every default resolved; total even when the spec has problems. */
  readonly topology: MeshTopology;
  /** The plan of {@link spec} without a document's choices: total even when the spec has problems. */
  readonly plan: MeshPlan;
}

/** Validates `input` and plans what is sound in it. */
export function checkMeshSpec(input: unknown): MeshSpecCheck {
  const { problems, cleaned, stoodIn } = checkShape(input);
  const spec = cleaned as MeshSpec;
  // Validation takes null fields as absent; so does the plan (and what it holds for the renderers).
  const topology = resolveTopology(withoutNulls(spec));
  const plan = decidePlan(topology);
  return {
    problems: [...problems, ...afterShape(problems, semanticProblems(spec, plan), stoodIn)],
    spec,
    topology,
    plan,
  };
}

/**
 * The semantic problems that do not repeat a structural one: a problem at or under a path that
 * already has a structural problem would only repeat it.
 */
export function afterShape(
  structural: readonly SpecProblem[],
  semantic: readonly SpecProblem[],
  stoodIn: readonly string[] = [],
): SpecProblem[] {
  const reported = structural.map((p) => p.path);
  // An object with a stood-in field is judged by its real fields only.
  const standIns = stoodIn.map((r) => r.slice(0, Math.max(r.lastIndexOf("."), 0)));
  // A list item left out shrinks its list: what the list itself is told would mislead.
  const shrunk = reported.filter((r) => r.endsWith("]")).map((r) => r.slice(0, r.lastIndexOf("[")));
  const repeats = (path: string): boolean =>
    shrunk.includes(path) ||
    standIns.includes(path) ||
    reported.some(
      (r) =>
        r === "(spec)" ||
        r === "(document)" ||
        path === r ||
        path.startsWith(`${r}.`) ||
        path.startsWith(`${r}[`),
    );
  return semantic.filter((p) => !repeats(p.path));
}

function semanticProblems(spec: MeshSpec, plan: MeshPlan): SpecProblem[] {
  const out: SpecProblem[] = [];
  checkMesh(spec, plan, out);
  for (const id of Object.keys(spec.clusters)) checkCluster(id, spec, plan, out);
  checkControlPlane(spec, plan, out);
  out.push(...discoveryScopeProblems(spec));
  checkSlots(spec, out);
  out.push(...slotProblems(spec, plan));
  checkCidrOverlaps(spec, plan, out);
  // The missing hub comes before the DNS routes it leaves unrouted.
  checkWireGuard(spec, plan, out);
  checkDns(spec, plan, out);
  return out;
}

function checkMesh(spec: MeshSpec, plan: MeshPlan, out: SpecProblem[]): void {
  label(out, "meshID", spec.meshID, 63, "Use a short lower-case name such as mesh1.");
  domain(out, "trustDomain", spec.trustDomain);
  domain(out, "clusterDomain", spec.clusterDomain);
  if (Object.keys(spec.clusters).length === 0) {
    out.push({
      path: "clusters",
      problem: "has no clusters",
      received: spec.clusters,
      expected: "at least one cluster",
      fix: "Add a cluster keyed by a stable id, e.g. clusters: { region1: { cloud: aws, region: us-east-1 } }.",
    });
  }
  const version = spec.istio?.version;
  if (version !== undefined && !/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) {
    out.push({
      path: "istio.version",
      problem: "is not a pinned Istio version",
      received: version,
      expected: "an exact chart version such as 1.30.3",
      fix: "Pin an exact version: ranges and tags make two clusters drift apart.",
    });
  } else if (version !== undefined && !KNOWN_ISTIO_VERSIONS.includes(version)) {
    const [minor] = /^\d+\.\d+/.exec(version) ?? [""];
    const sameMinor = KNOWN_ISTIO_VERSIONS.filter((v) => v.startsWith(`${minor}.`));
    out.push({
      path: "istio.version",
      problem: "is not an Istio release whose charts isthmus knows",
      received: version,
      expected: `a release from ${KNOWN_ISTIO_VERSIONS[0]} to ${KNOWN_ISTIO_VERSIONS.at(-1)} (newest patches ${newestIstioPatches().join(", ")})`,
      fix:
        sameMinor.length > 0
          ? `Use a released patch of ${minor}, such as ${sameMinor.at(-1)}.`
          : `Use a known release such as ${DEFAULT_ISTIO_VERSION}, or leave version out for the default.`,
    });
  }
  const defaultNetwork = `network-${plan.meshID}`;
  const usesDefault = Object.values(spec.clusters).some((c) => c.network === undefined);
  if (
    plan.networkMode === "wireguard" &&
    usesDefault &&
    labelProblem(plan.meshID, 63) === undefined &&
    defaultNetwork.length > 63
  ) {
    out.push({
      path: "meshID",
      problem: `gives the wireguard-mode network label "${defaultNetwork}" of ${defaultNetwork.length} characters, over the limit of 63 (topology.istio.io/network is a label value)`,
      received: spec.meshID,
      expected: `a meshID of at most ${63 - "network-".length} characters`,
      fix: "Shorten the meshID, or set the same short network on every cluster.",
    });
  }
  const revision = spec.istio?.revision;
  if (revision !== undefined) {
    label(
      out,
      "istio.revision",
      revision,
      HELM_RELEASE_MAX - "istiod-".length,
      "Use a short label such as 1-30 (the istiod release is named istiod-<revision>, at most 53 characters).",
    );
  }
  const repo = spec.istio?.chartRepository;
  if (repo !== undefined && !/^(https?|oci):\/\/\S+$/.test(repo)) {
    out.push({
      path: "istio.chartRepository",
      problem: "is not a Helm repository URL",
      received: repo,
      expected: "an https:// or oci:// URL",
      fix: `Use Istio's repository ${"https://istio-release.storage.googleapis.com/charts"} or a mirror of it.`,
    });
  }
}
