/**
 * Kubernetes, Helm and cloud name rules.
 */

/** Kubernetes names and label values: DNS-1123 labels, at most 63 characters. */
export const DNS1123_LABEL_MAX = 63;
/** Helm release names: at most 53 characters (Helm appends suffixes to reach 63). */
export const HELM_RELEASE_MAX = 53;
/** GKE cluster names: at most 40 characters. */
export const GKE_CLUSTER_NAME_MAX = 40;
/** EKS cluster names: at most 100 characters. */
export const EKS_CLUSTER_NAME_MAX = 100;
/** Cluster ids: short enough that every derived name fits its limit. */
export const CLUSTER_ID_MAX = 32;

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why a string is not a DNS-1123 label of at most `max` characters, or `undefined`. */
export function labelProblem(value: string, max: number = DNS1123_LABEL_MAX): string | undefined {
  if (value.length === 0) return "is empty";
  if (value.length > max) return `is ${value.length} characters long, over the limit of ${max}`;
  if (!LABEL.test(value)) {
    return "is not a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit)";
  }
  return undefined;
}

/** Why a string is not a DNS-1123 subdomain (dot-separated labels, ≤ 253), or `undefined`. */
export function subdomainProblem(value: string): string | undefined {
  if (value.length === 0) return "is empty";
  if (value.length > 253) return `is ${value.length} characters long, over the limit of 253`;
  const bad = value.split(".").find((part) => labelProblem(part) !== undefined);
  return bad === undefined ? undefined : `is not a DNS name: the part "${bad}" ${labelProblem(bad)}`;
}

/** A lower-case DNS-1123 label made from any string (`Region 1` → `region-1`). */
export function toLabel(value: string): string {
  return (
    value
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, DNS1123_LABEL_MAX)
      .replace(/-+$/g, "") || "x"
  );
}
