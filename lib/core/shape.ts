/**
 * The shape of a MeshSpec as data: which fields exist, their types and allowed values.
 *
 * Checked before anything else so that a typo (`regoin`), a wrong type or an unknown enum value is
 * reported with its path and a "did you mean", never as a TypeError further down.
 */
import { closest, didYouMean, type SpecProblem } from "./problems";

type Shape =
  | { readonly kind: "string"; readonly oneOf?: readonly string[] }
  | { readonly kind: "integer"; readonly min: number; readonly max: number }
  | { readonly kind: "boolean" }
  | { readonly kind: "list"; readonly items: Shape }
  | { readonly kind: "map"; readonly values: Shape; readonly what: string }
  | { readonly kind: "object"; readonly fields: Readonly<Record<string, Field>> };

interface Field {
  readonly shape: Shape;
  readonly required?: boolean;
  /** Stands in for a missing or invalid required value, so later checks can still run. */
  readonly placeholder?: unknown;
  /** Extra advice when this field is missing. */
  readonly hint?: string;
}

const str: Shape = { kind: "string" };
const oneOf = (...values: string[]): Shape => ({ kind: "string", oneOf: values });
const int = (min: number, max: number): Shape => ({ kind: "integer", min, max });
const obj = (fields: Record<string, Field>): Shape => ({ kind: "object", fields });
const opt = (shape: Shape): Field => ({ shape });

const CLUSTER: Shape = obj({
  cloud: { shape: oneOf("aws", "gcp", "existing"), required: true, placeholder: "existing" },
  region: {
    shape: str,
    required: true,
    placeholder: "",
    hint: "Set the cloud region, e.g. us-east-1 (AWS) or us-east1 (GCP).",
  },
  zones: opt({ kind: "list", items: str }),
  network: opt(str),
  cidrs: opt(obj({ node: opt(str), pod: opt(str), service: opt(str) })),
  dnsZone: opt(str),
  privateNetwork: opt(str),
  slot: opt(int(0, 16383)),
  underlayIpFamily: opt(oneOf("ipv4", "ipv6")),
  controlPlaneCluster: opt(str),
  nodes: opt(obj({ count: opt(int(1, 1000)), machineType: opt(str) })),
});

/** The shape of {@link MeshSpec}. */
export const MESH_SPEC_SHAPE: Shape = obj({
  meshID: opt(str),
  trustDomain: opt(str),
  clusterDomain: opt(str),
  networkMode: opt(oneOf("gateways", "wireguard")),
  controlPlane: opt(
    obj({
      model: {
        shape: oneOf("multi-primary", "primary-remote"),
        required: true,
        placeholder: "multi-primary",
      },
      primaries: opt({ kind: "list", items: str }),
      discovery: opt(oneOf("all", "hierarchical")),
    }),
  ),
  istio: opt(
    obj({
      version: opt(str),
      revision: opt(str),
      chartRepository: opt(str),
      strictMtls: opt({ kind: "boolean" }),
    }),
  ),
  dns: opt(obj({ stubs: opt({ kind: "boolean" }) })),
  wireguard: opt(
    obj({
      topology: opt(oneOf("full-mesh", "hub")),
      hub: opt(str),
      listenPort: opt(int(1, 65535)),
      tunnelCidr: opt(str),
      mtu: opt(int(576, 9000)),
      persistentKeepalive: opt(int(0, 65535)),
    }),
  ),
  allocation: opt(obj({ slots: opt(int(64, 16384)) })),
  clusters: {
    shape: { kind: "map", values: CLUSTER, what: "cluster" },
    required: true,
    placeholder: {},
    hint: "Add at least one cluster under clusters, keyed by a stable id: clusters: { region1: { cloud: aws, region: us-east-1 } }.",
  },
});

/**
 * Fields people put in the wrong place, with the reason it is wrong there. Checked before the
 * generic "unknown field" message because the generic hint would be misleading.
 */
const MISPLACED: Readonly<Record<string, string>> = {
  "clusters.*.clusterDomain":
    "a per-cluster cluster domain breaks cross-cluster discovery (istio/istio#29692, #24622): Istio names remote services with its own domain. Remove it, keep the mesh-wide clusterDomain, and set dnsZone for the region alias instead",
  "clusters.*.trustDomain":
    "the trust domain is mesh-wide: workloads in different clusters must share it to authenticate each other. Remove it and set the top-level trustDomain",
  "clusters.*.meshID": "meshID is mesh-wide. Remove it and set the top-level meshID",
};

/** The structural problems of `input`, and a copy of it with every invalid part left out. */
export interface ShapeCheck {
  /** Every structural problem, in document order. */
  readonly problems: SpecProblem[];
  /**
   * The input with unknown fields and wrongly typed values dropped and required values stood in
   * for, so that the semantic checks can still report everything else in the same run.
   */
  readonly cleaned: unknown;
}

/** Checks the structure of `input` against {@link MESH_SPEC_SHAPE}. */
export function checkShape(input: unknown): ShapeCheck {
  const problems: SpecProblem[] = [];
  const cleaned = check(input, MESH_SPEC_SHAPE, "", "", problems) ?? { clusters: {} };
  return { problems, cleaned };
}

/** Every structural problem of `input`, in document order. */
export function shapeProblems(input: unknown): SpecProblem[] {
  return checkShape(input).problems;
}

/** Checks one value; returns its cleaned form, or `undefined` when it is invalid. */
function check(value: unknown, shape: Shape, path: string, pattern: string, out: SpecProblem[]): unknown {
  const where = path === "" ? "(spec)" : path;
  switch (shape.kind) {
    case "string":
      if (typeof value !== "string") {
        out.push(typeProblem(where, value, shape.oneOf ? oneOfText(shape.oneOf) : "a string"));
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
    case "boolean":
      if (typeof value !== "boolean") {
        out.push(typeProblem(where, value, "true or false"));
        return undefined;
      }
      return value;
    case "list":
      if (!Array.isArray(value)) {
        out.push(typeProblem(where, value, "a list"));
        return undefined;
      }
      return value
        .map((item, i) => check(item, shape.items, `${path}[${i}]`, `${pattern}[]`, out))
        .filter((item) => item !== undefined);
    case "map": {
      if (!isPlainObject(value)) {
        out.push(typeProblem(where, value, `a map of ${shape.what} id to ${shape.what}`));
        return undefined;
      }
      const cleaned: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        const ok = check(item, shape.values, join(path, key), join(pattern, "*"), out);
        if (ok !== undefined) cleaned[key] = ok;
      }
      return cleaned;
    }
    case "object":
      return checkObject(value, shape.fields, path, pattern, out);
  }
}

function checkObject(
  value: unknown,
  fields: Readonly<Record<string, Field>>,
  path: string,
  pattern: string,
  out: SpecProblem[],
): Record<string, unknown> | undefined {
  const where = path === "" ? "(spec)" : path;
  if (!isPlainObject(value)) {
    out.push(typeProblem(where, value, "an object"));
    return undefined;
  }
  const cleaned: Record<string, unknown> = {};
  const known = Object.keys(fields);
  for (const [key, item] of Object.entries(value)) {
    const field = fields[key];
    if (field !== undefined) {
      if (item === undefined || item === null) continue;
      const ok = check(item, field.shape, join(path, key), join(pattern, key), out);
      if (ok !== undefined) cleaned[key] = ok;
      else if (field.placeholder !== undefined) cleaned[key] = field.placeholder;
      continue;
    }
    const misplaced = MISPLACED[join(pattern, key)];
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
  for (const [key, field] of Object.entries(fields)) {
    const item = value[key];
    if (field.required && (item === undefined || item === null)) {
      // A misspelt required field is reported twice (unknown, and missing): say they are one mistake.
      const misspelt = Object.keys(value).find((k) => !(k in fields) && closest(k, [key]) === key);
      out.push({
        path: join(path, key),
        problem: "is required",
        received: undefined,
        expected: describeShape(field.shape),
        fix: `${field.hint ?? `Set ${key}.`}${misspelt === undefined ? "" : ` (Is "${misspelt}" a misspelling of it?)`}`,
      });
      if (field.placeholder !== undefined) cleaned[key] = field.placeholder;
    }
  }
  return cleaned;
}

function typeProblem(path: string, received: unknown, expected: string): SpecProblem {
  return { path, problem: "has the wrong type", received, expected, fix: `Write ${expected} here.` };
}

function describeShape(shape: Shape): string {
  switch (shape.kind) {
    case "string":
      return shape.oneOf ? oneOfText(shape.oneOf) : "a string";
    case "integer":
      return `an integer from ${shape.min} to ${shape.max}`;
    case "boolean":
      return "true or false";
    case "list":
      return "a list";
    case "map":
      return `a map of ${shape.what} id to ${shape.what}`;
    case "object":
      return "an object";
  }
}

function oneOfText(values: readonly string[]): string {
  return `one of ${values.map((v) => JSON.stringify(v)).join(", ")}`;
}

function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A non-null, non-array object. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
