/**
 * Loads a Pulumi program directory the way the Pulumi CLI would: its Pulumi.yaml (name, main, project
 * config defaults), a stack config file, and the program's entry module.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { isPlainObject } from "../core/shape";

/** A Pulumi program, ready to evaluate. */
export interface PulumiProgram {
  /** The project name from Pulumi.yaml. */
  readonly project: string;
  /** The absolute path of the entry module. */
  readonly main: string;
  /** Stack config as `pulumi config` stores it: `<namespace>:<key>` → string (objects as JSON). */
  readonly config: Record<string, string>;
}

/** An error in the program directory or config file, reported without a stack trace. */
export class ProgramError extends Error {
  override readonly name = "ProgramError";
}

/** Reads a YAML (or JSON) file; a file that cannot be read or parsed is a {@link ProgramError} naming it. */
export function readYamlFile(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new ProgramError(`${file}: cannot read this ${what}; check the path.`);
  }
  try {
    return parse(text);
  } catch (error) {
    const message = (error as Error).message.split("\n")[0]!.replace(/:$/, "");
    const deep = /Maximum call stack size exceeded(.*)$/.exec(message);
    if (error instanceof RangeError || deep !== null) {
      // The reader recurses once per level: a file nested this deeply is not a mesh document.
      throw new ProgramError(
        `${file}: nests lists or maps deeper than the YAML reader can follow${deep?.[1] ?? ""}; expected a ${what}, which is a few levels deep. Look for unclosed brackets or a generated file.`,
      );
    }
    throw new ProgramError(`${file}: is not valid YAML: ${message}`);
  }
}

/** Reads `<dir>/Pulumi.yaml` and, when given, a stack config file (`Pulumi.<stack>.yaml` format). */
export function loadProgram(dir: string, configFile?: string): PulumiProgram {
  const projectFile = path.join(dir, "Pulumi.yaml");
  if (!existsSync(projectFile)) {
    throw new ProgramError(
      `${dir}: no Pulumi.yaml; expected a Pulumi program directory. Pass the directory that holds Pulumi.yaml.`,
    );
  }
  const parsed = readYamlFile(projectFile, "project file");
  if (!isPlainObject(parsed))
    throw new ProgramError(`${projectFile}: is not a YAML mapping; expected name, runtime and main.`);
  const project = parsed as { name?: unknown; main?: unknown; config?: unknown };
  if (typeof project.name !== "string") throw new ProgramError(`${projectFile}: name is missing.`);
  if (project.main !== undefined && typeof project.main !== "string")
    throw new ProgramError(`${projectFile}: main must be a path; got ${JSON.stringify(project.main)}.`);
  if (project.config !== undefined && project.config !== null && !isPlainObject(project.config))
    throw new ProgramError(`${projectFile}: config must be a mapping of key to declaration.`);
  const main = pulumiEntryPoint(dir, project.main as string | undefined);

  const config: Record<string, string> = {};
  for (const [key, declared] of Object.entries((project.config ?? {}) as Record<string, unknown>)) {
    const value = isDeclaration(declared) ? (declared.default ?? declared.value) : declared;
    if (value !== undefined) config[qualify(project.name, key)] = encode(value);
  }
  if (configFile !== undefined) {
    if (!existsSync(configFile)) throw new ProgramError(`${configFile}: no such stack config file.`);
    const stack = readYamlFile(configFile, "stack config file") ?? {};
    if (!isPlainObject(stack)) {
      throw new ProgramError(
        `${configFile}: is not a YAML mapping; expected a stack config file (config: <key>: <value>).`,
      );
    }
    if (stack.config !== undefined && stack.config !== null && !isPlainObject(stack.config)) {
      throw new ProgramError(`${configFile}: config must be a mapping of <key>: <value>.`);
    }
    for (const [key, value] of Object.entries((stack.config ?? {}) as Record<string, unknown>)) {
      if (typeof value === "object" && value !== null && "secure" in value) {
        throw new ProgramError(
          `${configFile}: ${key} is an encrypted secret, which only the Pulumi CLI can decrypt; got a secure value, expected plain config. Give the offline plan a config file without secrets (the plan needs none).`,
        );
      }
      config[qualify(project.name, key)] = encode(value);
    }
  }
  return { project: project.name, main, config };
}

/**
 * The module Pulumi's Node runtime runs for a project directory (`sdk/nodejs/cmd/run/run.ts` of
 * pulumi/pulumi): Pulumi.yaml's `main` when set; otherwise the nearest package.json (searching up
 * from the project directory) decides, through its `exports` (a string, or `exports["."]` as a string
 * or its `default`, `require` or `import` condition), else its `main`, when that file exists; else the
 * project directory itself, which Node resolves to its `index.js` (`index.ts` under a TypeScript
 * loader). So a project without `main` inside a library's folder runs the library's entry point.
 */
export function pulumiEntryPoint(dir: string, main: string | undefined): string {
  let program = path.resolve(dir, main ?? ".");
  if (main === undefined) {
    const root = nearestPackageRoot(program);
    const manifest = root === undefined ? {} : readManifest(root);
    const declared = packageEntry(manifest);
    if (root !== undefined && declared !== undefined && existsSync(path.join(root, declared))) {
      program = path.join(root, declared);
    }
  }
  if (existsSync(program) && statSync(program).isDirectory()) {
    const index = ["index.js", "index.ts"].map((f) => path.join(program, f)).find((f) => existsSync(f));
    if (index === undefined) {
      throw new ProgramError(`${dir}: no program entry; looked for index.js and index.ts in ${program}.`);
    }
    return index;
  }
  if (!existsSync(program)) {
    throw new ProgramError(
      `${dir}: no program entry; Pulumi.yaml main is ${main}, and ${program} does not exist.`,
    );
  }
  return program;
}

function nearestPackageRoot(from: string): string | undefined {
  let dir = existsSync(from) && statSync(from).isDirectory() ? from : path.dirname(from);
  for (;;) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function readManifest(root: string): { exports?: unknown; main?: unknown } {
  try {
    return JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { exports?: unknown };
  } catch {
    return {};
  }
}

function packageEntry(manifest: { exports?: unknown; main?: unknown }): string | undefined {
  const { exports } = manifest;
  if (typeof exports === "string") return exports;
  if (typeof exports === "object" && exports !== null) {
    const dot = (exports as Record<string, unknown>)["."];
    if (typeof dot === "string") return dot;
    if (typeof dot === "object" && dot !== null) {
      const d = dot as Record<string, unknown>;
      const entry = d.default || d.require || d.import;
      return typeof entry === "string" ? entry : undefined;
    }
    return undefined;
  }
  return typeof manifest.main === "string" && manifest.main !== "" ? manifest.main : undefined;
}

function isDeclaration(value: unknown): value is { default?: unknown; value?: unknown } {
  return (
    typeof value === "object" && value !== null && ("default" in value || "value" in value || "type" in value)
  );
}

function qualify(project: string, key: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

function encode(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}
