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
import { cpuMs, measureOverhead } from "./overhead";
import { benchMeshSpec, existingHandles } from "./mesh-spec";
import { measurePackage } from "./package";
import { cliWallTimes, npmTestClean, planMesh, timed, type ProcessRun } from "./processes";
import { measureTunnelMtuThroughput } from "./tunnel";

const MODELS = ["multi-primary", "primary-remote"] as const;
/** Interleaved pairs for paired CPU time: warm pairs (in one process) and cold pairs (of processes). */
const WARM_PAIRS = Number(process.env.BENCH_WARM_PAIRS ?? 31);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 9);
/** The one-stack primary-remote bound of issue 13 ("plans in ≤ 10 s here"). */
const WITHIN_S = 10;

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

  // 1. The demo against the same resources written by hand (bench/overhead.ts).
  const overhead = await measureOverhead(WARM_PAIRS, PAIRS);
  results.plan_overhead_vs_handwritten = overhead.warm.ratio;
  results.plan_overhead_vs_handwritten_cold = overhead.cold.ratio;
  results.plan_overhead = overhead;
  for (const [label, p] of [
    ["demo ÷ hand-written (warm)", overhead.warm],
    ["demo ÷ hand-written (cold)", overhead.cold],
  ] as const) {
    const [q1, q3] = p.ratioQuartiles;
    rows.push([
      label,
      "2",
      `${overhead.resources}`,
      fmt(p.demoMs),
      fmt(p.handwrittenMs),
      `${p.ratio} (quartiles ${q1}–${q3})`,
    ]);
  }

  // 2. CPU per resource at 64 clusters, in process (the SDK's per-resource work dominates).
  const perResource: Record<string, number> = {};
  for (const model of MODELS) {
    const spec = benchMeshSpec(64, model);
    const program = (): unknown =>
      new MultiClusterMesh("bench", { plan: planDocument(spec), clusters: existingHandles(spec) });
    const { engine } = await runOffline(program);
    const ms = await cpuMs(program);
    const resources = engine.resources.length;
    perResource[model] = round(ms / resources, 3);
    rows.push([`${model} plan`, "64", `${resources}`, fmt(ms), "", `${perResource[model]} ms/res`]);
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
  let fleetOk = false;
  if (existsSync(path.join(fleetDir, "Pulumi.yaml"))) {
    const fleet = timed(["node", path.join(__dirname, "../bin/isthmus.js"), "plan", "bench/fleet-program"]);
    results.peak_rss_mb_fleet_2000 = fleet.ok ? fleet.peakRssMb : null;
    results.plan_fleet_2000 = fleet;
    fleetOk = fleet.ok;
  } else {
    results.peak_rss_mb_fleet_2000 = null;
    results.plan_fleet_2000 = {
      skipped: "no bench/fleet-program/Pulumi.yaml (a generated 2,000-cluster fleet)",
    };
  }
  // The largest one-stack primary-remote mesh that plans within 10 s, doubling from 256: by wall time
  // (what the issue asks; it moves with the machine's load) and by CPU time (user + system).
  const remoteRuns: Record<number, ProcessRun> = { 256: remote256 };
  const within = { wall: 0, cpu: 0 };
  for (let n = 256; n <= 2048; n *= 2) {
    const run = (remoteRuns[n] ??= planMesh(n, "primary-remote"));
    const previous = n === 256 ? 0 : n / 2;
    if (run.ok && run.wallS <= WITHIN_S && within.wall === previous) within.wall = n;
    if (run.ok && run.cpuS <= WITHIN_S && within.cpu === previous) within.cpu = n;
    if (within.wall !== n && within.cpu !== n) break;
  }
  results.max_clusters = {
    primary_remote_one_stack_within_10s: within.wall,
    primary_remote_one_stack_within_10s_cpu: within.cpu,
    multi_primary_largest_planned: big.ok ? 128 : 64,
    fleet_largest_planned: fleetOk ? 2000 : null,
  };
  results.plan_primary_remote = remoteRuns;

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
    const { test, integration } = npmTestClean();
    results.npm_test_s = test.ok ? test.wallS : null;
    results.npm_test = test;
    results.test_integration_s = integration.ok ? integration.wallS : null;
    results.test_integration = integration;
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
    "test_integration_s",
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
