/**
 * MeshService: one service deployed once to chosen clusters, with per-cluster overrides (image tag,
 * replicas): the job kubefed's FederatedDeployment did.
 */
import * as pulumi from "@pulumi/pulumi";
import type { MeshCluster } from "../base/mesh-cluster";
import type { MeshPlan } from "../core/mesh-plan";
import { validateMeshService, type MeshServiceSpec } from "../core/mesh-service";
import { MeshService as MeshServiceManifest } from "../manifests/mesh-service";
import { throwIfProblems } from "../base/input-errors";
import { applyFeature } from "./render-cluster";

/** Arguments of {@link MeshService}. */
export interface MeshServiceArgs {
  readonly plan: MeshPlan;
  readonly service: MeshServiceSpec;
  /** Every cluster's handle, by id. */
  readonly clusters: Readonly<Record<string, MeshCluster>>;
  /**
   * What the objects wait for in each cluster (its istiod, which injects the sidecars).
   * @default - nothing
   */
  readonly dependsOn?: Readonly<Record<string, readonly pulumi.Resource[]>>;
}

/** One service across clusters. */
export class MeshService extends pulumi.ComponentResource {
  /** The clusters the service runs in. */
  declare readonly clusterIds: readonly string[];

  constructor(name: string, args: MeshServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfProblems(`MeshService ${name}`, validateMeshService(args.plan, args.service, "service"));
    super("isthmus:traffic:MeshService", name, {}, opts);
    const rendered = applyFeature(
      this,
      name,
      args,
      (chart) => new MeshServiceManifest(chart, "service", args.service),
    );
    this.clusterIds = Object.keys(rendered).filter((id) => rendered[id]!.length > 0);
    this.registerOutputs({ clusterIds: this.clusterIds });
  }
}
