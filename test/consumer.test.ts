/**
 * isthmus as a user gets it: `npm pack`, the tarball installed into a project laid out exactly like
 * `pulumi new aws-typescript` (commonjs, strict, no skipLibCheck, Pulumi's default ts-node) — which is
 * also how `pulumi new templates/aws-two-region` instantiates our template — and into one like
 * `pulumi new typescript` compiled with tsc. Each route runs under the Pulumi SDK's own program
 * runner or mocha, with mocks, and must register the demo's resources.
 *
 * The project's node_modules is a hard-linked copy of this repository's (no network, ~1 s), with
 * @pulumi/gcp removed (an AWS-only user), TypeScript 5 as a user has it (Pulumi's templates are
 * TypeScript 5; TypeScript 6 refuses their `moduleResolution: node`), and isthmus extracted from the
 * tarball. Declared dependencies are checked separately (every import of dist/ is declared).
 * ts-node runs transpile-only here (PULUMI_NODEJS_TRANSPILE_ONLY / TS_NODE_TRANSPILE_ONLY): the same
 * tsconfig is type-checked once by tsc, which is what ts-node's check would do.
 */
import * as assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { builtinModules } from "node:module";
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { planProgram } from "../lib/cli/plan-command";
import { runPulumiProgram, type RunnerResult } from "./support/pulumi-runner";

const ROOT = path.resolve(__dirname, "..");
const TEMPLATES = path.join(ROOT, "templates");
const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  version: string;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

/** Runs a command; resolves with its exit code and output (never rejects). */
function run(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.NODE_OPTIONS;
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, env: childEnv, timeout: 180_000, maxBuffer: 64 << 20 },
      (error, stdout, stderr) =>
        resolve({
          code: error === null ? 0 : typeof error.code === "number" ? error.code : 1,
          stdout,
          stderr,
        }),
    );
  });
}

/**
 * Instantiates a template the way `pulumi new` does: copies it, substitutes `${PROJECT}` and
 * `${DESCRIPTION}` in every file, and writes the stack config with each prompted key's default.
 */
export function instantiateTemplate(template: string, dir: string, project: string, stack: string): void {
  cpSync(template, dir, { recursive: true });
  for (const file of files(dir)) {
    const text = readFileSync(file, "utf8");
    writeFileSync(
      file,
      text.replaceAll("${PROJECT}", project).replaceAll("${DESCRIPTION}", "A two-region Istio mesh"),
    );
  }
  const declared = parse(readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as {
    template?: { config?: Record<string, { default?: unknown }> };
  };
  const config: Record<string, unknown> = {};
  for (const [key, prompt] of Object.entries(declared.template?.config ?? {})) {
    if (prompt.default !== undefined) config[key.includes(":") ? key : `${project}:${key}`] = prompt.default;
  }
  writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), stringify({ config }));
}

/** A node_modules for an AWS-only user: the repository's, hard-linked, with the packed isthmus. */
function installPacked(tarball: string, dir: string): void {
  const modules = path.join(dir, "node_modules");
  execFileSync("cp", ["-al", path.join(ROOT, "node_modules"), modules]);
  rmSync(path.join(modules, "@pulumi", "gcp"), { recursive: true, force: true });
  rmSync(path.join(modules, "isthmus"), { recursive: true, force: true });
  rmSync(path.join(modules, "typescript"), { recursive: true, force: true });
  execFileSync("cp", [
    "-al",
    path.join(ROOT, "node_modules", "typescript5"),
    path.join(modules, "typescript"),
  ]);
  mkdirSync(path.join(modules, "isthmus"));
  execFileSync("tar", ["-xzf", tarball, "-C", path.join(modules, "isthmus"), "--strip-components=1"]);
  symlinkSync("../isthmus/bin/isthmus.js", path.join(modules, ".bin", "isthmus"));
}

/** Resources as `<type> <name>`, sorted, without the Stack. */
function names(list: readonly { type: string; name: string }[]): string[] {
  return list
    .filter((r) => r.type !== "pulumi:pulumi:Stack")
    .map((r) => `${r.type} ${r.name}`)
    .sort();
}

function registered(stdout: string): string[] {
  const line = stdout.split("\n").find((l) => l.includes("REGISTERED "));
  assert.ok(line, stdout);
  return (JSON.parse(line.slice(line.indexOf("REGISTERED ") + "REGISTERED ".length)) as string[]).sort();
}

describe("the packed package in a user's project", function () {
  this.timeout(300_000);
  let tmp: string;
  let tarball: string;
  let app: string;
  let appJs: string;
  let demo: string[];
  const routes: Record<string, Promise<unknown>> = {};

  before(async function () {
    // dist/ must be built from the current sources (npm run test:integration builds first).
    for (const source of files(path.join(ROOT, "lib")).filter((f) => f.endsWith(".ts"))) {
      const built = path
        .join(ROOT, "dist", path.relative(path.join(ROOT, "lib"), source))
        .replace(/\.ts$/, ".js");
      assert.ok(
        existsSync(built) && statSync(built).mtimeMs >= statSync(source).mtimeMs,
        `${built} is missing or older than its source; run npm run build`,
      );
    }
    tmp = mkdtempSync(path.join(tmpdir(), "isthmus-consumer-"));
    const packed = execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", tmp], {
      cwd: ROOT,
      encoding: "utf8",
    });
    tarball = path.join(tmp, packed.trim().split("\n").pop()!);

    app = path.join(tmp, "mesh-app");
    instantiateTemplate(path.join(TEMPLATES, "aws-two-region"), app, "mesh-app", "dev");
    installPacked(tarball, app);
    mkdirSync(path.join(app, "test"));
    for (const spec of ["echo-mocks.spec.ts", "offline-engine.spec.ts"])
      copyFileSync(path.join(ROOT, "test", "consumer", spec), path.join(app, "test", spec));
    // The README's TypeScript blocks, each a file of the project, type-checked with it.
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    const blocks = [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
    blocks.forEach((code, i) => writeFileSync(path.join(app, `readme-${i + 1}.ts`), code));
    writeFileSync(
      path.join(app, "tsconfig.check.json"),
      JSON.stringify({
        extends: "./tsconfig.json",
        compilerOptions: { noEmit: true, exactOptionalPropertyTypes: true },
        files: ["index.ts", ...blocks.map((_, i) => `readme-${i + 1}.ts`)],
      }),
    );

    // `pulumi new typescript`, compiled: tsc to bin/, package.json main, Pulumi's TypeScript off.
    appJs = path.join(tmp, "mesh-app-js");
    mkdirSync(appJs);
    for (const f of ["index.ts", "tsconfig.json"]) copyFileSync(path.join(app, f), path.join(appJs, f));
    writeFileSync(
      path.join(appJs, "Pulumi.yaml"),
      "name: mesh-app\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n",
    );
    writeFileSync(
      path.join(appJs, "package.json"),
      JSON.stringify({ name: "mesh-app", main: "bin/index.js", scripts: { build: "tsc" } }, null, 2),
    );
    symlinkSync(path.join(app, "node_modules"), path.join(appJs, "node_modules"));

    demo = names((await planProgram(path.join(ROOT, "examples", "aws-two-region"))).resources);

    // Start every route now; two cores run them side by side.
    const config = { "mesh-app:region1": "us-east-1", "mesh-app:region2": "us-west-2" };
    const tsc = path.join(app, "node_modules", "typescript", "bin", "tsc");
    routes.check = run(process.execPath, [tsc, "-p", "tsconfig.check.json"], app);
    // The compiled route's tsc emits only (--noCheck): `check` above type-checks the same index.ts
    // against the same declarations with this tsconfig and exactOptionalPropertyTypes on top.
    routes.tscNode = run(process.execPath, [tsc, "-p", "tsconfig.json", "--noCheck"], appJs).then(
      async (build) => ({
        build,
        result: await runPulumiProgram({
          pwd: appJs,
          project: "mesh-app",
          entry: ".",
          mocks: "isthmus/testing",
          typescript: false,
          config,
        }),
      }),
    );
    routes.tsNode = runPulumiProgram({
      pwd: app,
      project: "mesh-app",
      entry: ".",
      mocks: "isthmus/testing",
      typescript: true,
      config,
      env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
    });
    const mocha = path.join(app, "node_modules", "mocha", "bin", "mocha.js");
    const tsNodeEnv = { TS_NODE_TRANSPILE_ONLY: "true" };
    routes.echo = run(
      process.execPath,
      [mocha, "-r", "ts-node/register", "test/echo-mocks.spec.ts"],
      app,
      tsNodeEnv,
    );
    routes.offline = run(
      process.execPath,
      [mocha, "-r", "ts-node/register", "test/offline-engine.spec.ts"],
      app,
      tsNodeEnv,
    );
    routes.plan = run(
      process.execPath,
      [path.join(app, "node_modules", ".bin", "isthmus"), "plan", ".", "--config", "Pulumi.dev.yaml"],
      app,
    );
  });

  after(() => {
    if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
  });

  it("the tarball holds compiled JS, .d.ts, the CLI, README, API.md and LICENSE; no sources, tests, bench or CI", () => {
    const listed = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).trim().split("\n");
    const inPackage = listed.map((f) => f.replace(/^package\//, ""));
    for (const f of [
      "LICENSE",
      "README.md",
      "API.md",
      "package.json",
      "bin/isthmus.js",
      "dist/index.js",
      "dist/index.d.ts",
      "dist/aws.d.ts",
      "dist/testing/index.js",
      "dist/cli/main.js",
    ])
      assert.ok(inPackage.includes(f), `${f} missing from the tarball`);
    const stray = inPackage.filter(
      (f) =>
        !/^(dist\/.+\.(js|d\.ts|d\.ts\.map)|bin\/isthmus\.js|README\.md|API\.md|LICENSE|package\.json)$/.test(
          f,
        ),
    );
    assert.deepEqual(stray, []);
  });

  it("declares every package dist/ imports, and keeps @pulumi/gcp off the path of isthmus and isthmus/aws", () => {
    const declared = new Set([
      ...Object.keys(manifest.dependencies),
      ...Object.keys(manifest.peerDependencies),
    ]);
    const builtins = new Set(builtinModules);
    for (const file of files(path.join(ROOT, "dist")).filter((f) => f.endsWith(".js"))) {
      for (const [, id] of readFileSync(file, "utf8").matchAll(/require\("([^".][^"]*)"\)/g)) {
        const name = id!.startsWith("@") ? id!.split("/").slice(0, 2).join("/") : id!.split("/")[0]!;
        if (builtins.has(name) || name.startsWith("node:")) continue;
        assert.ok(
          declared.has(name),
          `${path.relative(ROOT, file)} requires ${id}, which package.json does not declare`,
        );
      }
    }
    // Here @pulumi/gcp is installed: isthmus and isthmus/aws must still not load it.
    const loaded = execFileSync(
      process.execPath,
      [
        "-e",
        'require("./dist/index.js"); require("./dist/aws.js"); require("./dist/testing/index.js"); ' +
          "console.log(JSON.stringify(Object.keys(require.cache)))",
      ],
      { cwd: ROOT, encoding: "utf8" },
    );
    const modules = JSON.parse(loaded) as string[];
    assert.ok(
      modules.some((m) => m.includes("/node_modules/@pulumi/aws/")),
      "isthmus/aws loads @pulumi/aws",
    );
    assert.deepEqual(
      modules.filter((m) => m.includes("/node_modules/@pulumi/gcp/")),
      [],
    );
  });

  it("imports in an AWS-only project (no @pulumi/gcp installed), from isthmus, isthmus/aws, isthmus/testing and isthmus/fleet", () => {
    const out = execFileSync(
      process.execPath,
      [
        "-e",
        'const i = require("isthmus"); require("isthmus/aws"); require("isthmus/testing"); const f = require("isthmus/fleet"); console.log(Object.keys(i).sort().join(","), typeof f.runFleet, typeof f.meshFleet)',
      ],
      { cwd: app, encoding: "utf8" },
    );
    assert.match(out, /MultiClusterMesh/);
    assert.match(out, / function function$/m);
    assert.ok(!existsSync(path.join(app, "node_modules", "@pulumi", "gcp")));
  });

  it("type-checks the program and the README's code with the template's tsconfig and exactOptionalPropertyTypes, without skipLibCheck", async () => {
    const check = (await routes.check) as { code: number; stdout: string; stderr: string };
    assert.equal(check.code, 0, check.stdout + check.stderr);
  });

  it("(a) runs under Pulumi's runner with ts-node, Pulumi's default TypeScript path", async () => {
    const result = (await routes.tsNode) as RunnerResult;
    assert.doesNotMatch(result.stderr, /^error:/m);
    assert.ok(result.loaded.includes(path.join(app, "index.ts")), result.loaded.join(", "));
    assert.deepEqual(names(result.resources), demo);
  });

  it("(b) runs under Pulumi's runner as JavaScript compiled by tsc (package.json main)", async () => {
    const { build, result } = (await routes.tscNode) as {
      build: { code: number; stdout: string };
      result: RunnerResult;
    };
    assert.equal(build.code, 0, build.stdout);
    assert.doesNotMatch(result.stderr, /^error:/m);
    assert.ok(result.loaded.includes(path.join(appJs, "bin", "index.js")), result.loaded.join(", "));
    assert.deepEqual(names(result.resources), demo);
  });

  it("(c) passes a user's mocha + ts-node unit test with Pulumi's documented echo mocks, and exits", async () => {
    const echo = (await routes.echo) as { code: number; stdout: string; stderr: string };
    assert.equal(echo.code, 0, echo.stdout + echo.stderr);
    // Echo mocks see the same registrations (reads included) as the offline engine.
    assert.deepEqual(
      registered(echo.stdout).filter((r) => !r.startsWith("pulumi:pulumi:Stack")),
      demo,
    );
  });

  it("(d) passes the same unit test with isthmus's offline engine (isthmus/testing)", async () => {
    const offline = (await routes.offline) as { code: number; stdout: string; stderr: string };
    assert.equal(offline.code, 0, offline.stdout + offline.stderr);
    assert.deepEqual(registered(offline.stdout), demo);
  });

  for (const name of readdirSync(TEMPLATES)) {
    it(`templates/${name}: prompts only for config its program reads, and plans offline once instantiated`, async () => {
      const template = path.join(TEMPLATES, name);
      const declared = parse(readFileSync(path.join(template, "Pulumi.yaml"), "utf8")) as {
        name: string;
        description: string;
        template: { description: string; quickstart?: string; config?: Record<string, unknown> };
      };
      assert.equal(declared.name, "${PROJECT}");
      assert.equal(declared.description, "${DESCRIPTION}");
      assert.ok(declared.template.quickstart, "quickstart text");
      const program = readFileSync(path.join(template, "index.ts"), "utf8");
      for (const key of Object.keys(declared.template.config ?? {})) {
        const local = key.split(":").pop()!;
        assert.match(
          program,
          new RegExp(`config\\.(get|require)\\w*\\("${local}"\\)`),
          `${name} prompts for ${key}, which index.ts never reads`,
        );
      }
      const deps = (
        JSON.parse(readFileSync(path.join(template, "package.json"), "utf8")) as {
          dependencies: Record<string, string>;
        }
      ).dependencies;
      assert.equal(deps.isthmus, `^${manifest.version}`);
      const dir = path.join(tmp, `template-${name}`);
      instantiateTemplate(template, dir, `t-${name}`, "dev");
      symlinkSync(path.join(app, "node_modules"), path.join(dir, "node_modules"));
      const plan = await run(
        process.execPath,
        [path.join(dir, "node_modules", ".bin", "isthmus"), "plan", ".", "--config", "Pulumi.dev.yaml"],
        dir,
      );
      assert.equal(plan.code, 0, plan.stderr);
      assert.match(plan.stdout, new RegExp(`^Offline plan of t-${name} \\(index\\.ts\\)$`, "m"));
    });
  }

  it("templates/aws-two-region, instantiated as pulumi new does, plans offline with the packed CLI", async () => {
    const plan = (await routes.plan) as { code: number; stdout: string; stderr: string };
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /^Offline plan of mesh-app \(index\.ts\)$/m);
    const config = parse(readFileSync(path.join(app, "Pulumi.dev.yaml"), "utf8")) as {
      config: Record<string, string>;
    };
    assert.deepEqual(config.config, { "mesh-app:region1": "us-east-1", "mesh-app:region2": "us-west-2" });
    assert.equal(
      (parse(readFileSync(path.join(app, "Pulumi.yaml"), "utf8")) as { name: string }).name,
      "mesh-app",
    );
  });
});
