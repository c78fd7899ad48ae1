// TypeScript programs of this repository whose parsed files are shared: each declaration file
// (@pulumi/kubernetes and the modules of @pulumi/aws and @pulumi/gcp that isthmus imports: ~1.1 M
// lines) is parsed and bound once per process, however many programs (the build, the typecheck, the API docs) are made from the cache.
"use strict";
const path = require("node:path");
const ts = require("typescript");

const root = path.resolve(__dirname, "..");

/** A compiler host whose parsed files are kept in `cache`, for every program made with it. */
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

const formatHost = {
  getCanonicalFileName: (f) => f,
  getCurrentDirectory: () => root,
  getNewLine: () => "\n",
};

/** Prints diagnostics as tsc does; true when there were any. */
function report(diagnostics) {
  if (diagnostics.length === 0) return false;
  process.stderr.write(ts.formatDiagnosticsWithColorAndContext(diagnostics, formatHost));
  return true;
}

/** The program of a tsconfig file of this repository (exits 2 when the config is broken). */
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

/**
 * The typecheck program: every file of tsconfig.json (lib, tests, examples, bench), no emit. It is
 * also the program TypeDoc makes for the API docs (TypeDoc reads tsconfig.json and sets noEmit).
 */
function typecheckProgram(cache) {
  return program("tsconfig.json", cache, { noEmit: true });
}

module.exports = { root, sharedHost, program, typecheckProgram, report };
