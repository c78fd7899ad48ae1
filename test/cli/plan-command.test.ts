import * as assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import * as pulumi from "@pulumi/pulumi";
import { planProgram, programFailure, UNKNOWN, type PlanResult } from "../../lib/cli/plan-command";
import { ProgramError } from "../../lib/cli/program";

const ROOT = path.resolve(__dirname, "../..");

/** Every file under `dir`, relative to it, sorted. */
function walk(dir: string, prefix = ""): string[] {
  return readdirSync(dir)
    .flatMap((entry) => {
      const full = path.join(dir, entry);
      return statSync(full).isDirectory() ? walk(full, `${prefix}${entry}/`) : [`${prefix}${entry}`];
    })
    .sort();
}

/** The forms of key material isthmus handles; none may appear in a written plan. */
const KEY_MATERIAL: readonly [string, RegExp][] = [
  ["a private key", /PRIVATE KEY/],
  ["a JWT (service-account token)", /eyJ/],
  ["a kubeconfig token", /token:\s*\S{20,}/],
];

describe("planProgram", () => {
  let out: string;
  let result: PlanResult;
  before(async () => {
    out = mkdtempSync(path.join(tmpdir(), "isthmus-plan-"));
    result = await planProgram(ROOT, { outDir: out });
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  it("writes one folder of manifests per cluster, plan.json and graph.md, and lists them", () => {
    const files = walk(out);
    assert.deepEqual([...result.files].sort(), files);
    assert.deepEqual([...new Set(files.map((f) => f.split("/")[0]))].sort(), [
      "_helm",
      "graph.md",
      "plan.json",
      "region1",
      "region2",
    ]);
    for (const [cluster, other] of [
      ["region1", "region2"],
      ["region2", "region1"],
    ]) {
      const mine = files.filter((f) => f.startsWith(`${cluster}/`));
      assert.ok(
        mine.every((f) => f.endsWith(".yaml")),
        `${cluster}: ${mine.join(", ")}`,
      );
      // Kubernetes objects only: a GitOps tool pointed at the folder applies every file in it.
      for (const file of mine) {
        const object = parse(readFileSync(path.join(out, file), "utf8")) as Record<string, unknown>;
        assert.equal(typeof object.apiVersion, "string", `${file}: no apiVersion`);
        assert.equal(typeof object.kind, "string", `${file}: no kind`);
      }
      assert.deepEqual(
        files.filter((f) => f.startsWith(`_helm/${cluster}/`)),
        ["aws-load-balancer-controller", "istio-base", "istio-eastwestgateway", "istiod"].map(
          (release) => `_helm/${cluster}/${release}.values.yaml`,
        ),
      );
      for (const expected of [
        "namespace-istio-system.yaml",
        "secret-istio-system-cacerts.yaml",
        `secret-istio-system-istio-remote-secret-${other}.yaml`,
        "gateway-istio-system-cross-network-gateway.yaml",
        "destinationrule-sample-helloworld-failover.yaml",
        "deployment-sample-helloworld.yaml",
      ]) {
        assert.ok(
          mine.includes(`${cluster}/${expected}`),
          `${cluster}/${expected} missing; got ${mine.join(", ")}`,
        );
      }
    }
    const text = readFileSync(path.join(out, "_helm/region2/istiod.values.yaml"), "utf8");
    assert.equal(
      text.split("\n")[0],
      "# helm upgrade --install istiod istiod --repo https://istio-release.storage.googleapis.com/charts " +
        "--version 1.30.3 --namespace istio-system --create-namespace --values istiod.values.yaml",
    );
    const istiod = parse(text);
    assert.equal(istiod.global.multiCluster.clusterName, "region2");
    assert.equal(istiod.global.meshID, "demo");
  });

  it("writes plan.json with the mesh plan of both clusters and every resource", () => {
    const plan = JSON.parse(readFileSync(path.join(out, "plan.json"), "utf8"));
    assert.equal(plan.project, "isthmus-demo");
    assert.deepEqual(Object.keys(plan.meshPlans), ["demo"]);
    assert.deepEqual(Object.keys(plan.meshPlans.demo.clusters).sort(), ["region1", "region2"]);
    assert.equal(plan.meshPlans.demo.clusters.region1.region, "us-east-1");
    assert.equal(plan.meshPlans.demo.clusters.region2.region, "us-west-2");
    assert.equal(plan.resources.length, result.resources.length);
    const istiod = plan.resources.find(
      (r: { type: string; cluster?: string; inputs: { name?: string } }) =>
        r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.name === "istiod" && r.cluster === "region1",
    );
    assert.ok(istiod, "no istiod release for region1 in plan.json");
    assert.deepEqual(result.meshPlans, plan.meshPlans);
  });

  it("writes graph.md as a Mermaid flowchart of the stack graph", () => {
    const graph = readFileSync(path.join(out, "graph.md"), "utf8");
    const fence = graph.indexOf("```mermaid\nflowchart");
    assert.ok(fence >= 0, `no Mermaid fence in:\n${graph.slice(0, 200)}`);
    assert.match(graph.slice(0, fence), /^# Stack graph of isthmus-demo\n/);
    assert.ok(graph.trimEnd().endsWith("```"));
    assert.match(graph, /demo-region1-eks<br\/><small>aws:eks\/cluster:Cluster<\/small>/);
    assert.match(graph, / -\.?-> /);
  });

  it("reports the resource tree grouped by component, and counts by type and by cluster", () => {
    assert.match(result.report, /^Offline plan of isthmus-demo \(/);
    assert.match(result.report, /^demo \(isthmus:mesh:MultiClusterMesh\)$/m);
    assert.match(result.report, /^├─ demo-trust \(isthmus:mesh:MeshTrust\)$/m);
    assert.match(result.report, /^demo-region1 \(isthmus:clusters:EksCluster\)$/m);
    assert.ok(result.report.includes(`\n${result.resources.length} resources by type:\n`));
    assert.match(result.report, /^ +2 {2}aws:eks\/cluster:Cluster$/m);
    assert.match(result.report, /^Kubernetes resources by cluster:\n +\d+ {2}region1\n +\d+ {2}region2$/m);
  });

  it("writes no key material anywhere, though the engine produced some", () => {
    // The scan below is meaningful: the recorded state does hold keys and tokens.
    const state = JSON.stringify(result.resources.map((r) => r.outputs));
    assert.ok(
      /PRIVATE KEY/.test(state) && /eyJ/.test(state),
      "the engine returned no key material to redact",
    );
    for (const file of walk(out)) {
      const text = readFileSync(path.join(out, file), "utf8");
      for (const [what, pattern] of KEY_MATERIAL) {
        assert.ok(!pattern.test(text), `${file} contains ${what}`);
      }
    }
  });

  it("writes every Secret as a valid Secret: each key kept, each value redacted", () => {
    const secrets = walk(out)
      .filter((f) => f.endsWith(".yaml"))
      .map((f) => ({ file: f, doc: parse(readFileSync(path.join(out, f), "utf8")) }))
      .filter(({ doc }) => doc?.kind === "Secret");
    const byName = Object.fromEntries(secrets.map(({ file, doc }) => [file, doc.stringData]));
    // A reviewer sees which keys each Secret carries; a real API server accepts the object
    // (`stringData` must be a map of strings, test/real proves it against kube-apiserver).
    assert.deepEqual(byName["region1/secret-istio-system-cacerts.yaml"], {
      "ca-cert.pem": "[secret]",
      "ca-key.pem": "[secret]",
      "cert-chain.pem": "[secret]",
      "root-cert.pem": "[secret]",
    });
    assert.deepEqual(byName["region1/secret-istio-system-istio-remote-secret-region2.yaml"], {
      region2: "[secret]",
    });
    for (const { file, doc } of secrets) {
      assert.equal(doc.data, undefined, `${file}: data is written`);
      assert.equal(typeof doc.stringData, "object", `${file}: stringData is not a map`);
      for (const value of Object.values(doc.stringData as Record<string, unknown>)) {
        assert.equal(value, "[secret]", `${file}: a value is not redacted`);
      }
    }
  });

  it("plans a preview: what the clouds compute is unknown, everything else the same", async () => {
    const previewed = await planProgram(ROOT, { preview: true });
    assert.equal(previewed.outputs.clusterStatus, UNKNOWN);
    assert.equal(previewed.outputs.certificateExpiry, UNKNOWN);
    assert.deepEqual(previewed.outputs.networks, { region1: "network-region1", region2: "network-region2" });
    const names = (r: PlanResult): string[] => r.resources.map((x) => `${x.type} ${x.name}`).sort();
    assert.deepEqual(names(previewed), names(result));
  });

  it("evaluates the program with a stack config file, again in the same process", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "isthmus-config-"));
    try {
      const configFile = path.join(dir, "Pulumi.eu.yaml");
      writeFileSync(configFile, "config:\n  isthmus-demo:region1: eu-west-1\n  region2: eu-central-1\n");
      const eu = await planProgram(ROOT, { configFile });
      assert.equal(eu.files.length, 0, "no outDir: nothing written");
      assert.equal(eu.resources.length, result.resources.length);
      const clusters = (eu.meshPlans.demo as { clusters: Record<string, { region: string }> }).clusters;
      assert.equal(clusters.region1!.region, "eu-west-1");
      assert.equal(clusters.region2!.region, "eu-central-1");
      const awsRegions = eu.resources
        .filter((r) => r.type === "pulumi:providers:aws")
        .map((r) => `${r.name}=${String(r.inputs.region)}`)
        .sort();
      assert.deepEqual(awsRegions, ["demo-region1-aws=eu-west-1", "demo-region2-aws=eu-central-1"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("plan: which errors are the user's", () => {
  const label = "app/index.ts";
  const withStack = (message: string, file: string): Error => {
    const error = new Error(message);
    error.stack = `Error: ${message}\n    at helper (/x/node_modules/yaml/dist/index.js:1:1)\n    at Object.<anonymous> (${file}:3:9)`;
    return error;
  };

  it("an error raised inside isthmus stays what it is: a bug (exit 70, with its stack)", () => {
    const bug = withStack(
      "Cannot read properties of undefined (reading 'id')",
      path.join(ROOT, "lib", "components", "x.ts"),
    );
    assert.equal(programFailure(bug, label, undefined), bug);
  });

  it("an error raised in the program's own code is the user's, named with the program", () => {
    const failure = programFailure(withStack("no such region", "/home/me/app/index.ts"), label, undefined);
    assert.ok(failure instanceof ProgramError);
    assert.equal(
      failure.message,
      "app/index.ts: the program failed: no such region (at /home/me/app/index.ts)",
    );
  });

  it("a refusal of the offline engine is the user's: the plan fails where the cloud would", async () => {
    const program = path.join(__dirname, "fixtures", "gcp-api-off");
    const project = "(the provider's default project)";
    await assert.rejects(planProgram(program), (error: Error) => {
      assert.ok(error instanceof ProgramError, `${error.name}: ${error.message}`);
      assert.equal(
        error.message,
        `${path.relative(process.cwd(), path.join(program, "index.ts"))}: failed to register new resource net [gcp:compute/network:Network]: ` +
          `Error creating Network: googleapi: Error 403: Compute Engine API has not been used in project ${project} before or it is disabled. ` +
          `Enable it by visiting https://console.developers.google.com/apis/api/compute.googleapis.com/overview?project=${project} then retry. ` +
          "If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry., accessNotConfigured " +
          `[offline engine: nothing in the program enables compute.googleapis.com in project ${project}, and a new project has it disabled. ` +
          "Enable it with gcp.projects.Service (GkeCluster does) and depend on it, or declare it with OfflineEngineOptions.alreadyInPlace.gcpApis.]",
      );
      return true;
    });
  });

  it("Pulumi's config errors are the user's, and say which file to fix", () => {
    const missing = new pulumi.RunError(
      "Missing required configuration variable 'app:region1'\n\tplease set a value using the command `pulumi config set app:region1 <value>`",
    );
    assert.equal(
      (programFailure(missing, label, "Pulumi.dev.yaml") as Error).message,
      `app/index.ts: missing required configuration variable 'app:region1'; add "app:region1: <value>" under config: in Pulumi.dev.yaml.`,
    );
    const invalid = new pulumi.RunError("Configuration 'app:size' value 'x' is not a valid number");
    assert.equal(
      (programFailure(invalid, label, undefined) as Error).message,
      "app/index.ts: Configuration 'app:size' value 'x' is not a valid number",
    );
  });
});
