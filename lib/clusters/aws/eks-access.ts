/**
 * Who the EKS cluster trusts: the control plane's and the nodes' IAM roles with their managed
 * policies, and the admin access entries of {@link EksClusterArgs.adminPrincipalArns}. Children of
 * the `EksCluster`, named `<cluster>-…`.
 */
import * as aws from "./pulumi-aws";
import type * as pulumi from "@pulumi/pulumi";
import { assumeRolePolicy, principalKey } from "./eks-args";

/** The managed policies of the EKS cluster role. */
export const EKS_CLUSTER_POLICIES: readonly string[] = ["AmazonEKSClusterPolicy"];

/** The managed policies of the node role. */
export const EKS_NODE_POLICIES: readonly string[] = [
  "AmazonEKSWorkerNodePolicy",
  "AmazonEKS_CNI_Policy",
  "AmazonEC2ContainerRegistryReadOnly",
];

/** The EKS access policy granted to `EksClusterArgs.adminPrincipalArns`. */
export const EKS_CLUSTER_ADMIN_POLICY = "AmazonEKSClusterAdminPolicy";

/** The control plane's role and the nodes' role, each with its policy attachments. */
export function eksServiceRoles(
  name: string,
  partition: string,
  aopts: pulumi.CustomResourceOptions,
): {
  clusterRole: aws.iam.Role;
  clusterPolicies: aws.iam.RolePolicyAttachment[];
  nodeRole: aws.iam.Role;
  nodePolicies: aws.iam.RolePolicyAttachment[];
} {
  // A role an AWS service assumes, with its managed policies attached.
  const serviceRole = (key: string, service: string, policies: readonly string[]) => {
    const role = new aws.iam.Role(
      `${name}-${key}-role`,
      { assumeRolePolicy: assumeRolePolicy(service) },
      aopts,
    );
    const attachments = policies.map(
      (policy) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-${key}-role-${policy.toLowerCase()}`,
          { role: role.name, policyArn: `arn:${partition}:iam::aws:policy/${policy}` },
          aopts,
        ),
    );
    return [role, attachments] as const;
  };
  const [clusterRole, clusterPolicies] = serviceRole("cluster", "eks.amazonaws.com", EKS_CLUSTER_POLICIES);
  const [nodeRole, nodePolicies] = serviceRole("node", "ec2.amazonaws.com", EKS_NODE_POLICIES);
  return { clusterRole, clusterPolicies, nodeRole, nodePolicies };
}

/** Cluster admin for each principal, through an EKS access entry and its policy association. */
export function eksAdminAccess(
  name: string,
  clusterName: pulumi.Output<string>,
  partition: string,
  principalArns: readonly string[],
  aopts: pulumi.CustomResourceOptions,
): aws.eks.AccessPolicyAssociation[] {
  return principalArns.map((principalArn) => {
    const key = principalKey(principalArn);
    const entry = new aws.eks.AccessEntry(
      `${name}-${key}-access-entry`,
      { clusterName, principalArn, type: "STANDARD" },
      aopts,
    );
    return new aws.eks.AccessPolicyAssociation(
      `${name}-${key}-access-policy`,
      {
        clusterName,
        principalArn,
        policyArn: `arn:${partition}:eks::aws:cluster-access-policy/${EKS_CLUSTER_ADMIN_POLICY}`,
        accessScope: { type: "cluster" },
      },
      { ...aopts, dependsOn: [entry] },
    );
  });
}
