/**
 * Validation of one cluster: its id, region, zones, names and ranges.
 */
import { RANGE_KINDS } from "./allocate";
import { cidrProblem, parseCidr } from "./cidr";
import type { MeshPlan } from "./mesh-plan";
import { CLUSTER_ID_MAX, EKS_CLUSTER_NAME_MAX, GKE_CLUSTER_NAME_MAX, labelProblem } from "./names";
import { didYouMean, type SpecProblem } from "./problems";
import { cloudOfRegion, isZoneOf, knownZones, regionsOf, respell } from "./regions";
import { MAX_ZONES } from "./resolve";
import type { MeshSpec } from "./spec";
import { domain, label } from "./validate-fields";

export function checkCluster(id: string, spec: MeshSpec, plan: MeshPlan, out: SpecProblem[]): void {
  const c = spec.clusters[id]!;
  const path = `clusters.${id}`;
  const idProblem = labelProblem(id, CLUSTER_ID_MAX);
  if (idProblem !== undefined) {
    out.push({
      path,
      problem: `has an id that ${idProblem}`,
      received: id,
      expected: `a DNS-1123 label of at most ${CLUSTER_ID_MAX} characters`,
      fix: "Rename the key to a short lower-case id such as region1 (ids name every child resource).",
    });
  } else {
    const name = plan.clusters[id]!.names.cloudCluster;
    const max =
      c.cloud === "gcp" ? GKE_CLUSTER_NAME_MAX : c.cloud === "aws" ? EKS_CLUSTER_NAME_MAX : Infinity;
    if (name.length > max) {
      out.push({
        path,
        problem: `gives the ${c.cloud === "gcp" ? "GKE" : "EKS"} cluster name "${name}" of ${name.length} characters, over the limit of ${max}`,
        received: id,
        expected: `meshID and id together at most ${max - 1} characters`,
        fix: "Shorten the cluster id or the meshID.",
      });
    }
  }

  const known = regionsOf(c.cloud);
  if (known !== undefined && !known.includes(c.region)) {
    const other = cloudOfRegion(c.region) ?? cloudOfRegion(respell(c.region));
    const hint =
      other !== undefined && other !== c.cloud
        ? ` "${c.region}" is spelled like ${other === "aws" ? "an" : "a"} ${other.toUpperCase()} region; the ${c.cloud.toUpperCase()} spelling is "${respell(c.region)}".`
        : didYouMean(c.region, known);
    out.push({
      path: `${path}.region`,
      problem: `is not a region of ${c.cloud}`,
      received: c.region,
      expected: `${c.cloud === "aws" ? "an" : "a"} ${c.cloud.toUpperCase()} region such as ${c.cloud === "aws" ? "us-east-1" : "us-east1"}`,
      fix: `Use the region's name in ${c.cloud.toUpperCase()}'s spelling.${hint}`,
    });
  } else if (known === undefined) {
    label(
      out,
      `${path}.region`,
      c.region,
      63,
      "Use the value of the nodes' topology.kubernetes.io/region label.",
    );
  }

  const zones = plan.clusters[id]!.zones;
  if (c.cloud !== "existing" && zones.length > MAX_ZONES) {
    out.push({
      path: `${path}.zones`,
      problem: `lists ${zones.length} zones`,
      received: c.zones,
      expected: `1 to ${MAX_ZONES} zones`,
      fix: `Keep at most ${MAX_ZONES} zones; the node range is cut into one subnet per zone.`,
    });
  }
  if (c.cloud !== "existing" && c.zones !== undefined && c.zones.length === 0) {
    out.push({
      path: `${path}.zones`,
      problem: "is empty",
      received: c.zones,
      expected: `1 to ${MAX_ZONES} zones of ${c.region}`,
      fix: "List at least one zone, or remove zones to take the region's first three.",
    });
  }
  (c.zones ?? []).forEach((zone, i) => {
    if (known !== undefined && !known.includes(c.region)) return;
    if (!isZoneOf(c.cloud, c.region, zone)) {
      const zonesOfRegion = knownZones(c.cloud, c.region);
      out.push({
        path: `${path}.zones[${i}]`,
        problem: `is not a zone of ${c.region}`,
        received: zone,
        expected: zonesOfRegion
          ? `one of ${zonesOfRegion.join(", ")}`
          : c.cloud === "aws"
            ? `${c.region}a, ${c.region}b, ...`
            : c.cloud === "gcp"
              ? `${c.region}-a, ${c.region}-b, ...`
              : "a zone label",
        fix: `Use a zone of the cluster's own region.${zonesOfRegion ? didYouMean(zone, zonesOfRegion) : ""}`,
      });
    }
  });
  if (new Set(c.zones ?? []).size !== (c.zones ?? []).length) {
    out.push({
      path: `${path}.zones`,
      problem: "lists a zone twice",
      received: c.zones,
      expected: "distinct zones",
      fix: "Remove the repeated zone.",
    });
  }

  if (c.network !== undefined)
    label(out, `${path}.network`, c.network, 63, "Use a short label such as network1.");
  if (c.dnsZone !== undefined) domain(out, `${path}.dnsZone`, c.dnsZone);
  if (c.privateNetwork !== undefined)
    label(
      out,
      `${path}.privateNetwork`,
      c.privateNetwork,
      63,
      "Name the peering or shared VPC with a short label such as vpc-peering-east.",
    );

  for (const kind of RANGE_KINDS) {
    const value = c.cidrs?.[kind];
    if (value === undefined) continue;
    const problem = cidrProblem(value);
    if (problem !== undefined) {
      out.push({
        path: `${path}.cidrs.${kind}`,
        problem,
        received: value,
        expected: "an IPv4 network in CIDR notation such as 10.0.0.0/16",
        fix: "Write the network address followed by the prefix length.",
      });
    }
  }
  const node = plan.clusters[id]!.cidrs.node;
  if (c.cloud !== "existing" && cidrProblem(node) === undefined && parseCidr(node).prefix > 26) {
    out.push({
      path: `${path}.cidrs.node`,
      problem: "is too small to hold a subnet per zone",
      received: node,
      expected: "a range of /26 or larger (one quarter per zone)",
      fix: "Use a larger node range, such as a /16.",
    });
  }
}
