/**
 * FailoverPolicy: locality failover for one host, as a DestinationRule with outlier detection in
 * every primary (where istiod reads traffic policy). Istio's rules are checked before anything is
 * registered.
 */
import * as pulumi from "@pulumi/pulumi";
import type { MeshCluster } from "../base/mesh-cluster";
import { validateFailoverPolicy, type FailoverPolicySpec } from "../core/failover";
import type { MeshPlan } from "../core/mesh-plan";
import { FailoverPolicy as FailoverPolicyManifest } from "../manifests/failover-policy";
import { throwIfProblems } from "../base/input-errors";
import { applyFeature } from "./render-cluster";

/** Arguments of {@link FailoverPolicy}. */
export interface FailoverPolicyArgs {
  readonly plan: MeshPlan;
  readonly policy: FailoverPolicySpec;
  /** Every cluster's handle, by id. */
  readonly clusters: Readonly<Record<string, MeshCluster>>;
  /**
   * What the DestinationRule waits for in each cluster (its istiod).
   * @default - nothing
   */
  readonly dependsOn?: Readonly<Record<string, readonly pulumi.Resource[]>>;
}

/** One host's failover policy across the mesh. */
export class FailoverPolicy extends pulumi.ComponentResource {
  /** The clusters holding the DestinationRule (the primaries). */
  declare readonly clusterIds: readonly string[];

  constructor(name: string, args: FailoverPolicyArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfProblems(`FailoverPolicy ${name}`, validateFailoverPolicy(args.plan, args.policy, "policy"));
    super("isthmus:traffic:FailoverPolicy", name, {}, opts);
    const rendered = applyFeature(
      this,
      name,
      args,
      (chart) => new FailoverPolicyManifest(chart, "failover", args.policy),
    );
    this.clusterIds = Object.keys(rendered).filter((id) => rendered[id]!.length > 0);
    this.registerOutputs({ clusterIds: this.clusterIds });
  }
}
