/**
 * Ordering and a concurrency bound, nothing more: a stack starts once every stack it depends on has
 * succeeded (or, in reverse, once every stack that depends on it is gone), at most `concurrency` at
 * a time. What a stack's run does is Pulumi's business.
 */
import type { StackGraph } from "./fleet";

/** How one stack's run ended. */
export type StackOutcome =
  | { readonly status: "succeeded" }
  | { readonly status: "failed"; readonly error: Error }
  | { readonly status: "skipped"; readonly because: readonly string[] };

/**
 * Runs `run` for every stack of `graph`: `forward` in dependency order (up, preview), `reverse` in the
 * opposite order (destroy). A stack whose prerequisite failed or was skipped is skipped, with the
 * names of the stacks that held it back. Among stacks ready at once, lower levels and then names
 * start first, so runs are reproducible.
 */
export async function runInOrder(
  graph: StackGraph,
  direction: "forward" | "reverse",
  concurrency: number,
  run: (stack: string) => Promise<void>,
): Promise<Record<string, StackOutcome>> {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error(
      `concurrency: is not a positive integer; got ${String(concurrency)}, expected 1 or more. Pass how many stacks may run at once.`,
    );
  }
  const before = direction === "forward" ? graph.dependsOn : graph.dependents;
  const rank = new Map<string, number>();
  const levels = direction === "forward" ? graph.levels : [...graph.levels].reverse();
  levels.forEach((names, i) => names.forEach((n) => rank.set(n, i)));
  const order = [...rank.keys()].sort((a, b) => rank.get(a)! - rank.get(b)! || a.localeCompare(b));

  const outcomes: Record<string, StackOutcome> = {};
  const running = new Set<string>();
  return new Promise((resolve) => {
    const pump = (): void => {
      for (const name of order) {
        if (outcomes[name] !== undefined || running.has(name)) continue;
        const prerequisites = before[name] ?? [];
        const blocked = prerequisites.filter((p) => {
          const o = outcomes[p];
          return o !== undefined && o.status !== "succeeded";
        });
        if (blocked.length > 0) {
          outcomes[name] = { status: "skipped", because: blocked };
          continue;
        }
        if (running.size >= concurrency) continue;
        if (!prerequisites.every((p) => outcomes[p]?.status === "succeeded")) continue;
        running.add(name);
        run(name).then(
          () => finish(name, { status: "succeeded" }),
          (error: unknown) =>
            finish(name, {
              status: "failed",
              error: error instanceof Error ? error : new Error(String(error)),
            }),
        );
      }
      if (running.size === 0) resolve(outcomes);
    };
    const finish = (name: string, outcome: StackOutcome): void => {
      running.delete(name);
      outcomes[name] = outcome;
      pump();
    };
    pump();
  });
}
