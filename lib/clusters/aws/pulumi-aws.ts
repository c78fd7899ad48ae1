/**
 * The parts of `@pulumi/aws` the AWS adapter uses, each from its own module: `import * as aws from
 * "./pulumi-aws"` reads as `@pulumi/aws` does (`aws.ec2.Vpc`, `aws.Provider`).
 *
 * Why not `@pulumi/aws` itself: its index requires every one of its ~250 service modules when it
 * loads, and its declarations reference all of them, so a program that type-checks against
 * `isthmus/aws` would parse ~31 MB of declarations for the few modules used here. From their own
 * modules (`@pulumi/aws/ec2`, … — the package has no `exports` map, so each path is public) it loads
 * and type-checks those alone. The classes are the same: the package's index re-exports these
 * modules.
 */
export * as ec2 from "@pulumi/aws/ec2";
export * as eks from "@pulumi/aws/eks";
export * as iam from "@pulumi/aws/iam";
export * as ssm from "@pulumi/aws/ssm";
export { getAvailabilityZonesOutput } from "@pulumi/aws/getAvailabilityZones";
export { Provider, type ProviderArgs } from "@pulumi/aws/provider";
export type { Region } from "@pulumi/aws/types/enums";
