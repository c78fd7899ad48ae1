/**
 * RemoteSecret: the Secret through which a primary's istiod discovers another cluster's endpoints
 * (`istio-remote-secret-<target>`, label `istio/multiCluster: "true"`, annotation
 * `networking.istio.io/cluster: <target>`, the kubeconfig under the data key `<target>`).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { DiscoveryPair, MeshPlan } from "../core/mesh-plan";
import { remoteSecretManifest } from "../core/remote-secret";
import { throwIfBadArguments } from "../base/argument-checks";
import { REMOTE_SECRET_ARGUMENTS } from "../base/component-arguments";

/** Arguments of {@link RemoteSecret}. */
export interface RemoteSecretArgs {
  readonly plan: MeshPlan;
  /** Which primary reads which cluster. */
  readonly pair: DiscoveryPair;
  /** The reader (primary) cluster's provider. */
  readonly provider: k8s.Provider;
  /** The target's reader kubeconfig (a secret). */
  readonly kubeconfig: pulumi.Input<string>;
  /**
   * What the Secret waits for in the reader cluster (its istio-system Namespace).
   * @default - nothing
   */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** One remote secret in one primary. */
export class RemoteSecret extends pulumi.ComponentResource {
  /** The Secret's name in the reader's istio-system. */
  declare readonly secretName: string;

  constructor(name: string, args: RemoteSecretArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfBadArguments(`RemoteSecret ${name}`, args, REMOTE_SECRET_ARGUMENTS);
    super("isthmus:mesh:RemoteSecret", name, {}, opts);
    const manifest = remoteSecretManifest(args.plan, args.pair);
    new k8s.core.v1.Secret(
      `${name}-secret`,
      {
        metadata: manifest.metadata,
        type: manifest.type,
        stringData: pulumi.secret(pulumi.output(args.kubeconfig).apply((k) => ({ [manifest.dataKey]: k }))),
      },
      { parent: this, provider: args.provider, ...(args.dependsOn ? { dependsOn: args.dependsOn } : {}) },
    );
    this.secretName = manifest.metadata.name;
    this.registerOutputs({ secretName: this.secretName });
  }
}
