/**
 * Locality failover for one host: a `DestinationRule` whose `trafficPolicy.loadBalancer.
 * localityLbSetting` says where traffic goes when a region's endpoints fail, with the outlier
 * detection without which Istio never fails over (it only warns).
 *
 * The rules below are Istio's (1.30, `pkg/config/validation/agent` `ValidateLocalityLbSetting`,
 * `validateLocalities`, `pkg/config/validation` `validateOutlierDetection`), reported with Istio's
 * own wording as the problem, plus isthmus' checks against the mesh: regions and zones must be the
 * mesh's clusters' localities, in their cloud's spelling.
 *
 * Pure: no Pulumi, no cdk8s.
 */
import { ISTIO_NETWORKING_API, type KubernetesObject } from "./east-west-gateway";
import type { MeshTopology } from "./mesh-plan";
import { DNS1123_LABEL_MAX, labelProblem, subdomainProblem, toLabel } from "./names";
import { didYouMean, type SpecProblem } from "./problems";
import { cloudOfRegion } from "./regions";

/** The node label that carries a region (Istio's locality region). */
export const REGION_LABEL = "topology.kubernetes.io/region";
/** The node label that carries a zone (Istio's locality zone). */
export const ZONE_LABEL = "topology.kubernetes.io/zone";
/** Istio's sub-zone label. */
export const SUBZONE_LABEL = "topology.istio.io/subzone";

/** Failover from one region to another when the first region's endpoints are unhealthy. */
export interface RegionFailover {
  /** The region the client runs in (a region only: no zone, no `*`). */
  readonly from: string;
  /** The region its traffic fails over to. */
  readonly to: string;
}

/** Weighted distribution of the traffic of clients in one locality. */
export interface LocalityDistribution {
  /** The clients' locality: `region`, `region/zone` or `region/zone/subzone`; may end with `*`. */
  readonly from: string;
  /** Upstream localities and their weights (1–100, summing to 100). */
  readonly to: { readonly [locality: string]: number };
}

/**
 * Envoy outlier detection: how endpoints are ejected, which is what makes failover happen. Every
 * field overrides one of {@link DEFAULT_OUTLIER_DETECTION}.
 */
export interface OutlierDetectionSpec {
  /**
   * Consecutive 5xx responses (for TCP: connect failures and timeouts) that eject an endpoint.
   * `0` turns this detection off.
   * @default 5
   */
  readonly consecutive5xxErrors?: number;
  /**
   * Consecutive 502, 503 and 504 responses that eject an endpoint.
   * @default - not set: only consecutive5xxErrors counts
   */
  readonly consecutiveGatewayErrors?: number;
  /**
   * Time between ejection sweeps (a duration such as `10s`).
   * @default "10s"
   */
  readonly interval?: string;
  /**
   * Minimum ejection time, multiplied by the number of times the endpoint was ejected.
   * @default "30s"
   */
  readonly baseEjectionTime?: string;
  /**
   * The largest share of endpoints that may be ejected, in percent.
   * @default 100
   */
  readonly maxEjectionPercent?: number;
  /**
   * Outlier detection stays on while at least this share of endpoints is healthy, in percent.
   * @default - not set (Istio's default, 0: always on)
   */
  readonly minHealthPercent?: number;
}

/**
 * The outlier detection isthmus sets unless told otherwise:
 * - `consecutive5xxErrors: 5` — Envoy's own default; one bad response does not eject a healthy endpoint;
 * - `interval: 10s` — Envoy's default sweep interval;
 * - `baseEjectionTime: 30s` — Envoy's default; a flapping endpoint stays out longer each time;
 * - `maxEjectionPercent: 100` — Envoy's default of 10 % would keep most of a failed region's
 *   endpoints in the pool, so traffic would never leave the region: a whole region must be ejectable.
 */
export const DEFAULT_OUTLIER_DETECTION = {
  consecutive5xxErrors: 5,
  interval: "10s",
  baseEjectionTime: "30s",
  maxEjectionPercent: 100,
} as const satisfies OutlierDetectionSpec;

/** Where traffic to one host goes when its endpoints in a region fail. */
export interface FailoverPolicySpec {
  /**
   * The service's fully qualified host, e.g. `helloworld.sample.svc.cluster.local` (a leading `*.`
   * is allowed). Istio names services with the mesh's cluster domain.
   */
  readonly host: string;
  /**
   * The DestinationRule's name. A DNS-1123 label.
   * @default - `<service>-failover` for a host in the cluster domain, otherwise `<host as a label>-failover`
   */
  readonly name?: string;
  /**
   * The DestinationRule's namespace. A DNS-1123 label.
   * @default - the namespace in the host (`<service>.<namespace>.svc.<clusterDomain>`), otherwise istiod's namespace, whose rules apply mesh-wide
   */
  readonly namespace?: string;
  /**
   * Ordered region failover: clients in `from` go to `to` when `from` has no healthy endpoint.
   * @default - none: Istio fails over to the nearest healthy locality
   */
  readonly failover?: readonly RegionFailover[];
  /**
   * Labels that rank endpoints: endpoints matching the client on the first label come first, and so
   * on (`label` or `label=value`). With `failover`, no region, zone or sub-zone label.
   * @default - none
   */
  readonly failoverPriority?: readonly string[];
  /**
   * Weighted distribution per client locality; excludes `failover` and `failoverPriority`.
   * @default - none
   */
  readonly distribute?: readonly LocalityDistribution[];
  /**
   * Overrides of the outlier detection, which is always present.
   * @default - {@link DEFAULT_OUTLIER_DETECTION}
   */
  readonly outlierDetection?: OutlierDetectionSpec;
}

/** Istio's `localityLbSetting` as isthmus renders it. */
export interface LocalityLbSetting {
  readonly enabled: true;
  readonly distribute?: readonly LocalityDistribution[];
  readonly failover?: readonly RegionFailover[];
  readonly failoverPriority?: readonly string[];
}

/** The DestinationRule of a failover policy. */
export type FailoverDestinationRule = KubernetesObject & {
  readonly spec: {
    readonly host: string;
    readonly trafficPolicy: {
      readonly loadBalancer: { readonly localityLbSetting: LocalityLbSetting };
      readonly outlierDetection: OutlierDetectionSpec;
    };
  };
};

/** The clusters whose istiod reads traffic policy: the primaries. Sorted. */
export function configClusters(plan: MeshTopology): string[] {
  return [...plan.controlPlane.primaries].sort();
}

/** Problems of a service host: a fully qualified DNS name in the mesh's cluster domain. */
export function hostProblems(plan: MeshTopology, host: unknown, path: string): SpecProblem[] {
  const expected = `a fully qualified service host such as helloworld.sample.svc.${plan.clusterDomain}`;
  if (typeof host !== "string" || host.length === 0) {
    return [
      { path, problem: "is missing", received: host, expected, fix: "Name the service the policy is for." },
    ];
  }
  const name = host.startsWith("*.") ? host.slice(2) : host;
  const problem = subdomainProblem(name);
  if (problem !== undefined) {
    return [
      {
        path,
        problem,
        received: host,
        expected,
        fix: "Use the service's DNS name (lower case, dots between labels).",
      },
    ];
  }
  if (!name.includes(".")) {
    return [
      {
        path,
        problem: "is a short name, which Istio resolves in the rule's own namespace",
        received: host,
        expected,
        fix: `Write the full name: ${host}.<namespace>.svc.${plan.clusterDomain}.`,
      },
    ];
  }
  const svc = name.indexOf(".svc.");
  const domain = svc >= 0 ? name.slice(svc + ".svc.".length) : undefined;
  if (domain !== undefined && domain !== plan.clusterDomain) {
    const alias = Object.values(plan.clusters).find((c) => c.dnsZone === domain);
    return [
      {
        path,
        problem: `names a service in the domain ${domain}, not the mesh's cluster domain ${plan.clusterDomain}`,
        received: host,
        expected,
        fix:
          alias !== undefined
            ? `${domain} is ${alias.id}'s DNS alias zone, which Istio does not know; write ${name.slice(0, svc)}.svc.${plan.clusterDomain}.`
            : `Istio names every service with the cluster domain; write ${name.slice(0, svc)}.svc.${plan.clusterDomain}.`,
      },
    ];
  }
  return [];
}

/** The namespace named by a host `<service>.<namespace>.svc.<clusterDomain>`, if it is one. */
export function hostNamespace(plan: MeshTopology, host: string): string | undefined {
  const suffix = `.svc.${plan.clusterDomain}`;
  if (!host.endsWith(suffix)) return undefined;
  const parts = host.slice(0, -suffix.length).split(".");
  return parts.length === 2 && !parts[0]!.startsWith("*") ? parts[1] : undefined;
}

/** A default object name for a host with a suffix: `<service>-<suffix>`, or the whole host as a label. */
export function hostObjectName(plan: MeshTopology, host: string, suffix: string): string {
  const base =
    hostNamespace(plan, host) !== undefined
      ? host.split(".")[0]!
      : toLabel(host.replace(/^\*\./, "wildcard."));
  const room = DNS1123_LABEL_MAX - suffix.length - 1;
  return `${base.slice(0, room).replace(/-+$/, "")}-${suffix}`;
}

/** Problems of an optional object name or namespace override. */
export function nameProblems(value: unknown, path: string, what: string): SpecProblem[] {
  if (value === undefined) return [];
  const problem = typeof value === "string" ? labelProblem(value) : "is not a string";
  return problem === undefined
    ? []
    : [
        {
          path,
          problem,
          received: value,
          expected: "a DNS-1123 label of at most 63 characters",
          fix: `Use a lower-case ${what} such as helloworld, or leave it out for the default.`,
        },
      ];
}

/**
 * Every problem of a failover policy, with Istio's own message as the problem where Istio has a
 * rule; empty when the policy is valid for this mesh.
 */
export function validateFailoverPolicy(
  plan: MeshTopology,
  spec: FailoverPolicySpec,
  path: string,
): SpecProblem[] {
  const out: SpecProblem[] = [...hostProblems(plan, spec.host, `${path}.host`)];
  out.push(...nameProblems(spec.name, `${path}.name`, "name"));
  out.push(...nameProblems(spec.namespace, `${path}.namespace`, "namespace"));
  const failover = spec.failover ?? [];
  const priority = spec.failoverPriority ?? [];
  const distribute = spec.distribute ?? [];
  const regions = meshRegions(plan);

  if (distribute.length > 0 && failover.length > 0) {
    out.push({
      path,
      problem: "can not simultaneously specify 'distribute' and 'failover'",
      received: ["distribute", "failover"],
      expected: "either distribute or failover",
      fix: "Keep failover to move traffic only when a region fails, or distribute to share it all the time.",
    });
  }
  if (distribute.length > 0 && priority.length > 0) {
    out.push({
      path,
      problem:
        "sets 'distribute' and 'failoverPriority'; Istio ignores failoverPriority when distribute is set",
      received: ["distribute", "failoverPriority"],
      expected: "either distribute or failoverPriority",
      fix: "Remove one of them.",
    });
  }

  priority.forEach((entry, i) => {
    const at = `${path}.failoverPriority[${i}]`;
    const key = entry.split("=")[0]!;
    if (!isLabelKey(key) || entry.split("=").length > 2) {
      out.push({
        path: at,
        problem: "is not a label key",
        received: entry,
        expected: "a label key such as topology.istio.io/network, optionally followed by =<value>",
        fix: "Write a Kubernetes label key.",
      });
    } else if (failover.length > 0 && [REGION_LABEL, ZONE_LABEL, SUBZONE_LABEL].includes(key)) {
      out.push({
        path: at,
        problem: `can not simultaneously set 'failover' and topology label '${key}' in 'failover_priority'`,
        received: entry,
        expected: `labels other than ${REGION_LABEL}, ${ZONE_LABEL} and ${SUBZONE_LABEL}`,
        fix: "Let failover order the regions and keep other labels (e.g. topology.istio.io/network) in failoverPriority.",
      });
    }
  });

  failover.forEach((f, i) => {
    const at = `${path}.failover[${i}]`;
    if (f.from === f.to) {
      out.push({
        path: at,
        problem: "locality lb failover settings must specify different regions",
        received: f,
        expected: "two different regions",
        fix: "Fail over to another region.",
      });
    }
    for (const side of ["from", "to"] as const) {
      const region = f[side];
      if (region.includes("/")) {
        out.push({
          path: `${at}.${side}`,
          problem: "locality lb failover only specify region",
          received: region,
          expected: "a region, without zone",
          fix: `Write the region only (${region.split("/")[0]}).`,
        });
      } else if (region.includes("*")) {
        out.push({
          path: `${at}.${side}`,
          problem: "locality lb failover region should not contain '*' wildcard",
          received: region,
          expected: "a region of the mesh",
          fix: "Name one region per failover entry.",
        });
      } else {
        out.push(...regionProblems(regions, region, `${at}.${side}`));
      }
    }
  });
  const froms = failover.map((f) => f.from);
  froms.forEach((from, i) => {
    if (froms.indexOf(from) !== i) {
      out.push({
        path: `${path}.failover[${i}].from`,
        problem: "repeats a region; Istio uses only the first failover entry of a from region",
        received: from,
        expected: "each from region once",
        fix: "Keep one failover entry per from region.",
      });
    }
  });

  distribute.forEach((d, i) => {
    const at = `${path}.distribute[${i}]`;
    let total = 0;
    let weightsValid = true;
    for (const [locality, weight] of Object.entries(d.to)) {
      if (!Number.isInteger(weight) || weight < 1 || weight > 100) {
        weightsValid = false;
        out.push({
          path: `${at}.to["${locality}"]`,
          problem: "locality weight must be in range [1, 100]",
          received: weight,
          expected: "an integer from 1 to 100",
          fix: "Give every upstream locality a whole-number share of the traffic.",
        });
      } else total += weight;
    }
    if (weightsValid && total !== 100) {
      out.push({
        path: `${at}.to`,
        problem: `total locality weight ${total} != 100`,
        received: d.to,
        expected: "weights summing to 100",
        fix: "Adjust the weights so that they add up to 100.",
      });
    }
    out.push(...localitiesProblems(Object.keys(d.to), `${at}.to`));
    for (const locality of Object.keys(d.to))
      out.push(...localityProblems(regions, locality, `${at}.to["${locality}"]`));
    out.push(...localityProblems(regions, d.from, `${at}.from`));
  });
  out.push(
    ...localitiesProblems(
      distribute.map((d) => d.from),
      `${path}.distribute`,
    ),
  );

  out.push(...outlierProblems(spec.outlierDetection ?? {}, `${path}.outlierDetection`));
  return out;
}

/** The outlier detection of a policy: {@link DEFAULT_OUTLIER_DETECTION} with its overrides. */
export function outlierDetection(spec: FailoverPolicySpec): OutlierDetectionSpec {
  return { ...DEFAULT_OUTLIER_DETECTION, ...(spec.outlierDetection ?? {}) };
}

/**
 * The DestinationRule of a failover policy, to be applied in every cluster of
 * {@link configClusters}. Validate the policy first ({@link validateFailoverPolicy}).
 */
export function failoverDestinationRule(
  plan: MeshTopology,
  spec: FailoverPolicySpec,
): FailoverDestinationRule {
  const localityLbSetting: LocalityLbSetting = {
    enabled: true,
    ...(spec.distribute?.length
      ? { distribute: spec.distribute.map((d) => ({ from: d.from, to: { ...d.to } })) }
      : {}),
    ...(spec.failover?.length ? { failover: spec.failover.map((f) => ({ from: f.from, to: f.to })) } : {}),
    ...(spec.failoverPriority?.length ? { failoverPriority: [...spec.failoverPriority] } : {}),
  };
  return {
    apiVersion: ISTIO_NETWORKING_API,
    kind: "DestinationRule",
    metadata: {
      name: spec.name ?? hostObjectName(plan, spec.host, "failover"),
      namespace: spec.namespace ?? hostNamespace(plan, spec.host) ?? plan.istio.namespace,
    },
    spec: {
      host: spec.host,
      trafficPolicy: {
        loadBalancer: { localityLbSetting },
        outlierDetection: outlierDetection(spec),
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------

/** The mesh's regions, each with its clusters' zones. */
function meshRegions(plan: MeshTopology): Map<string, Set<string>> {
  const regions = new Map<string, Set<string>>();
  for (const c of Object.values(plan.clusters)) {
    const zones = regions.get(c.region) ?? new Set<string>();
    c.zones.forEach((z) => zones.add(z));
    regions.set(c.region, zones);
  }
  return regions;
}

function regionProblems(regions: Map<string, Set<string>>, region: string, path: string): SpecProblem[] {
  if (regions.has(region)) return [];
  const known = [...regions.keys()].sort();
  const respelled = respell(region);
  const spelling =
    regions.has(respelled) && cloudOfRegion(region) !== cloudOfRegion(respelled)
      ? ` "${region}" is spelled like ${cloudName(cloudOfRegion(region))} region; the mesh's cluster in that region is on ${cloudName(cloudOfRegion(respelled))}, which spells it "${respelled}".`
      : didYouMean(region, known);
  return [
    {
      path,
      problem: "is not a region of any cluster in the mesh",
      received: region,
      expected: `one of ${known.join(", ")}`,
      fix: `Use the region as the nodes' ${REGION_LABEL} label spells it.${spelling}`,
    },
  ];
}

/** The region and zone of a distribute locality must be the mesh's (wildcards match by prefix). */
function localityProblems(regions: Map<string, Set<string>>, locality: string, path: string): SpecProblem[] {
  const [region, zone] = splitLocality(locality);
  if (region === undefined || region === "" || region === "*") return [];
  if (region.endsWith("*")) {
    const prefix = region.slice(0, -1);
    if ([...regions.keys()].some((r) => r.startsWith(prefix))) return [];
    return regionProblems(regions, region, path);
  }
  if (!regions.has(region)) return regionProblems(regions, region, path);
  const zones = regions.get(region)!;
  if (zone === undefined || zone === "" || zone.endsWith("*") || zones.size === 0 || zones.has(zone))
    return [];
  const known = [...zones].sort();
  return [
    {
      path,
      problem: `names a zone that no cluster in ${region} spreads over`,
      received: locality,
      expected: `one of ${known.map((z) => `${region}/${z}`).join(", ")}`,
      fix: `Use a zone as the nodes' ${ZONE_LABEL} label spells it.${didYouMean(zone, known)}`,
    },
  ];
}

/** Go's `strings.SplitN(locality, "/", 3)`. */
function splitLocality(locality: string): string[] {
  const parts = locality.split("/");
  return parts.length <= 3 ? parts : [parts[0]!, parts[1]!, parts.slice(2).join("/")];
}

/**
 * Istio's rules for a list of localities (`validateLocalities`): at most one `*`, only at the end;
 * no empty region, zone or sub-zone; no locality covered by an earlier one. Like Istio, stops at the
 * first problem of the list.
 */
function localitiesProblems(localities: readonly string[], path: string): SpecProblem[] {
  const seen = new Map<string, Map<string, Set<string>>>();
  const problem = (locality: string, text: string, expected: string, fix: string): SpecProblem[] => [
    { path, problem: `locality ${locality} ${text}`, received: locality, expected, fix },
  ];
  const overlap = (locality: string): SpecProblem[] =>
    problem(
      locality,
      "overlap with previous specified ones",
      "localities that do not cover each other",
      "Remove the locality that an earlier one already covers.",
    );
  for (const locality of localities) {
    const stars = locality.split("*").length - 1;
    if (stars > 1 || (stars === 1 && !locality.endsWith("*"))) {
      return problem(
        locality,
        "wildcard '*' number can not exceed 1 and must be in the end",
        "at most one '*', at the end",
        "Keep a single trailing '*'.",
      );
    }
    if (seen.has("*")) return overlap(locality);
    const parts = splitLocality(locality);
    if (parts.some((p) => p === "")) {
      return problem(
        locality,
        "must not contain empty region/zone/subzone info",
        "region, region/zone or region/zone/subzone",
        "Remove the empty part.",
      );
    }
    const [region, zone, subzone] = parts as [string, string?, string?];
    const zones = seen.get(region);
    if (zone === undefined) {
      if (zones !== undefined) return overlap(locality);
      seen.set(region, new Map([["*", new Set(["*"])]]));
    } else if (subzone === undefined) {
      if (zones === undefined) seen.set(region, new Map([[zone, new Set(["*"])]]));
      else if (zones.has("*") || zones.has(zone)) return overlap(locality);
      else zones.set(zone, new Set(["*"]));
    } else if (zones === undefined) {
      seen.set(region, new Map([[zone, new Set([subzone])]]));
    } else {
      if (zones.has("*")) return overlap(locality);
      const subzones = zones.get(zone);
      if (subzones === undefined) zones.set(zone, new Set([subzone]));
      else if (subzones.has("*") || subzones.has(subzone)) return overlap(locality);
      else subzones.add(subzone);
    }
  }
  return [];
}

const GO_DURATION = /^(\d+(\.\d+)?(h|m|s|ms|us|µs|ns))+$/;
const UNIT_MS: Readonly<Record<string, number>> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 1e-3,
  µs: 1e-3,
  ns: 1e-6,
};

/** A duration in milliseconds, or undefined when it is not one. */
function durationMs(text: string): number | undefined {
  if (!GO_DURATION.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g))
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
  return Math.round(total * 1e6) / 1e6;
}

function outlierProblems(o: OutlierDetectionSpec, path: string): SpecProblem[] {
  const out: SpecProblem[] = [];
  for (const key of ["consecutive5xxErrors", "consecutiveGatewayErrors"] as const) {
    const v = o[key];
    if (v !== undefined && (!Number.isInteger(v) || v < 0)) {
      out.push({
        path: `${path}.${key}`,
        problem: "is not a count",
        received: v,
        expected: "a whole number, 0 or more",
        fix: "Give the number of consecutive errors that ejects an endpoint.",
      });
    }
  }
  const merged = { ...DEFAULT_OUTLIER_DETECTION, ...o };
  if (merged.consecutive5xxErrors === 0 && (merged.consecutiveGatewayErrors ?? 0) === 0) {
    out.push({
      path,
      problem:
        "ejects no endpoint: consecutive5xxErrors and consecutiveGatewayErrors are both 0, so failover never happens",
      received: o,
      expected: "consecutive5xxErrors or consecutiveGatewayErrors above 0",
      fix: `Leave consecutive5xxErrors at its default (${DEFAULT_OUTLIER_DETECTION.consecutive5xxErrors}) or set consecutiveGatewayErrors.`,
    });
  }
  for (const key of ["interval", "baseEjectionTime"] as const) {
    const v = o[key];
    if (v === undefined) continue;
    const ms = typeof v === "string" ? durationMs(v) : undefined;
    const problem =
      ms === undefined
        ? "is not a duration"
        : ms < 1
          ? "duration must be greater than 1ms"
          : !Number.isInteger(ms)
            ? "only durations to ms precision are supported"
            : undefined;
    if (problem !== undefined) {
      out.push({
        path: `${path}.${key}`,
        problem,
        received: v,
        expected: "a duration of whole milliseconds, at least 1ms, such as 10s or 1m30s",
        fix: "Write a number followed by h, m, s or ms.",
      });
    }
  }
  for (const key of ["maxEjectionPercent", "minHealthPercent"] as const) {
    const v = o[key];
    if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 100)) {
      out.push({
        path: `${path}.${key}`,
        problem: `percentage ${v} is not in range 0..100`,
        received: v,
        expected: "a whole number from 0 to 100",
        fix: "Give a percentage.",
      });
    }
  }
  return out;
}

/** Kubernetes label keys: an optional DNS subdomain prefix and `/`, then a name of at most 63. */
function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && subdomainProblem(prefix) !== undefined) return false;
  return name.length > 0 && name.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name);
}

/** `us-east1` ⇄ `us-east-1`: the other cloud's spelling of a region name. */
function respell(region: string): string {
  return /-\d+$/.test(region) ? region.replace(/-(\d+)$/, "$1") : region.replace(/(\D)(\d+)$/, "$1-$2");
}

function cloudName(cloud: string | undefined): string {
  return cloud === "aws" ? "an AWS" : cloud === "gcp" ? "a GCP" : "another cloud's";
}
