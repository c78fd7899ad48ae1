/**
 * Validation of a mesh service: its name, namespace, image, ports, replicas, version, environment and
 * per-cluster overrides, every problem at once.
 */
import type { MeshTopology } from "./mesh-plan";
import { labelProblem } from "./names";
import type { SpecProblem } from "./problems";
import { isClusterOf, notAClusterProblem } from "./cluster-of";
import type { MeshServicePort, MeshServiceSpec } from "./mesh-service";
import { MAX_REPLICAS } from "./mesh-service";
import { aliasTwinName, MAX_ALIASED_NAME_LENGTH, servesAliasNames } from "./alias-names";

/** Every problem of a mesh service; empty when it is valid for this mesh. */
export function validateMeshService(plan: MeshTopology, spec: MeshServiceSpec, path: string): SpecProblem[] {
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
  if (nameProblem === undefined && servesAliasNames(plan) && spec.name.length > MAX_ALIASED_NAME_LENGTH) {
    out.push({
      path: `${path}.name`,
      problem: `is ${spec.name.length} characters, too long for its headless twin ${JSON.stringify(aliasTwinName(spec.name))}, which carries its region alias names over the WireGuard tunnel`,
      received: spec.name,
      expected: `at most ${MAX_ALIASED_NAME_LENGTH} characters in wireguard mode with dns.stubs`,
      fix: "Shorten the name, or set dns.stubs: false.",
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
    if (!isClusterOf(plan, id)) out.push(notAClusterProblem(at, id, ids));
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

function dns1035Problem(value: string): string | undefined {
  const problem = labelProblem(value);
  if (problem !== undefined) return problem;
  return /^[a-z]/.test(value)
    ? undefined
    : "does not start with a lower-case letter (Service names are DNS-1035 labels)";
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
