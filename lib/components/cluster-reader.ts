/**
 * ClusterReader: read-only access to one cluster's API for the primaries that discover its endpoints.
 *
 * A `kubernetes.io/service-account-token` Secret for `istio-reader-service-account` (which the istiod
 * chart creates), read back once the token controller has filled it in, and a kubeconfig built from
 * the cluster's endpoint, CA and that token: never an exec plugin, which istiod rejects. The
 * kubeconfig is a secret.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { MeshCluster } from "../clusters/mesh-cluster";
import type { MeshPlan } from "../core/mesh-plan";
import { readerTokenSecret, remoteSecretKubeconfig } from "../core/remote-secret";

/** Arguments of {@link ClusterReader}. */
export interface ClusterReaderArgs {
  readonly plan: MeshPlan;
  /** The cluster whose API is read. */
  readonly clusterId: string;
  readonly cluster: MeshCluster;
  /**
   * What creates the reader service account (the cluster's istiod release): the token Secret waits
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
    const secret = new k8s.core.v1.Secret(
      `${name}-token`,
      { metadata: manifest.metadata, type: manifest.type as string },
      { parent: this, provider, dependsOn: args.serviceAccountReady },
    );
    // Read back: the controller fills in `token` after creation.
    const filled = k8s.core.v1.Secret.get(
      `${name}-token-filled`,
      pulumi.interpolate`${secret.metadata.namespace}/${secret.metadata.name}`,
      { parent: this, provider, dependsOn: [secret] },
    );
    const token = pulumi.secret(
      filled.data.apply((data) => {
        const encoded = data?.token;
        if (!encoded)
          throw new Error(`${name}: the token Secret has no token yet; is the token controller running?`);
        return Buffer.from(encoded, "base64").toString("utf8");
      }),
    );
    this.kubeconfig = pulumi.secret(
      pulumi
        .all([cluster.endpoint, cluster.certificateAuthority, token])
        .apply(([server, caPem, t]) => remoteSecretKubeconfig({ clusterId, server, caPem, token: t })),
    );
    this.registerOutputs({ kubeconfig: this.kubeconfig });
  }
}
