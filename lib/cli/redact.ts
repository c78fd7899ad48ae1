/**
 * Redaction of everything secret before a plan is written or printed.
 *
 * Three layers: the paths Pulumi marked secret, every value of a Kubernetes Secret or a provider's
 * kubeconfig whatever its marking, and, as a last net, any string that looks like key material.
 */
import type { RecordedResource } from "../testing/recorded-resource";

/** What a redacted value is replaced with. */
export const REDACTED = "[secret]";

const KEY_MATERIAL = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /UFJJVkFURSBLRV|BSSVZBVEUgS0VZ|QUklWQVRFIEtFW/, // "PRIVATE KEY" base64-encoded, at any alignment
  /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./, // a JWT (service-account token)
  /^\s*(PrivateKey|PresharedKey)\s*=\s*[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=/m, // a WireGuard config with keys
  /\btoken:\s*\S{20,}/, // a kubeconfig with a token (YAML)
  /"token"\s*:\s*"[^"]{20,}"/, // a kubeconfig with a token (JSON)
];

/** Whether a string carries key material in any of the forms isthmus handles. */
export function looksSecret(text: string): boolean {
  return KEY_MATERIAL.some((pattern) => pattern.test(text));
}

/** A copy of `value` with the given paths replaced by {@link REDACTED}. */
export function redactPaths(value: unknown, paths: readonly string[]): unknown {
  if (paths.includes("(root)")) return REDACTED;
  return walk(value, "", (path) => paths.some((p) => path === p));
}

/** A copy of `value` where every string that looks like key material is replaced. */
export function scrub(value: unknown): unknown {
  return walk(value, "", () => false);
}

function walk(value: unknown, path: string, secret: (path: string) => boolean): unknown {
  if (path !== "" && secret(path)) return REDACTED;
  if (typeof value === "string") return looksSecret(value) ? REDACTED : value;
  if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}[${i}]`, secret));
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = walk(v, path === "" ? k : `${path}.${k}`, secret);
  return out;
}

/** Fields whose every value is secret whatever Pulumi marked. */
function alwaysSecret(resource: RecordedResource): string[] {
  if (resource.type === "pulumi:providers:kubernetes") return ["kubeconfig"];
  return [];
}

const SECRET_TYPE = "kubernetes:core/v1:Secret";
const SECRET_DATA_FIELDS = ["data", "stringData"];

/**
 * A Kubernetes Secret with every value replaced and every key kept: `data` and `stringData` merge
 * into `stringData`, each value {@link REDACTED}. The result is still a valid Secret (a reviewer
 * sees which keys it carries, and a real API server accepts it), and holds nothing secret. A value
 * Pulumi does not know yet (a preview) leaves `stringData` empty.
 */
export function redactSecretObject(object: Record<string, unknown>): Record<string, unknown> {
  const keys = new Set<string>();
  for (const field of SECRET_DATA_FIELDS) {
    const value = object[field];
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      for (const key of Object.keys(value)) keys.add(key);
    }
  }
  const { data: _data, stringData: _stringData, ...rest } = object;
  return { ...rest, stringData: Object.fromEntries([...keys].sort().map((key) => [key, REDACTED])) };
}

/** A resource as it may be written: secret inputs and outputs replaced, key material scrubbed. */
export function redactResource(resource: RecordedResource): RecordedResource {
  const isSecret = resource.type === SECRET_TYPE;
  // A Secret's data is redacted key by key below, whatever Pulumi marked.
  const keep = (paths: readonly string[]): string[] =>
    paths.filter((p) => !(isSecret && SECRET_DATA_FIELDS.some((f) => p === f || p.startsWith(`${f}.`))));
  const inputPaths = keep([...resource.secretPaths, ...alwaysSecret(resource)]);
  const outputPaths = keep([
    ...resource.secretPaths,
    ...resource.outputSecretPaths,
    ...alwaysSecret(resource),
  ]);
  const object = (value: Record<string, unknown>): Record<string, unknown> =>
    isSecret ? redactSecretObject(value) : value;
  return {
    ...resource,
    inputs: scrub(redactPaths(object(resource.inputs), inputPaths)) as Record<string, unknown>,
    outputs: scrub(redactPaths(object(resource.outputs), outputPaths)) as Record<string, unknown>,
  };
}
