/**
 * The two-region mesh most core and manifest tests plan: an AWS cluster in us-east-1 and a GCP one
 * in us-east1 — multi-primary, and primary-remote with region1 as the primary.
 */
import { decide, type DocumentChoices } from "../../lib/core/decide";
import type { MeshPlan } from "../../lib/core/mesh-plan";
import { plan } from "../../lib/core/plan";

/** The spec's clusters: `region1` on AWS (us-east-1), `region2` on GCP (us-east1). */
export const clusters = {
  region1: { cloud: "aws", region: "us-east-1" },
  region2: { cloud: "gcp", region: "us-east1" },
} as const;

/** Multi-primary over {@link clusters}, every default. */
export const twoRegion = plan({ clusters });

/** Primary-remote over {@link clusters}: region1 the primary, region2 its remote. */
export const primaryRemote = plan({
  controlPlane: { model: "primary-remote", primaries: ["region1"] },
  clusters,
});

/** A small service for tests that need a workload and a policy on it. */
export const WEB_SERVICE = {
  name: "web",
  namespace: "shop",
  image: "docker.io/library/nginx:1.27",
  ports: [{ name: "http", port: 80 }],
} as const;

/** The host of {@link WEB_SERVICE} in the default cluster domain. */
export const WEB_HOST = "web.shop.svc.cluster.local";

/** A plan with a document's services, policies, splits or gateway options decided (validate them first). */
export function withChoices(p: MeshPlan, choices: DocumentChoices): MeshPlan {
  return decide(p, choices);
}
