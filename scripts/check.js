#!/usr/bin/env node
// `npm run check`: build, typecheck and typed lint in one process, on one set of parsed files.
// tsc -p tsconfig.build.json, tsc --noEmit -p tsconfig.json, typed ESLint and the API docs each used
// to parse the same declarations (@pulumi/kubernetes and the modules of @pulumi/aws and @pulumi/gcp
// that isthmus imports: ~1.1 M lines) on their own; here one compiler host parses each file once (scripts/programs.js). The build program
// type-checks lib/ (with the build's own `types`) and emits dist/; the typecheck program (every file:
// lib, tests, examples, bench) reports the diagnostics of everything but lib/ (already checked) and is
// handed to ESLint as its type information (typescript-eslint `parserOptions.programs`); the API docs
// (docs:check) make their programs from the same parsed files. Nothing is cached between runs: a
// clean clone gets the same speed.
//
// `--test` (what `npm test` runs) also runs, beside the static checks, on both cores, the unit and
// component tests (mocha --parallel, two workers, from the start: they run the TypeScript sources,
// not dist/; the longest files first); and, at a lower priority once the lint is done, Prettier and
// the API.md drift check. The unit tests' output streams, the others' is printed when they finish;
// any failure fails the run. Each step prints its wall time (and this process's steps their CPU time).
//
// `--integration` (what `npm run test:integration` runs, after `build`) runs the suites that drive
// the package and the repository's projects as npm and Pulumi do: each a dozen processes that load the
// Pulumi SDK, so together as long as the rest of the tests (INTEGRATION below).
"use strict";
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const ts = require("typescript");
const { ESLint } = require("eslint");
const { root, program, typecheckProgram, report } = require("./programs");

const withTests = process.argv.includes("--test");
const integration = process.argv.includes("--integration");
// "build", "typecheck", "lint": a subset
const only = process.argv.slice(2).filter((a) => a !== "--test" && a !== "--integration");

/**
 * The integration suites: the packed package in a user's project (it packs dist/, so it needs the
 * build), and every Pulumi.yaml of the repository under the Pulumi SDK's own program runner.
 */
const INTEGRATION = ["test/consumer.test.ts", "test/pulumi-yaml.test.ts"];
/**
 * The unit test files that take longest, started first so that the two workers finish together: the
 * WireGuard tunnel (25 s, nearly all of it waiting on real handshakes and pings, so the other worker
 * and the static checks have the cores), then the ones with the most CPU (5–8 s each, with their
 * child processes); the rest follow in path order.
 */
const LONGEST = [
  "test/e2e/wireguard-tunnel.test.ts",
  "test/cli/trust-command.test.ts",
  "test/components/synth-equals-pulumi.test.ts",
  "test/cli/main.test.ts",
  "test/examples.test.ts",
];

/** Every test file of `npm test`: test/**\/*.test.ts without test/real and the integration suites. */
function unitTestFiles() {
  const found = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (rel !== "test/real") walk(rel);
      } else if (entry.name.endsWith(".test.ts") && !INTEGRATION.includes(rel)) found.push(rel);
    }
  };
  walk("test");
  found.sort();
  return [...LONGEST.filter((f) => found.includes(f)), ...found.filter((f) => !LONGEST.includes(f))];
}

/**
 * Starts a child process. Its output goes to the terminal (`stream`) or to a temporary file, never to
 * a pipe: this process computes for long stretches without reading. Resolves to its exit code, its
 * output and its wall time.
 */
function start(label, args, stream) {
  const began = performance.now();
  const file = stream ? undefined : path.join(os.tmpdir(), `isthmus-check-${process.pid}-${label}.log`);
  const fd = file === undefined ? "inherit" : fs.openSync(file, "w");
  const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", fd, fd] });
  if (typeof fd === "number") fs.closeSync(fd);
  return new Promise((resolve) => {
    child.on("close", (code) => {
      const output = file === undefined ? "" : fs.readFileSync(file, "utf8");
      if (file !== undefined) fs.rmSync(file, { force: true });
      resolve({ label, code, output, seconds: (performance.now() - began) / 1000 });
    });
  });
}

const bin = (pkg, file) => path.join(root, "node_modules", pkg, "bin", file);

async function main() {
  const cache = new Map();
  const want = (step) => only.length === 0 || only.includes(step);
  let failed = false;
  let cpu = process.cpuUsage();
  const time = (label, began) => {
    const used = process.cpuUsage(cpu);
    cpu = process.cpuUsage();
    const seconds = (used.user + used.system) / 1e6;
    console.log(
      `check: ${label} ${((performance.now() - began) / 1000).toFixed(1)} s (${seconds.toFixed(1)} s CPU)`,
    );
  };

  // Started first, beside the build: the unit tests run the sources through tsx, not dist/.
  const children = [];
  if (withTests) {
    const files = unitTestFiles();
    children.push(start("unit", [bin("mocha", "mocha.js"), "--parallel", "--jobs", "2", ...files], true));
  }

  let built = false;
  if (want("build")) {
    const began = performance.now();
    const build = program("tsconfig.build.json", cache);
    const emitted = build.emit();
    failed = report([...ts.getPreEmitDiagnostics(build), ...emitted.diagnostics]) || failed;
    built = true;
    time("build (tsconfig.build.json → dist/, lib/ type-checked)", began);
  }
  if (integration) {
    if (failed) return true;
    const run = await start(
      "integration",
      [bin("mocha", "mocha.js"), "--parallel", "--jobs", "2", ...INTEGRATION],
      true,
    );
    console.log(`check: integration ${run.seconds.toFixed(1)} s`);
    return run.code !== 0;
  }
  if (withTests) {
    // The tests come first: they run child processes with timeouts of their own. The static checks
    // that remain (and Prettier, started from here) take the CPU the tests leave.
    os.setPriority(10);
  }

  if (want("typecheck") || want("lint") || withTests) {
    let began = performance.now();
    const checked = typecheckProgram(cache);
    if (want("typecheck")) {
      // lib/ was checked by the build program, under the build's own options (`types` without
      // mocha's globals); here, everything else, and lib/ only when the build did not run.
      const lib = path.join(root, "lib") + path.sep;
      const files = checked.getSourceFiles().filter((f) => !built || !f.fileName.startsWith(lib));
      const diagnostics = [
        ...checked.getConfigFileParsingDiagnostics(),
        ...checked.getOptionsDiagnostics(),
        ...checked.getGlobalDiagnostics(),
      ];
      for (const file of files) {
        diagnostics.push(...checked.getSyntacticDiagnostics(file), ...checked.getSemanticDiagnostics(file));
        if (checked.getCompilerOptions().declaration)
          diagnostics.push(...checked.getDeclarationDiagnostics(file));
      }
      failed = report(ts.sortAndDeduplicateDiagnostics(diagnostics)) || failed;
      time(`typecheck (tsconfig.json${built ? ", but lib/" : ""})`, began);
    }
    if (want("lint")) {
      began = performance.now();
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
      time("eslint (typed, on the typecheck program)", began);
    }
  }
  if (!withTests) return failed;

  const prettier = start("prettier", [bin("prettier", "prettier.cjs"), "--check", "."], false);
  let began = performance.now();
  const { apiDocs } = require("./api-docs");
  const current = await apiDocs(cache, true).catch((error) => {
    console.error(error);
    return false;
  });
  if (!current) console.error("check: docs:check failed");
  time("docs:check (API.md, api-report.txt)", began);

  for (const result of await Promise.all([prettier, ...children])) {
    if (result.output.trim() !== "") process.stdout.write(`${result.output.trimEnd()}\n`);
    console.log(`check: ${result.label} ${result.seconds.toFixed(1)} s`);
    if (result.code !== 0) console.error(`check: ${result.label} failed (exit ${result.code})`);
    failed = failed || result.code !== 0;
  }
  return failed || !current;
}

main().then(
  (failed) => process.exit(failed ? 1 : 0),
  (error) => {
    console.error(error);
    process.exit(2);
  },
);
