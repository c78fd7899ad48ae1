/**
 * The problems of default-range allocation: the slot count, pins outside it, and clusters left
 * without a slot — reported once, naming the limit, the range that took the slots and the real fix.
 */
import {
  blockers,
  POOLS,
  RANGE_KINDS,
  slotCountOf,
  SLOT_COUNTS,
  type Blocker,
  type RangeKind,
} from "./allocate";
import type { MeshPlan } from "./mesh-plan";
import type { SpecProblem } from "./problems";
import type { MeshSpec } from "./spec";

/** Every allocation problem of a resolved spec. */
export function slotProblems(spec: MeshSpec, plan: MeshPlan): SpecProblem[] {
  const out: SpecProblem[] = [];
  const asked = spec.allocation?.slots;
  if (asked !== undefined && !SLOT_COUNTS.includes(asked)) {
    out.push({
      path: "allocation.slots",
      problem: "is not a power of two from 64 to 16384",
      received: asked,
      expected: `one of ${SLOT_COUNTS.join(", ")}`,
      fix: "Pick the next power of two above the number of clusters that take default ranges.",
    });
  }
  const slots = slotCountOf(spec.allocation?.slots);
  const ids = Object.keys(plan.clusters).sort();
  for (const id of ids) {
    const pin = spec.clusters[id]?.slot;
    if (pin !== undefined && pin >= slots) {
      out.push({
        path: `clusters.${id}.slot`,
        problem: `is outside the slot space of ${slots} slots (allocation.slots)`,
        received: pin,
        expected: `a slot from 0 to ${slots - 1}`,
        fix: "Pin a slot below allocation.slots, or raise allocation.slots.",
      });
    }
  }

  const wireguard = plan.networkMode === "wireguard";
  const needs = (id: string): RangeKind[] =>
    RANGE_KINDS.filter((kind) => spec.clusters[id]?.cidrs?.[kind] === undefined);
  // A cluster needs a slot for its default ranges, and in wireguard mode for its tunnel address.
  const missing = ids.filter((id) => plan.clusters[id]!.slot < 0 && (wireguard || needs(id).length > 0));
  if (missing.length === 0) return out;

  const all = blockers(
    Object.fromEntries(
      ids.map((id) => [
        id,
        { explicit: spec.clusters[id]?.cidrs ?? {}, network: plan.clusters[id]!.network },
      ]),
    ),
    slots,
  );
  const whole = (b: Blocker, kind: RangeKind): boolean =>
    b.runs[kind]?.[0] === 0 && b.runs[kind]?.[1] === slots - 1;
  // A range that covers a whole pool on a network leaves every cluster there that needs that pool without defaults.
  const swallowed = new Set<string>();
  for (const b of all) {
    const victims = missing.filter(
      (id) => plan.clusters[id]!.network === b.network && needs(id).some((kind) => whole(b, kind)),
    );
    if (victims.length === 0 || victims.every((id) => swallowed.has(id))) continue;
    victims.forEach((id) => swallowed.add(id));
    const kinds = RANGE_KINDS.filter(
      (kind) => whole(b, kind) && victims.some((id) => needs(id).includes(kind)),
    );
    out.push({
      path: `clusters.${b.id}.cidrs.${b.kind}`,
      problem: `covers every default ${kinds.join(" and ")} range (${kinds.map((k) => POOLS[k].parent).join(", ")}) on network ${b.network}, so ${clusterList(victims)} ${victims.length === 1 ? "gets" : "get"} no default ranges`,
      received: b.cidr,
      expected: `the range the ${b.kind === "node" ? "nodes" : b.kind === "pod" ? "pods" : "services"} really use, clear of the default pools`,
      fix: `Narrow clusters.${b.id}.cidrs.${b.kind} to the range in use, or set cidrs.node, cidrs.pod and cidrs.service on ${clusterList(victims)}.`,
    });
  }

  const exhausted = missing.filter((id) => !swallowed.has(id));
  if (exhausted.length > 0) {
    const first = exhausted[0]!;
    const holders = ids.filter((id) => plan.clusters[id]!.slot >= 0).length;
    const partial = all
      .filter((b) => b.network === plan.clusters[first]!.network)
      .map((b) => ({
        b,
        count: Math.max(0, ...RANGE_KINDS.map((k) => (b.runs[k] ? b.runs[k]![1] - b.runs[k]![0] + 1 : 0))),
      }))
      .filter((x) => x.count > 0)
      .sort((x, y) => y.count - x.count)
      .slice(0, 3);
    const blocked =
      partial.length === 0
        ? ""
        : `, and explicit ranges overlap the defaults of others (${partial.map((x) => `clusters.${x.b.id}.cidrs.${x.b.kind} ${x.b.cidr}: ${x.count} slots`).join("; ")})`;
    const wanted = holders + exhausted.length;
    const next = SLOT_COUNTS.find((n) => n >= wanted * 2) ?? SLOT_COUNTS[SLOT_COUNTS.length - 1]!;
    const why = wireguard && needs(first).length === 0 ? "a tunnel address" : "default ranges";
    out.push({
      path: `clusters.${first}.cidrs`,
      problem: `could not be given ${why}: all ${slots} slots of the slot space (allocation.slots) are taken by ${holders} other clusters${blocked}; ${clusterList(exhausted)} ${exhausted.length === 1 ? "goes" : "go"} without`,
      received: spec.clusters[first]?.cidrs,
      expected: `at most ${slots} clusters taking slots, or every range set on the others`,
      fix:
        `Raise allocation.slots to ${next} (it halves each default range per doubling and moves the default ranges of deployed clusters: choose it before the first deploy)` +
        (wireguard
          ? `, with a wireguard.tunnelCidr of room for it`
          : `, or set cidrs.node, cidrs.pod and cidrs.service on ${clusterList(exhausted)}: a cluster with all three needs no slot`) +
        ".",
    });
  }
  return out;
}

/** `a, b and c`, or `a, b, c and 97 more`. */
function clusterList(ids: readonly string[]): string {
  const named = ids.slice(0, 3);
  const rest = ids.length - named.length;
  if (rest > 0) return `clusters ${named.join(", ")} and ${rest} more`;
  if (named.length === 1) return `cluster ${named[0]}`;
  return `clusters ${named.slice(0, -1).join(", ")} and ${named[named.length - 1]}`;
}
