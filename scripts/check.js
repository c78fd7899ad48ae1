#!/usr/bin/env node
// `npm run check`: build, typecheck and typed lint in one process, on one set of parsed files.
// tsc -p tsconfig.build.json, tsc --noEmit -p tsconfig.json and typed ESLint each used to parse the
// same declarations (@pulumi/aws, @pulumi/gcp, @pulumi/kubernetes: ~1.8 M lines) on their own; here
// one compiler host parses each file once, the build program emits dist/, the typecheck program
// (every file: lib, tests, examples, bench) reports its diagnostics and is handed to ESLint as its
// type information (typescript-eslint `parserOptions.programs`). Nothing is cached between runs: a
// clean clone gets the same speed.
//
// `--test` (what `npm test` runs) also starts the unit tests as soon as dist/ is built, on the other
// core, and checks formatting (prettier) and API.md drift (docs:check) after the lint; the unit
// tests' output streams, the others' is printed when they finish; any failure fails the run.
"use strict";
const path = require("node:path");
const ts = require("typescript");
const { ESLint } = require("eslint");
const { spawn } = require("node:child_process");

/** Runs `npm run -s <script>`; resolves to its exit code and (unless streamed) its output. */
function npmRun(script, stream) {
  return new Promise((resolve) => {
    const child = spawn("npm", ["run", "-s", script], { cwd: root, stdio: stream ? "inherit" : "pipe" });
    let output = "";
    child.stdout?.on("data", (d) => (output += d));
    child.stderr?.on("data", (d) => (output += d));
    child.on("close", (code) => resolve({ script, code, output }));
  });
}

const root = path.resolve(__dirname, "..");
const withTests = process.argv.includes("--test");
const only = process.argv.slice(2).filter((a) => a !== "--test"); // "build", "typecheck", "lint": a subset

/** A compiler host whose parsed files are shared by every program of this run. */
function sharedHost(options, cache) {
  const host = ts.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const version = typeof languageVersion === "object" ? languageVersion.languageVersion : languageVersion;
    const impliedFormat = typeof languageVersion === "object" ? languageVersion.impliedNodeFormat : undefined;
    const key = `${version}|${impliedFormat}|${fileName}`;
    let file = cache.get(key);
    if (file === undefined) {
      file = getSourceFile(fileName, languageVersion, onError, shouldCreate);
      if (file !== undefined) cache.set(key, file);
    }
    return file;
  };
  return host;
}

function program(configFile, cache, overrides = {}) {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(root, configFile), overrides, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => report([d]),
  });
  if (config === undefined || config.errors.length > 0) {
    report(config?.errors ?? []);
    process.exit(2);
  }
  return ts.createProgram({
    rootNames: config.fileNames,
    options: config.options,
    host: sharedHost(config.options, cache),
    projectReferences: config.projectReferences,
  });
}

const formatHost = {
  getCanonicalFileName: (f) => f,
  getCurrentDirectory: () => root,
  getNewLine: () => "\n",
};

function report(diagnostics) {
  if (diagnostics.length === 0) return false;
  process.stderr.write(ts.formatDiagnosticsWithColorAndContext(diagnostics, formatHost));
  return true;
}

async function main() {
  const cache = new Map();
  const want = (step) => only.length === 0 || only.includes(step);
  let failed = false;
  const time = (label, start) =>
    console.log(`check: ${label} ${((performance.now() - start) / 1000).toFixed(1)} s`);

  if (want("build")) {
    const start = performance.now();
    const build = program("tsconfig.build.json", cache);
    const emitted = build.emit();
    failed = report([...ts.getPreEmitDiagnostics(build), ...emitted.diagnostics]) || failed;
    time("build (tsconfig.build.json → dist/)", start);
  }
  // The unit tests need dist/ (the consumer test packs it); they run beside the static checks.
  const unit = withTests && !failed ? npmRun("test:unit", true) : undefined;
  // The unit tests come first: some start heavy child processes with their own timeouts (the
  // consumer test's tsc without skipLibCheck). The static checks take the CPU they leave.
  if (unit !== undefined) require("node:os").setPriority(10);
  const finish = async () => {
    if (!withTests) return failed;
    const after = [];
    for (const script of ["format:check", "docs:check"]) after.push(await npmRun(script, false));
    for (const r of after) {
      if (r.output.trim() !== "") process.stdout.write(`${r.output.trimEnd()}\n`);
      if (r.code !== 0) console.error(`check: ${r.script} failed (exit ${r.code})`);
    }
    const tests = unit === undefined ? { code: 1 } : await unit;
    if (tests.code !== 0) console.error(`check: the unit tests failed (exit ${tests.code})`);
    return failed || tests.code !== 0 || after.some((r) => r.code !== 0);
  };
  if (!want("typecheck") && !want("lint")) return finish();

  let start = performance.now();
  const checked = program("tsconfig.json", cache, { noEmit: true });
  if (want("typecheck")) {
    failed = report(ts.getPreEmitDiagnostics(checked)) || failed;
    time("typecheck (tsconfig.json)", start);
  }
  if (want("lint")) {
    start = performance.now();
    const eslint = new ESLint({
      cwd: root,
      overrideConfig: {
        files: ["**/*.ts"],
        languageOptions: { parserOptions: { projectService: false, project: false, programs: [checked] } },
      },
    });
    const results = await eslint.lintFiles(["."]);
    const text = (await eslint.loadFormatter("stylish")).format(results);
    if (text.trim() !== "") process.stdout.write(`${text}\n`);
    failed = results.some((r) => r.errorCount > 0 || r.fatalErrorCount > 0) || failed;
    time("eslint (typed, on the typecheck program)", start);
  }
  return finish();
}

main().then(
  (failed) => process.exit(failed ? 1 : 0),
  (error) => {
    console.error(error);
    process.exit(2);
  },
);
