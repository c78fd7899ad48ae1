/**
 * One service deployed once to chosen clusters, with per-cluster overrides (image tag, replicas,
 * version, environment): the job kubefed's FederatedDeployment did, and the "deploy your services"
 * step of every multi-cluster Istio guide.
 *
 * Per cluster it renders:
 * - in **every** cluster of the mesh: the Namespace (labelled for sidecar injection: `istio.io/rev`
 *   with a revision, `istio-injection: enabled` without) and the Service. Istio merges the
 *   endpoints of same-named Services across clusters, and a client's DNS lookup only succeeds where
 *   the Service exists, so callers in any cluster can reach it;
 * - in the **chosen** clusters: the ServiceAccount (the workload's mesh identity) and the
 *   Deployment.
 *
 * Pure: no Pulumi, no cdk8s.
 */
import { hasOwn } from "./values";
import type { ObjectData } from "./east-west-gateway";
import type { MeshPlan } from "./mesh-plan";
import { labelProblem } from "./names";
import { didYouMean, type SpecProblem } from "./problems";

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
export function meshServiceClusters(plan: MeshPlan, spec: MeshServiceSpec): string[] {
  return Object.keys(spec.clusters ?? plan.clusters).sort();
}

/** The image a cluster runs: `image` with the cluster's tag, if it overrides one. */
export function imageFor(spec: MeshServiceSpec, clusterId: string): string {
  const tag = spec.clusters?.[clusterId]?.tag;
  if (tag === undefined) return spec.image;
  return `${imageRepository(spec.image)}:${tag}`;
}

/** Every problem of a mesh service; empty when it is valid for this mesh. */
export function validateMeshService(plan: MeshPlan, spec: MeshServiceSpec, path: string): SpecProblem[] {
  const out: SpecProblem[] = [];
  const nameProblem = typeof spec.name === "string" ? dns1035Problem(spec.name) : "is not a string";
  if (nameProblem !== undefined) {
    out.push({
      path: `${path}.name`,
      problem: nameProblem,
      received: spec.name,
      expected: "a DNS-1035 label of at most 63 characters (a lower-case letter first)",
      fix: "Use a short lower-case name such as helloworld.",
    });
  }
  const nsProblem = typeof spec.namespace === "string" ? labelProblem(spec.namespace) : "is not a string";
  if (nsProblem !== undefined) {
    out.push({
      path: `${path}.namespace`,
      problem: nsProblem,
      received: spec.namespace,
      expected: "a DNS-1123 label of at most 63 characters",
      fix: "Use a short lower-case namespace such as sample.",
    });
  }
  out.push(...imageProblems(spec.image, `${path}.image`));
  out.push(...portsProblems(spec.ports, `${path}.ports`));
  out.push(...replicasProblems(spec.replicas, `${path}.replicas`));
  out.push(...versionProblems(spec.version, `${path}.version`));
  out.push(...envProblems(spec.env, `${path}.env`));

  const ids = Object.keys(plan.clusters);
  if (spec.clusters !== undefined && Object.keys(spec.clusters).length === 0) {
    out.push({
      path: `${path}.clusters`,
      problem: "names no cluster",
      received: spec.clusters,
      expected: `one or more of ${ids.join(", ")}`,
      fix: "Name the clusters that run the service, or leave clusters out to run it in every cluster.",
    });
  }
  for (const [id, overrides] of Object.entries(spec.clusters ?? {})) {
    const at = `${path}.clusters.${id}`;
    if (!hasOwn(plan.clusters, id)) {
      out.push({
        path: at,
        problem: "is not a cluster of the mesh",
        received: id,
        expected: `one of ${ids.join(", ")}`,
        fix: `Use the id of a cluster of the mesh.${didYouMean(id, ids)}`,
      });
    }
    if (overrides.tag !== undefined) {
      if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(overrides.tag)) {
        out.push({
          path: `${at}.tag`,
          problem: "is not an image tag",
          received: overrides.tag,
          expected: "letters, digits, '_', '.' and '-', at most 128, not starting with '.' or '-'",
          fix: "Write the tag alone, without the repository or ':'.",
        });
      } else if (typeof spec.image === "string" && spec.image.includes("@")) {
        out.push({
          path: `${at}.tag`,
          problem: "overrides the tag of an image pinned by digest",
          received: overrides.tag,
          expected: "no tag override, or an image without @sha256 digest",
          fix: "Pin the image by tag, or drop the per-cluster tag.",
        });
      }
    }
    out.push(...replicasProblems(overrides.replicas, `${at}.replicas`));
    out.push(...versionProblems(overrides.version, `${at}.version`));
    out.push(...envProblems(overrides.env, `${at}.env`));
  }
  return out;
}

/**
 * The objects of a mesh service in one cluster: Namespace (unless `createNamespace: false`) and
 * Service everywhere; ServiceAccount and Deployment where the service runs. Validate first
 * ({@link validateMeshService}).
 */
export function meshServiceObjects(plan: MeshPlan, spec: MeshServiceSpec, clusterId: string): ObjectData[] {
  if (!hasOwn(plan.clusters, clusterId)) {
    throw new Error(
      `${clusterId}: is not a cluster of the mesh.${didYouMean(clusterId, Object.keys(plan.clusters))}`,
    );
  }
  const { name, namespace } = spec;
  const app = { app: name };
  const out: ObjectData[] = [];
  if (spec.createNamespace ?? true) {
    out.push({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: namespace, labels: injectionLabels(plan) },
    });
  }
  out.push({
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
  });
  const overrides = spec.clusters === undefined ? {} : spec.clusters[clusterId];
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
export function injectionLabels(plan: MeshPlan): Record<string, string> {
  return plan.istio.revision === undefined
    ? { "istio-injection": "enabled" }
    : { "istio.io/rev": plan.istio.revision };
}

// ---------------------------------------------------------------------------------------------

function dns1035Problem(value: string): string | undefined {
  const problem = labelProblem(value);
  if (problem !== undefined) return problem;
  return /^[a-z]/.test(value)
    ? undefined
    : "does not start with a lower-case letter (Service names are DNS-1035 labels)";
}

/** The image reference without its tag or digest. */
function imageRepository(image: string): string {
  const at = image.indexOf("@");
  const withoutDigest = at >= 0 ? image.slice(0, at) : image;
  const colon = withoutDigest.lastIndexOf(":");
  return colon > withoutDigest.lastIndexOf("/") ? withoutDigest.slice(0, colon) : withoutDigest;
}

function imageProblems(image: unknown, path: string): SpecProblem[] {
  if (typeof image === "string" && image.length > 0 && !/\s/.test(image) && /^[a-z0-9]/.test(image))
    return [];
  return [
    {
      path,
      problem: typeof image === "string" && image.length > 0 ? "is not an image reference" : "is missing",
      received: image,
      expected: "an image reference such as docker.io/istio/examples-helloworld-v1:1.0",
      fix: "Give the repository and tag, without spaces.",
    },
  ];
}

function portsProblems(ports: readonly MeshServicePort[] | undefined, path: string): SpecProblem[] {
  if (!Array.isArray(ports) || ports.length === 0) {
    return [
      {
        path,
        problem: "lists no port",
        received: ports,
        expected: "at least one port such as { name: http, port: 5000 }",
        fix: "Add the ports the service listens on.",
      },
    ];
  }
  const out: SpecProblem[] = [];
  ports.forEach((p, i) => {
    const at = `${path}[${i}]`;
    if (
      typeof p.name !== "string" ||
      !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(p.name) ||
      p.name.length > 15 ||
      !/[a-z]/.test(p.name) ||
      p.name.includes("--")
    ) {
      out.push({
        path: `${at}.name`,
        problem: "is not a port name",
        received: p.name,
        expected:
          "at most 15 lower-case letters, digits and single '-', with a letter (an IANA service name)",
        fix: "Name the port after its protocol, e.g. http, grpc-api or tcp-db: Istio reads the protocol from the prefix.",
      });
    }
    for (const key of ["port", "targetPort"] as const) {
      const v = p[key];
      if ((key === "port" || v !== undefined) && (!Number.isInteger(v) || v! < 1 || v! > 65535)) {
        out.push({
          path: `${at}.${key}`,
          problem: "is not a port number",
          received: v,
          expected: "a whole number from 1 to 65535",
          fix: "Give the port number.",
        });
      }
    }
    if (ports.findIndex((q) => q.name === p.name) !== i) {
      out.push({
        path: `${at}.name`,
        problem: "repeats the name of another port",
        received: p.name,
        expected: "distinct port names",
        fix: "Give each port its own name.",
      });
    }
    if (ports.findIndex((q) => q.port === p.port) !== i) {
      out.push({
        path: `${at}.port`,
        problem: "repeats the number of another port",
        received: p.port,
        expected: "distinct port numbers",
        fix: "Remove the repeated port.",
      });
    }
  });
  return out;
}

function replicasProblems(replicas: unknown, path: string): SpecProblem[] {
  if (replicas === undefined) return [];
  if (typeof replicas === "number" && Number.isInteger(replicas) && replicas >= 0 && replicas <= MAX_REPLICAS)
    return [];
  return [
    {
      path,
      problem: "is out of range",
      received: replicas,
      expected: `a whole number from 0 to ${MAX_REPLICAS}`,
      fix: "Give the number of pods; 0 keeps the Deployment and takes the cluster's endpoints away.",
    },
  ];
}

function versionProblems(version: unknown, path: string): SpecProblem[] {
  if (version === undefined) return [];
  const ok =
    typeof version === "string" &&
    version.length <= 63 &&
    /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(version);
  return ok
    ? []
    : [
        {
          path,
          problem: "is not a label value",
          received: version,
          expected:
            "at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit",
          fix: "Use a short version such as v1.",
        },
      ];
}

function envProblems(env: unknown, path: string): SpecProblem[] {
  if (env === undefined || env === null) return [];
  const out: SpecProblem[] = [];
  for (const [key, value] of Object.entries(env as Record<string, unknown>)) {
    if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(key)) {
      out.push({
        path: `${path}.${key}`,
        problem: "is not an environment variable name",
        received: key,
        expected: "letters, digits, '_', '-' and '.', not starting with a digit",
        fix: "Rename the variable, e.g. SERVICE_VERSION.",
      });
    }
    if (typeof value !== "string") {
      out.push({
        path: `${path}.${key}`,
        problem: "is not a string",
        received: value,
        expected: "a string",
        fix: "Quote the value.",
      });
    }
  }
  return out;
}
