/**
 * `plan_overhead_vs_handwritten`: CPU time of the demo's offline plan (isthmus's components on EKS
 * clusters) ÷ CPU time of the same resources registered by a plain Pulumi program generated from the
 * plan's records (bench/handwritten.ts), both on the same offline engine with the same settings
 * (stack traces off, source maps off, the same mocks and reality rules).
 *
 * The demo runs on the compiled package (dist/, what `npm install isthmus` gives; `npm run bench`
 * builds it first), as the hand-written program is plain JavaScript: run through tsx, every function
 * isthmus creates would pay esbuild's `keepNames` wrapper (`__name`, ~9 ms of a cold run), a cost of
 * the bench's loader, not of isthmus.
 *
 * Two figures, both paired and interleaved (this machine is shared; load moves both sides alike):
 * - warm: one process, both programs warmed up first (10 runs each: module loading and JIT warm-up
 *   count for neither; after 3 the demo's larger code is still reaching its optimized tiers), then
 *   runs in the order A B B A A B B A …; the median of the pairs' ratios (robust to the load moving
 *   between pairs; the medians of each side are kept too). No forced GC
 *   between runs: `global.gc()` makes V8 throw away optimized code whose maps died ("marking
 *   dependent code for deoptimization, reason: weak objects" under `--trace-deopt`), so every run
 *   after it is half cold — that measured 1.30–1.43 for what is 1.10–1.15 without it.
 * - cold: what `isthmus plan` pays, the first run of a fresh process after its imports (each sample
 *   its own `node` process; demo and hand-written processes alternate).
 *
 * `node --import tsx bench/overhead.ts` prints both (BENCH_WARM_PAIRS sets the warm pairs, default 31;
 * BENCH_PAIRS the cold ones, default 9); `npm run bench` writes them to bench/results.json.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { existsSync } from "node:fs";
import { helloworldDocument } from "../examples/shared/helloworld";
import type * as Isthmus from "../lib";
import type * as IsthmusAws from "../lib/aws";
import type { MeshSpec } from "../lib/core";
import type * as IsthmusTesting from "../lib/testing";
import { writeHandwritten } from "./handwritten";
import { median, quantile } from "./stats";

const DIST = path.resolve(__dirname, "../dist");
if (!existsSync(path.join(DIST, "index.js")))
  throw new Error("bench/overhead.ts: no dist/; run npm run build");
/* eslint-disable @typescript-eslint/no-require-imports -- the compiled package, loaded at run time */
const isthmus = require(path.join(DIST, "index.js")) as typeof Isthmus;
const { EksCluster } = require(path.join(DIST, "aws.js")) as typeof IsthmusAws;
const { runOffline } = require(path.join(DIST, "testing/index.js")) as typeof IsthmusTesting;
/* eslint-enable @typescript-eslint/no-require-imports */

/** The demo's spec: two EKS clusters, as `npm run demo` plans them. */
export const DEMO_SPEC: MeshSpec = {
  meshID: "bench",
  clusters: {
    region1: { cloud: "aws", region: "us-east-1" },
    region2: { cloud: "aws", region: "us-west-2" },
  },
};

/** The demo's program (examples/aws-two-region/demo.ts's `eksMesh`, on the compiled package). */
export function demoProgram(): unknown {
  const plan = isthmus.planMesh(helloworldDocument(DEMO_SPEC));
  const clusters = Object.fromEntries(
    Object.keys(plan.clusters).map((id) => [
      id,
      new EksCluster(`demo-${id}`, { plan, clusterId: id }).cluster,
    ]),
  );
  return new isthmus.MultiClusterMesh("demo", { plan, clusters });
}

/** Where the generated hand-written program is written. */
export const HANDWRITTEN_FILE = path.join(__dirname, "out/handwritten.js");

/** One side's medians and the ratio. */
export interface Paired {
  /** The median of the pairs' ratios (demo ÷ hand-written). */
  readonly ratio: number;
  /** The pairs' ratios at the first and third quartiles: how far one pair moves from the next. */
  readonly ratioQuartiles: readonly [number, number];
  /** The ratio of the two sides' medians. */
  readonly ratioOfMedians: number;
  readonly demoMs: number;
  readonly handwrittenMs: number;
  readonly samples: number;
}

/** The overhead figures. */
export interface Overhead {
  readonly resources: number;
  readonly warm: Paired;
  readonly cold: Paired;
  readonly method: string;
}

/** CPU time (user + system, all threads, GC included) of one offline run of `program`. */
export async function cpuMs(program: () => unknown): Promise<number> {
  const before = process.cpuUsage();
  await runOffline(program);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

function paired(demo: readonly number[], handwritten: readonly number[]): Paired {
  const a = median(demo);
  const b = median(handwritten);
  const ratios = demo.map((d, i) => d / handwritten[i]!);
  return {
    ratio: round(median(ratios)),
    ratioQuartiles: [round(quantile(ratios, 0.25)), round(quantile(ratios, 0.75))],
    ratioOfMedians: round(a / b),
    demoMs: round(a, 1),
    handwrittenMs: round(b, 1),
    samples: demo.length,
  };
}

/** Writes the hand-written program for the demo's recorded resources; returns the resource count. */
export async function generateHandwritten(): Promise<number> {
  const { engine } = await runOffline(demoProgram);
  writeHandwritten(engine.resources, HANDWRITTEN_FILE, engine.calls);
  return engine.resources.length;
}

function handwrittenProgram(): () => unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(HANDWRITTEN_FILE) as { program: () => unknown }).program;
}

/** Warm paired CPU time: `warmups` runs of each, then `pairs` pairs in the order A B, B A, A B … */
export async function warmPaired(pairs: number, warmups = 10): Promise<Paired> {
  const handwritten = handwrittenProgram();
  for (let i = 0; i < warmups; i++) {
    await runOffline(demoProgram);
    await runOffline(handwritten);
  }
  const demo: number[] = [];
  const hand: number[] = [];
  for (let i = 0; i < pairs; i++) {
    if (i % 2 === 0) {
      demo.push(await cpuMs(demoProgram));
      hand.push(await cpuMs(handwritten));
    } else {
      hand.push(await cpuMs(handwritten));
      demo.push(await cpuMs(demoProgram));
    }
  }
  return paired(demo, hand);
}

/** One cold sample: a fresh process imports `side`'s program and reports its first run's CPU time. */
function coldSample(side: "demo" | "handwritten"): number {
  const r = spawnSync(process.execPath, ["--import", "tsx", __filename, "--cold", side], {
    cwd: path.resolve(__dirname, ".."),
    encoding: "utf8",
  });
  const ms = Number(r.stdout.trim().split("\n").pop());
  if (r.status !== 0 || !Number.isFinite(ms)) throw new Error(`cold ${side} run failed: ${r.stderr.trim()}`);
  return ms;
}

/** Cold paired CPU time: `pairs` pairs of fresh processes, alternating which side goes first. */
export function coldPaired(pairs: number): Paired {
  const demo: number[] = [];
  const hand: number[] = [];
  for (let i = 0; i < pairs; i++) {
    if (i % 2 === 0) {
      demo.push(coldSample("demo"));
      hand.push(coldSample("handwritten"));
    } else {
      hand.push(coldSample("handwritten"));
      demo.push(coldSample("demo"));
    }
  }
  return paired(demo, hand);
}

/** Both figures (the hand-written program is generated first). */
export async function measureOverhead(warmPairs: number, coldPairs: number): Promise<Overhead> {
  const resources = await generateHandwritten();
  const warm = await warmPaired(warmPairs);
  const cold = coldPaired(coldPairs);
  return {
    resources,
    warm,
    cold,
    method:
      "CPU time (process.cpuUsage, user+system) of runOffline; warm: one process, 10 warm-up runs each, " +
      `${warmPairs} interleaved pairs (ABBA), no forced GC; cold: first run after imports in a fresh ` +
      `process, ${coldPairs} interleaved pairs of processes; ratio: median of the pairs' ratios ` +
      "(ratioQuartiles: their first and third quartiles)",
  };
}

function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

async function main(): Promise<void> {
  const cold = process.argv.indexOf("--cold");
  if (cold >= 0) {
    const program = process.argv[cold + 1] === "demo" ? demoProgram : handwrittenProgram();
    console.log((await cpuMs(program)).toFixed(1));
    return;
  }
  const warmPairs = Number(process.env.BENCH_WARM_PAIRS ?? 31);
  console.log(
    JSON.stringify(await measureOverhead(warmPairs, Number(process.env.BENCH_PAIRS ?? 9)), null, 2),
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
