/**
 * ClusterReader: read-only access to one cluster's API for the primaries that discover its endpoints.
 *
 * A `kubernetes.io/service-account-token` Secret for `istio-reader-service-account` (which the `base`
 * chart creates), created once the token controller has filled it in, and a kubeconfig built from
 * the cluster's endpoint, CA and that token: never an exec plugin, which istiod rejects. The
 * kubeconfig is a secret.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { MeshCluster } from "../base/mesh-cluster";
import type { MeshPlan } from "../core/mesh-plan";
import { readerTokenSecret, remoteSecretKubeconfig } from "../core/remote-secret";

/** The Pulumi Kubernetes provider's annotation that makes it wait for a condition after a create. */
export const WAIT_FOR_ANNOTATION = "pulumi.com/waitFor";

/** Arguments of {@link ClusterReader}. */
export interface ClusterReaderArgs {
  readonly plan: MeshPlan;
  /** The cluster whose API is read. */
  readonly clusterId: string;
  readonly cluster: MeshCluster;
  /**
   * What creates the reader service account (the cluster's `base` release): the token Secret waits
   * for it, since the token controller deletes tokens of missing service accounts.
   */
  readonly serviceAccountReady: pulumi.Input<pulumi.Resource>[];
}

/** The reader token and kubeconfig of one cluster. */
export class ClusterReader extends pulumi.ComponentResource {
  /** A kubeconfig for the reader, token auth; a secret. */
  declare readonly kubeconfig: pulumi.Output<string>;

  constructor(name: string, args: ClusterReaderArgs, opts?: pulumi.ComponentResourceOptions) {
    super("isthmus:mesh:ClusterReader", name, {}, opts);
    const { plan, clusterId, cluster } = args;
    const manifest = readerTokenSecret(plan);
    const provider = cluster.provider;
    // The provider waits until the token controller has filled the token in (`pulumi.com/waitFor`),
    // so the created Secret's state carries it: no read-back needed, and nothing to read in preview.
    const secret = new k8s.core.v1.Secret(
      `${name}-token`,
      {
        metadata: {
          ...manifest.metadata,
          annotations: { ...manifest.metadata.annotations, [WAIT_FOR_ANNOTATION]: "jsonpath={.data.token}" },
        },
        type: manifest.type as string,
      },
      { parent: this, provider, dependsOn: args.serviceAccountReady },
    );
    const token = pulumi.secret(
      secret.data.apply((data) => {
        // No data at all only under mocks that compute no outputs (outputs echo inputs): no token then.
        if (data === undefined) return "";
        const encoded = data.token;
        if (!encoded)
          throw new Error(`${name}: the token Secret has no token; is the token controller running?`);
        return Buffer.from(encoded, "base64").toString("utf8");
      }),
    );
    this.kubeconfig = pulumi.secret(
      pulumi.all([cluster.endpoint, cluster.certificateAuthority, token]).apply(([server, caPem, t]) =>
        // No endpoint only under mocks that compute no outputs (outputs echo inputs).
        server === undefined ? "" : remoteSecretKubeconfig({ clusterId, server, caPem, token: t }),
      ),
    );
    this.registerOutputs({ kubeconfig: this.kubeconfig });
  }
}
