/**
 * `isthmus synth`: a mesh document rendered into each cluster's manifests and Helm values, for GitOps
 * users who apply with Argo CD or Flux. Secrets are never written: they are referenced by name.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { renderMeshDocument } from "../manifests/mesh-document";
import { inInstallOrder } from "../core/apply-order";

/**
 * Validates and renders `input`, writing `<out>/<cluster>/...`; returns the files written.
 * @throws MeshSpecError with every problem of the document, before anything is written
 */
export function synthSpec(input: unknown, outDir: string): string[] {
  const rendered = renderMeshDocument(input);
  rmSync(outDir, { recursive: true, force: true });
  const files: string[] = [];
  const write = (relative: string, text: string): void => {
    const file = path.join(outDir, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    files.push(relative);
  };
  for (const [clusterId, cluster] of Object.entries(rendered.clusters)) {
    // In install order: one `kubectl apply -f` creates Namespaces before what lives in them.
    const objects = inInstallOrder(cluster.objects);
    write(`${clusterId}/manifests.yaml`, objects.map((o) => stringify(o)).join("---\n"));
    for (const file of cluster.files) write(`${clusterId}/${file.name}`, file.text);
  }
  write("plan.json", `${JSON.stringify(rendered.plan, null, 2)}\n`);
  return files.sort();
}
