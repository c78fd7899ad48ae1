/**
 * The `EksCluster` adapter's argument checks and small helpers: validation before anything is
 * registered, the region's partition, service trust policies, access-entry keys.
 */
import { cidrProblem, parseCidr } from "../../core/cidr";
import type { ClusterPlan } from "../../core/mesh-plan";
import { throwIfProblems } from "../../base/input-errors";
import type { EksClusterArgs } from "./eks-cluster";
import { plannedCluster } from "../planned-cluster";

/** The AWS partition of a region (`aws`, `aws-cn`, `aws-us-gov`). */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** A trust policy letting an AWS service assume the role. */
export function assumeRolePolicy(service: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
  });
}

/** A stable child-name key for an IAM principal: its kind and name (`role-admin`). */
export function principalKey(arn: string): string {
  const resource = arn.split(":").slice(5).join(":");
  return resource
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** The smallest node range that leaves room for /28 public subnets (AWS's smallest). */
const SMALLEST_NODE_PREFIX = 24;

/** Validates the arguments and returns the planned cluster; throws before anything is registered. */
export function checkedCluster(args: EksClusterArgs): ClusterPlan {
  const { cluster: c, problems } = plannedCluster(args.plan, args.clusterId, "aws");
  if (c !== undefined) {
    const node = cidrProblem(c.cidrs.node) === undefined ? parseCidr(c.cidrs.node) : undefined;
    if (node === undefined || node.prefix > SMALLEST_NODE_PREFIX || c.subnets.length === 0) {
      problems.push({
        path: `plan.clusters.${c.id}.cidrs.node`,
        problem: "leaves no room for a private and a public subnet per zone",
        received: c.cidrs.node,
        expected: `a node range of /${SMALLEST_NODE_PREFIX} or larger (quarters 0–2 private, quarter 3 public)`,
        fix: "Give the cluster a larger node range (the default is a /16).",
      });
    }
    if (!Number.isInteger(c.nodes.count) || c.nodes.count < 1) {
      problems.push({
        path: `plan.clusters.${c.id}.nodes.count`,
        problem: "is not a usable node group size",
        received: c.nodes.count,
        expected: "an integer of at least 1",
        fix: "Set nodes.count to 1 or more.",
      });
    }
  }
  for (const arn of args.adminPrincipalArns ?? []) {
    if (!/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/.+/.test(arn)) {
      problems.push({
        path: "adminPrincipalArns",
        problem: "holds something that is not an IAM role or user ARN",
        received: arn,
        expected: "arn:aws:iam::<account>:role/<name> or arn:aws:iam::<account>:user/<name>",
        fix: "Use the role's ARN, not an assumed-role session ARN (arn:aws:sts::…:assumed-role/…).",
      });
    }
  }
  throwIfProblems("EksCluster", problems);
  return c!;
}
