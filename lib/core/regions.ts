/**
 * The regions of each cloud, in the cloud's own spelling, and their default zones.
 *
 * AWS writes `us-east-1` (zones `us-east-1a`), GCP writes `us-east1` (zones `us-east1-b`). Istio's
 * locality is read from the nodes' `topology.kubernetes.io/region|zone` labels, which carry exactly
 * these names, so a region from the wrong cloud silently breaks locality failover.
 */
import type { Cloud } from "./spec";

/** AWS commercial, GovCloud and China regions. */
export const AWS_REGIONS: readonly string[] = [
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-south-1",
  "ap-south-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-6",
  "ap-southeast-7",
  "ca-central-1",
  "ca-west-1",
  "cn-north-1",
  "cn-northwest-1",
  "eu-central-1",
  "eu-central-2",
  "eu-north-1",
  "eu-south-1",
  "eu-south-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "il-central-1",
  "me-central-1",
  "me-south-1",
  "mx-central-1",
  "sa-east-1",
  "us-east-1",
  "us-east-2",
  "us-gov-east-1",
  "us-gov-west-1",
  "us-west-1",
  "us-west-2",
];

/** Google Cloud regions. */
export const GCP_REGIONS: readonly string[] = [
  "africa-south1",
  "asia-east1",
  "asia-east2",
  "asia-northeast1",
  "asia-northeast2",
  "asia-northeast3",
  "asia-south1",
  "asia-south2",
  "asia-southeast1",
  "asia-southeast2",
  "australia-southeast1",
  "australia-southeast2",
  "europe-central2",
  "europe-north1",
  "europe-north2",
  "europe-southwest1",
  "europe-west1",
  "europe-west10",
  "europe-west12",
  "europe-west2",
  "europe-west3",
  "europe-west4",
  "europe-west6",
  "europe-west8",
  "europe-west9",
  "me-central1",
  "me-central2",
  "me-west1",
  "northamerica-northeast1",
  "northamerica-northeast2",
  "northamerica-south1",
  "southamerica-east1",
  "southamerica-west1",
  "us-central1",
  "us-east1",
  "us-east4",
  "us-east5",
  "us-south1",
  "us-west1",
  "us-west2",
  "us-west3",
  "us-west4",
];

/** Regions whose zone letters do not start at `a`. */
const ZONE_LETTERS: Readonly<Record<string, readonly string[]>> = {
  "ap-northeast-1": ["a", "c", "d"],
  "ca-central-1": ["a", "b", "d"],
  "us-west-1": ["a", "c"],
  "us-east1": ["b", "c", "d"],
  "europe-west1": ["b", "c", "d"],
};

/**
 * The zone letters of regions whose full list is known (AWS: the letters an account can be
 * given; GCP: the provider's regions-and-zones table). Elsewhere any letter passes.
 */
const KNOWN_ZONE_LETTERS: Readonly<Record<string, readonly string[]>> = {
  "us-east-1": ["a", "b", "c", "d", "e", "f"],
  "us-east-2": ["a", "b", "c"],
  "us-west-2": ["a", "b", "c", "d"],
  "eu-west-1": ["a", "b", "c"],
  "eu-central-1": ["a", "b", "c"],
  "ca-central-1": ["a", "b", "d"],
  "us-central1": ["a", "b", "c", "f"],
  "us-east1": ["b", "c", "d"],
  "us-east4": ["a", "b", "c"],
  "us-west1": ["a", "b", "c"],
  "europe-west1": ["b", "c", "d"],
  "europe-west2": ["a", "b", "c"],
  "europe-west3": ["a", "b", "c"],
  "europe-west4": ["a", "b", "c"],
  "asia-east1": ["a", "b", "c"],
};

/** The zones of a region when its list is known, in the cloud's spelling. */
export function knownZones(cloud: Cloud, region: string): string[] | undefined {
  if (cloud === "existing" || !Object.prototype.hasOwnProperty.call(KNOWN_ZONE_LETTERS, region))
    return undefined;
  if (cloudOfRegion(region) !== cloud) return undefined;
  return KNOWN_ZONE_LETTERS[region]!.map((l) => (cloud === "aws" ? `${region}${l}` : `${region}-${l}`));
}

/** The known regions of a cloud; `undefined` for existing clusters, whose region is free-form. */
export function regionsOf(cloud: Cloud): readonly string[] | undefined {
  if (cloud === "aws") return AWS_REGIONS;
  if (cloud === "gcp") return GCP_REGIONS;
  return undefined;
}

/** The cloud whose region list holds this name, if any (to tell `us-east1` from `us-east-1`). */
export function cloudOfRegion(region: string): Cloud | undefined {
  if (AWS_REGIONS.includes(region)) return "aws";
  if (GCP_REGIONS.includes(region)) return "gcp";
  return undefined;
}

/** Whether a zone name belongs to the region, in that cloud's spelling. */
export function isZoneOf(cloud: Cloud, region: string, zone: string): boolean {
  const known = knownZones(cloud, region);
  if (known !== undefined) return known.includes(zone);
  if (cloud === "aws") return new RegExp(`^${region}[a-z]$`).test(zone);
  if (cloud === "gcp") return new RegExp(`^${region}-[a-z]$`).test(zone);
  return /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(zone);
}

/** The first three zones of a region (two where the region has two), in the cloud's spelling. */
export function defaultZones(cloud: Cloud, region: string): string[] {
  const letters = Object.prototype.hasOwnProperty.call(ZONE_LETTERS, region)
    ? ZONE_LETTERS[region]!
    : ["a", "b", "c"];
  if (cloud === "aws") return letters.map((l) => `${region}${l}`);
  if (cloud === "gcp") return letters.map((l) => `${region}-${l}`);
  return [];
}

/** `us-east-1` ⇄ `us-east1`: the other cloud's spelling of a region name (AWS ⇄ GCP). */
export function respell(region: string): string {
  return /-\d+$/.test(region) ? region.replace(/-(\d+)$/, "$1") : region.replace(/(\D)(\d+)$/, "$1-$2");
}
