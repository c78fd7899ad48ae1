/**
 * Where and how isthmus writes a Helm release for people and GitOps tools: a values file whose first
 * line is the exact `helm` command that installs it, kept in `_helm/<cluster>/`, apart from the
 * cluster's folder. A GitOps tool pointed at `<cluster>/` applies every YAML file in it (Argo CD's
 * directory source, Flux's generated kustomization, recursively), and a values file is not a
 * Kubernetes object; `_helm` can never be a cluster's folder (cluster ids are DNS-1123 labels).
 */
import { stringify } from "yaml";

/** The folder, beside the cluster folders, holding each cluster's Helm values files. */
export const HELM_VALUES_DIR = "_helm";

/** A Helm release as written to disk. */
export interface HelmReleaseFile {
  /** The release name. */
  readonly release: string;
  /** The namespace it installs into. */
  readonly namespace: string;
  /** The chart name in its repository. */
  readonly chart: string;
  /** The chart version, pinned. */
  readonly version: string;
  /** The chart repository URL. */
  readonly repository: string;
  /** The values. */
  readonly values: unknown;
}

/** `_helm/<cluster>/<release>.values.yaml` */
export function helmValuesPath(clusterId: string, release: string): string {
  return `${HELM_VALUES_DIR}/${clusterId}/${release}.values.yaml`;
}

/** The `helm` command that installs a release from its values file, run from the file's folder. */
export function helmInstallCommand(r: Omit<HelmReleaseFile, "values">): string {
  return (
    `helm upgrade --install ${r.release} ${r.chart} --repo ${r.repository} --version ${r.version} ` +
    `--namespace ${r.namespace} --create-namespace --values ${r.release}.values.yaml`
  );
}

/** A values file whose first line is the exact Helm command that installs it. */
export function helmValuesText(r: HelmReleaseFile): string {
  return `# ${helmInstallCommand(r)}\n${stringify(r.values ?? {})}`;
}
