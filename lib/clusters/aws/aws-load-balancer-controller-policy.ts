/**
 * The IAM permissions of the AWS Load Balancer Controller, as data.
 *
 * Written from the controller's documented policy (kubernetes-sigs/aws-load-balancer-controller,
 * `docs/install/iam_policy.json` at v3.5.0): the same actions and conditions, grouped here by what
 * they let the controller do and rendered for the cluster's partition (the upstream file is written
 * for `aws` only). Keep it in step with the pinned chart version when that moves.
 */

/** One statement, before the partition is put into its ARNs. */
interface PolicyStatement {
  readonly Action: readonly string[];
  /** Resource patterns; `*` or ARNs with `{partition}`. */
  readonly Resource: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

const CLUSTER_TAG = "elbv2.k8s.aws/cluster";
const REQUEST_TAGGED = { Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: "false" } };
const RESOURCE_TAGGED = { Null: { [`aws:ResourceTag/${CLUSTER_TAG}`]: "false" } };
const RETAG = {
  Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: "true", [`aws:ResourceTag/${CLUSTER_TAG}`]: "false" },
};
const ELB = (kinds: readonly string[]): string[] =>
  kinds.map((k) => `arn:{partition}:elasticloadbalancing:*:*:${k}`);
const BALANCERS = ELB(["targetgroup/*/*", "loadbalancer/net/*/*", "loadbalancer/app/*/*"]);
const SECURITY_GROUPS = "arn:{partition}:ec2:*:*:security-group/*";

const describe = (service: string, what: readonly string[]): string[] => what.map((w) => `${service}:${w}`);

const STATEMENTS: readonly PolicyStatement[] = [
  // The service-linked role of Elastic Load Balancing, once per account.
  {
    Action: ["iam:CreateServiceLinkedRole"],
    Resource: "*",
    Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
  },
  // Reading the network and the load balancers it manages.
  {
    Action: [
      ...describe("ec2", [
        "DescribeAccountAttributes",
        "DescribeAddresses",
        "DescribeAvailabilityZones",
        "DescribeInternetGateways",
        "DescribeVpcs",
        "DescribeVpcPeeringConnections",
        "DescribeSubnets",
        "DescribeSecurityGroups",
        "DescribeInstances",
        "DescribeNetworkInterfaces",
        "DescribeTags",
        "GetCoipPoolUsage",
        "DescribeCoipPools",
        "GetSecurityGroupsForVpc",
        "DescribeIpamPools",
        "DescribeRouteTables",
      ]),
      ...describe("elasticloadbalancing", [
        "DescribeLoadBalancers",
        "DescribeLoadBalancerAttributes",
        "DescribeListeners",
        "DescribeListenerCertificates",
        "DescribeSSLPolicies",
        "DescribeRules",
        "DescribeTargetGroups",
        "DescribeTargetGroupAttributes",
        "DescribeTargetHealth",
        "DescribeTags",
        "DescribeTrustStores",
        "DescribeListenerAttributes",
        "DescribeCapacityReservation",
      ]),
    ],
    Resource: "*",
  },
  // Certificates, WAF and Shield for ALBs (the controller reads them even when unused).
  {
    Action: [
      "cognito-idp:DescribeUserPoolClient",
      "acm:ListCertificates",
      "acm:DescribeCertificate",
      "iam:ListServerCertificates",
      "iam:GetServerCertificate",
      ...describe("waf-regional", [
        "GetWebACL",
        "GetWebACLForResource",
        "AssociateWebACL",
        "DisassociateWebACL",
      ]),
      ...describe("wafv2", ["GetWebACL", "GetWebACLForResource", "AssociateWebACL", "DisassociateWebACL"]),
      ...describe("shield", [
        "GetSubscriptionState",
        "DescribeProtection",
        "CreateProtection",
        "DeleteProtection",
      ]),
    ],
    Resource: "*",
  },
  // Security groups: the load balancers' own, and rules on the nodes' for the targets.
  { Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"], Resource: "*" },
  { Action: ["ec2:CreateSecurityGroup"], Resource: "*" },
  {
    Action: ["ec2:CreateTags"],
    Resource: SECURITY_GROUPS,
    Condition: { StringEquals: { "ec2:CreateAction": "CreateSecurityGroup" }, ...REQUEST_TAGGED },
  },
  { Action: ["ec2:CreateTags", "ec2:DeleteTags"], Resource: SECURITY_GROUPS, Condition: RETAG },
  {
    Action: [
      "ec2:AuthorizeSecurityGroupIngress",
      "ec2:RevokeSecurityGroupIngress",
      "ec2:DeleteSecurityGroup",
    ],
    Resource: "*",
    Condition: RESOURCE_TAGGED,
  },
  // Load balancers and target groups it creates, tagged with the cluster.
  {
    Action: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
    Resource: "*",
    Condition: REQUEST_TAGGED,
  },
  {
    Action: describe("elasticloadbalancing", [
      "CreateListener",
      "DeleteListener",
      "CreateRule",
      "DeleteRule",
    ]),
    Resource: "*",
  },
  {
    Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
    Resource: BALANCERS,
    Condition: RETAG,
  },
  {
    Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
    Resource: ELB([
      "listener/net/*/*/*",
      "listener/app/*/*/*",
      "listener-rule/net/*/*/*",
      "listener-rule/app/*/*/*",
    ]),
  },
  {
    Action: describe("elasticloadbalancing", [
      "ModifyLoadBalancerAttributes",
      "SetIpAddressType",
      "SetSecurityGroups",
      "SetSubnets",
      "DeleteLoadBalancer",
      "ModifyTargetGroup",
      "ModifyTargetGroupAttributes",
      "DeleteTargetGroup",
      "ModifyListenerAttributes",
      "ModifyCapacityReservation",
      "ModifyIpPools",
    ]),
    Resource: "*",
    Condition: RESOURCE_TAGGED,
  },
  {
    Action: ["elasticloadbalancing:AddTags"],
    Resource: BALANCERS,
    Condition: {
      StringEquals: { "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"] },
      ...REQUEST_TAGGED,
    },
  },
  // Registering the pods (IP targets) of the Services it serves.
  {
    Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
    Resource: "arn:{partition}:elasticloadbalancing:*:*:targetgroup/*/*",
  },
  {
    Action: describe("elasticloadbalancing", [
      "SetWebAcl",
      "ModifyListener",
      "AddListenerCertificates",
      "RemoveListenerCertificates",
      "ModifyRule",
      "SetRulePriorities",
    ]),
    Resource: "*",
  },
];

/** The controller's IAM policy document for a partition (`aws`, `aws-cn`, `aws-us-gov`). */
export function awsLoadBalancerControllerPolicy(partition: string): {
  Version: string;
  Statement: unknown[];
} {
  const arn = (r: string): string => r.replace("{partition}", partition);
  return {
    Version: "2012-10-17",
    Statement: STATEMENTS.map((s) => ({
      Effect: "Allow",
      Action: [...s.Action],
      Resource: typeof s.Resource === "string" ? arn(s.Resource) : s.Resource.map(arn),
      ...(s.Condition === undefined ? {} : { Condition: s.Condition }),
    })),
  };
}
