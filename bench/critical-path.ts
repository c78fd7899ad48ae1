/**
 * `deploy_critical_path_min`: the longest dependency chain of a recorded stack graph, each resource
 * taking the latency of its type from {@link DEPLOY_MINUTES}. What `pulumi up` takes with unbounded
 * parallelism; deterministic, free of this machine's load.
 *
 * A dependency on a component resource is a dependency on every resource under it (as `dependsOn` a
 * component is in Pulumi); a component finishes when its last child does.
 */
import type { RecordedResource } from "../lib/testing/recorded-resource";

/**
 * Minutes a create takes, per resource type, from what the clouds document and what a real run
 * shows: an EKS control plane 10 (AWS: "10–15 minutes"), a managed node group 4, a GKE cluster 6,
 * a node pool 3, a NAT gateway 2, an NLB behind a LoadBalancer Service 3 (provisioning plus
 * registration of targets: inside the gateway chart's Helm release, which waits for its address),
 * any other Helm release 1, an IAM role or policy 0.1, anything else 0.05 (3 s).
 */
export const DEPLOY_MINUTES: Readonly<Record<string, number>> = {
  "aws:eks/cluster:Cluster": 10,
  "aws:eks/nodeGroup:NodeGroup": 4,
  "aws:ec2/natGateway:NatGateway": 2,
  "gcp:container/cluster:Cluster": 6,
  "gcp:container/nodePool:NodePool": 3,
  "gcp:compute/routerNat:RouterNat": 1,
  "kubernetes:helm.sh/v3:Release": 1,
  "aws:iam/role:Role": 0.1,
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 0.1,
  "aws:iam/policy:Policy": 0.1,
};

/** The east-west gateway's release also waits for its NLB. */
const LOAD_BALANCED_RELEASE = /eastwest|east-west|gateway/;
const NLB_MINUTES = 3;

/** Minutes for one resource. */
export function deployMinutes(r: RecordedResource): number {
  if (!r.custom || r.type.startsWith("pulumi:providers:")) return 0;
  const base = DEPLOY_MINUTES[r.type] ?? 0.05;
  if (r.type === "kubernetes:helm.sh/v3:Release" && LOAD_BALANCED_RELEASE.test(r.name))
    return base + NLB_MINUTES;
  return base;
}

/** The critical path: its length in minutes and the resources along it, first to last. */
export interface CriticalPath {
  readonly minutes: number;
  readonly chain: readonly string[];
}

/** The longest chain of the recorded graph. */
export function criticalPath(resources: readonly RecordedResource[]): CriticalPath {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const children = new Map<string, string[]>();
  for (const r of resources) {
    if (r.parent !== undefined) children.set(r.parent, [...(children.get(r.parent) ?? []), r.urn]);
  }
  const finish = new Map<string, { at: number; via?: string }>();
  const visiting = new Set<string>();
  const done = (urn: string): { at: number; via?: string } => {
    const known = finish.get(urn);
    if (known !== undefined) return known;
    const r = byUrn.get(urn);
    if (r === undefined || visiting.has(urn)) return { at: 0 };
    visiting.add(urn);
    // A component is done when its children are; waiting on it waits on them.
    const waits = r.custom ? r.dependencies : [...r.dependencies, ...(children.get(urn) ?? [])];
    let start = 0;
    let via: string | undefined;
    for (const dep of waits) {
      const d = done(dep);
      if (d.at > start) {
        start = d.at;
        via = dep;
      }
    }
    const result = { at: start + deployMinutes(r), ...(via === undefined ? {} : { via }) };
    visiting.delete(urn);
    finish.set(urn, result);
    return result;
  };
  let last: string | undefined;
  let minutes = 0;
  for (const r of resources) {
    const d = done(r.urn);
    if (d.at > minutes) {
      minutes = d.at;
      last = r.urn;
    }
  }
  const chain: string[] = [];
  for (let urn = last; urn !== undefined; urn = finish.get(urn)?.via) {
    const r = byUrn.get(urn)!;
    if (deployMinutes(r) > 0) chain.unshift(`${r.type} ${r.name} (${deployMinutes(r)} min)`);
  }
  return { minutes: Math.round(minutes * 100) / 100, chain };
}
