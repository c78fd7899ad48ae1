/**
 * The `isthmus` command run by the tests: through `bin/isthmus.js` in a process of its own, as a user
 * runs it, or its `main` in the test's process, which is what the bin script calls and exits with.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { main } from "../../lib/cli/main";

/** The repository root: both routes run from here, as `npm run demo` does. */
export const ROOT = path.resolve(__dirname, "../..");

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `bin/isthmus.js` in a process of its own. The exit code is the process's; stdout and stderr
 * are all the process wrote. Each run loads the CLI afresh (and `plan`, the Pulumi SDK: seconds): the
 * tests take this route for what must go through the bin script and a real exit, and {@link cli} for
 * the rest.
 */
export function isthmus(...args: string[]): Run {
  const run = spawnSync(process.execPath, ["bin/isthmus.js", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/**
 * Runs the command's `main` in this process, from the repository root, capturing everything written
 * to stdout and stderr while it runs; the status is what `bin/isthmus.js` would exit with.
 */
export async function cli(...args: string[]): Promise<Run> {
  const written = { stdout: "", stderr: "" };
  const saved = { stdout: process.stdout.write, stderr: process.stderr.write, cwd: process.cwd() };
  const capture = (stream: "stdout" | "stderr") =>
    ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      written[stream] += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      const done = rest.find((r) => typeof r === "function") as (() => void) | undefined;
      done?.();
      return true;
    }) as typeof process.stdout.write;
  process.chdir(ROOT);
  process.stdout.write = capture("stdout");
  process.stderr.write = capture("stderr");
  try {
    const status = await main(args);
    return { status, ...written };
  } finally {
    process.stdout.write = saved.stdout;
    process.stderr.write = saved.stderr;
    process.chdir(saved.cwd);
  }
}
