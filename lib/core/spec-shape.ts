/**
 * The shape of a {@link MeshSpec} as data, checked by {@link checkAgainst} before the semantic rules.
 */
import { checkAgainst, int, list, map, obj, oneOf, opt, req, str, bool, type ShapeCheck } from "./shape";
import type { SpecProblem } from "./problems";

const CLUSTER = obj({
  cloud: req(oneOf("aws", "gcp", "existing"), "existing"),
  region: req(str, "", "Set the cloud region, e.g. us-east-1 (AWS) or us-east1 (GCP)."),
  zones: opt(list(str)),
  network: opt(str),
  cidrs: opt(obj({ node: opt(str), pod: opt(str), service: opt(str) })),
  dnsZone: opt(str),
  privateNetwork: opt(str),
  slot: opt(int(0, 16383)),
  underlayIpFamily: opt(oneOf("ipv4", "ipv6")),
  controlPlaneCluster: opt(str),
  nodes: opt(obj({ count: opt(int(1, 1000)), machineType: opt(str) })),
});

/** The shape of {@link MeshSpec}. */
export const MESH_SPEC_SHAPE = obj({
  meshID: opt(str),
  trustDomain: opt(str),
  clusterDomain: opt(str),
  networkMode: opt(oneOf("gateways", "wireguard")),
  controlPlane: opt(
    obj({
      model: req(oneOf("multi-primary", "primary-remote"), "multi-primary"),
      primaries: opt(list(str)),
      discovery: opt(oneOf("all", "hierarchical")),
    }),
  ),
  istio: opt(
    obj({ version: opt(str), revision: opt(str), chartRepository: opt(str), strictMtls: opt(bool) }),
  ),
  dns: opt(obj({ stubs: opt(bool) })),
  wireguard: opt(
    obj({
      topology: opt(oneOf("full-mesh", "hub")),
      hub: opt(str),
      listenPort: opt(int(1, 65535)),
      tunnelCidr: opt(str),
      mtu: opt(int(576, 9000)),
      persistentKeepalive: opt(int(0, 65535)),
    }),
  ),
  allocation: opt(obj({ slots: opt(int(64, 16384)) })),
  clusters: req(
    // As many clusters as the largest slot space (allocation.slots) serves.
    map(CLUSTER, "cluster", 16384),
    {},
    "Add at least one cluster under clusters, keyed by a stable id: clusters: { region1: { cloud: aws, region: us-east-1 } }.",
  ),
});

/** The top-level fields of a MeshSpec. */
export const MESH_SPEC_FIELDS: readonly string[] = Object.keys(
  (MESH_SPEC_SHAPE as { fields: Record<string, unknown> }).fields,
);

/**
 * Fields people put in the wrong place, with the reason it is wrong there. Checked before the
 * generic "unknown field" message because the generic hint would be misleading.
 */
const MISPLACED: Readonly<Record<string, string>> = {
  "clusters.*.clusterDomain":
    "a per-cluster cluster domain breaks cross-cluster discovery (istio/istio#29692, #24622): Istio names remote services with its own domain. Remove it, keep the mesh-wide clusterDomain, and set dnsZone for the region alias instead",
  "clusters.*.trustDomain":
    "the trust domain is mesh-wide: workloads in different clusters must share it to authenticate each other. Remove it and set the top-level trustDomain",
  "clusters.*.meshID": "meshID is mesh-wide. Remove it and set the top-level meshID",
};

/** Checks the structure of `input` against {@link MESH_SPEC_SHAPE}. */
export function checkShape(input: unknown): ShapeCheck {
  const { problems, cleaned, stoodIn } = checkAgainst(input, MESH_SPEC_SHAPE, { misplaced: MISPLACED });
  return { problems, cleaned: cleaned ?? { clusters: {} }, stoodIn };
}

/** Every structural problem of `input`, in document order. */
export function shapeProblems(input: unknown): SpecProblem[] {
  return checkShape(input).problems;
}
