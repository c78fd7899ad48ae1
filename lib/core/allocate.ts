/**
 * Stable default address ranges.
 *
 * The slot space has `allocation.slots` slots (64 unless set). Each cluster gets a slot: the one it
 * pins (`clusters.<id>.slot`), else the FNV-1a hash of its id modulo the slot count, or the next free
 * slot after it. Pinned slots are taken first, then clusters are served in id order, so the result
 * is independent of key order, and adding a cluster moves no existing cluster's ranges unless hashes
 * collide (pin `slot` or `cidrs` to rule that out).
 *
 * With S slots, slot s gives pods the s-th of S equal parts of 10.0.0.0/9, nodes the s-th part of
 * 10.128.0.0/10 and services the s-th part of 10.192.0.0/10 (64 slots: pods /15, nodes and services
 * /16): no two defaults ever overlap.
 *
 * A slot whose default ranges overlap a range set explicitly is skipped. Where the clusters' networks
 * allow overlapping ranges (gateways mode, a network per cluster), a slot that overlaps only another
 * network's explicit ranges is still used when nothing else is free, so one adopted cluster using
 * 10.0.0.0/8 does not leave the others without defaults. A cluster that sets all three ranges needs
 * no slot for its ranges; it still takes a free one (its WireGuard tunnel address derives from it),
 * and goes without when none is free.
 */
import { cidrProblem, overlaps, parseCidr, subnet, type Range } from "./cidr";

/** The default pools: each parent range is cut into one part per slot. */
export const POOLS = {
  pod: { parent: "10.0.0.0/9", prefix: 15 },
  node: { parent: "10.128.0.0/10", prefix: 16 },
  service: { parent: "10.192.0.0/10", prefix: 16 },
} as const;

/** The default number of slots, and so of clusters that can take default ranges. */
export const SLOT_COUNT = 64;
/** The slot counts `allocation.slots` accepts: powers of two, from 64 (pods /15) to 16384 (pods /23). */
export const SLOT_COUNTS: readonly number[] = [64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384];

/** The slot count `allocation.slots` asks for, or the default when it asks for none or an invalid one (validation reports it). */
export function slotCountOf(asked: number | undefined): number {
  return asked !== undefined && SLOT_COUNTS.includes(asked) ? asked : SLOT_COUNT;
}

export type RangeKind = keyof typeof POOLS;
export const RANGE_KINDS: readonly RangeKind[] = ["node", "pod", "service"];

/** What a cluster asks of the allocator. */
export interface SlotRequest {
  /** The ranges it set explicitly (a kind missing here takes the slot's default). */
  readonly explicit: Partial<Record<RangeKind, string>>;
  /** The network it is on: default ranges must stay clear of explicit ranges on the same network. */
  readonly network: string;
  /** The slot it pins, if any. */
  readonly pin?: number;
}

/** 32-bit FNV-1a. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** The prefix length of a kind's default ranges in a slot space of `slots` slots. */
export function defaultPrefix(kind: RangeKind, slots: number = SLOT_COUNT): number {
  return POOLS[kind].prefix + Math.log2(slots / SLOT_COUNT);
}

/** The default range of a kind in a slot. */
export function defaultRange(kind: RangeKind, slot: number, slots: number = SLOT_COUNT): string {
  return subnet(POOLS[kind].parent, defaultPrefix(kind, slots), slot);
}

/** A run of slots, first to last inclusive. */
type SlotRun = readonly [number, number];

/** The slots of a kind's pool whose default range overlaps `range`, as one run (or none). */
export function slotsOverlapping(
  kind: RangeKind,
  range: Range,
  slots: number = SLOT_COUNT,
): SlotRun | undefined {
  const pool = parseCidr(POOLS[kind].parent);
  if (!overlaps(pool, range)) return undefined;
  const size = (pool.last - pool.first + 1n) / BigInt(slots);
  const from = range.first > pool.first ? range.first : pool.first;
  const to = range.last < pool.last ? range.last : pool.last;
  return [Number((from - pool.first) / size), Number((to - pool.first) / size)];
}

/** One explicit range and the default slots it blocks, per kind of default range. */
export interface Blocker {
  readonly id: string;
  readonly kind: RangeKind;
  readonly cidr: string;
  readonly network: string;
  readonly runs: Partial<Record<RangeKind, SlotRun>>;
}

/** Every usable explicit range with the default slots it overlaps. */
export function blockers(
  requests: Readonly<Record<string, SlotRequest>>,
  slots: number = SLOT_COUNT,
): Blocker[] {
  const out: Blocker[] = [];
  for (const id of Object.keys(requests).sort()) {
    const request = requests[id]!;
    for (const kind of RANGE_KINDS) {
      const cidr = request.explicit[kind];
      if (cidr === undefined || cidrProblem(cidr) !== undefined) continue;
      const range = parseCidr(cidr);
      const runs: Partial<Record<RangeKind, SlotRun>> = {};
      for (const pool of RANGE_KINDS) {
        const run = slotsOverlapping(pool, range, slots);
        if (run !== undefined) runs[pool] = run;
      }
      out.push({ id, kind, cidr, network: request.network, runs });
    }
  }
  return out;
}

/**
 * Assigns a slot to every cluster; `undefined` for a cluster when no slot is free (more clusters
 * than slots, or explicit ranges on its network covering the pools).
 */
export function allocateSlots(
  requests: Readonly<Record<string, SlotRequest>>,
  slots: number = SLOT_COUNT,
): Record<string, number | undefined> {
  const all = blockers(requests, slots);
  // Slots blocked by any explicit range (the first choice), per kind of default range.
  const anywhere = Object.fromEntries(RANGE_KINDS.map((kind) => [kind, new Uint8Array(slots)])) as Record<
    RangeKind,
    Uint8Array
  >;
  const byNetwork = new Map<string, Blocker[]>();
  for (const b of all) {
    for (const kind of RANGE_KINDS) {
      const run = b.runs[kind];
      if (run !== undefined) anywhere[kind].fill(1, run[0], run[1] + 1);
    }
    byNetwork.set(b.network, [...(byNetwork.get(b.network) ?? []), b]);
  }
  const ids = Object.keys(requests).sort();
  const taken = new Uint8Array(slots);
  const result: Record<string, number | undefined> = {};
  for (const id of ids) {
    const pin = requests[id]!.pin;
    if (pin === undefined) continue;
    result[id] = pin;
    if (pin >= 0 && pin < slots) taken[pin] = 1;
  }
  for (const id of ids) {
    const request = requests[id]!;
    if (request.pin !== undefined) continue;
    const needs = RANGE_KINDS.filter((kind) => request.explicit[kind] === undefined);
    const local = byNetwork.get(request.network) ?? [];
    const clear = (slot: number, strict: boolean): boolean =>
      needs.every((kind) =>
        strict
          ? anywhere[kind][slot] === 0
          : local.every((b) => {
              const run = b.runs[kind];
              return run === undefined || slot < run[0] || slot > run[1];
            }),
      );
    const start = fnv1a(id) % slots;
    const find = (strict: boolean): number | undefined => {
      for (let step = 0; step < slots; step++) {
        const slot = (start + step) % slots;
        if (taken[slot] === 0 && clear(slot, strict)) return slot;
      }
      return undefined;
    };
    // First clear of every explicit range (as allocation always was), then of this network's only.
    const slot = find(true) ?? find(false);
    result[id] = slot;
    if (slot !== undefined) taken[slot] = 1;
  }
  return result;
}
