#!/usr/bin/env node
// `npm run check`: build, typecheck and typed lint in one process, on one set of parsed files.
// tsc -p tsconfig.build.json, tsc --noEmit -p tsconfig.json and typed ESLint each used to parse the
// same declarations (@pulumi/aws, @pulumi/gcp, @pulumi/kubernetes: ~1.8 M lines) on their own; here
// one compiler host parses each file once, the build program emits dist/, the typecheck program
// (every file: lib, tests, examples, bench) reports its diagnostics and is handed to ESLint as its
// type information (typescript-eslint `parserOptions.programs`). Nothing is cached between runs: a
// clean clone gets the same speed.
"use strict";
const path = require("node:path");
const ts = require("typescript");
const { ESLint } = require("eslint");

const root = path.resolve(__dirname, "..");
const only = process.argv.slice(2); // "build", "typecheck", "lint": a subset, in this order

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
  if (!want("typecheck") && !want("lint")) return failed;

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
  return failed;
}

main().then(
  (failed) => process.exit(failed ? 1 : 0),
  (error) => {
    console.error(error);
    process.exit(2);
  },
);
