/**
 * The document's cross-object rules: what no single service, policy or split can check alone. Each
 * of them names child resources and Kubernetes objects, which must not collide. Part of the one
 * document validator, so that `isthmus synth` and the Pulumi program refuse the same documents.
 */
import { policyKey } from "./decide";
import type { SpecProblem } from "./problems";
import { isPlainObject } from "./shape";

/** The lists of a document, as far as they are lists (their entries are checked one by one elsewhere). */
export interface DocumentLists {
  readonly failoverPolicies: readonly unknown[];
  readonly trafficSplits: readonly unknown[];
  readonly services: readonly unknown[];
}

/** Every cross-object problem: two policies or splits with one key, two services with one name or Namespace. */
export function crossObjectProblems(lists: DocumentLists): SpecProblem[] {
  return [
    ...duplicateKeys("failoverPolicies", lists.failoverPolicies.map(keyOfPolicy)),
    ...duplicateKeys("trafficSplits", lists.trafficSplits.map(keyOfPolicy)),
    ...duplicateKeys(
      "services",
      lists.services.map((s) => (isPlainObject(s) ? stringOrUndefined(s.name) : undefined)),
    ),
    ...sharedNamespaces(lists.services),
  ];
}

/** A policy's or split's key, when its name and host have the right types (others were reported already). */
function keyOfPolicy(entry: unknown): string | undefined {
  if (!isPlainObject(entry) || typeof entry.host !== "string") return undefined;
  if (entry.name !== undefined && typeof entry.name !== "string") return undefined;
  return policyKey(entry as { name?: string; host: string });
}

/** Two services that both create one Namespace would render it twice in every cluster. */
function sharedNamespaces(services: readonly unknown[]): SpecProblem[] {
  const creator = new Map<string, number>();
  const out: SpecProblem[] = [];
  services.forEach((s, i) => {
    if (!isPlainObject(s) || typeof s.namespace !== "string" || s.createNamespace === false) return;
    const first = creator.get(s.namespace);
    if (first === undefined) {
      creator.set(s.namespace, i);
      return;
    }
    out.push({
      path: `services[${i}].namespace`,
      problem: `is created by services[${first}] as well`,
      received: s.namespace,
      expected: "one service creating each Namespace",
      fix: "Set createNamespace: false on every other service in that namespace.",
    });
  });
  return out;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function duplicateKeys(path: string, keys: readonly (string | undefined)[]): SpecProblem[] {
  const seen = new Set<string>();
  const out: SpecProblem[] = [];
  keys.forEach((key, i) => {
    if (key === undefined) return;
    if (seen.has(key)) {
      out.push({
        path: `${path}[${i}]`,
        problem: "has the same name (or host) as another one",
        received: key,
        expected: "a name unique among them (it names the child resources)",
        fix: "Give each a distinct name.",
      });
    }
    seen.add(key);
  });
  return out;
}
