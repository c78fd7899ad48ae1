/**
 * Spec problems: every defect of a spec, reported at once, each with where it is, what was
 * received, what is allowed and how to fix it.
 */
import { distance } from "fastest-levenshtein";

/** One defect in a mesh spec. */
export interface SpecProblem {
  /** Property path from the spec root, e.g. `clusters.region1.cidrs.pod`. */
  readonly path: string;
  /** What is wrong, e.g. `overlaps clusters.region2.cidrs.pod (10.0.0.0/15)`. */
  readonly problem: string;
  /** The value found at the path (`undefined` when it is missing). */
  readonly received: unknown;
  /** What is allowed there. */
  readonly expected: string;
  /** How to fix it. */
  readonly fix: string;
}

/** `<path>: <problem>; got <value>, expected <allowed>. <fix>` */
export function formatProblem(p: SpecProblem): string {
  return `${p.path}: ${p.problem}; got ${describeValue(p.received)}, expected ${p.expected}. ${p.fix}`;
}

/** A short, single-line rendering of a received value. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return JSON.stringify(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Thrown by {@link plan} when a spec has problems; carries all of them. */
export class MeshSpecError extends Error {
  readonly problems: readonly SpecProblem[];
  constructor(problems: readonly SpecProblem[]) {
    const lines = problems.map((p) => `  - ${formatProblem(p)}`);
    super(
      `the mesh spec has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n${lines.join("\n")}`,
    );
    this.name = "MeshSpecError";
    this.problems = problems;
  }
}

/** The candidate closest to `word`, if it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.max(1, Math.floor((best?.length ?? 0) / 3));
  return bestDistance <= limit ? best : undefined;
}

/** ` Did you mean "x"?` or nothing. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const hit = closest(word, candidates);
  return hit === undefined ? "" : ` Did you mean "${hit}"?`;
}
