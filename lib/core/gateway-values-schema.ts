/**
 * The gateway chart's values schema (values.schema.json of Istio 1.30.3), reduced to what matters
 * here: the allowed top-level keys (the schema forbids any other), their JSON types, and the shapes
 * of `service` and `networkGatewayPorts`; and the check of values against it.
 *
 * Pure: no Pulumi, no cdk8s.
 */
import { didYouMean, type SpecProblem } from "./problems";

/** A JSON type as JSON Schema names it. */
export type JsonType = "object" | "array" | "string" | "integer" | "number" | "boolean" | "null";

/** The gateway chart's top-level keys and their JSON types (values.schema.json, Istio 1.30.3). */
export const GATEWAY_VALUES_KEYS: Readonly<Record<string, readonly JsonType[]>> = {
  _internal_defaults_do_not_set: ["object"],
  global: ["object"],
  enabled: ["boolean"],
  affinity: ["object"],
  securityContext: ["object", "null"],
  containerSecurityContext: ["object", "null"],
  kind: ["string"],
  annotations: ["object"],
  autoscaling: ["object"],
  env: ["object"],
  envVarFrom: ["array"],
  strategy: ["object"],
  minReadySeconds: ["null", "integer"],
  readinessProbe: ["null", "object"],
  labels: ["object"],
  name: ["string"],
  nodeSelector: ["object"],
  podAnnotations: ["object"],
  replicaCount: ["integer", "null"],
  resources: ["object"],
  revision: ["string"],
  defaultRevision: ["string"],
  compatibilityVersion: ["string"],
  profile: ["string"],
  platform: ["string"],
  pilot: ["object"],
  runAsRoot: ["boolean"],
  unprivilegedPort: ["string", "boolean"],
  service: ["object"],
  serviceAccount: ["object"],
  rbac: ["object"],
  tolerations: ["array"],
  topologySpreadConstraints: ["array"],
  networkGateway: ["string"],
  networkGatewayPorts: ["object"],
  imagePullPolicy: ["string"],
  imagePullSecrets: ["array"],
  podDisruptionBudget: ["object"],
  terminationGracePeriodSeconds: ["number"],
  volumes: ["array"],
  volumeMounts: ["array"],
  initContainers: ["array"],
  additionalContainers: ["array"],
  priorityClassName: ["string"],
  lifecycle: ["object"],
};

/** The typed keys of the chart's `service` value (other keys are allowed there). */
export const GATEWAY_SERVICE_KEYS: Readonly<Record<string, readonly JsonType[]>> = {
  annotations: ["object"],
  selectorLabels: ["object"],
  externalTrafficPolicy: ["string"],
  loadBalancerIP: ["string"],
  loadBalancerSourceRanges: ["array"],
  ipFamilyPolicy: ["string"],
  ports: ["array"],
  type: ["string"],
};

/** The JSON type of a value (`integer` for whole numbers). */
export function jsonTypeOf(value: unknown): JsonType | "undefined" {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  if (typeof value === "string" || typeof value === "boolean" || typeof value === "object")
    return typeof value as JsonType;
  return "undefined";
}

/**
 * Every way `values` break the gateway chart's values schema (Istio 1.30.3): unknown top-level keys
 * (with a did-you-mean), wrong types, `service` keys of the wrong type, annotations that are not
 * strings or integers, `networkGatewayPorts` entries without an integer `port`.
 */
export function gatewayValuesProblems(values: unknown, path: string): SpecProblem[] {
  const out: SpecProblem[] = [];
  if (jsonTypeOf(values) !== "object") {
    out.push(typeProblem(path, values, ["object"]));
    return out;
  }
  const record = values as Record<string, unknown>;
  const known = Object.keys(GATEWAY_VALUES_KEYS);
  for (const [key, value] of Object.entries(record)) {
    const types = GATEWAY_VALUES_KEYS[key];
    if (types === undefined) {
      out.push({
        path: `${path}.${key}`,
        problem: "is not a value of the gateway chart (its schema allows no other top-level keys)",
        received: value,
        expected: "a key of the chart's values.schema.json",
        fix: `Remove it or use one of the chart's values.${didYouMean(key, known)}`,
      });
      continue;
    }
    if (!matchesType(value, types)) out.push(typeProblem(`${path}.${key}`, value, types));
  }
  checkTyped(record.service, GATEWAY_SERVICE_KEYS, `${path}.service`, out);
  checkAnnotations(record.annotations, `${path}.annotations`, out);
  const ports = record.networkGatewayPorts;
  if (jsonTypeOf(ports) === "object") {
    for (const [name, entry] of Object.entries(ports as Record<string, unknown>)) {
      const at = `${path}.networkGatewayPorts.${name}`;
      if (jsonTypeOf(entry) !== "object") {
        out.push(typeProblem(at, entry, ["object"]));
        continue;
      }
      const e = entry as Record<string, unknown>;
      if (!matchesType(e.port, ["integer"])) out.push(typeProblem(`${at}.port`, e.port, ["integer"]));
      if (e.targetPort !== undefined && !matchesType(e.targetPort, ["integer"])) {
        out.push(typeProblem(`${at}.targetPort`, e.targetPort, ["integer"]));
      }
      if (e.protocol !== undefined && !matchesType(e.protocol, ["string"])) {
        out.push(typeProblem(`${at}.protocol`, e.protocol, ["string"]));
      }
    }
  }
  return out;
}

function checkTyped(
  value: unknown,
  keys: Readonly<Record<string, readonly JsonType[]>>,
  path: string,
  out: SpecProblem[],
): void {
  if (jsonTypeOf(value) !== "object") return;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const types = keys[key];
    if (types !== undefined && !matchesType(v, types)) out.push(typeProblem(`${path}.${key}`, v, types));
  }
}

function checkAnnotations(value: unknown, path: string, out: SpecProblem[]): void {
  if (jsonTypeOf(value) !== "object") return;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (!matchesType(v, ["string", "integer"]))
      out.push(typeProblem(`${path}.${key}`, v, ["string", "integer"]));
  }
}

function matchesType(value: unknown, types: readonly JsonType[]): boolean {
  const actual = jsonTypeOf(value);
  return types.some((t) => t === actual || (t === "number" && actual === "integer"));
}

function typeProblem(path: string, value: unknown, types: readonly JsonType[]): SpecProblem {
  return {
    path,
    problem: `is ${article(jsonTypeOf(value))}`,
    received: value,
    expected: types.map(article).join(" or "),
    fix: "Give it the type the gateway chart's values schema declares.",
  };
}

function article(type: string): string {
  if (type === "undefined") return "missing";
  if (type === "null") return "null";
  return `${/^[aeiou]/.test(type) ? "an" : "a"} ${type}`;
}
