/**
 * Loads a Pulumi program directory the way the Pulumi CLI would: its Pulumi.yaml (name, main, project
 * config defaults), a stack config file, and the program's entry module.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

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

/** Reads `<dir>/Pulumi.yaml` and, when given, a stack config file (`Pulumi.<stack>.yaml` format). */
export function loadProgram(dir: string, configFile?: string): PulumiProgram {
  const projectFile = path.join(dir, "Pulumi.yaml");
  if (!existsSync(projectFile)) {
    throw new ProgramError(
      `${dir}: no Pulumi.yaml; expected a Pulumi program directory. Pass the directory that holds Pulumi.yaml.`,
    );
  }
  const project = parse(readFileSync(projectFile, "utf8")) as {
    name?: string;
    main?: string;
    config?: Record<string, unknown>;
  };
  if (typeof project.name !== "string") throw new ProgramError(`${projectFile}: name is missing.`);
  const main = resolveMain(dir, project.main);

  const config: Record<string, string> = {};
  for (const [key, declared] of Object.entries(project.config ?? {})) {
    const value = isDeclaration(declared) ? (declared.default ?? declared.value) : declared;
    if (value !== undefined) config[qualify(project.name, key)] = encode(value);
  }
  if (configFile !== undefined) {
    if (!existsSync(configFile)) throw new ProgramError(`${configFile}: no such stack config file.`);
    const stack = (parse(readFileSync(configFile, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    for (const [key, value] of Object.entries(stack.config ?? {})) {
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

function resolveMain(dir: string, main: string | undefined): string {
  const candidates = main
    ? [path.resolve(dir, main), path.resolve(dir, main, "index.ts")]
    : [path.resolve(dir, "index.ts"), path.resolve(dir, "index.js")];
  const found = candidates.find((c) => existsSync(c) && !c.endsWith(path.sep));
  if (found === undefined)
    throw new ProgramError(`${dir}: no program entry; looked for ${candidates.join(", ")}.`);
  return found;
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
