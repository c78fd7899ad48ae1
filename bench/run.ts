/**
 * `npm run bench`: what users wait for, measured side by side in one run (this machine is shared and
 * noisy, so every figure that matters is a ratio of two measurements taken together).
 *
 * - The demo's offline plan against the same resources registered by a plain, hand-written Pulumi
 *   program generated from the plan's recorded resources (paired CPU time).
 * - Offline plan CPU per resource at 64 clusters; peak RSS and wall time of `isthmus plan` of large
 *   generated meshes; the largest mesh that plans.
 * - The deploy's critical path over the recorded graph (a latency table per resource type).
 * - The CLI's commands from a cold start; `npm test` in a clean clone.
 * - The WireGuard tunnel: MTU headroom from a DF ping sweep, throughput at the generated MTU against
 *   the best MTU (needs root and the Debian tools; skipped with its reason otherwise).
 * - What the package costs an AWS-only user: import time against @pulumi/aws alone, packed size,
 *   installed footprint (bench/package.ts).
 *
 * Writes bench/results.json and prints a table.
 */
import { existsSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import * as path from "node:path";
import { eksMesh } from "../examples/aws-two-region/demo";
import { MultiClusterMesh } from "../lib/components/multi-cluster-mesh";
import { planMesh as planDocument } from "../lib/components/plan-mesh";
import type { MeshSpec } from "../lib/core";
import { runOffline } from "../lib/testing";
import { criticalPath } from "./critical-path";
import { writeHandwritten } from "./handwritten";
import { benchMeshSpec, existingHandles } from "./mesh-spec";
import { measurePackage } from "./package";
import { cliWallTimes, npmTestClean, planMesh, timed } from "./processes";
import { measureTunnelMtuThroughput } from "./tunnel";

const MODELS = ["multi-primary", "primary-remote"] as const;
/** Interleaved pairs for paired CPU time. */
const PAIRS = Number(process.env.BENCH_PAIRS ?? 7);

/** CPU time (user + system, GC included) of one offline run of `program`, and what it registered. */
async function cpuOf(program: () => unknown): Promise<{ ms: number; resources: number }> {
  global.gc?.();
  const before = process.cpuUsage();
  const { engine } = await runOffline(program);
  const used = process.cpuUsage(before);
  return { ms: (used.user + used.system) / 1000, resources: engine.resources.length };
}

/**
 * Paired CPU time: `a` and `b` run alternately `pairs` times (after one warm-up run each, so that
 * module loading and JIT warm-up count for neither); the median of each.
 */
async function pairedCpu(
  a: () => unknown,
  b: () => unknown,
  pairs: number,
): Promise<{ a: number; b: number }> {
  await runOffline(a);
  await runOffline(b);
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < pairs; i++) {
    if (i % 2 === 0) {
      as.push((await cpuOf(a)).ms);
      bs.push((await cpuOf(b)).ms);
    } else {
      bs.push((await cpuOf(b)).ms);
      as.push((await cpuOf(a)).ms);
    }
  }
  return { a: median(as), b: median(bs) };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function awsSpec(size: number): MeshSpec {
  const regions = [
    "us-east-1",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-southeast-1",
    "ap-northeast-1",
    "ca-central-1",
    "sa-east-1",
  ];
  return {
    meshID: "bench",
    clusters: Object.fromEntries(
      Array.from({ length: size }, (_, i) => [
        `region${i + 1}`,
        { cloud: "aws" as const, region: regions[i % regions.length]! },
      ]),
    ),
  };
}

async function tunnelFigures(): Promise<Record<string, unknown>> {
  try {
    return { ...(await measureTunnelMtuThroughput()) };
  } catch (error) {
    return { skipped: (error as Error).message };
  }
}

async function main(): Promise<void> {
  const results: Record<string, unknown> = {};
  const rows: string[][] = [["scenario", "clusters", "resources", "cpu ms", "vs", "ratio"]];

  // 1. The demo against the same resources written by hand (generated from its recorded resources).
  const demoProgram = (): unknown => eksMesh("demo", awsSpec(2));
  const recorded = (await runOffline(demoProgram)).engine.resources;
  const file = writeHandwritten(recorded, path.join(__dirname, "out/handwritten.js"));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const handwritten = (require(file) as { program: () => void }).program;
  const paired = await pairedCpu(demoProgram, handwritten, PAIRS);
  results.plan_overhead_vs_handwritten = round(paired.a / paired.b);
  rows.push([
    "demo ÷ hand-written",
    "2",
    `${recorded.length}`,
    fmt(paired.a),
    fmt(paired.b),
    `${results.plan_overhead_vs_handwritten}`,
  ]);

  // 2. CPU per resource at 64 clusters, in process (the SDK's per-resource work dominates).
  const perResource: Record<string, number> = {};
  for (const model of MODELS) {
    const spec = benchMeshSpec(64, model);
    const program = (): unknown =>
      new MultiClusterMesh("bench", { plan: planDocument(spec), clusters: existingHandles(spec) });
    await runOffline(program);
    const cpu = await cpuOf(program);
    perResource[model] = round(cpu.ms / cpu.resources, 3);
    rows.push([`${model} plan`, "64", `${cpu.resources}`, fmt(cpu.ms), "", `${perResource[model]} ms/res`]);
  }
  results.plan_ms_per_resource = perResource["multi-primary"];
  results.plan_ms_per_resource_by_model = perResource;

  // 3. Whole `isthmus plan` processes of large generated meshes: wall, CPU, peak RSS.
  const big = planMesh(128, "multi-primary");
  results.peak_rss_mb = big.ok ? big.peakRssMb : null;
  results.plan_128_multi_primary = big;
  const remote256 = planMesh(256, "primary-remote");
  results.plan_256_primary_remote = remote256;
  // The fleet hook: when the fleet engineer's generated 2,000-cluster fleet program exists.
  const fleetDir = path.join(__dirname, "fleet-program");
  if (existsSync(path.join(fleetDir, "Pulumi.yaml"))) {
    const fleet = timed(["node", path.join(__dirname, "../bin/isthmus.js"), "plan", "bench/fleet-program"]);
    results.peak_rss_mb_fleet_2000 = fleet.ok ? fleet.peakRssMb : null;
    results.plan_fleet_2000 = fleet;
  } else {
    results.peak_rss_mb_fleet_2000 = null;
    results.plan_fleet_2000 = {
      skipped: "no bench/fleet-program/Pulumi.yaml (a generated 2,000-cluster fleet)",
    };
  }
  // The largest one-stack primary-remote mesh that plans within 10 s, doubling from 256.
  let within = remote256.ok && remote256.wallS <= 10 ? 256 : 0;
  for (let n = 512; within === n / 2 && n <= 2048; n *= 2) {
    const run = planMesh(n, "primary-remote");
    if (run.ok && run.wallS <= 10) within = n;
  }
  results.max_clusters = {
    primary_remote_one_stack_within_10s: within,
    multi_primary_largest_planned: big.ok ? 128 : 64,
  };

  // 4. The deploy's critical path over the recorded graph, N clusters against one.
  const paths: Record<string, number> = {};
  let chain: readonly string[] = [];
  for (const size of [1, 2, 8]) {
    const { engine } = await runOffline(() => eksMesh("deploy", awsSpec(size)));
    const cp = criticalPath(engine.resources);
    paths[size] = cp.minutes;
    if (size === 1) chain = cp.chain;
  }
  results.deploy_critical_path_min = paths;
  results.deploy_critical_path_ratio_8_to_1 = round(paths[8]! / paths[1]!);
  results.deploy_one_cluster_chain = chain;

  // 5. The CLI from a cold start, and npm test in a clean clone.
  const cli = cliWallTimes();
  results.cli_wall_s = Object.fromEntries(Object.entries(cli).map(([k, r]) => [k, r.ok ? r.wallS : null]));
  results.cli_runs = cli;
  if (process.env.BENCH_NPM_TEST !== "0") {
    const test = npmTestClean();
    results.npm_test_s = test.ok ? test.wallS : null;
    results.npm_test = test;
  }

  // 6. The real tunnel.
  const tunnel = await tunnelFigures();
  results.tunnel = tunnel;
  if (typeof tunnel.headroomBytes === "number") results.tunnel_mtu_headroom_bytes = tunnel.headroomBytes;
  if (typeof tunnel.ratio === "number") results.tunnel_mtu_throughput_ratio = round(tunnel.ratio);

  // 7. What the package costs an AWS-only user (bench/package.ts; also `npm run bench:package`).
  const pkg = measurePackage();
  results.package = pkg;
  results.import_ms_ratio = pkg.import_ms_ratio;

  results.machine = {
    node: process.version,
    cpus: cpus().length,
    loadAverage: loadavg().map((l) => round(l)),
  };
  writeFileSync(path.join(__dirname, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  printTable(rows);
  for (const key of [
    "plan_overhead_vs_handwritten",
    "plan_ms_per_resource",
    "peak_rss_mb",
    "max_clusters",
    "deploy_critical_path_min",
    "deploy_critical_path_ratio_8_to_1",
    "cli_wall_s",
    "npm_test_s",
    "tunnel_mtu_headroom_bytes",
    "tunnel_mtu_throughput_ratio",
  ]) {
    console.log(`${key}: ${JSON.stringify(results[key] ?? tunnel.skipped ?? null)}`);
  }
}

function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  for (const row of rows) console.log(row.map((cell, i) => cell.padStart(widths[i]!)).join("  "));
}

function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function fmt(value: number): string {
  return value.toFixed(1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
