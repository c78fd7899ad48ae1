/**
 * Per-cluster options shared by the commands that reach clusters (`verify`, `trust`):
 * `--<flag> <cluster>=<value>`, and kubeconfigs read from files (never echoed).
 */
import { readFileSync } from "node:fs";
import { UsageError } from "./args";
import { ProgramError } from "./program";

/** Parsed options of a command. */
export type CommandValues = Readonly<Record<string, string | boolean | readonly string[]>>;

/** `<cluster>=<value>` pairs of a repeatable option of `command`. */
export function clusterPairs(
  command: string,
  values: CommandValues,
  flag: string,
  value: string,
  example: string,
): [string, string][] {
  const list = values[flag];
  return (Array.isArray(list) ? (list as string[]) : []).map((entry) => {
    const at = entry.indexOf("=");
    if (at <= 0 || at === entry.length - 1) {
      throw new UsageError(
        command,
        `--${flag} ${entry}: expected <cluster>=<${value}>, e.g. --${flag} ${example}`,
      );
    }
    return [entry.slice(0, at), entry.slice(at + 1)];
  });
}

/** `--kubeconfig <cluster>=<file>` options: each file's text, by cluster id, with the file it came from. */
export function kubeconfigFiles(
  command: string,
  values: CommandValues,
): Record<string, { readonly file: string; readonly text: string }> {
  const out: Record<string, { file: string; text: string }> = {};
  for (const [id, file] of clusterPairs(command, values, "kubeconfig", "file", "region1=~/.kube/east.yaml")) {
    try {
      out[id] = { file, text: readFileSync(file, "utf8") };
    } catch {
      throw new ProgramError(`--kubeconfig ${id}=${file}: cannot be read.`);
    }
  }
  return out;
}
