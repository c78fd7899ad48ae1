/**
 * The kubeconfig Pulumi reaches an EKS cluster with: `aws eks get-token` as exec credential, so no
 * token is ever stored. Secret (it names the cluster and carries its CA).
 */
import type * as aws from "./pulumi-aws";
import * as pulumi from "@pulumi/pulumi";
import { execKubeconfig } from "../kubeconfig";

/** The cluster's kubeconfig, with the AWS CLI (and `profile`, if given) minting the tokens. */
export function eksKubeconfig(
  eksCluster: aws.eks.Cluster,
  region: string,
  profile: string | undefined,
): pulumi.Output<string> {
  return pulumi.secret(
    pulumi
      .all([eksCluster.name, eksCluster.endpoint, eksCluster.certificateAuthority])
      .apply(([clusterName, endpoint, ca]) =>
        execKubeconfig({
          name: clusterName,
          server: endpoint,
          // Unset only under mocks that compute no outputs (outputs echo inputs).
          certificateAuthorityData: ca?.data ?? "",
          exec: {
            command: "aws",
            args: ["eks", "get-token", "--cluster-name", clusterName, "--region", region, "--output", "json"],
            ...(profile === undefined ? {} : { env: { AWS_PROFILE: profile } }),
            installHint:
              "Install the AWS CLI v2: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html",
          },
        }),
      ),
  );
}
