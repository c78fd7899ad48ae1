/**
 * Spec problems: every defect of a spec, reported at once, each with where it is, what was
 * received, what is allowed and how to fix it.
 */
import { distance } from "fastest-levenshtein";
import { echo } from "./values";

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

/** A short, single-line rendering of a received value (bounded: see {@link echo}). */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  return echo(value);
}

/** At most this many problems are listed under one path, then one line counts the rest. */
export const PROBLEMS_PER_PATH = 10;
/** At most this many problems are listed in all, then one line counts the rest. */
export const PROBLEMS_MAX = 100;

/**
 * Bounded output: at most {@link PROBLEMS_PER_PATH} problems among the entries of one list or map
 * (`clusters.a.zones[7]`, `clusters.a.zones[8]`, …) and {@link PROBLEMS_MAX} in all, each cut
 * followed by one summary line that says how many more there are.
 */
export function capProblems(problems: readonly SpecProblem[]): SpecProblem[] {
  const perParent = new Map<string, number>();
  const hidden = new Map<string, number>();
  const kept: SpecProblem[] = [];
  for (const p of problems) {
    const parent = parentPath(p.path);
    const n = (perParent.get(parent) ?? 0) + 1;
    perParent.set(parent, n);
    if (n > PROBLEMS_PER_PATH) hidden.set(parent, (hidden.get(parent) ?? 0) + 1);
    else kept.push(p);
  }
  const out = [...kept];
  for (const [parent, n] of hidden) out.push(summary(parent, n, `entries of ${parent}`));
  if (out.length <= PROBLEMS_MAX) return out;
  const rest = out.length - (PROBLEMS_MAX - 1);
  return [...out.slice(0, PROBLEMS_MAX - 1), summary("(input)", rest, "input")];
}

function summary(path: string, n: number, where: string): SpecProblem {
  return {
    path,
    problem: `has ${n} more problem${n === 1 ? "" : "s"} not listed here`,
    received: undefined,
    expected: `at most ${PROBLEMS_PER_PATH} problems per path and ${PROBLEMS_MAX} in all are listed`,
    fix: `Fix the problems above and run again to see the rest of the ${where}.`,
  };
}

/** `clusters.a.zones[3]` → `clusters.a.zones`; `clusters.a.region` → `clusters.a`. */
function parentPath(path: string): string {
  const index = path.search(/(\[\d+\]|\.[^.[\]]*)$/);
  return index <= 0 ? "(input)" : path.slice(0, index);
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
