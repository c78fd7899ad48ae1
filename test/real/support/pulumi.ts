/**
 * The real Pulumi CLI with a local backend: state, plugins' home and the secrets passphrase in a
 * private temporary directory; the Node.js language host and the Kubernetes provider built by
 * build-tools.sh taken from PATH (Pulumi's ambient plugins); no plugin is ever downloaded.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { REAL_CACHE, tool } from "./tools";

/** What one command printed. */
export interface PulumiRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of one command. */
export interface RunOptions {
  readonly input?: string;
  readonly timeoutMs?: number;
  /** Pass `--stack` (and the config file); false for commands that take neither. */
  readonly stack?: boolean;
  /** Pass `--config-file`. */
  readonly config?: boolean;
}

/** Options of one command. */
export interface RunOptions {
  readonly input?: string;
  readonly timeoutMs?: number;
  /** Pass `--stack` (and the config file); false for commands that take neither. */
  readonly stack?: boolean;
  /** Pass `--config-file`. */
  readonly config?: boolean;
}

/** A Pulumi workspace: one project directory, one local backend, one stack config file. */
export class PulumiWorkspace {
  readonly home: string;
  readonly configFile: string;
  private readonly passphrase = randomBytes(16).toString("hex");

  constructor(
    readonly projectDir: string,
    readonly stack: string,
  ) {
    this.home = mkdtempSync(join(tmpdir(), "isthmus-real-pulumi-"));
    mkdirSync(join(this.home, "state"));
    this.configFile = join(this.home, `Pulumi.${stack}.yaml`);
    tool("pulumi-language-nodejs");
    tool("pulumi-resource-kubernetes");
  }

  /** The environment every command runs with. */
  env(): NodeJS.ProcessEnv {
    return {
      PATH: [join(REAL_CACHE, "bin"), dirname(process.execPath), process.env.PATH ?? "/usr/bin:/bin"].join(
        ":",
      ),
      HOME: this.home,
      PULUMI_HOME: join(this.home, ".pulumi"),
      PULUMI_BACKEND_URL: `file://${join(this.home, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: this.passphrase,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_EXPERIMENTAL: "false",
      NO_COLOR: "1",
    };
  }

  /** Runs `pulumi <args>` in the project with the stack and its config file. */
  run(args: readonly string[], options: RunOptions = {}): Promise<PulumiRun> {
    // `stack output` and `stack export` take a stack but no config file.
    const configArgs = options.config === false ? [] : ["--config-file", this.configFile];
    const stackArgs = options.stack === false ? [] : ["--stack", this.stack, ...configArgs];
    return new Promise((resolve, reject) => {
      const child = spawn(tool("pulumi"), [...args, ...stackArgs, "--non-interactive"], {
        cwd: this.projectDir,
        env: this.env(),
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
      const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 600_000);
      child.on("error", reject);
      child.on("close", (code) => {
        clearTimeout(timer);
        resolve({ code: code ?? -1, stdout, stderr });
      });
      if (options.input !== undefined) child.stdin.end(options.input);
      else child.stdin.end();
    });
  }

  /** Runs a command that must succeed; the failure message carries the end of its output. */
  async must(args: readonly string[], options: RunOptions = {}): Promise<string> {
    const result = await this.run(args, options);
    if (result.code !== 0) {
      throw new Error(
        `pulumi ${args.join(" ")}: exit ${result.code}\n${result.stdout.slice(-6000)}\n${result.stderr.slice(-3000)}`,
      );
    }
    return result.stdout;
  }

  /**
   * Creates the stack. `stack init` writes the stack's config file (with the passphrase's salt) into
   * the project directory; it is moved at once to this workspace's config file, so the repository
   * keeps no trace (a stale one from an interrupted run is removed first).
   */
  async init(): Promise<void> {
    const written = join(this.projectDir, `Pulumi.${this.stack}.yaml`);
    rmSync(written, { force: true });
    try {
      await this.must(["stack", "init", this.stack, "--secrets-provider", "passphrase"], { stack: false });
    } finally {
      if (existsSync(written)) renameSync(written, this.configFile);
    }
  }

  /** Sets a config value (secret ones go through stdin, never argv). */
  async set(key: string, value: string, secret = false): Promise<void> {
    await this.must(["config", "set", ...(secret ? ["--secret"] : ["--plaintext"]), key], { input: value });
  }

  dispose(): void {
    rmSync(this.home, { recursive: true, force: true });
  }
}
