/**
 * Every folder isthmus writes applies to a fresh, real cluster: for every example, the per-cluster
 * folders of `isthmus plan --out`; for every synth document, the per-cluster `manifests.yaml` and
 * Helm values of `isthmus synth`. Istio's releases are rendered by real Helm from Istio's charts with
 * the values isthmus wrote; everything is applied to a real kube-apiserver as a GitOps tool orders
 * it (test/real/support/gitops.ts); nothing may be rejected, Secrets included, and no admission
 * webhook of any cluster may target an `ExternalName` Service (kube-apiserver refuses to call one).
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { readYamlFile } from "../../lib/cli/program";
import { planProgram } from "../../lib/cli/plan-command";
import { synthSpec } from "../../lib/cli/synth-command";
import { startControlPlane } from "./support/control-plane";
import {
  applyClusterOutput,
  readPlanFolder,
  readSynthFolder,
  webhooksOnExternalName,
  type ClusterOutput,
} from "./support/gitops";

const ROOT = resolve(__dirname, "../..");

/** Every Pulumi program of the repository: the root demo and each example. */
const PROGRAMS = [
  ".",
  ...readdirSync(join(ROOT, "examples"))
    .filter((name) => existsSync(join(ROOT, "examples", name, "Pulumi.yaml")))
    .map((name) => `examples/${name}`),
];

/** Every mesh document synth is run on in the repository's tests and examples. */
const SYNTH_DOCUMENTS = [
  "test/cli/fixtures/two-regions.yaml",
  "test/cli/fixtures/document.yaml",
  "examples/wireguard-two-region/mesh.yaml",
];

/** Charts that are not Istio's, and so cannot be rendered here (no chart repository is reachable). */
const NOT_RENDERABLE_HERE = /^[a-z0-9-]+ \((aws-load-balancer-controller)\)$/;

/** Applies each cluster's output to its own fresh control plane, at most two at a time. */
async function applyEach(
  outputs: Record<string, ClusterOutput>,
  mode: "sorted" | "objects-as-written" = "sorted",
): Promise<Record<string, { applied: string[]; external: string[] }>> {
  const results: Record<string, { applied: string[]; external: string[] }> = {};
  const queue = Object.entries(outputs);
  const failures: string[] = [];
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const [id, output] = next;
      const cluster = await startControlPlane({ name: id });
      try {
        const result = applyClusterOutput(cluster, output, mode);
        for (const release of result.notRendered) {
          if (!NOT_RENDERABLE_HERE.test(release)) failures.push(`${id}: release ${release} was not rendered`);
        }
        results[id] = { applied: result.applied, external: webhooksOnExternalName(cluster) };
      } catch (error) {
        failures.push(`${id}: ${(error as Error).message}`);
      } finally {
        await cluster.stop();
      }
    }
  };
  await Promise.all([worker(), worker()]);
  assert.deepEqual(failures, [], failures.join("\n"));
  return results;
}

describe("real: every written folder applies to a fresh cluster", function () {
  this.timeout(600_000);
  let work: string;
  before(() => {
    work = mkdtempSync(join(tmpdir(), "isthmus-real-outputs-"));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  for (const program of PROGRAMS) {
    it(`isthmus plan ${program}: every cluster folder, with Istio's releases rendered by Helm`, async () => {
      const dir = join(ROOT, program);
      const configFile = join(dir, "Pulumi.offline.yaml");
      const out = join(work, "plan", program.replace(/\//g, "_"));
      const plan = await planProgram(dir, { outDir: out, ...(existsSync(configFile) ? { configFile } : {}) });
      const clusters = readdirSync(out).filter((f) => !f.includes(".") && !f.startsWith("_"));
      assert.ok(clusters.length >= 2, `${program}: ${clusters.length} cluster folders`);
      assert.ok(plan.resources.length > 0);
      const outputs = Object.fromEntries(clusters.map((id) => [id, readPlanFolder(out, id)]));
      const results = await applyEach(outputs);
      for (const [id, result] of Object.entries(results)) {
        assert.deepEqual(result.external, [], `${program} ${id}: webhooks on ExternalName Services`);
        assert.ok(
          result.applied.some((o) => o.startsWith("Secret ")),
          `${program} ${id}: no Secret applied`,
        );
        assert.ok(
          result.applied.some((o) => o.startsWith("CustomResourceDefinition ")),
          `${program} ${id}: Istio's CRDs were not applied`,
        );
      }
    });
  }

  for (const document of SYNTH_DOCUMENTS) {
    it(`isthmus synth ${document}: Helm releases from the values files, then each manifests.yaml in one apply, as written`, async () => {
      const out = join(work, "synth", document.replace(/\//g, "_"));
      synthSpec(readYamlFile(join(ROOT, document), "spec file"), out);
      const clusters = readdirSync(out).filter((f) => !f.includes(".") && !f.startsWith("_"));
      // The user replaces each remote's placeholder with the primary's east-west gateway address.
      const outputs = Object.fromEntries(
        clusters.map((id) => [id, readSynthFolder(out, id, () => "198.19.0.10")]),
      );
      const results = await applyEach(outputs, "objects-as-written");
      for (const [id, result] of Object.entries(results)) {
        assert.deepEqual(result.external, [], `${document} ${id}: webhooks on ExternalName Services`);
        assert.ok(result.applied.includes("Namespace istio-system"), `${document} ${id}: no istio-system`);
      }
    });
  }
});
