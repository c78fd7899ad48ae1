/**
 * `isthmus synth`: a mesh document rendered into each cluster's manifests and Helm values, for GitOps
 * users who apply with Argo CD or Flux. Secrets are never written: they are referenced by name.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { renderMeshDocument, type MeshDocument } from "../manifests/mesh-document";
import { validateMeshDocument } from "../core/mesh-document";
import { inInstallOrder } from "../core/apply-order";
import { MeshSpecError } from "../core/problems";

/** Validates and renders `input`, writing `<out>/<cluster>/...`; returns the files written. */
export function synthSpec(input: unknown, outDir: string): string[] {
  const problems = validateMeshDocument(input);
  if (problems.length > 0) throw new MeshSpecError(problems);
  const rendered = renderMeshDocument(input as MeshDocument);
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
