/**
 * The plans `resolvePlan` made. A component takes a plan as an argument; the plan decides which
 * resources exist, so a hand-built or altered copy (a plan read back from plan.json, a plan with
 * one field changed) is refused rather than trusted field by field.
 */
const made = new WeakSet<object>();

/** Marks `plan` as made by the planner; returns it. */
export function remember<T extends object>(plan: T): T {
  made.add(plan);
  return plan;
}

/** Whether `value` is a plan the planner made. */
export function isMadePlan(value: unknown): boolean {
  return typeof value === "object" && value !== null && made.has(value);
}
