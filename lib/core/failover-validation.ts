/**
 * The rules of a failover policy: Istio's own (1.30, `pkg/config/validation/agent`
 * `ValidateLocalityLbSetting`, `validateLocalities`, `pkg/config/validation`
 * `validateOutlierDetection`), reported with Istio's wording as the problem, and isthmus' checks
 * against the mesh: regions and zones must be the mesh's clusters' localities, in their cloud's
 * spelling. Part of the one document validator.
 *
 * Pure: no Pulumi, no cdk8s.
 */
import {
  DEFAULT_OUTLIER_DETECTION,
  hostProblems,
  nameProblems,
  REGION_LABEL,
  SUBZONE_LABEL,
  ZONE_LABEL,
  type FailoverPolicySpec,
  type OutlierDetectionSpec,
} from "./failover";
import type { MeshTopology } from "./mesh-plan";
import { subdomainProblem } from "./names";
import { didYouMean, type SpecProblem } from "./problems";
import { cloudOfRegion, respell } from "./regions";

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

function cloudName(cloud: string | undefined): string {
  return cloud === "aws" ? "an AWS" : cloud === "gcp" ? "a GCP" : "another cloud's";
}
