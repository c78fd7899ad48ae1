/**
 * `npm run bench`: what users wait for, measured side by side in one run (this machine is shared and
 * noisy, so every figure that matters is a ratio of two measurements taken together).
 *
 * - Offline plan time and peak heap for meshes of 2–64 clusters in both control-plane models, next
 *   to a floor: the same number of bare resources through the same engine.
 * - Simulated deploy time (a latency per resource type) for 1, 2 and 8 clusters.
 * - The WireGuard tunnel's throughput at the generated MTU against the best MTU (needs root and
 *   the Debian tools; skipped with its reason otherwise).
 * - What the package costs an AWS-only user: import time against @pulumi/aws alone, packed size,
 *   installed footprint (bench/package.ts).
 *
 * Writes bench/results.json and prints a table.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { eksMesh } from "../examples/aws-two-region/demo";
import type { MeshCluster } from "../lib/base/mesh-cluster";
import { MultiClusterMesh } from "../lib/components/multi-cluster-mesh";
import type { MeshSpec } from "../lib/core";
import { runOffline, type OfflineEngine, type OfflineEngineOptions } from "../lib/testing";
import { fakePem } from "../lib/testing/mock-outputs";
import { measurePackage } from "./package";
import { measureTunnelMtuThroughput } from "./tunnel";

const SIZES = [2, 4, 8, 16, 32, 64];
const MODELS = ["multi-primary", "primary-remote"] as const;
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);

interface Measurement {
  readonly ms: number;
  readonly peakHeapMb: number;
  readonly resources: number;
}

/**
 * Runs `program` offline `repeats` times; the median time, the largest peak heap. One unmeasured run
 * comes first (module loading and JIT warm-up are not plan time) unless `warm` is false.
 */
async function measure(
  program: () => unknown,
  options: OfflineEngineOptions = {},
  repeats = REPEATS,
  warm = true,
): Promise<Measurement & { engine: OfflineEngine }> {
  const runs: (Measurement & { engine: OfflineEngine })[] = [];
  if (warm) await runOffline(program, options);
  for (let i = 0; i < repeats; i++) {
    global.gc?.();
    const base = process.memoryUsage().heapUsed;
    let peak = base;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 2);
    const start = performance.now();
    const { engine } = await runOffline(program, options);
    const ms = performance.now() - start;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    runs.push({ ms, peakHeapMb: (peak - base) / 2 ** 20, resources: engine.resources.length, engine });
  }
  const sorted = [...runs].sort((a, b) => a.ms - b.ms);
  return {
    ms: sorted[Math.floor(sorted.length / 2)]!.ms,
    peakHeapMb: Math.max(...runs.map((r) => r.peakHeapMb)),
    resources: runs[0]!.resources,
    engine: runs[0]!.engine,
  };
}

/**
 * The critical path of the recorded stack graph: each resource finishes its latency after the last
 * of its dependencies; the deploy takes as long as the latest finish. What `pulumi up` would take
 * with unbounded parallelism, free of this machine's CPU noise.
 */
function criticalPathMs(engine: OfflineEngine, latency: (type: string) => number): number {
  const finish = new Map<string, number>();
  const visit = (urn: string): number => {
    const known = finish.get(urn);
    if (known !== undefined) return known;
    const r = engine.byUrn(urn);
    if (r === undefined) return 0;
    finish.set(urn, 0);
    const start = Math.max(0, ...r.dependencies.map(visit));
    const end = start + latency(r.type);
    finish.set(urn, end);
    return end;
  };
  return Math.max(0, ...engine.resources.map((r) => visit(r.urn)));
}

class Parent extends pulumi.ComponentResource {
  constructor(name: string) {
    super("bench:index:Parent", name);
  }
}

class Bare extends pulumi.CustomResource {
  constructor(name: string, i: number, parent: pulumi.Resource) {
    super("bench:index:Bare", name, { i }, { parent });
  }
}

/** The floor: `count` bare resources (with a parent, as ours have) through the same engine. */
function bare(count: number): () => void {
  return () => {
    const parent = new Parent("floor");
    for (let i = 0; i < count; i++) new Bare(`bare-${i}`, i, parent);
  };
}

function meshSpec(size: number, model: (typeof MODELS)[number]): MeshSpec {
  const ids = Array.from({ length: size }, (_, i) => `c${String(i).padStart(2, "0")}`);
  return {
    meshID: "bench",
    ...(model === "primary-remote" ? { controlPlane: { model, primaries: [ids[0]!] } } : {}),
    clusters: Object.fromEntries(ids.map((id, i) => [id, { cloud: "existing" as const, region: `dc${i}` }])),
  };
}

/** Handles for existing clusters: the mesh alone, without cloud resources. */
function existingHandles(spec: MeshSpec): Record<string, MeshCluster> {
  return Object.fromEntries(
    Object.keys(spec.clusters).map((id) => [
      id,
      {
        id,
        provider: new k8s.Provider(`${id}-k8s`, {
          kubeconfig: pulumi.secret("apiVersion: v1"),
          clusterIdentifier: id,
        }),
        endpoint: `https://${id}.bench.test`,
        certificateAuthority: fakePem("CERTIFICATE", id),
      },
    ]),
  );
}

/**
 * Scaled-down latencies (1 minute → 1 s): a cloud cluster about 10 minutes, a node group 5, a NAT
 * gateway 2, a Helm release about a minute, anything else a few seconds. Large enough that the
 * engine's own CPU time (a few ms per resource) does not hide the waiting.
 */
function deployLatency(type: string): number {
  if (type === "aws:eks/cluster:Cluster" || type === "gcp:container/cluster:Cluster") return 10_000;
  if (type === "aws:eks/nodeGroup:NodeGroup" || type === "gcp:container/nodePool:NodePool") return 5_000;
  if (type === "aws:ec2/natGateway:NatGateway") return 2_000;
  if (type === "kubernetes:helm.sh/v3:Release") return 1_000;
  if (type.startsWith("pulumi:providers:") || type.startsWith("isthmus:")) return 0;
  return 50;
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
  const rows: string[][] = [["scenario", "clusters", "resources", "ms", "floor ms", "ratio", "peak heap MB"]];

  // 1. The two-region demo (EKS + mesh) against its floor.
  const demo = await measure(() => eksMesh("demo", awsSpec(2)));
  const demoFloor = await measure(bare(demo.resources));
  results.plan_overhead_ratio = round(demo.ms / demoFloor.ms);
  rows.push([
    "two-region demo",
    "2",
    `${demo.resources}`,
    fmt(demo.ms),
    fmt(demoFloor.ms),
    `${results.plan_overhead_ratio}`,
    fmt(demo.peakHeapMb),
  ]);

  // 2. Scaling, both models.
  const scaling: Record<string, unknown[]> = {};
  const growth: Record<string, number> = {};
  for (const model of MODELS) {
    scaling[model] = [];
    for (const size of SIZES) {
      const spec = meshSpec(size, model);
      const ours = await measure(
        () => new MultiClusterMesh("bench", { spec, clusters: existingHandles(spec) }),
      );
      const floor = await measure(bare(ours.resources));
      const perResource = ours.ms / ours.resources;
      scaling[model]!.push({
        clusters: size,
        resources: ours.resources,
        ms: round(ours.ms),
        floorMs: round(floor.ms),
        ratio: round(ours.ms / floor.ms),
        msPerResource: round(perResource, 4),
        peakHeapMb: round(ours.peakHeapMb),
      });
      rows.push([
        model,
        `${size}`,
        `${ours.resources}`,
        fmt(ours.ms),
        fmt(floor.ms),
        `${round(ours.ms / floor.ms)}`,
        fmt(ours.peakHeapMb),
      ]);
    }
    const first = scaling[model]![0] as { msPerResource: number };
    const last = scaling[model]![SIZES.length - 1] as { msPerResource: number };
    growth[model] = round(last.msPerResource / first.msPerResource);
  }
  results.scaling = scaling;
  results.per_resource_growth_by_model = growth;
  results.per_resource_growth = Math.max(...Object.values(growth));

  // 3. Simulated deploy time: clusters install in parallel. Wall time through the delaying engine
  // (one run each: they take tens of seconds), and the critical path of the same graph.
  const makespans: Record<string, number> = {};
  const criticalPaths: Record<string, number> = {};
  for (const size of [1, 2, 8]) {
    const run = await measure(() => eksMesh("deploy", awsSpec(size)), { latency: deployLatency }, 1, false);
    makespans[size] = round(run.ms);
    criticalPaths[size] = criticalPathMs(run.engine, deployLatency);
    rows.push([
      "simulated deploy",
      `${size}`,
      `${run.resources}`,
      fmt(run.ms),
      `cp ${criticalPaths[size]}`,
      "",
      fmt(run.peakHeapMb),
    ]);
  }
  results.deploy_makespan_ms = makespans;
  results.deploy_critical_path_ms = criticalPaths;
  results.deploy_makespan_ratio_8_to_1 = round(makespans[8]! / makespans[1]!);
  results.deploy_critical_path_ratio_8_to_1 = round(criticalPaths[8]! / criticalPaths[1]!);

  // 4. The real tunnel.
  const tunnel = await tunnelFigures();
  results.tunnel = tunnel;

  // 5. What the package costs an AWS-only user (bench/package.ts; also `npm run bench:package`).
  const pkg = measurePackage();
  results.package = pkg;
  results.import_ms_ratio = pkg.import_ms_ratio;
  if (typeof tunnel.ratio === "number") results.tunnel_mtu_throughput_ratio = round(tunnel.ratio);

  results.machine = {
    node: process.version,
    cpus: (await import("node:os")).cpus().length,
    repeats: REPEATS,
  };
  writeFileSync(path.join(__dirname, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  printTable(rows);
  for (const key of [
    "plan_overhead_ratio",
    "per_resource_growth",
    "deploy_makespan_ratio_8_to_1",
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
