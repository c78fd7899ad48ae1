/**
 * `isthmus synth`: a mesh document rendered into each cluster's manifests and Helm values, for GitOps
 * users who apply with Argo CD or Flux. `<cluster>/` holds Kubernetes objects only (a GitOps tool
 * applies every YAML file in it); Helm values go to `_helm/<cluster>/`. Secrets with key material are
 * never written: `isthmus trust` makes them, outside the repository.
 */
import { freshOutDir } from "./out-dir";
import { stringify } from "yaml";
import { renderMeshDocument } from "../manifests/mesh-document";
import { inInstallOrder } from "../core/apply-order";
import { helmValuesPath, helmValuesText } from "../core/helm-values-file";
import { discoveryTargets, readerTokenSecret } from "../core/remote-secret";

/**
 * Validates and renders `input`, writing `<out>/<cluster>/...`; returns the files written.
 * @throws MeshSpecError with every problem of the document, before anything is written
 */
export function synthSpec(input: unknown, outDir: string): string[] {
  const rendered = renderMeshDocument(input);
  const { write, files } = freshOutDir(outDir);
  for (const [clusterId, cluster] of Object.entries(rendered.clusters)) {
    // In install order: one `kubectl apply -f` creates Namespaces before what lives in them.
    // The reader's token Secret (no key material: the token controller fills it) in every cluster a
    // primary reads, as the Pulumi path creates it; `isthmus trust` reads the token back.
    const reader = discoveryTargets(rendered.plan).includes(clusterId)
      ? [readerTokenSecret(rendered.plan)]
      : [];
    const objects = inInstallOrder([...cluster.objects, ...reader]);
    write(`${clusterId}/manifests.yaml`, objects.map((o) => stringify(o)).join("---\n"));
    for (const release of cluster.helmReleases)
      write(helmValuesPath(clusterId, release.release), helmValuesText(release));
    for (const file of cluster.files) write(`${clusterId}/${file.name}`, file.text);
  }
  write("plan.json", `${JSON.stringify(rendered.plan, null, 2)}\n`);
  return files.sort();
}
