/**
 * The resource tree `isthmus plan` prints: components with their children, clusters' Kubernetes
 * objects marked with their cluster, and counts by type.
 */
import type { RecordedResource } from "../testing/recorded-resource";

/** Renders the parent/child tree; `clusterOf` tags Kubernetes resources with their cluster. */
export function renderTree(
  resources: readonly RecordedResource[],
  clusterOf: (r: RecordedResource) => string | undefined,
): string {
  const children = new Map<string, RecordedResource[]>();
  const roots: RecordedResource[] = [];
  const urns = new Set(resources.map((r) => r.urn));
  for (const r of resources) {
    if (r.parent !== undefined && urns.has(r.parent)) {
      const list = children.get(r.parent) ?? [];
      list.push(r);
      children.set(r.parent, list);
    } else {
      roots.push(r);
    }
  }
  const lines: string[] = [];
  const visit = (r: RecordedResource, prefix: string, last: boolean, depth: number): void => {
    const cluster = clusterOf(r);
    const tag = cluster === undefined ? "" : ` [${cluster}]`;
    const branch = depth === 0 ? "" : last ? "└─ " : "├─ ";
    lines.push(`${prefix}${branch}${r.name} (${r.type})${tag}`);
    const kids = children.get(r.urn) ?? [];
    const next = depth === 0 ? "" : prefix + (last ? "   " : "│  ");
    kids.forEach((k, i) => visit(k, next, i === kids.length - 1, depth + 1));
  };
  roots.forEach((r) => visit(r, "", true, 0));
  return lines.join("\n");
}

export { countByType } from "../testing/recorded-resource";

/** Resource counts by cluster (Kubernetes objects only). */
export function countByCluster(
  resources: readonly RecordedResource[],
  clusterOf: (r: RecordedResource) => string | undefined,
): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of resources) {
    const c = clusterOf(r);
    if (c !== undefined) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => a[0].localeCompare(b[0]));
}
