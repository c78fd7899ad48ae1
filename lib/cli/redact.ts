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
  if (resource.type === "kubernetes:core/v1:Secret") return ["data", "stringData"];
  if (resource.type === "pulumi:providers:kubernetes") return ["kubeconfig"];
  return [];
}

/** A resource as it may be written: secret inputs and outputs replaced, key material scrubbed. */
export function redactResource(resource: RecordedResource): RecordedResource {
  const inputPaths = [...resource.secretPaths, ...alwaysSecret(resource)];
  const outputPaths = [...resource.secretPaths, ...resource.outputSecretPaths, ...alwaysSecret(resource)];
  return {
    ...resource,
    inputs: scrub(redactPaths(resource.inputs, inputPaths)) as Record<string, unknown>,
    outputs: scrub(redactPaths(resource.outputs, outputPaths)) as Record<string, unknown>,
  };
}
