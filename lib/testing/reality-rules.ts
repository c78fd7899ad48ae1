/**
 * The offline engine's model of the prerequisites a real deployment breaks on: a registration that
 * the cloud, the Kubernetes API server or a provider's await logic would fail, fails offline too,
 * with the message the real system gives, followed by what the offline engine found missing.
 *
 * Rules (each one read from the real system's source):
 * - **AWS load balancers** — Kubernetes' built-in AWS cloud provider skips a Service annotated
 *   `service.beta.kubernetes.io/aws-load-balancer-type: external` (or `nlb-ip`): `isLBExternal` in
 *   kubernetes/cloud-provider-aws. Only the AWS Load Balancer Controller gives it an address. On an
 *   EKS cluster, such a Service — or a Helm release whose chart renders one (Istio's `gateway` chart:
 *   `values.service`) — fails unless an `aws-load-balancer-controller` release runs in the same
 *   cluster and the Service or release depends on it. The messages are pulumi-kubernetes' Service
 *   await (`provider/pkg/await/service.go`, timeout ~10 min) and Helm release wait
 *   (`helm_release.go`: "failed to become available within allocated timeout").
 * - **Webhooks on ExternalName Services** — kube-apiserver resolves a webhook's `clientConfig.service`
 *   through `ResolveEndpoint` (k8s.io/apiserver `pkg/util/proxy/proxy.go`), which refuses every type
 *   but ClusterIP, NodePort and LoadBalancer: `unsupported service type "ExternalName"`. A webhook
 *   configuration pointing at an ExternalName Service of its cluster fails, and so does a remote's
 *   `istiod` release when its `global.remotePilotAddress` is not an IPv4 address: the chart then renders
 *   the `istiod` Service as ExternalName (`remote-istiod-service.yaml`) and its injection webhook calls
 *   it. (Reality fails later, at the first pod created in an injected namespace; the engine fails the
 *   release that installs the webhook, where the cause is.)
 * - **GCP APIs** — a resource of a Google Cloud API fails with `googleapi: Error 403 … accessNotConfigured`
 *   unless the API is enabled by a `gcp.projects.Service` it depends on, or declared enabled
 *   ({@link AlreadyInPlace.gcpApis}).
 */
import { AWS_LOAD_BALANCER_CONTROLLER_CHART, AWS_LOAD_BALANCER_TYPE } from "../core/east-west-gateway";
import type { RecordedResource } from "./recorded-resource";

/** Prerequisites that exist outside the program, so that the engine does not ask for them. */
/**
 * What the offline engine throws when a resource would be refused by the real system (the cloud,
 * kube-apiserver, Helm's wait): the real system's message, then `[offline engine: …]` with why and
 * how to fix it. A plan that fails this way fails where your cloud would.
 */
export class OfflineRefusal extends Error {
  override readonly name = "OfflineRefusal";
}

export interface AlreadyInPlace {
  /**
   * Ids of clusters (`clusterIdentifier` of their Kubernetes provider) where the AWS Load Balancer
   * Controller already runs.
   * @default []
   */
  readonly awsLoadBalancerControllers?: readonly string[];
  /**
   * Google Cloud APIs already enabled, as `<api>` (every project) or `<project>/<api>`, e.g.
   * `container.googleapis.com`.
   * @default []
   */
  readonly gcpApis?: readonly string[];
}

/** What the rules need to know of the engine's records. */
export interface RealityView {
  readonly resources: readonly RecordedResource[];
  readonly alreadyInPlace: AlreadyInPlace;
  dependsOn(resource: RecordedResource, other: RecordedResource): boolean;
  clusterOf(resource: RecordedResource): string | undefined;
  cloudOf(resource: RecordedResource): "aws" | "gcp" | undefined;
  providerOf(resource: RecordedResource): RecordedResource | undefined;
}

const SERVICE = "kubernetes:core/v1:Service";
const RELEASE = "kubernetes:helm.sh/v3:Release";
const WEBHOOK_CONFIGURATIONS = [
  "kubernetes:admissionregistration.k8s.io/v1:MutatingWebhookConfiguration",
  "kubernetes:admissionregistration.k8s.io/v1:ValidatingWebhookConfiguration",
];

/** Google Cloud APIs by the provider module of a resource type, with the title Google's errors use. */
export const GCP_API_OF_MODULE: Readonly<Record<string, { readonly api: string; readonly title: string }>> = {
  compute: { api: "compute.googleapis.com", title: "Compute Engine API" },
  container: { api: "container.googleapis.com", title: "Kubernetes Engine API" },
  secretmanager: { api: "secretmanager.googleapis.com", title: "Secret Manager API" },
  serviceaccount: { api: "iam.googleapis.com", title: "Identity and Access Management (IAM) API" },
};

/** The message the real system would fail `record` with, or `undefined` when it would not fail. */
export function refusal(record: RecordedResource, view: RealityView): string | undefined {
  return awsLoadBalancerRefusal(record, view) ?? webhookRefusal(record, view) ?? gcpApiRefusal(record, view);
}

const get = (o: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>(
    (v, k) => (typeof v === "object" && v !== null ? (v as Record<string, unknown>)[k] : undefined),
    o,
  );

function metaOf(inputs: Readonly<Record<string, unknown>>): { name: string; namespace: string } {
  return {
    name: String(get(inputs, "metadata", "name") ?? ""),
    namespace: String(get(inputs, "metadata", "namespace") ?? "default"),
  };
}

function needsAwsController(service: unknown): boolean {
  const type = get(service, "type");
  const lbType = get(service, "annotations", AWS_LOAD_BALANCER_TYPE);
  return type === "LoadBalancer" && (lbType === "external" || lbType === "nlb-ip");
}

function awsLoadBalancerRefusal(record: RecordedResource, view: RealityView): string | undefined {
  let failure: string;
  if (record.type === SERVICE && !record.read) {
    const spec = {
      ...(get(record.inputs, "spec") as object),
      annotations: get(record.inputs, "metadata", "annotations"),
    };
    if (!needsAwsController(spec)) return undefined;
    const { name, namespace } = metaOf(record.inputs);
    failure =
      `resource ${namespace}/${name} was successfully created, but the Kubernetes API server reported that it failed to fully initialize or become live: ` +
      `'${name}' timed out waiting to be Ready: Service was not allocated an IP address; does your cloud provider support this?`;
  } else if (record.type === RELEASE) {
    if (!needsAwsController(get(record.inputs, "values", "service"))) return undefined;
    const release = `${String(record.inputs.namespace ?? "default")}/${String(record.inputs.name ?? record.name)}`;
    failure =
      `Helm release "${release}" was created, but failed to initialize completely. Use Helm CLI to investigate: ` +
      `failed to become available within allocated timeout. Error: Helm Release ${release}: context deadline exceeded ` +
      `(Helm's wait: Service does not have load balancer ingress IP address: ${release})`;
  } else {
    return undefined;
  }
  if (view.cloudOf(record) !== "aws") return undefined;
  const cluster = view.clusterOf(record);
  if (cluster !== undefined && (view.alreadyInPlace.awsLoadBalancerControllers ?? []).includes(cluster))
    return undefined;
  const controllers = view.resources.filter(
    (r) =>
      r.type === RELEASE &&
      r.inputs.chart === AWS_LOAD_BALANCER_CONTROLLER_CHART &&
      view.clusterOf(r) === cluster,
  );
  if (controllers.some((c) => view.dependsOn(record, c))) return undefined;
  const why =
    controllers.length === 0
      ? `no ${AWS_LOAD_BALANCER_CONTROLLER_CHART} release runs in cluster ${cluster ?? "(unknown)"}, and EKS's built-in cloud provider ignores a Service annotated ${AWS_LOAD_BALANCER_TYPE}: external`
      : `the ${AWS_LOAD_BALANCER_CONTROLLER_CHART} release of cluster ${cluster ?? "(unknown)"} is not among its dependencies, so it may be created before the controller runs (and destroyed after it, orphaning the load balancer)`;
  return `${failure} [offline engine: ${why}. Install the controller in the same program (EksCluster does) and make this depend on it, or declare it with OfflineEngineOptions.alreadyInPlace.awsLoadBalancerControllers.]`;
}

/** The chart's own test for an IPv4 address (`remote-istiod-service.yaml`). */
const CHART_IPV4 = /^([0-9]*\.){3}[0-9]*$/;

function webhookRefusal(record: RecordedResource, view: RealityView): string | undefined {
  if (WEBHOOK_CONFIGURATIONS.includes(record.type)) {
    const cluster = view.clusterOf(record);
    const webhooks = (get(record.inputs, "webhooks") as unknown[] | undefined) ?? [];
    for (const hook of webhooks) {
      const ref = get(hook, "clientConfig", "service") as
        { name?: string; namespace?: string; path?: string; port?: number } | undefined;
      if (ref === undefined) continue;
      const target = view.resources.find(
        (r) =>
          r.type === SERVICE &&
          !r.read &&
          view.clusterOf(r) === cluster &&
          metaOf(r.inputs).name === ref.name &&
          metaOf(r.inputs).namespace === ref.namespace,
      );
      if (get(target?.inputs, "spec", "type") !== "ExternalName") continue;
      return externalNameMessage(
        String(get(hook, "name")),
        `${ref.name}.${ref.namespace}.svc:${ref.port ?? 443}${ref.path ?? ""}`,
        `the Service ${ref.namespace}/${ref.name} it calls is of type ExternalName`,
      );
    }
    return undefined;
  }
  if (record.type !== RELEASE || record.inputs.chart !== "istiod") return undefined;
  const values = record.inputs.values;
  const address = get(values, "global", "remotePilotAddress");
  const remote = get(values, "profile") === "remote" || get(values, "istiodRemote", "enabled") === true;
  if (!remote || typeof address !== "string" || address === "" || CHART_IPV4.test(address)) return undefined;
  if (get(values, "istiodRemote", "injectionURL")) return undefined;
  const revision = get(values, "revision");
  const service = typeof revision === "string" && revision !== "" ? `istiod-${revision}` : "istiod";
  const webhook = `${service === "istiod" ? "" : "rev."}namespace.sidecar-injector.istio.io`;
  const path = String(get(values, "istiodRemote", "injectionPath") ?? "/inject");
  const namespace = String(record.inputs.namespace ?? "istio-system");
  return externalNameMessage(
    webhook,
    `${service}.${namespace}.svc:443${path}`,
    `global.remotePilotAddress "${address}" is not an IPv4 address, so the istiod chart renders the Service ${namespace}/${service} as ExternalName and its injection webhook calls it. Give the remote an IP (a static-IP load balancer)`,
  );
}

function externalNameMessage(webhook: string, target: string, why: string): string {
  return (
    `failed calling webhook "${webhook}": failed to call webhook: Post "https://${target}?timeout=10s": ` +
    `unsupported service type "ExternalName" [offline engine: kube-apiserver refuses every call of this webhook: ${why}.]`
  );
}

function gcpApiRefusal(record: RecordedResource, view: RealityView): string | undefined {
  const match = /^gcp:([a-zA-Z]+)\/[a-zA-Z]+:([A-Za-z]+)$/.exec(record.type);
  if (!record.custom || match === null) return undefined;
  const api = GCP_API_OF_MODULE[match[1]!];
  if (api === undefined) return undefined;
  const project = projectOf(record, view);
  const declared = view.alreadyInPlace.gcpApis ?? [];
  if (declared.includes(api.api) || declared.includes(`${project}/${api.api}`)) return undefined;
  const enabled = view.resources.filter(
    (r) =>
      r.type === "gcp:projects/service:Service" &&
      r.inputs.service === api.api &&
      projectOf(r, view) === project,
  );
  if (enabled.some((s) => view.dependsOn(record, s))) return undefined;
  const why =
    enabled.length === 0
      ? `nothing in the program enables ${api.api} in project ${project}, and a new project has it disabled`
      : `the gcp.projects.Service that enables ${api.api} is not among its dependencies, so it may be created first`;
  return (
    `Error creating ${match[2]}: googleapi: Error 403: ${api.title} has not been used in project ${project} before or it is disabled. ` +
    `Enable it by visiting https://console.developers.google.com/apis/api/${api.api}/overview?project=${project} then retry. ` +
    `If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry., accessNotConfigured ` +
    `[offline engine: ${why}. Enable it with gcp.projects.Service (GkeCluster does) and depend on it, or declare it with OfflineEngineOptions.alreadyInPlace.gcpApis.]`
  );
}

function projectOf(record: RecordedResource, view: RealityView): string {
  const own = record.inputs.project;
  if (typeof own === "string" && own !== "") return own;
  const provider = view.providerOf(record)?.inputs.project;
  return typeof provider === "string" && provider !== "" ? provider : "(the provider's default project)";
}
