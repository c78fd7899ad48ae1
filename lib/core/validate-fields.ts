/**
 * Field checks the validators share: DNS-1123 labels and DNS names.
 */
import { labelProblem, subdomainProblem } from "./names";
import { type SpecProblem } from "./problems";

export function label(
  out: SpecProblem[],
  path: string,
  value: string | undefined,
  max: number,
  fix: string,
): void {
  if (value === undefined) return;
  const problem = labelProblem(value, max);
  if (problem !== undefined) {
    out.push({
      path,
      problem,
      received: value,
      expected: `a DNS-1123 label of at most ${max} characters`,
      fix,
    });
  }
}

export function domain(out: SpecProblem[], path: string, value: string | undefined): void {
  if (value === undefined) return;
  const problem = subdomainProblem(value);
  if (problem !== undefined) {
    out.push({
      path,
      problem,
      received: value,
      expected: "a DNS name such as cluster.local",
      fix: "Use lower-case labels separated by dots.",
    });
  }
}
