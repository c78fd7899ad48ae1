/**
 * The `isthmus` command: plan, validate, synth, trust, verify. A user's mistake gets one clear message naming the
 * file or flag, exit 1 (2 for a wrong command line); only a bug in isthmus gets exit 70 and a stack.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { validateMeshDocument } from "../core/mesh-document";
import { closest, formatProblem, MeshSpecError } from "../core/problems";
import { isPlainObject } from "../core/shape";
import { validateMeshSpec } from "../core/validate";
import { commandHelp, parseCommandArgs, UsageError, type CommandSpec } from "./args";
import { loadProgram, ProgramError, readYamlFile } from "./program";
import { synthSpec } from "./synth-command";
import { TRUST_COMMAND } from "./trust-command-spec";
import { formatCheck, runVerify, VERIFY_COMMAND, type VerifyArgs } from "./verify-command";

const PLAN: CommandSpec = {
  name: "plan",
  summary:
    "Evaluate a Pulumi program offline (no credentials, no Pulumi CLI): print the resource tree and, with\n" +
    "--out, write <out>/<cluster>/*.yaml (objects), <out>/_helm/<cluster>/*.values.yaml, <out>/plan.json\n" +
    "and <out>/graph.md.",
  positionals: [
    { name: "program-dir", required: false, description: "The directory holding Pulumi.yaml (default: .)." },
  ],
  options: {
    config: {
      type: "string",
      value: "file",
      description: "A stack config file (Pulumi.<stack>.yaml format).",
    },
    out: { type: "string", value: "dir", description: "Write the manifests, plan.json and graph.md here." },
    preview: {
      type: "boolean",
      description: "Show a first preview (`pulumi preview` of a new stack): computed values unknown.",
    },
  },
};

const VALIDATE: CommandSpec = {
  name: "validate",
  summary: "Check a mesh spec (or a mesh document) and print every problem at once.",
  positionals: [{ name: "spec-file", required: true, description: "The spec, YAML or JSON." }],
  options: {},
};

const SYNTH: CommandSpec = {
  name: "synth",
  summary: "Render each cluster's Kubernetes manifests and Helm values through cdk8s, for GitOps.",
  positionals: [
    { name: "spec-file", required: true, description: "The mesh document or spec, YAML or JSON." },
  ],
  options: {
    out: {
      type: "string",
      value: "dir",
      description: "Where to write <cluster>/manifests.yaml and _helm/<cluster>/*.values.yaml (required).",
    },
  },
};

const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  plan: PLAN,
  validate: VALIDATE,
  synth: SYNTH,
  trust: TRUST_COMMAND,
  verify: VERIFY_COMMAND,
};

const USAGE = `usage: isthmus <command> [options]

commands:
  plan [program-dir]          Plan a Pulumi program offline: resource tree, manifests, plan.json, graph.
  validate <spec-file>        Check a mesh spec; print every problem at once.
  synth <spec-file> --out dir Render each cluster's manifests and Helm values, for GitOps.
  trust <spec-file> --out dir Issue the CAs and build the remote secrets into a private directory.
  verify <document>           Check live clusters against the document's plan, one line per check.

Run "isthmus <command> --help" for a command's options; "isthmus --version" for the version.`;

/** Runs the CLI; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined) {
      console.error(USAGE);
      return 2;
    }
    if (command === "help" || command === "--help" || command === "-h") {
      const topic = rest[0] === undefined ? undefined : COMMANDS[rest[0]];
      console.log(topic === undefined ? USAGE : commandHelp(topic));
      return 0;
    }
    if (command === "--version" || command === "-V" || command === "version") {
      console.log(version());
      return 0;
    }
    const spec = COMMANDS[command];
    if (spec === undefined) {
      const option = command.startsWith("-");
      const hit = closest(
        command,
        option ? ["--help", "--version"] : [...Object.keys(COMMANDS), "help", "version"],
      );
      const what = option ? "option" : "command";
      console.error(
        `isthmus: unknown ${what} "${command}"${hit === undefined ? "." : `; did you mean "${hit}"?`} ` +
          `Expected plan, validate, synth, trust or verify.\n${USAGE}`,
      );
      return 2;
    }
    const args = parseCommandArgs(spec, rest);
    if (args.help) {
      console.log(commandHelp(spec));
      return 0;
    }
    if (spec === PLAN) return await plan(args.values, args.positionals);
    if (spec === VALIDATE) return validate(args.positionals[0]!);
    if (spec === VERIFY_COMMAND) return await verify(args.values, args.positionals[0]!);
    if (spec === TRUST_COMMAND) return await trust(args.values, args.positionals[0]!);
    return synth(args.values, args.positionals[0]!);
  } catch (error) {
    return report(error);
  }
}

/** The package version, from its package.json (two levels up from lib/cli and dist/cli). */
function version(): string {
  const manifest = JSON.parse(readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as {
    version: string;
  };
  return manifest.version;
}

async function plan(
  values: Readonly<Record<string, string | boolean | readonly string[]>>,
  positionals: readonly string[],
): Promise<number> {
  const out = values.out as string | undefined;
  const config = values.config as string | undefined;
  // The directory and its config first: a mistake there is reported before the Pulumi SDK and the
  // program's cloud SDKs load, which takes seconds — and only plan needs them.
  loadProgram(positionals[0] ?? ".", config);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { planProgram } = require("./plan-command") as typeof import("./plan-command");
  const result = await planProgram(positionals[0] ?? ".", {
    ...(config === undefined ? {} : { configFile: config }),
    ...(out === undefined ? {} : { outDir: out }),
    preview: values.preview === true,
  });
  console.log(result.report);
  if (out !== undefined)
    console.log(
      result.fleet === undefined
        ? `\nwrote ${result.files.length} files to ${out}/ (plan.json, graph.md, one folder per cluster)`
        : `\nwrote ${result.files.length} files to ${out}/ (fleet.json, stack-graph.md)`,
    );
  return 0;
}

async function verify(values: VerifyArgs, file: string): Promise<number> {
  const checks = await runVerify(readYamlFile(file, "mesh document"), values);
  for (const check of checks) console.log(formatCheck(check));
  const failed = checks.filter((c) => !c.ok).length;
  console.log(
    failed === 0 ? `\nall ${checks.length} checks passed` : `\n${failed} of ${checks.length} checks failed`,
  );
  return failed === 0 ? 0 : 1;
}

async function trust(
  values: Readonly<Record<string, string | boolean | readonly string[]>>,
  file: string,
): Promise<number> {
  // Loaded here: the certificate library is only needed to issue certificates.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { formatTrust, runTrust } = require("./trust-command") as typeof import("./trust-command");
  const result = await runTrust(readYamlFile(file, "spec file"), values);
  console.log(formatTrust(values.out as string, result));
  return 0;
}

function validate(file: string): number {
  const input = readYamlFile(file, "spec file");
  // A bare MeshSpec keeps its own paths; a document (mesh + policies) is checked whole.
  const bare = isPlainObject(input) && "clusters" in input && !("mesh" in input);
  const problems = bare ? validateMeshSpec(input) : validateMeshDocument(input);
  if (problems.length === 0) {
    console.log(`${file}: valid`);
    return 0;
  }
  console.error(`${file}: ${problems.length} problem${problems.length === 1 ? "" : "s"}:`);
  for (const p of problems) console.error(`  - ${formatProblem(p)}`);
  return 1;
}

function synth(values: Readonly<Record<string, string | boolean | readonly string[]>>, file: string): number {
  const out = values.out as string | undefined;
  if (out === undefined) throw new UsageError("synth", "missing --out <dir>");
  const files = synthSpec(readYamlFile(file, "spec file"), out);
  console.log(`wrote ${files.length} files to ${out}/:`);
  for (const f of files) console.log(`  ${f}`);
  return 0;
}

/** `pulumi.InputPropertiesError`, recognised without loading the SDK (what its isInstance checks). */
function isInputPropertiesError(error: unknown): error is Error {
  return (
    error instanceof Error &&
    (error as { __pulumiInputPropertiesError?: boolean }).__pulumiInputPropertiesError === true
  );
}

/** Prints an error the way a user needs it: problems listed, no stack trace for bad input. */
function report(error: unknown): number {
  if (error instanceof UsageError) {
    const end = /[?.]$/.test(error.message) ? "" : ".";
    console.error(
      `isthmus ${error.command}: ${error.message}${end} Run "isthmus ${error.command} --help" for usage.`,
    );
    return 2;
  }
  if (error instanceof MeshSpecError || error instanceof ProgramError || isInputPropertiesError(error)) {
    console.error(`isthmus: ${error.message}`);
    return 1;
  }
  console.error(`isthmus: unexpected error (a bug in isthmus; please report it with this output):`);
  console.error(error);
  return 70;
}
