/**
 * One service deployed once to chosen clusters, with per-cluster overrides (image tag, replicas,
 * version, environment): the job kubefed's FederatedDeployment did, and the "deploy your services"
 * step of every multi-cluster Istio guide.
 *
 * Per cluster it renders:
 * - in **every** cluster of the mesh: the Namespace (labelled for sidecar injection: `istio.io/rev`
 *   with a revision, `istio-injection: enabled` without) and the Service. Istio merges the
 *   endpoints of same-named Services across clusters, and a client's DNS lookup only succeeds where
 *   the Service exists, so callers in any cluster can reach it. In a flat mesh with DNS stubs, also
 *   the Service's headless twin (`<name>-alias`), so that its region alias names answer with pod
 *   addresses the tunnel routes (`alias-names.ts`);
 * - in the **chosen** clusters: the ServiceAccount (the workload's mesh identity) and the
 *   Deployment.
 *
 * Pure: no Pulumi, no cdk8s.
 */
import type { KubernetesObject } from "./east-west-gateway";
import type { MeshTopology } from "./mesh-plan";
import { clusterOf } from "./cluster-of";
import { aliasTwinOf, servesAliasNames } from "./alias-names";

/** The most replicas isthmus accepts per cluster (a guard against typos such as 300 for 3). */
export const MAX_REPLICAS = 1000;

/** A port of the service. */
export interface MeshServicePort {
  /**
   * The port's name, also the container port's name (at most 15 characters). Istio reads the
   * protocol from its prefix (`http`, `http-web`, `grpc-api`, `tcp-db`) unless `appProtocol` is set.
   */
  readonly name: string;
  /** The Service port. */
  readonly port: number;
  /**
   * The container port.
   * @default - the Service port
   */
  readonly targetPort?: number;
  /**
   * The port's application protocol (`http`, `http2`, `grpc`, `tcp`, …), which Istio prefers over the name.
   * @default - none: Istio reads the name's prefix
   */
  readonly appProtocol?: string;
}

/** What one cluster changes about the service. */
export interface MeshServiceClusterOverrides {
  /**
   * The image tag in this cluster (replaces the tag of `image`).
   * @default - the tag of `image`
   */
  readonly tag?: string;
  /**
   * Pod replicas in this cluster; 0 keeps the Deployment but takes the cluster's endpoints away.
   * @default - the service's `replicas`
   */
  readonly replicas?: number;
  /**
   * The `version` label of the pods in this cluster.
   * @default - the service's `version`
   */
  readonly version?: string;
  /**
   * Environment variables added to (or replacing) the service's `env` in this cluster.
   * @default - none
   */
  readonly env?: { readonly [name: string]: string };
}

/** One service, deployed to chosen clusters of the mesh. */
export interface MeshServiceSpec {
  /** The Service, Deployment and ServiceAccount name: a DNS-1035 label (starts with a letter). */
  readonly name: string;
  /** The namespace: a DNS-1123 label. */
  readonly namespace: string;
  /** The container image, with its tag: `docker.io/istio/examples-helloworld-v1:1.0`. */
  readonly image: string;
  /** The ports; at least one. */
  readonly ports: readonly MeshServicePort[];
  /**
   * Pod replicas per cluster.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * The pods' `version` label (Istio's telemetry and subsets read it).
   * @default "v1"
   */
  readonly version?: string;
  /**
   * Environment variables of the container.
   * @default - none
   */
  readonly env?: { readonly [name: string]: string };
  /**
   * The clusters that run the service, keyed by cluster id, each with its overrides (`{}` for none).
   * @default - every cluster of the mesh, without overrides
   */
  readonly clusters?: { readonly [clusterId: string]: MeshServiceClusterOverrides };
  /**
   * Render the Namespace (turn off when another service or a platform team owns it).
   * @default true
   */
  readonly createNamespace?: boolean;
}

/** The clusters that run the service's pods, sorted. */
export function meshServiceClusters(plan: MeshTopology, spec: MeshServiceSpec): string[] {
  return Object.keys(spec.clusters ?? plan.clusters).sort();
}

/** The image a cluster runs: `image` with the cluster's tag, if it overrides one. */
export function imageFor(spec: MeshServiceSpec, clusterId: string): string {
  const tag = spec.clusters?.[clusterId]?.tag;
  if (tag === undefined) return spec.image;
  return `${imageRepository(spec.image)}:${tag}`;
}

/**
 * The objects of a mesh service in one cluster: Namespace (unless `createNamespace: false`),
 * Service (and its headless twin where alias names are served) everywhere; ServiceAccount and Deployment where the service runs. Validate first
 * ({@link validateMeshService}).
 */
export function meshServiceObjects(
  plan: MeshTopology,
  spec: MeshServiceSpec,
  clusterId: string,
): KubernetesObject[] {
  clusterOf(plan, clusterId);
  const { name, namespace } = spec;
  const app = { app: name };
  const out: KubernetesObject[] = [];
  if (spec.createNamespace ?? true) {
    out.push({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: namespace, labels: injectionLabels(plan) },
    });
  }
  const service: KubernetesObject = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace, labels: { ...app } },
    spec: {
      selector: { ...app },
      ports: spec.ports.map((p) => ({
        name: p.name,
        port: p.port,
        targetPort: p.targetPort ?? p.port,
        protocol: "TCP",
        ...(p.appProtocol === undefined ? {} : { appProtocol: p.appProtocol }),
      })),
    },
  };
  out.push(service);
  // In a flat mesh with DNS stubs the region alias names answer with pod addresses (alias-names.ts).
  if (servesAliasNames(plan)) out.push(aliasTwinOf(service));
  // A YAML `clusters:` (or a cluster's entry) left empty is null: validation takes it as absent.
  const where = spec.clusters === null ? undefined : spec.clusters;
  const overrides =
    where === undefined
      ? {}
      : Object.prototype.hasOwnProperty.call(where, clusterId)
        ? (where[clusterId] ?? {})
        : undefined;
  if (overrides === undefined) return out;

  const version = overrides.version ?? spec.version ?? "v1";
  const labels = { app: name, version };
  const env = { ...(spec.env ?? {}), ...(overrides.env ?? {}) };
  out.push({
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name, namespace, labels: { ...app } },
  });
  out.push({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace, labels },
    spec: {
      replicas: overrides.replicas ?? spec.replicas ?? 1,
      selector: { matchLabels: { ...app } },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: name,
          containers: [
            {
              name,
              image: imageFor(spec, clusterId),
              ports: spec.ports.map((p) => ({
                name: p.name,
                containerPort: p.targetPort ?? p.port,
                protocol: "TCP",
              })),
              ...(Object.keys(env).length === 0
                ? {}
                : {
                    env: Object.keys(env)
                      .sort()
                      .map((k) => ({ name: k, value: env[k]! })),
                  }),
            },
          ],
        },
      },
    },
  });
  return out;
}

/** The namespace labels that turn on sidecar injection for the plan's Istio revision. */
export function injectionLabels(plan: MeshTopology): Record<string, string> {
  return plan.istio.revision === undefined
    ? { "istio-injection": "enabled" }
    : { "istio.io/rev": plan.istio.revision };
}

// ---------------------------------------------------------------------------------------------

/** The image reference without its tag or digest. */
export function imageRepository(image: string): string {
  const at = image.indexOf("@");
  const withoutDigest = at >= 0 ? image.slice(0, at) : image;
  const colon = withoutDigest.lastIndexOf(":");
  return colon > withoutDigest.lastIndexOf("/") ? withoutDigest.slice(0, colon) : withoutDigest;
}

export { validateMeshService } from "./mesh-service-validation";
