/**
 * What a GitOps tool does with a folder isthmus wrote, done with the real tools: Istio's charts
 * rendered by real Helm with the values isthmus wrote, then every object applied to a real API server
 * in the tool's order — kinds Kubernetes serves first, in install order (Namespaces, CRDs, accounts,
 * Secrets …), then, once every CRD is established, the custom resources. Applied server-side, as
 * Flux applies (client-side apply cannot store Istio's CRDs: their last-applied annotation exceeds
 * 256 KiB).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, parseAllDocuments, stringify } from "yaml";
import { INSTALL_ORDER, inInstallOrder } from "../../../lib/core/apply-order";
import { HELM_VALUES_DIR } from "../../../lib/core/helm-values-file";
import type { RenderedObject } from "../../../lib/manifests/render-mesh";
import type { ControlPlane } from "./control-plane";
import { istioChart, tool } from "./tools";

/** A Kubernetes object: the one type isthmus renders them as. */
export type KubeObject = RenderedObject;

/** A Helm release as isthmus describes it. */
export interface HelmRelease {
  readonly release: string;
  readonly namespace: string;
  readonly chart: string;
  readonly version: string;
  readonly repository: string;
  readonly values: Record<string, unknown>;
}

/** One cluster's folder: objects to apply and releases to install. */
export interface ClusterOutput {
  readonly objects: KubeObject[];
  readonly releases: HelmRelease[];
}

/** Istio's charts by the name isthmus installs them under, as folders of the release-1.30 branch. */
export const ISTIO_CHART_DIRS: Readonly<Record<string, string>> = {
  base: "base",
  istiod: "istio-control/istio-discovery",
  gateway: "gateway",
};

function objectsOf(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null && typeof o === "object" && typeof o.kind === "string");
}

/**
 * Every YAML file of a cluster folder, recursively, as a GitOps tool reads the folder (Argo CD's
 * directory source, Flux's generated kustomization): each document must be a Kubernetes object.
 */
function folderObjects(dir: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const file = join(dir, entry.name);
    if (entry.isDirectory()) objects.push(...folderObjects(file));
    else if (/\.(ya?ml|json)$/.test(entry.name)) {
      for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
        const o = doc.toJS() as KubeObject | null;
        if (o === null) continue;
        if (typeof o.apiVersion !== "string" || typeof o.kind !== "string")
          throw new Error(`${file}: a document that is not a Kubernetes object (no apiVersion and kind)`);
        objects.push(o);
      }
    }
  }
  return objects;
}

/**
 * The Helm releases isthmus wrote for a cluster: `_helm/<cluster>/<release>.values.yaml`, whose first
 * line is the Helm command that installs it, in install order (the order the writer listed them in is
 * not kept on disk, so Istio's order: base, istiod, then gateways and the rest). `substitute` replaces
 * `${NAME}` placeholders, as the user's `envsubst` would.
 */
function helmReleases(out: string, clusterId: string, substitute: (name: string) => string): HelmRelease[] {
  const dir = join(out, HELM_VALUES_DIR, clusterId);
  const rank = (r: HelmRelease): number => ["base", "istiod"].indexOf(r.chart) + 1 || 3;
  return readdirSync(dir)
    .filter((file) => file.endsWith(".values.yaml"))
    .map((file) => {
      const text = readFileSync(join(dir, file), "utf8").replace(/\$\{([A-Z0-9_]+)\}/g, (_, name: string) =>
        substitute(name),
      );
      const command =
        /^# helm upgrade --install (\S+) (\S+) --repo (\S+) --version (\S+) --namespace (\S+) --create-namespace --values (\S+)$/.exec(
          text.split("\n")[0]!,
        );
      if (command === null) throw new Error(`${dir}/${file}: no helm command on its first line`);
      const [, release, chart, repository, version, namespace, values] = command as unknown as string[];
      if (values !== file) throw new Error(`${dir}/${file}: its command installs ${values}`);
      return {
        release: release!,
        chart: chart!,
        repository: repository!,
        version: version!,
        namespace: namespace!,
        values: (parse(text) ?? {}) as Record<string, unknown>,
      };
    })
    .sort((a, b) => rank(a) - rank(b));
}

/** A cluster of `isthmus plan --out`: `<cluster>/` one object per file, and its Helm releases. */
export function readPlanFolder(out: string, clusterId: string): ClusterOutput {
  return {
    objects: folderObjects(join(out, clusterId)),
    releases: helmReleases(out, clusterId, (name) => `\${${name}}`),
  };
}

/** A cluster of `isthmus synth`: `<cluster>/manifests.yaml` (and nothing else in YAML) and its releases. */
export function readSynthFolder(
  out: string,
  clusterId: string,
  substitute: (name: string) => string,
): ClusterOutput {
  return { objects: folderObjects(join(out, clusterId)), releases: helmReleases(out, clusterId, substitute) };
}

/** Renders a release with real Helm from Istio's chart; `undefined` when the chart is not Istio's. */
export function helmTemplate(release: HelmRelease): KubeObject[] | undefined {
  const chartDir = ISTIO_CHART_DIRS[release.chart];
  if (chartDir === undefined) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "isthmus-helm-"));
  try {
    const values = join(dir, "values.yaml");
    writeFileSync(values, stringify(release.values));
    const result = spawnSync(
      tool("helm"),
      [
        "template",
        release.release,
        istioChart(chartDir),
        "--namespace",
        release.namespace,
        "--values",
        values,
        "--include-crds",
        "--kube-version",
        "1.36.3",
      ],
      { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
    );
    if (result.status !== 0)
      throw new Error(`helm template ${release.release} (${release.chart}): ${result.stderr.trim()}`);
    return objectsOf(result.stdout).map((o) =>
      o.metadata.namespace === undefined && isNamespaced(o)
        ? { ...o, metadata: { ...o.metadata, namespace: release.namespace } }
        : o,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const CLUSTER_SCOPED = new Set([
  "Namespace",
  "CustomResourceDefinition",
  "ClusterRole",
  "ClusterRoleBinding",
  "MutatingWebhookConfiguration",
  "ValidatingWebhookConfiguration",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding",
  "StorageClass",
  "PersistentVolume",
  "IngressClass",
  "APIService",
]);

function isNamespaced(o: KubeObject): boolean {
  return !CLUSTER_SCOPED.has(o.kind);
}

/** What applying a cluster's output did. */
export interface ApplyResult {
  /** Releases whose chart is not available here (not Istio's), by `release (chart)`. */
  readonly notRendered: string[];
  /** Every object applied, as `Kind namespace/name`. */
  readonly applied: string[];
}

/**
 * Applies a cluster's output as a GitOps tool would: releases rendered and merged with the objects,
 * built-in kinds in install order, then custom resources once their CRDs are established. Throws
 * with kubectl's message on the first rejection.
 */
export function applyClusterOutput(
  cluster: ControlPlane,
  output: ClusterOutput,
  mode: "sorted" | "objects-as-written" = "sorted",
): ApplyResult {
  const notRendered: string[] = [];
  const all: KubeObject[] = mode === "sorted" ? [...output.objects] : [];
  if (mode === "objects-as-written") {
    // `helm upgrade --install --create-namespace` for each release, as the values files say.
    const namespaces = [...new Set(output.releases.map((r) => r.namespace))];
    apply(
      cluster,
      namespaces.map((name) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } })),
    );
  }
  for (const release of output.releases) {
    const rendered = helmTemplate(release);
    if (rendered === undefined) notRendered.push(`${release.release} (${release.chart})`);
    else all.push(...rendered);
  }
  const builtIn = inInstallOrder(all.filter((o) => INSTALL_ORDER.includes(o.kind)));
  const custom = all.filter((o) => !INSTALL_ORDER.includes(o.kind));
  apply(cluster, builtIn);
  if (builtIn.some((o) => o.kind === "CustomResourceDefinition")) {
    cluster.kubectl(["wait", "--for=condition=Established", "crd", "--all", "--timeout=60s"]);
  }
  apply(cluster, custom);
  // Then the objects file in one `kubectl apply -f manifests.yaml`, in the order it was written.
  if (mode === "objects-as-written") apply(cluster, output.objects);
  return {
    notRendered,
    applied: [...builtIn, ...custom, ...(mode === "sorted" ? [] : output.objects)].map(describe),
  };
}

/** `Kind namespace/name` */
export function describe(o: KubeObject): string {
  return `${o.kind} ${o.metadata.namespace === undefined ? "" : `${o.metadata.namespace}/`}${o.metadata.name}`;
}

function apply(cluster: ControlPlane, objects: readonly KubeObject[]): void {
  if (objects.length === 0) return;
  const text = objects.map((o) => stringify(o)).join("---\n");
  cluster.kubectl(["apply", "--server-side", "--field-manager=isthmus-gitops-test", "-f", "-"], text);
}

/** Every webhook of the cluster whose Service is an `ExternalName` Service, as `configuration/webhook -> namespace/service`. */
export function webhooksOnExternalName(cluster: ControlPlane): string[] {
  const out: string[] = [];
  for (const kind of ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"]) {
    const list = JSON.parse(cluster.kubectl(["get", kind, "-o", "json"])) as {
      items: {
        metadata: { name: string };
        webhooks?: { name: string; clientConfig: { service?: { namespace: string; name: string } } }[];
      }[];
    };
    for (const config of list.items) {
      for (const webhook of config.webhooks ?? []) {
        const service = webhook.clientConfig.service;
        if (service === undefined) continue;
        const found = spawnSync(
          tool("kubectl"),
          [
            "--kubeconfig",
            cluster.kubeconfigFile,
            "get",
            "service",
            "-n",
            service.namespace,
            service.name,
            "-o",
            "jsonpath={.spec.type}",
          ],
          { encoding: "utf8" },
        );
        if (found.stdout.trim() === "ExternalName")
          out.push(`${config.metadata.name}/${webhook.name} -> ${service.namespace}/${service.name}`);
      }
    }
  }
  return out;
}
