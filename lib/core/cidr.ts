/**
 * IPv4 CIDR parsing, overlap and subdivision, on top of `ip-address`.
 */
import { Address4 } from "ip-address";

/** A parsed IPv4 range. */
export interface Range {
  /** The CIDR as written, canonical (`10.0.0.0/16`). */
  readonly cidr: string;
  readonly first: bigint;
  readonly last: bigint;
  readonly prefix: number;
}

// Parsing with ip-address is the costly part of validating large meshes; ranges repeat a lot.
const problems = new Map<string, string | undefined>();
const ranges = new Map<string, Range>();

/** Why a CIDR string is not usable, or `undefined` when it is a canonical IPv4 network. */
export function cidrProblem(text: string): string | undefined {
  if (!problems.has(text)) problems.set(text, findProblem(text));
  return problems.get(text);
}

function findProblem(text: string): string | undefined {
  if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(text)) return "is not an IPv4 CIDR (a.b.c.d/n)";
  if (!Address4.isValid(text)) return "is not a valid IPv4 CIDR";
  const address = new Address4(text);
  const network = address.startAddress().address;
  if (network !== address.addressMinusSuffix) {
    return `has host bits set (the network of this range is ${network}/${address.subnetMask})`;
  }
  return undefined;
}

/** Parses a CIDR already checked with {@link cidrProblem}. */
export function parseCidr(text: string): Range {
  let range = ranges.get(text);
  if (range === undefined) {
    range = parse(text);
    ranges.set(text, range);
  }
  return range;
}

function parse(text: string): Range {
  const address = new Address4(text);
  return {
    cidr: `${address.startAddress().address}/${address.subnetMask}`,
    first: address.startAddress().bigInt(),
    last: address.endAddress().bigInt(),
    prefix: address.subnetMask,
  };
}

/** Whether two ranges share at least one address. */
export function overlaps(a: Range, b: Range): boolean {
  return a.first <= b.last && b.first <= a.last;
}

/** The `index`-th subnet of length `prefix` inside `parent` (`10.0.0.0/9`, /15, 3 → `10.6.0.0/15`). */
export function subnet(parent: string, prefix: number, index: number): string {
  const base = parseCidr(parent);
  const size = 1n << BigInt(32 - prefix);
  const first = base.first + size * BigInt(index);
  if (prefix < base.prefix || first + size - 1n > base.last) {
    throw new RangeError(`subnet ${index} of /${prefix} does not fit in ${parent}`);
  }
  return `${Address4.fromBigInt(first).address}/${prefix}`;
}

/** How many subnets of length `prefix` fit in `parent`. */
export function subnetCount(parent: string, prefix: number): number {
  return 2 ** (prefix - parseCidr(parent).prefix);
}

/** The `offset`-th address of a range (`10.0.0.0/24`, 1 → `10.0.0.1`). */
export function addressAt(range: string, offset: number): string {
  return Address4.fromBigInt(parseCidr(range).first + BigInt(offset)).address;
}

/**
 * The address `offset` before the last of a range (`10.0.0.0/24`, 5 → `10.0.0.250`), or `undefined`
 * when the range is not a CIDR or holds no more than `offset + 1` addresses.
 */
export function addressBeforeEnd(range: string, offset: number): string | undefined {
  if (cidrProblem(range) !== undefined) return undefined;
  const parsed = parseCidr(range);
  if (parsed.last - parsed.first + 1n <= BigInt(offset + 1)) return undefined;
  return Address4.fromBigInt(parsed.last - BigInt(offset)).address;
}
