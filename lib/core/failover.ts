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
import type { SpecProblem } from "./problems";

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
