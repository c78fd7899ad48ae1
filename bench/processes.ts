/**
 * Bench figures measured on whole processes: `isthmus` commands from a cold start (wall, CPU, peak
 * RSS through GNU time), plans of generated meshes, and `npm test` in a clean clone.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");
const CLI = path.join(ROOT, "bin/isthmus.js");

/** One process run. */
export interface ProcessRun {
  readonly ok: boolean;
  readonly wallS: number;
  readonly cpuS: number;
  readonly peakRssMb: number;
  readonly command: string;
  readonly error?: string;
}

/** Runs `argv` under GNU time (`/usr/bin/time`), from `cwd`. */
export function timed(
  argv: readonly string[],
  cwd = ROOT,
  timeoutS = 900,
  env: NodeJS.ProcessEnv = {},
): ProcessRun {
  const report = path.join(mkdtempSync(path.join(tmpdir(), "isthmus-bench-")), "time");
  const r = spawnSync("/usr/bin/time", ["-o", report, "-f", "%e %U %S %M", ...argv], {
    cwd,
    encoding: "utf8",
    timeout: timeoutS * 1000,
    maxBuffer: 1 << 28,
    env: { ...process.env, ...env },
  });
  const text = existsSync(report) ? spawnSync("cat", [report], { encoding: "utf8" }).stdout : "";
  rmSync(path.dirname(report), { recursive: true, force: true });
  const last = text.trim().split("\n").pop() ?? "";
  const [wall, user, sys, rssKb] = last.split(" ").map(Number) as [number, number, number, number];
  const command = argv.map((a) => a.replace(ROOT + "/", "")).join(" ");
  const ok = r.status === 0;
  return {
    ok,
    wallS: round(wall),
    cpuS: round(user + sys),
    peakRssMb: Math.round(rssKb / 1024),
    command,
    ...(ok
      ? {}
      : { error: (r.stderr || r.stdout || String(r.error)).trim().split("\n").slice(0, 3).join(" ") }),
  };
}

/** `isthmus plan` of the generated mesh program (bench/mesh-program) with `clusters` in `model`. */
export function planMesh(
  clusters: number,
  model: "multi-primary" | "primary-remote",
  heapMb?: number,
): ProcessRun {
  const dir = mkdtempSync(path.join(tmpdir(), "isthmus-bench-config-"));
  const config = path.join(dir, "Pulumi.bench.yaml");
  writeFileSync(
    config,
    `config:\n  isthmus-bench-mesh:clusters: "${clusters}"\n  isthmus-bench-mesh:model: ${model}\n`,
  );
  const node = heapMb === undefined ? ["node"] : ["node", `--max-old-space-size=${heapMb}`];
  const run = timed([...node, CLI, "plan", "bench/mesh-program", "--config", config]);
  rmSync(dir, { recursive: true, force: true });
  return { ...run, command: `${run.command.replace(config, `<${clusters} ${model}>`)}` };
}

/** The CLI's commands on the demo, each from a cold start (a fresh Node). */
export function cliWallTimes(): Record<string, ProcessRun> {
  const out = path.join(mkdtempSync(path.join(tmpdir(), "isthmus-bench-out-")), "out");
  const runs = {
    validate: timed(["node", CLI, "validate", "examples/wireguard-two-region/mesh.yaml"]),
    synth: timed(["node", CLI, "synth", "examples/wireguard-two-region/mesh.yaml", "--out", out]),
    plan: timed(["node", CLI, "plan", ".", "--out", out]),
  };
  rmSync(path.dirname(out), { recursive: true, force: true });
  return runs;
}

/**
 * `npm test`, then `npm run test:integration`, in a clean clone of the committed tree (node_modules
 * hard-linked from this checkout, as `npm ci` would lay them out; no build output, no caches), as CI
 * runs them.
 */
export function npmTestClean(): { test: ProcessRun; integration: ProcessRun } {
  const dir = mkdtempSync(path.join(tmpdir(), "isthmus-clean-"));
  try {
    const clone = spawnSync("git", ["clone", "--quiet", "--no-hardlinks", ROOT, dir], { encoding: "utf8" });
    if (clone.status !== 0) {
      const failed = {
        ok: false,
        wallS: 0,
        cpuS: 0,
        peakRssMb: 0,
        command: "git clone",
        error: clone.stderr,
      };
      return { test: failed, integration: failed };
    }
    spawnSync("cp", ["-al", path.join(ROOT, "node_modules"), path.join(dir, "node_modules")]);
    const test = { ...timed(["npm", "test"], dir, 1800), command: "npm test (clean clone)" };
    const integration = {
      ...timed(["npm", "run", "test:integration"], dir, 1800),
      command: "npm run test:integration (the same clone, after npm test)",
    };
    return { test, integration };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
