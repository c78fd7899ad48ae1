/**
 * Runs a Pulumi program under the Node SDK's own program runner, with mocks, in a child process
 * (test/support/pulumi-run.js): what `pulumi up` would run, and what it registers.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";

/** What a run registered and loaded. */
export interface RunnerResult {
  readonly resources: readonly { readonly type: string; readonly name: string }[];
  /** The program's own modules the runner loaded, absolute. */
  readonly loaded: readonly string[];
  readonly exitCode: number;
  readonly stderr: string;
}

/** Options of {@link runPulumiProgram}. */
export interface RunnerOptions {
  /** The program directory (`--pwd`). */
  readonly pwd: string;
  /** The project name (Pulumi.yaml `name`): config keys without a namespace belong to it. */
  readonly project?: string;
  /** The entry point the language host passes: Pulumi.yaml `main`, or `.`. */
  readonly entry: string;
  /** `echo` (Pulumi's documented mocks) or the module exporting `OfflineEngine`. */
  readonly mocks: string;
  /** Node options from Pulumi.yaml `runtime.options.nodeargs`. */
  readonly nodeargs?: readonly string[];
  /** Pulumi.yaml `runtime.options.typescript` (default true: the runner registers ts-node). */
  readonly typescript?: boolean;
  /** Stack config, `<namespace>:<key>` → string. */
  readonly config?: Readonly<Record<string, string>>;
  /** The stack name the program sees (`pulumi.getStack()`); the runner's default is "stack". */
  readonly stack?: string;
  readonly timeoutMs?: number;
  /** Extra environment variables. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Keep V8's stack traces. Off by default (`--stack-trace-limit=0`): the SDK captures a stack for
   * every promise it makes, and the runner's source-map-support formats each one — a quarter of a
   * run's CPU time. The runs here assert what a program registers, never a stack.
   * @default false
   */
  readonly stackTraces?: boolean;
}

const DRIVER = path.join(__dirname, "pulumi-run.js");

/** Runs the program; resolves with what it registered (never rejects on a program error). */
export function runPulumiProgram(options: RunnerOptions): Promise<RunnerResult> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PULUMI_CONFIG: JSON.stringify(options.config ?? {}),
    PULUMI_NODEJS_TYPESCRIPT: String(options.typescript ?? true),
    ...options.env,
  };
  // The parent's loader (mocha runs under tsx) must not leak into the child.
  delete env.NODE_OPTIONS;
  const args = [
    ...(options.stackTraces === true ? [] : ["--stack-trace-limit=0"]),
    ...(options.nodeargs ?? []),
    DRIVER,
    "--pwd",
    options.pwd,
    "--mocks",
    options.mocks,
    ...(options.project === undefined ? [] : ["--project", options.project]),
    ...(options.stack === undefined ? [] : ["--stack", options.stack]),
    options.entry,
  ];
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { cwd: options.pwd, env, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        const line = stdout.split("\n").find((l) => l.startsWith("PULUMI-RUN "));
        if (line === undefined) {
          reject(new Error(`the runner printed no result (${error?.message ?? "no error"}):\n${stderr}`));
          return;
        }
        const result = JSON.parse(line.slice("PULUMI-RUN ".length)) as Omit<RunnerResult, "stderr">;
        resolve({ ...result, stderr });
      },
    );
  });
}
