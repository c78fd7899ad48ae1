/**
 * Stable default address ranges.
 *
 * Each cluster gets a slot from 0 to 63: the one it pins (`clusters.<id>.slot`), else the FNV-1a
 * hash of its id, or the next free slot after it. Pinned slots are taken first, then clusters are
 * served in id order, so the result is independent of key order, and adding a cluster moves no
 * existing cluster's ranges unless hashes collide (pin `slot` or `cidrs` to rule that out).
 * Slot s gives pods 10.(2s).0.0/15, nodes 10.(128+s).0.0/16 and services 10.(192+s).0.0/16: no two
 * defaults ever overlap. Slots whose ranges would overlap a range set explicitly are skipped.
 */
import { cidrProblem, overlaps, parseCidr, subnet, type Range } from "./cidr";

/** The default pools: one subnet per slot. */
export const POOLS = {
  pod: { parent: "10.0.0.0/9", prefix: 15 },
  node: { parent: "10.128.0.0/10", prefix: 16 },
  service: { parent: "10.192.0.0/10", prefix: 16 },
} as const;

/** The number of slots, and so the number of clusters that can take default ranges. */
export const SLOT_COUNT = 64;

export type RangeKind = keyof typeof POOLS;
export const RANGE_KINDS: readonly RangeKind[] = ["node", "pod", "service"];

/** What each cluster set explicitly (a kind missing here takes the slot's default). */
export type ExplicitRanges = { readonly [id: string]: Partial<Record<RangeKind, string>> };

/** 32-bit FNV-1a. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** The default range of a kind in a slot. */
export function defaultRange(kind: RangeKind, slot: number): string {
  return subnet(POOLS[kind].parent, POOLS[kind].prefix, slot);
}

/**
 * Assigns a slot to every cluster; `undefined` for a cluster when no slot is free (more than 64
 * clusters, or explicit ranges covering the pools).
 */
export function allocateSlots(
  explicit: ExplicitRanges,
  pins: Readonly<Record<string, number | undefined>> = {},
): Record<string, number | undefined> {
  const pinned: Range[] = [];
  for (const ranges of Object.values(explicit)) {
    for (const cidr of Object.values(ranges)) {
      if (cidr !== undefined && cidrProblem(cidr) === undefined) pinned.push(parseCidr(cidr));
    }
  }
  const taken = new Set<number>();
  const slots: Record<string, number | undefined> = {};
  for (const id of Object.keys(explicit).sort()) {
    const pin = pins[id];
    if (pin === undefined) continue;
    slots[id] = pin;
    taken.add(pin);
  }
  for (const id of Object.keys(explicit).sort()) {
    if (pins[id] !== undefined) continue;
    const needs = RANGE_KINDS.filter((kind) => explicit[id]?.[kind] === undefined);
    const start = fnv1a(id) % SLOT_COUNT;
    slots[id] = undefined;
    for (let step = 0; step < SLOT_COUNT; step++) {
      const slot = (start + step) % SLOT_COUNT;
      if (taken.has(slot)) continue;
      const clash = needs.some((kind) => {
        const range = parseCidr(defaultRange(kind, slot));
        return pinned.some((p) => overlaps(p, range));
      });
      if (clash) continue;
      taken.add(slot);
      slots[id] = slot;
      break;
    }
  }
  return slots;
}
