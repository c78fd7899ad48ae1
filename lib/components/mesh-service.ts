/**
 * MeshService: one service deployed once to chosen clusters, with per-cluster overrides (image tag,
 * replicas): the job kubefed's FederatedDeployment did. The service comes from the plan, validated
 * with its document.
 */
import * as pulumi from "@pulumi/pulumi";
import type { MeshCluster } from "../base/mesh-cluster";
import type { MeshPlan, PlannedFeature } from "../core/mesh-plan";
import type { MeshServiceSpec } from "../core/mesh-service";
import { serviceFeature } from "../manifests/features";
import { applyFeature } from "./render-cluster";
import { throwIfBadArguments } from "../base/argument-checks";
import { MESH_SERVICE_ARGUMENTS } from "../base/component-arguments";

/** Arguments of {@link MeshService}. */
export interface MeshServiceArgs {
  readonly plan: MeshPlan;
  /** One of `plan.services`. */
  readonly service: PlannedFeature<MeshServiceSpec>;
  /** Every cluster's handle, by id. */
  readonly clusters: Readonly<Record<string, MeshCluster>>;
  /**
   * What the objects wait for in each cluster (its istiod, which injects the sidecars).
   * @default - nothing
   */
  readonly dependsOn?: Readonly<Record<string, readonly pulumi.Resource[]>>;
  /**
   * Apply it only in these of its clusters: a fleet stack applies the part that lands in the
   * clusters it owns, and needs only their handles. Ids the plan does not place it in get nothing.
   * @default - every cluster the plan places it in
   */
  readonly onlyIn?: readonly string[];
}

/** One service across clusters. */
export class MeshService extends pulumi.ComponentResource {
  /** The clusters the service runs in. */
  declare readonly clusterIds: readonly string[];

  constructor(name: string, args: MeshServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfBadArguments(`MeshService ${name}`, args, MESH_SERVICE_ARGUMENTS);
    super("isthmus:traffic:MeshService", name, {}, opts);
    const rendered = applyFeature(this, name, args, serviceFeature(args.service));
    this.clusterIds = Object.keys(rendered).filter((id) => rendered[id]!.length > 0);
    this.registerOutputs({ clusterIds: this.clusterIds });
  }
}
