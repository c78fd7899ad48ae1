/**
 * Fuzzing support: arbitrary values and mutations of valid documents, bounded runs for `npm test`
 * (a fixed seed plus a few random runs) and a large campaign on demand
 * (`ISTHMUS_FUZZ_RUNS=20000 npx mocha test/fuzz`).
 */
import assert from "node:assert/strict";
import fc from "fast-check";

/** The fixed seed of the bounded runs. */
export const SEED = 20261202;

/** How many cases a property runs: `fixed` with the fixed seed in `npm test`, more on demand. */
export function runs(fixed: number): number {
  const campaign = Number(process.env.ISTHMUS_FUZZ_RUNS ?? "0");
  return campaign > 0 ? campaign : fixed;
}

/** fast-check parameters: the fixed seed, or a random one with `random: true` (printed on failure). */
export function params(fixed: number, random = false): fc.Parameters<unknown> {
  const campaign = Number(process.env.ISTHMUS_FUZZ_RUNS ?? "0") > 0;
  return random || campaign
    ? { numRuns: random && !campaign ? Math.max(1, Math.floor(fixed / 4)) : runs(fixed) }
    : { numRuns: fixed, seed: SEED };
}

/** Keys named like Object.prototype members, and others that break naive lookups. */
export const PROTOTYPE_KEYS = [
  "__proto__",
  "constructor",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "isPrototypeOf",
  "prototype",
  "then",
];

/** A key without the characters that make a problem path ambiguous (`.`, `[`, `]`, `"`). */
export const key = fc.oneof(
  fc.constantFrom(...PROTOTYPE_KEYS),
  fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !/[.[\]"]/.test(k)),
);

/** Deep nesting without recursion: `depth` lists or maps inside each other. */
export function nested(depth: number, asMap: boolean): unknown {
  let value: unknown = "leaf";
  for (let i = 0; i < depth; i++) value = asMap ? { a: value } : [value];
  return value;
}

/** Values that break code which assumes a type. */
export const hostile = fc.oneof(
  fc.constantFrom<unknown>(null, undefined, 0, -1, 1.5, NaN, Infinity, true, "", "5xx", [], {}, [null], {
    0: "x",
  }),
  fc.constantFrom(...PROTOTYPE_KEYS),
  fc.integer({ min: 1, max: 4 }).map((n) => "x".repeat(10 ** n + 1)),
  fc.constantFrom(5, 200, 3000).map((d) => nested(d, false)),
  fc.constantFrom(5, 200, 3000).map((d) => nested(d, true)),
  fc.array(fc.string({ maxLength: 3 }), { minLength: 1100, maxLength: 1100 }),
  fc.json().map((j) => JSON.parse(j) as unknown),
);

/** Any JSON value, including objects with prototype-named keys (as JSON.parse makes them). */
export const anyJson = fc
  .jsonValue()
  .chain((v) =>
    fc
      .constantFrom(...PROTOTYPE_KEYS)
      .map(
        (k) =>
          (typeof v === "object" && v !== null && !Array.isArray(v)
            ? JSON.parse(`{"${k}": ${JSON.stringify(v)}, "clusters": ${JSON.stringify(v)}}`)
            : v) as unknown,
      ),
  );

type Json = unknown;

/** One mutation: where (an index into the document's paths) and what. */
export interface Mutation {
  readonly at: number;
  readonly op: "drop" | "rename" | "retype" | "swap" | "protokey";
  readonly name: string;
  readonly value: unknown;
  readonly other: number;
}

export const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom("drop", "rename", "retype", "swap", "protokey"),
  name: key,
  value: hostile,
  other: fc.nat(),
});

/** Every container path of `doc` (objects and lists), the root first. */
function containers(doc: Json): { parent: Record<string, unknown> | unknown[]; key: string | number }[] {
  const out: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const stack: Json[] = [doc];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) node.forEach((v, i) => (out.push({ parent: node, key: i }), stack.push(v)));
    else if (isData(node))
      for (const k of Object.keys(node)) {
        out.push({ parent: node as Record<string, unknown>, key: k });
        stack.push((node as Record<string, unknown>)[k]);
      }
  }
  return out;
}

/** `doc` (deep-copied) with the mutations applied. */
export function mutate(doc: Json, mutations: readonly Mutation[]): Json {
  const copy = copyData(doc);
  for (const m of mutations) {
    const slots = containers(copy);
    if (slots.length === 0) break;
    const { parent, key: k } = slots[m.at % slots.length]!;
    const get = (): unknown => (parent as Record<string | number, unknown>)[k];
    const set = (v: unknown): void => {
      Object.defineProperty(parent, k, { value: v, enumerable: true, writable: true, configurable: true });
    };
    switch (m.op) {
      case "drop":
        if (Array.isArray(parent)) parent.splice(k as number, 1);
        else delete parent[k as string];
        break;
      case "rename":
      case "protokey":
        if (!Array.isArray(parent)) {
          const v = get();
          delete parent[k as string];
          const name = m.op === "protokey" ? PROTOTYPE_KEYS[m.other % PROTOTYPE_KEYS.length]! : m.name;
          Object.defineProperty(parent, name, {
            value: v,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
        break;
      case "retype":
        set(m.value);
        break;
      case "swap": {
        const o = slots[m.other % slots.length]!;
        const a = get();
        const b = (o.parent as Record<string | number, unknown>)[o.key];
        // Swapping a container into itself would make a cycle, which no YAML or JSON input has.
        if (typeof b === "object" && b !== null && contains(b, parent)) break;
        if (typeof a === "object" && a !== null && contains(a, o.parent)) break;
        set(b);
        Object.defineProperty(o.parent, o.key, {
          value: a,
          enumerable: true,
          writable: true,
          configurable: true,
        });
        break;
      }
    }
  }
  return copy;
}

/** A plain object (data); resources, providers and Outputs are kept by reference, never entered. */
function isData(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === null || proto === Object.prototype;
}

/** A deep copy of the data in `value`; anything else is shared. */
export function copyData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyData);
  if (!isData(value)) return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) {
    Object.defineProperty(out, k, {
      value: copyData(value[k]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function contains(root: unknown, target: unknown): boolean {
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === target) return true;
    if (Array.isArray(node) || isData(node)) stack.push(...Object.values(node));
  }
  return false;
}

/**
 * Asserts that a problem path names a place in `input`: every segment but the last must exist (the
 * last may be a missing required field). Segments cut for length (`…(N characters)`) match by prefix.
 */
export function assertPathIn(input: unknown, path: string, roots: readonly string[] = []): void {
  if (["(document)", "(spec)", "(input)", "(args)", ...roots].includes(path)) return;
  const segments: (string | number)[] = [];
  const rx = /\.?([^.[\]"]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = rx.exec(path)) !== null) {
    segments.push(
      m[2] !== undefined ? Number(m[2]) : m[3] !== undefined ? (JSON.parse(m[3]) as string) : m[1]!,
    );
    consumed = rx.lastIndex;
  }
  assert.equal(consumed, path.length, `problem path ${JSON.stringify(path.slice(0, 200))} does not parse`);
  let node: unknown = input;
  segments.forEach((segment, i) => {
    if (typeof node !== "object" || node === null) {
      assert.ok(i === segments.length, `problem path ${path.slice(0, 200)} leaves the input at segment ${i}`);
      return;
    }
    let k = String(segment);
    const cut = /^(.*)…\(\d+ characters\)$/.exec(k);
    if (cut !== null) k = Object.keys(node).find((key) => key.startsWith(cut[1]!)) ?? k;
    const present = Object.prototype.hasOwnProperty.call(node, k);
    if (!present) {
      assert.equal(i, segments.length - 1, `problem path ${path.slice(0, 200)}: ${k} is not in the input`);
      node = undefined;
      return;
    }
    node = (node as Record<string, unknown>)[k];
  });
}
