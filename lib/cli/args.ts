/**
 * Command-line parsing for `isthmus`: each command declares its options and arguments; every
 * mistake is a {@link UsageError} (exit 2) that names the flag and suggests the intended one.
 */
import { closest } from "../core/problems";

/** A mistake in how the command was called: printed with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  constructor(
    readonly command: string,
    message: string,
  ) {
    super(message);
  }
}

/** One option of a command. */
export interface OptionSpec {
  readonly type: "string" | "boolean";
  /** What the value is, for the help text (`dir`, `file`). */
  readonly value?: string;
  readonly description: string;
  /**
   * A string option given several times collects every value, in order.
   * @default false
   */
  readonly repeatable?: boolean;
}

/** A command: its options, its positional arguments and what it does. */
export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly positionals: readonly {
    readonly name: string;
    readonly required: boolean;
    readonly description: string;
  }[];
  readonly options: Readonly<Record<string, OptionSpec>>;
}

/** What was parsed. */
export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | readonly string[]>>;
  readonly positionals: readonly string[];
  readonly help: boolean;
}

/** Parses `args` for `spec`; throws a {@link UsageError} on any mistake. */
export function parseCommandArgs(spec: CommandSpec, args: readonly string[]): ParsedArgs {
  const values: Record<string, string | boolean | string[]> = {};
  const positionals: string[] = [];
  let help = false;
  const names = [...Object.keys(spec.options), "help"];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--help" || arg === "-h") {
      help = true;
      continue;
    }
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const [flag, inline] = arg.startsWith("--") ? splitInline(arg.slice(2)) : [arg.slice(1), undefined];
    const option = spec.options[flag];
    if (option === undefined) {
      const hit = closest(flag, names);
      throw new UsageError(
        spec.name,
        `unknown option ${arg.startsWith("--") ? "--" : "-"}${flag}${hit === undefined ? "" : `; did you mean --${hit}?`}`,
      );
    }
    if (option.type === "boolean") {
      if (inline !== undefined)
        throw new UsageError(spec.name, `--${flag} takes no value; got --${flag}=${inline}`);
      values[flag] = true;
      continue;
    }
    const value = inline ?? args[i + 1];
    if (value === undefined || value === "" || (inline === undefined && value.startsWith("-"))) {
      throw new UsageError(spec.name, `--${flag} needs a value (${option.value ?? "a value"})`);
    }
    if (inline === undefined) i++;
    if (option.repeatable === true) {
      const list = values[flag];
      values[flag] = [...(Array.isArray(list) ? list : []), value];
    } else {
      values[flag] = value;
    }
  }
  if (help) return { values, positionals, help };
  const required = spec.positionals.filter((p) => p.required);
  if (positionals.length < required.length) {
    throw new UsageError(spec.name, `missing ${required[positionals.length]!.name}`);
  }
  if (positionals.length > spec.positionals.length) {
    throw new UsageError(spec.name, `unexpected argument "${positionals[spec.positionals.length]}"`);
  }
  return { values, positionals, help };
}

function splitInline(flag: string): [string, string | undefined] {
  const eq = flag.indexOf("=");
  return eq < 0 ? [flag, undefined] : [flag.slice(0, eq), flag.slice(eq + 1)];
}

/** The help text of a command. */
export function commandHelp(spec: CommandSpec): string {
  const args = spec.positionals.map((p) => (p.required ? p.name : `[${p.name}]`));
  const flags = Object.entries(spec.options).map(
    ([name, o]) => `[--${name}${o.value ? ` <${o.value}>` : ""}]`,
  );
  const rows: [string, string][] = [
    ...spec.positionals.map((p): [string, string] => [p.name, p.description]),
    ...Object.entries(spec.options).map(([name, o]): [string, string] => [
      `--${name}${o.value ? ` <${o.value}>` : ""}`,
      o.description,
    ]),
    ["--help, -h", "Show this help."],
  ];
  const width = Math.max(...rows.map(([left]) => left.length));
  return [
    `usage: isthmus ${[spec.name, ...args, ...flags].join(" ")}`,
    "",
    spec.summary,
    "",
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`),
  ].join("\n");
}
