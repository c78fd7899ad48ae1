/**
 * The `isthmus` command: plan, validate, synth.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parse } from "yaml";
import { validateMeshDocument } from "../core/mesh-document";
import { formatProblem, MeshSpecError } from "../core/problems";
import { isPlainObject } from "../core/shape";
import { validateMeshSpec } from "../core/validate";
import { KubeApi } from "./kube-api";
import { ProgramError } from "./program";
import { synthSpec } from "./synth-command";
import { formatCheck, verifyMesh } from "./verify-command";

const USAGE = `usage:
  isthmus plan [program-dir] [--config stack-config.yaml] [--out dir] [--preview]
      Evaluate a Pulumi program offline (no credentials, no Pulumi CLI); print the resource tree and
      write <out>/<cluster>/*.yaml, <out>/plan.json and <out>/graph.md.
  isthmus validate spec.yaml
      Check a mesh spec; print every problem at once.
  isthmus synth spec.yaml --out dir
      Render each cluster's Kubernetes manifests and Helm values through cdk8s, for GitOps.
  isthmus verify document.yaml --kubeconfig <cluster>=<file> ... [--istiod <cluster>=<url> ...]
                 [--kubeconfigs map.json] [--min-validity-days 30]
      Check live clusters against the document's plan: network labels, cacerts, remote secrets synced
      by istiod, east-west gateway addresses, failover and split objects. One line per check; exit 1
      on any failure.`;

/** Runs the CLI; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "plan":
        return await plan(rest);
      case "validate":
        return validate(rest);
      case "synth":
        return synth(rest);
      case "verify":
        return await verify(rest);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        console.log(USAGE);
        return command === undefined ? 2 : 0;
      default:
        console.error(`isthmus: unknown command "${command}"; expected plan, validate or synth.\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    return report(error);
  }
}

async function plan(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { config: { type: "string" }, out: { type: "string" }, preview: { type: "boolean" } },
  });
  // Loaded here: the Pulumi SDK and the program's cloud SDKs take seconds to load, and only plan needs them.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { planProgram } = require("./plan-command") as typeof import("./plan-command");
  const result = await planProgram(positionals[0] ?? ".", {
    ...(values.config ? { configFile: values.config } : {}),
    ...(values.out ? { outDir: values.out } : {}),
    preview: values.preview ?? false,
  });
  console.log(result.report);
  if (values.out)
    console.log(
      `\nwrote ${result.files.length} files to ${values.out}/ (plan.json, graph.md, one folder per cluster)`,
    );
  return 0;
}

function validate(args: readonly string[]): number {
  const { positionals } = parseArgs({ args: [...args], allowPositionals: true, options: {} });
  const file = positionals[0];
  if (file === undefined) throw new ProgramError("validate needs a spec file: isthmus validate spec.yaml");
  const input = readSpec(file);
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

function synth(args: readonly string[]): number {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { out: { type: "string" } },
  });
  const file = positionals[0];
  if (file === undefined || values.out === undefined) {
    throw new ProgramError("synth needs a spec file and --out: isthmus synth spec.yaml --out dir");
  }
  const files = synthSpec(readSpec(file), values.out);
  console.log(`wrote ${files.length} files to ${values.out}/:`);
  for (const f of files) console.log(`  ${f}`);
  return 0;
}

async function verify(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      kubeconfig: { type: "string", multiple: true },
      kubeconfigs: { type: "string" },
      istiod: { type: "string", multiple: true },
      "min-validity-days": { type: "string" },
    },
  });
  const file = positionals[0];
  if (file === undefined) {
    throw new ProgramError(
      "verify needs a mesh document: isthmus verify document.yaml --kubeconfig <cluster>=<file>",
    );
  }
  const apis: Record<string, KubeApi> = {};
  if (values.kubeconfigs !== undefined) {
    // A map of cluster id to kubeconfig text (`pulumi stack output kubeconfigs --show-secrets --json`).
    const map = readSpec(values.kubeconfigs);
    if (!isPlainObject(map))
      throw new ProgramError(`${values.kubeconfigs}: is not a map of cluster id to kubeconfig.`);
    for (const [id, text] of Object.entries(map)) {
      if (typeof text !== "string")
        throw new ProgramError(`${values.kubeconfigs}: ${id}: is not a kubeconfig text.`);
      apis[id] = KubeApi.fromKubeconfig(text, `${values.kubeconfigs} (${id})`);
    }
  }
  for (const entry of values.kubeconfig ?? []) {
    const at = entry.indexOf("=");
    if (at <= 0)
      throw new ProgramError(
        `--kubeconfig ${entry}: expected <cluster>=<file>, e.g. --kubeconfig region1=~/.kube/east.yaml`,
      );
    const [id, path] = [entry.slice(0, at), entry.slice(at + 1)];
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch {
      throw new ProgramError(`--kubeconfig ${id}=${path}: cannot be read.`);
    }
    apis[id] = KubeApi.fromKubeconfig(text, path);
  }
  const istiodDebugUrls: Record<string, string> = {};
  for (const entry of values.istiod ?? []) {
    const at = entry.indexOf("=");
    if (at <= 0 || !/^https?:\/\//.test(entry.slice(at + 1))) {
      throw new ProgramError(
        `--istiod ${entry}: expected <cluster>=<url>, e.g. --istiod region1=http://localhost:15080`,
      );
    }
    istiodDebugUrls[entry.slice(0, at)] = entry.slice(at + 1);
  }
  const days = values["min-validity-days"];
  if (days !== undefined && !/^\d+$/.test(days))
    throw new ProgramError(`--min-validity-days ${days}: expected a whole number of days.`);
  const checks = await verifyMesh(readSpec(file), apis, {
    istiodDebugUrls,
    ...(days === undefined ? {} : { minValidityDays: Number(days) }),
  });
  for (const check of checks) console.log(formatCheck(check));
  const failed = checks.filter((c) => !c.ok).length;
  console.log(
    failed === 0 ? `\nall ${checks.length} checks passed` : `\n${failed} of ${checks.length} checks failed`,
  );
  return failed === 0 ? 0 : 1;
}

/** Reads a YAML or JSON spec file. */
export function readSpec(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new ProgramError(`${file}: cannot be read.`);
  }
  try {
    return parse(text);
  } catch (error) {
    throw new ProgramError(`${file}: is not valid YAML: ${(error as Error).message}`);
  }
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
  if (error instanceof MeshSpecError) {
    console.error(`isthmus: ${error.message}`);
    return 1;
  }
  if (isInputPropertiesError(error)) {
    console.error(`isthmus: ${error.message}`);
    return 1;
  }
  if (error instanceof ProgramError) {
    console.error(`isthmus: ${error.message}`);
    return 1;
  }
  console.error(`isthmus: unexpected error (a bug in isthmus or the program):`);
  console.error(error);
  return 70;
}
