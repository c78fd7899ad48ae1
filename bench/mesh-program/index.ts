/**
 * A generated mesh of existing clusters, for timing `isthmus plan` at scale (`npm run bench`):
 *
 *     isthmus plan bench/mesh-program --config <file with clusters, model, slots>
 *
 * Config: `clusters` (count), `model` (`multi-primary` or `primary-remote`: one primary, `c0000`),
 * `slots` (optional `allocation.slots`). Existing clusters: the mesh alone, no cloud resources.
 */
import * as pulumi from "@pulumi/pulumi";
import { MultiClusterMesh, planMesh, type MeshSpec } from "../../lib";
import { benchMeshSpec, existingHandles } from "../mesh-spec";

const config = new pulumi.Config();
const spec: MeshSpec = benchMeshSpec(
  config.requireNumber("clusters"),
  (config.get("model") ?? "multi-primary") as "multi-primary" | "primary-remote",
  config.getNumber("slots"),
);

new MultiClusterMesh("bench", { plan: planMesh(spec), clusters: existingHandles(spec) });
