/**
 * Every Pulumi.yaml in the repository resolves to its own program under Pulumi's Node runtime
 * rule, and that program registers resources when the SDK's own runner runs it (with the offline
 * engine as mocks). The rule (sdk/nodejs/cmd/run/run.ts): the language host passes Pulumi.yaml's
 * `main`, or `.`; for `.`, the nearest package.json's `exports` / `main` wins — which, in this
 * repository, is the library itself.
 */
import * as assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { loadProgram, pulumiEntryPoint } from "../lib/cli/program";
import { runPulumiProgram, type RunnerResult } from "./support/pulumi-runner";

const ROOT = path.resolve(__dirname, "..");
const ENGINE = path.join(ROOT, "lib", "testing", "index.ts");

/** Every Pulumi.yaml outside node_modules and build output, as its directory. */
function projectDirs(dir = ROOT): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (["node_modules", "out", "dist", ".git", ".tmp"].includes(entry.name)) continue;
      out.push(...projectDirs(path.join(dir, entry.name)));
    } else if (entry.name === "Pulumi.yaml") {
      out.push(dir);
    }
  }
  return out.sort();
}

interface Project {
  readonly name: string;
  readonly main?: string;
  readonly runtime?:
    string | { readonly options?: { readonly typescript?: boolean; readonly nodeargs?: string } };
}

function project(dir: string): Project {
  return parse(readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as Project;
}

function runtimeOptions(p: Project): { typescript?: boolean; nodeargs?: string } {
  return typeof p.runtime === "object" ? (p.runtime.options ?? {}) : {};
}

/**
 * Fleets (a main exporting `fleetProgram`): each run is one stack, chosen by name; the runner runs
 * `trust`, which reads no other stack. The generated fleet runs small here.
 */
const FLEETS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "examples/core-edge/fleet": {},
  "bench/fleet-program": { ISTHMUS_FLEET_CLUSTERS: "40" },
};

/**
 * Templates depend on the published package; test/consumer.test.ts runs them from a packed install.
 * test/cli/fixtures holds programs the offline engine must refuse (test/cli/plan-command.test.ts).
 */
const DIRS = projectDirs().filter((d) => {
  const relative = path.relative(ROOT, d);
  return !relative.startsWith("templates") && !relative.startsWith(path.join("test", "cli", "fixtures"));
});

describe("every Pulumi.yaml", () => {
  it("is found: the root demo and every example", () => {
    const names = DIRS.map((d) => path.relative(ROOT, d) || ".");
    assert.ok(names.includes("."), names.join(", "));
    assert.ok(names.filter((n) => n.startsWith("examples/")).length >= 6, names.join(", "));
  });

  // Each run is a fresh Node process (the SDK runs one program per process): run them two at a time.
  const runs = new Map<string, Promise<RunnerResult>>();
  before(function () {
    this.timeout(300_000);
    const queue = [...DIRS];
    const worker = async (): Promise<void> => {
      for (let dir = queue.shift(); dir !== undefined; dir = queue.shift()) {
        const p = project(dir);
        const options = runtimeOptions(p);
        const offline = path.join(dir, "Pulumi.offline.yaml");
        const run = runPulumiProgram({
          pwd: dir,
          project: p.name,
          entry: p.main ?? ".",
          mocks: ENGINE,
          nodeargs: options.nodeargs?.split(" ") ?? [],
          typescript: options.typescript ?? true,
          config: loadProgram(dir, existsSync(offline) ? offline : undefined).config,
          ...(FLEETS[path.relative(ROOT, dir)] === undefined
            ? {}
            : { stack: "trust", env: FLEETS[path.relative(ROOT, dir)] }),
        });
        runs.set(dir, run);
        await run.catch(() => undefined);
      }
    };
    return Promise.all([worker(), worker()]);
  });

  for (const dir of DIRS) {
    const name = path.relative(ROOT, dir) || ".";
    it(`${name}: names its own program, which the SDK's runner loads and which registers resources`, async () => {
      const p = project(dir);
      assert.equal(p.main, "index.ts", `${name}/Pulumi.yaml: main`);
      const own = path.join(dir, "index.ts");
      assert.equal(pulumiEntryPoint(dir, p.main), own);
      const result = await runs.get(dir)!;
      assert.doesNotMatch(result.stderr, /^error:/m);
      assert.ok(result.loaded.includes(own), `loaded ${result.loaded.join(", ")}`);
      const types = new Set(result.resources.map((r) => r.type));
      if (FLEETS[name] !== undefined) {
        // The fleet's trust stack: the root and an intermediate per primary, nothing else.
        assert.ok(types.has("isthmus:mesh:MeshTrust"), [...types].join(", "));
        assert.ok(!types.has("kubernetes:helm.sh/v3:Release"), [...types].join(", "));
        return;
      }
      assert.ok(types.has("isthmus:mesh:MultiClusterMesh"), [...types].join(", "));
      assert.ok(result.resources.length > 20, `${result.resources.length} resources`);
    });
  }

  it("without main, runs the library's entry point instead (the rule this guards against)", async () => {
    const dir = path.join(ROOT, "examples", "aws-two-region");
    const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
      exports: { ".": { default: string } };
    };
    assert.equal(pulumiEntryPoint(dir, undefined), path.join(ROOT, manifest.exports["."].default));
    const result = await runPulumiProgram({
      pwd: dir,
      entry: ".",
      mocks: ENGINE,
      nodeargs: ["--import", "tsx"],
      typescript: false,
    });
    // Only the Stack: the library registers nothing, and the example never ran.
    assert.deepEqual(
      result.resources.map((r) => r.type),
      ["pulumi:pulumi:Stack"],
    );
    assert.ok(!result.loaded.includes(path.join(dir, "index.ts")));
  });
});
