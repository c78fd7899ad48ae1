/**
 * What a value is, told without trusting it: any JSON/YAML value or JavaScript value that comes in
 * through the API (a `pulumi.Output`, a component, a class instance, a Proxy, a 100,000-deep array)
 * is classified and echoed in bounded time and space, never by calling its own methods.
 *
 * Pure: Pulumi values are recognised structurally (the SDK's own `__pulumiOutput` /
 * `__pulumiResource` markers), so `lib/core` imports no Pulumi.
 */

/** At most this many characters of a received value are echoed in a message. */
export const ECHO_MAX = 80;

/** `Object.hasOwn`: an own property, never one of `Object.prototype`'s (`constructor`, `__proto__`). */
export function hasOwn(value: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(value, key);
}

/** The own value at `key`, or `undefined`: never a prototype member. */
export function own(value: unknown, key: string): unknown {
  if (typeof value !== "object" || value === null) return undefined;
  return hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

/** A `pulumi.Output` (recognised by the SDK's own marker, not by `instanceof`). */
export function isOutputLike(value: unknown): boolean {
  return marked(value, "__pulumiOutput");
}

/** A Pulumi resource or component (an `EksCluster`, a `MultiClusterMesh`, …). */
export function isResourceLike(value: unknown): boolean {
  return marked(value, "__pulumiResource");
}

function marked(value: unknown, marker: string): boolean {
  if (typeof value !== "object" || value === null) return false;
  try {
    return (value as Record<string, unknown>)[marker] === true;
  } catch {
    return false;
  }
}

/** A Promise or other thenable. */
export function isThenable(value: unknown): boolean {
  if (typeof value !== "object" || value === null || isOutputLike(value)) return false;
  try {
    return typeof (value as { then?: unknown }).then === "function";
  } catch {
    return false;
  }
}

/**
 * A non-null, non-array object whose prototype is `Object.prototype` (of any realm) or `null`: what
 * JSON, YAML and object literals produce. Class instances, Outputs and resources are not.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  if (isOutputLike(value) || isResourceLike(value)) return false;
  let proto: unknown;
  try {
    proto = Object.getPrototypeOf(value);
  } catch {
    return false;
  }
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** The name of a class instance's constructor, read without calling anything. */
export function className(value: object): string | undefined {
  try {
    const proto = Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null;
    const ctor = proto !== null && hasOwn(proto, "constructor") ? proto.constructor : undefined;
    return typeof ctor?.name === "string" && ctor.name !== "" ? ctor.name : undefined;
  } catch {
    return undefined;
  }
}

/** What kind of value this is, in words: `a pulumi.Output`, `an EksCluster component`, `a list`. */
export function kindOf(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (isOutputLike(value)) return "a pulumi.Output";
  if (isResourceLike(value)) return `${article(className(value as object) ?? "Pulumi")} resource`;
  if (isThenable(value)) return "a Promise";
  if (typeof value === "object") {
    if (isPlainObject(value)) return "an object";
    const name = className(value);
    return name === undefined ? "an object" : `${article(name)} instance`;
  }
  return `a ${typeof value}`;
}

function article(word: string): string {
  return `${/^[aeiouAEIOU]/.test(word) ? "an" : "a"} ${word}`;
}

/**
 * A short, single-line rendering of a value, at most {@link ECHO_MAX} characters (plus a note of
 * the full length): iterative, depth-bounded, and never calls the value's own methods (`toJSON`,
 * `toString`, getters of a Proxy).
 */
export function echo(value: unknown, max = ECHO_MAX): string {
  if (typeof value === "string") {
    if (value.length <= max) return JSON.stringify(value);
    return `${JSON.stringify(value.slice(0, max))}... (${value.length} characters)`;
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value) && !isPlainObject(value))
    return kindOf(value);
  const parts: string[] = [];
  let length = 0;
  const budget = max + 1;
  // A stack of what is left to write; depth and width are cut long before the budget runs out.
  const stack: unknown[] = [value];
  let depth = 0;
  const CLOSE = { close: true };
  while (stack.length > 0 && length < budget) {
    const item = stack.pop();
    let text: string;
    if (item === CLOSE) {
      depth--;
      continue;
    }
    if (typeof item === "object" && item !== null && hasOwn(item, "__text")) {
      text = (item as { __text: string }).__text;
    } else {
      text = scalar(item, depth);
      if (text === "") {
        // A list or a plain object: opened here, its entries pushed in reverse.
        const isList = Array.isArray(item);
        const entries: unknown[] = [];
        const keys = isList ? [] : Object.keys(item as object).slice(0, 20);
        const items = isList ? (item as unknown[]).slice(0, 20) : [];
        const count = isList ? items.length : keys.length;
        for (let i = 0; i < count; i++) {
          if (i > 0) entries.push({ __text: "," });
          if (isList) entries.push(items[i]);
          else {
            entries.push({ __text: `${JSON.stringify(keys[i])}:` });
            entries.push(own(item, keys[i]!));
          }
        }
        const total = isList ? (item as unknown[]).length : Object.keys(item as object).length;
        if (total > count) entries.push({ __text: ",..." });
        entries.push({ __text: isList ? "]" : "}" });
        stack.push(CLOSE);
        for (let i = entries.length - 1; i >= 0; i--) stack.push(entries[i]);
        depth++;
        text = isList ? "[" : "{";
      }
    }
    parts.push(text);
    length += text.length;
  }
  const out = parts.join("");
  return out.length > max ? `${out.slice(0, max - 3)}...` : out;
}

/** A scalar's text, or "" for a list or plain object that the caller opens. */
function scalar(value: unknown, depth: number): string {
  if (value === undefined) return "null";
  if (value === null) return "null";
  if (typeof value === "string")
    return JSON.stringify(value.length > ECHO_MAX ? `${value.slice(0, ECHO_MAX)}...` : value);
  if (typeof value === "number")
    return Number.isFinite(value) ? String(value) : JSON.stringify(String(value));
  if (typeof value === "boolean") return String(value);
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value !== "object") return `<${typeof value}>`;
  if (depth > 8) return Array.isArray(value) ? "[...]" : "{...}";
  if (Array.isArray(value) || isPlainObject(value)) return "";
  return `<${kindOf(value)}>`;
}

/**
 * Sets an own, enumerable property — also for keys such as `__proto__`, which plain assignment
 * would treat as the prototype.
 */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * A copy of validated plain data without its null-valued object fields: validation takes a null
 * field (a YAML key left empty) as absent, so the planner must too. Lists keep their entries.
 */
export function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => withoutNulls(v)) as T;
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (value[key] !== null) setOwn(out, key, withoutNulls(value[key]));
  }
  return out as T;
}
