/**
 * Shapes of plain data: which fields exist, their types and allowed values, checked before
 * anything else so that a typo (`regoin`), a wrong type or an unknown enum value is reported with
 * its path and a "did you mean", never as a TypeError further down.
 *
 * Total over any value: own-property lookups only (a key named `constructor` or `__proto__` is just
 * a key), recursion bounded by the shape's depth (never the input's), strings, lists and maps
 * bounded in length, Outputs and class instances named as such.
 */
import { closest, didYouMean, type SpecProblem } from "./problems";
import { hasOwn, isOutputLike, isPlainObject, isResourceLike, kindOf } from "./values";

export { isPlainObject } from "./values";

/** The shape of one value. */
export type Shape =
  | { readonly kind: "string"; readonly oneOf?: readonly string[] }
  | { readonly kind: "integer"; readonly min: number; readonly max: number }
  | { readonly kind: "boolean" }
  /** Any finite number: the semantic rules check its range in their own words. */
  | { readonly kind: "number" }
  | { readonly kind: "list"; readonly items: Shape }
  | { readonly kind: "map"; readonly values: Shape; readonly what: string; readonly max?: number }
  | { readonly kind: "object"; readonly fields: Readonly<Record<string, Field>> }
  /** Any value: checked by the semantic rules only. */
  | { readonly kind: "any" };

/** One field of an object shape. */
export interface Field {
  readonly shape: Shape;
  readonly required?: boolean;
  /** Stands in for a missing or invalid required value, so later checks can still run. */
  readonly placeholder?: unknown;
  /** Extra advice when this field is missing. */
  readonly hint?: string;
}

/** The longest string accepted anywhere (ids, hosts, images and ranges are far shorter). */
export const STRING_MAX = 1024;
/** The most entries a list or map may hold. */
export const ENTRIES_MAX = 1000;
/** The longest map key accepted (a DNS name's limit). */
export const KEY_MAX = 253;
/** Map keys longer than this are cut in problem paths. */
const KEY_ECHO_MAX = 64;

export const str: Shape = { kind: "string" };
export const bool: Shape = { kind: "boolean" };
export const num: Shape = { kind: "number" };
export const any: Shape = { kind: "any" };
export const oneOf = (...values: string[]): Shape => ({ kind: "string", oneOf: values });
export const int = (min: number, max: number): Shape => ({ kind: "integer", min, max });
export const obj = (fields: Record<string, Field>): Shape => ({ kind: "object", fields });
export const list = (items: Shape): Shape => ({ kind: "list", items });
/** A map of `what` id to `values`; at most `max` entries (default {@link ENTRIES_MAX}). */
export const map = (values: Shape, what: string, max?: number): Shape => ({
  kind: "map",
  values,
  what,
  ...(max === undefined ? {} : { max }),
});
export const opt = (shape: Shape): Field => ({ shape });
export const req = (shape: Shape, placeholder: unknown, hint?: string): Field => ({
  shape,
  required: true,
  placeholder,
  ...(hint === undefined ? {} : { hint }),
});

/** The structural problems of an input, and a copy of it with every invalid part left out. */
export interface ShapeCheck {
  /** Every structural problem, in document order. */
  readonly problems: SpecProblem[];
  /**
   * The input with unknown fields and wrongly typed values dropped and required values stood in
   * for, so that the semantic checks can still report everything else in the same run.
   */
  readonly cleaned: unknown;
  /** The paths whose value in {@link cleaned} is a placeholder for a missing or invalid one. */
  readonly stoodIn: readonly string[];
}

/** How to check: where the value sits and which misplaced fields get their own reason. */
export interface ShapeOptions {
  /** The path of the value itself; `""` for a root. @default "" */
  readonly path?: string;
  /** What a root is called in a problem path. @default "(spec)" */
  readonly root?: string;
  /** Reasons for fields people put in the wrong place, by pattern (`clusters.*.meshID`). */
  readonly misplaced?: Readonly<Record<string, string>>;
}

/** Checks `input` against `shape`. */
export function checkAgainst(input: unknown, shape: Shape, options: ShapeOptions = {}): ShapeCheck {
  const problems: SpecProblem[] = [];
  const stoodIn: string[] = [];
  const ctx: Ctx = {
    out: problems,
    stoodIn,
    root: options.root ?? "(spec)",
    misplaced: options.misplaced ?? {},
  };
  const cleaned = check(input, shape, options.path ?? "", "", ctx);
  return { problems, cleaned, stoodIn };
}

interface Ctx {
  readonly out: SpecProblem[];
  readonly stoodIn: string[];
  readonly root: string;
  readonly misplaced: Readonly<Record<string, string>>;
}

/** Checks one value; returns its cleaned form, or `undefined` when it is invalid. */
function check(value: unknown, shape: Shape, path: string, pattern: string, ctx: Ctx): unknown {
  const where = path === "" ? ctx.root : path;
  const out = ctx.out;
  switch (shape.kind) {
    case "any":
      return value;
    case "string":
      if (typeof value !== "string") {
        out.push(typeProblem(where, value, shape.oneOf ? oneOfText(shape.oneOf) : "a string"));
        return undefined;
      }
      if (value.length > STRING_MAX) {
        out.push({
          path: where,
          problem: `is ${value.length} characters long, over the limit of ${STRING_MAX}`,
          received: value,
          expected: shape.oneOf ? oneOfText(shape.oneOf) : `a string of at most ${STRING_MAX} characters`,
          fix: "Write the intended value here; this is not the place for a file's contents.",
        });
        return undefined;
      }
      if (shape.oneOf && !shape.oneOf.includes(value)) {
        out.push({
          path: where,
          problem: "is not an allowed value",
          received: value,
          expected: oneOfText(shape.oneOf),
          fix: `Use one of the allowed values.${didYouMean(value, shape.oneOf)}`,
        });
        return undefined;
      }
      return value;
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value)) {
        out.push(typeProblem(where, value, `an integer from ${shape.min} to ${shape.max}`));
        return undefined;
      }
      if (value < shape.min || value > shape.max) {
        out.push({
          path: where,
          problem: "is out of range",
          received: value,
          expected: `an integer from ${shape.min} to ${shape.max}`,
          fix: `Choose a value between ${shape.min} and ${shape.max}.`,
        });
        return undefined;
      }
      return value;
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) {
        out.push(typeProblem(where, value, "a number"));
        return undefined;
      }
      return value;
    case "boolean":
      if (typeof value !== "boolean") {
        out.push(typeProblem(where, value, "true or false"));
        return undefined;
      }
      return value;
    case "list": {
      if (!Array.isArray(value)) {
        out.push(typeProblem(where, value, "a list"));
        return undefined;
      }
      if (tooMany(where, value.length, "items", out)) return undefined;
      const cleaned: unknown[] = [];
      for (let i = 0; i < value.length; i++) {
        const ok = check(value[i], shape.items, `${path}[${i}]`, `${pattern}[]`, ctx);
        if (ok !== undefined) cleaned.push(ok);
      }
      return cleaned;
    }
    case "map": {
      if (!isPlainObject(value)) {
        out.push(typeProblem(where, value, `a map of ${shape.what} id to ${shape.what}`));
        return undefined;
      }
      const keys = Object.keys(value);
      if (tooMany(where, keys.length, "entries", out, shape.max)) return undefined;
      const cleaned = record();
      for (const key of keys) {
        if (!isPathSafe(key)) {
          out.push({
            path: join(path, key),
            problem: "has a key that can not be an id",
            received: key,
            expected: `a ${shape.what} id without dots, brackets, quotes or spaces`,
            fix: "Use a short id such as region1.",
          });
          continue;
        }
        if (key.length > KEY_MAX) {
          out.push({
            path: join(path, key),
            problem: `has a key of ${key.length} characters, over the limit of ${KEY_MAX}`,
            received: key,
            expected: `a ${shape.what} id of at most ${KEY_MAX} characters`,
            fix: "Use a short id.",
          });
          continue;
        }
        const ok = check(value[key], shape.values, join(path, key), join(pattern, "*"), ctx);
        if (ok !== undefined) define(cleaned, key, ok);
      }
      return cleaned;
    }
    case "object":
      return checkObject(value, shape.fields, path, pattern, ctx);
  }
}

function checkObject(
  value: unknown,
  fields: Readonly<Record<string, Field>>,
  path: string,
  pattern: string,
  ctx: Ctx,
): Record<string, unknown> | undefined {
  const where = path === "" ? ctx.root : path;
  const out = ctx.out;
  if (!isPlainObject(value)) {
    out.push(typeProblem(where, value, "an object"));
    return undefined;
  }
  const cleaned = record();
  const known = Object.keys(fields);
  const keys = Object.keys(value);
  if (tooMany(where, keys.length, "fields", out)) return undefined;
  for (const key of keys) {
    const item = value[key];
    if (hasOwn(fields, key)) {
      const field = fields[key]!;
      if (item === undefined || item === null) continue;
      const ok = check(item, field.shape, join(path, key), join(pattern, key), ctx);
      if (ok !== undefined) define(cleaned, key, ok);
      else if (field.placeholder !== undefined) {
        define(cleaned, key, field.placeholder);
        ctx.stoodIn.push(join(path, key));
      }
      continue;
    }
    const misplacedKey = join(pattern, key);
    const misplaced = hasOwn(ctx.misplaced, misplacedKey) ? ctx.misplaced[misplacedKey] : undefined;
    out.push({
      path: join(path, key),
      problem: misplaced ? "does not belong here" : "is not a known field",
      received: item,
      expected: `one of the fields ${known.join(", ")}`,
      fix: misplaced
        ? `${capitalize(misplaced)}.`
        : `Remove it or correct its name.${didYouMean(key, known)}`,
    });
  }
  for (const key of known) {
    const field = fields[key]!;
    const item = hasOwn(value, key) ? value[key] : undefined;
    if (field.required && (item === undefined || item === null)) {
      // A misspelt required field is reported twice (unknown, and missing): say they are one mistake.
      const misspelt = keys.find((k) => !hasOwn(fields, k) && closest(k, [key]) === key);
      out.push({
        path: join(path, key),
        problem: "is required",
        received: item ?? undefined,
        expected: describeShape(field.shape),
        fix: `${field.hint ?? `Set ${key}.`}${misspelt === undefined ? "" : ` (Is "${misspelt}" a misspelling of it?)`}`,
      });
      if (field.placeholder !== undefined) {
        define(cleaned, key, field.placeholder);
        ctx.stoodIn.push(join(path, key));
      }
    }
  }
  return cleaned;
}

function tooMany(path: string, count: number, what: string, out: SpecProblem[], max = ENTRIES_MAX): boolean {
  if (count <= max) return false;
  out.push({
    path,
    problem: `has ${count} ${what}, over the limit of ${max}`,
    received: undefined,
    expected: `at most ${max} ${what}`,
    fix: "Check that this is the intended value; no mesh needs this many.",
  });
  return true;
}

/** The problem for a value of the wrong type; an Output or a component is named as such. */
export function typeProblem(path: string, received: unknown, expected: string): SpecProblem {
  if (isOutputLike(received)) {
    return {
      path,
      problem: "is a pulumi.Output where plain data is required",
      received,
      expected,
      fix: "Pass plain data here; this field decides which resources exist, so it must be known before deployment.",
    };
  }
  if (isResourceLike(received)) {
    return {
      path,
      problem: `is ${kindOf(received)}, not data`,
      received,
      expected,
      fix: `Write ${expected} here.`,
    };
  }
  return {
    path,
    problem: "has the wrong type",
    received,
    expected,
    fix: `Write ${expected} here.`,
  };
}

function describeShape(shape: Shape): string {
  switch (shape.kind) {
    case "string":
      return shape.oneOf ? oneOfText(shape.oneOf) : "a string";
    case "integer":
      return `an integer from ${shape.min} to ${shape.max}`;
    case "boolean":
      return "true or false";
    case "number":
      return "a number";
    case "list":
      return "a list";
    case "map":
      return `a map of ${shape.what} id to ${shape.what}`;
    case "object":
      return "an object";
    case "any":
      return "a value";
  }
}

function oneOfText(values: readonly string[]): string {
  return `one of ${values.map((v) => JSON.stringify(v)).join(", ")}`;
}

/**
 * `a.b`; a key that would make the path ambiguous (empty, or with `.`, brackets, quotes, spaces)
 * as `a["x.y"]`; a key too long to echo cut (`a.xxxx…(100000 characters)`).
 */
export function join(path: string, key: string): string {
  const shown = key.length > KEY_ECHO_MAX ? `${key.slice(0, KEY_ECHO_MAX)}…(${key.length} characters)` : key;
  if (!isPathSafe(shown)) return `${path}[${JSON.stringify(shown)}]`;
  return path === "" ? shown : `${path}.${shown}`;
}

/** `path` under `prefix`: `mesh.clusters`, `mesh["a b"]`; a root (`(spec)`) is the prefix itself. */
export function under(prefix: string, path: string): string {
  if (path === "" || path === "(spec)" || path === "(document)") return prefix;
  return path.startsWith("[") ? `${prefix}${path}` : `${prefix}.${path}`;
}

/** Whether a key can stand in a dotted path as it is. */
export function isPathSafe(key: string): boolean {
  return /^[^.[\]"\s\\]+$/u.test(key);
}

/** An object without a prototype, so that a key named `__proto__` is an ordinary key. */
function record(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
