/**
 * Bench tunnel figures, on a real WireGuard tunnel between namespaces (test/e2e/netns.ts) built from
 * the configs generated for a two-region AWS plan, fragments dropped on the 1500-byte IPv4 underlay:
 * - `tunnel_mtu_headroom_bytes`: the largest tunnel MTU whose full-size packets cross (a DF ping
 *   sweep, test/e2e/mtu-sweep.ts) − the generated MTU; 0 is the goal: nothing left on the table,
 *   nothing black-holed;
 * - `tunnel_mtu_throughput_ratio`: iperf3 TCP throughput at the generated MTU ÷ at the best MTU of a
 *   sweep, each the median of interleaved passes (alternating direction over the MTUs), so that
 *   neither side gets the machine's quiet moments.
 * iperf3 runs between the simulated pod addresses; every packet stays inside the two namespaces.
 */
import { loadavg } from "node:os";
import { plan } from "../lib/core/plan";
import { largestCrossing } from "../test/e2e/mtu-sweep";
import { NamespaceTunnel, tunnelUnavailable, type TunnelEnd } from "../test/e2e/netns";
import { median } from "./stats";

/** The result of {@link measureTunnelMtuThroughput}. */
export interface TunnelMtuThroughput {
  /** The MTU the plan gives the tunnel (1440 on a 1500-byte IPv4 underlay). */
  readonly generatedMtu: number;
  /** The largest MTU whose full-size packets cross the underlay (DF ping sweep). */
  readonly largestCrossingMtu: number;
  /** largestCrossingMtu − generatedMtu. */
  readonly headroomBytes: number;
  /** The MTU with the highest median throughput among those measured. */
  readonly bestMtu: number;
  /** Throughput at the generated MTU, Mbit/s. */
  readonly generatedMbps: number;
  /** Throughput at the best MTU, Mbit/s. */
  readonly bestMbps: number;
  /** generatedMbps ÷ bestMbps: at most 1, never 0. */
  readonly ratio: number;
  /** The median throughput per MTU, Mbit/s. */
  readonly sweep: Readonly<Record<number, number>>;
}

/** Options of {@link measureTunnelMtuThroughput}. */
export interface TunnelBenchOptions {
  /**
   * Megabytes sent per iperf3 sample.
   * @default 24
   */
  readonly megabytes?: number;
  /**
   * The MTUs tried besides the generated one.
   * @default - 1280 to 1440 in steps of 20
   */
  readonly mtus?: readonly number[];
  /**
   * Passes over the MTUs (alternating direction, to cancel drift); each MTU's figure is the median
   * of its passes.
   * @default 7
   */
  readonly passes?: number;
}

const IPERF_PORT = 5201;

/**
 * Brings up the namespace tunnel from the configs generated for a two-region AWS plan (1500-byte
 * underlay), then measures iperf3 TCP throughput at the generated MTU and at each MTU of a sweep.
 * @throws Error when the tunnel cannot be built here or a measurement fails (never reports 0)
 */
export async function measureTunnelMtuThroughput(
  options: TunnelBenchOptions = {},
): Promise<TunnelMtuThroughput> {
  const megabytes = options.megabytes ?? 24;
  const passes = options.passes ?? 7;
  const unavailable = tunnelUnavailable(["iperf3"]);
  if (unavailable !== undefined)
    throw new Error(`tunnel_mtu_throughput_ratio: cannot measure: ${unavailable}`);

  const meshPlan = plan({
    networkMode: "wireguard",
    clusters: {
      region1: { cloud: "aws", region: "us-east-1" },
      region2: { cloud: "aws", region: "us-west-2" },
    },
  });
  const generatedMtu = meshPlan.wireguard!.gateways.region1!.mtu;
  const sweepMtus =
    options.mtus ?? Array.from({ length: 9 }, (_, i) => 1280 + 20 * i).filter((m) => m <= generatedMtu);
  const mtus = [...new Set([...sweepMtus, generatedMtu])].sort((a, b) => a - b);

  const tunnel = await NamespaceTunnel.up({ plan: meshPlan, a: "region1", b: "region2" });
  try {
    const largestCrossingMtu = await largestCrossing(tunnel, generatedMtu);
    tunnel.start(tunnel.b, ["iperf3", "--server", "--bind", tunnel.b.pod, "--port", String(IPERF_PORT)]);
    const samples: Record<number, number[]> = {};
    for (let pass = 0; pass < passes; pass++) {
      for (const mtu of pass % 2 === 0 ? mtus : [...mtus].reverse()) {
        await tunnel.setTunnelMtu(mtu);
        (samples[mtu] ??= []).push(await iperf(tunnel, tunnel.a, tunnel.b, megabytes, mtu));
      }
    }
    const sweep: Record<number, number> = Object.fromEntries(
      Object.entries(samples).map(([mtu, values]) => [mtu, median(values)]),
    );
    const [bestMtu, bestMbps] = Object.entries(sweep)
      .map(([mtu, mbps]) => [Number(mtu), mbps] as const)
      .reduce((best, next) => (next[1] > best[1] ? next : best));
    const generatedMbps = sweep[generatedMtu]!;
    return {
      generatedMtu,
      largestCrossingMtu,
      headroomBytes: largestCrossingMtu - generatedMtu,
      bestMtu,
      generatedMbps,
      bestMbps,
      ratio: generatedMbps / bestMbps,
      sweep,
    };
  } finally {
    await tunnel.down();
  }
}

/** One iperf3 TCP measurement from `from` to `to`, in Mbit/s; retries while the server starts. */
async function iperf(
  tunnel: NamespaceTunnel,
  from: TunnelEnd,
  to: TunnelEnd,
  megabytes: number,
  mtu: number,
): Promise<number> {
  const argv = [
    "iperf3",
    "--client",
    to.pod,
    "--bind",
    from.pod,
    "--port",
    String(IPERF_PORT),
    "--bytes",
    `${megabytes}M`,
    "--json",
  ];
  let last = "";
  for (let attempt = 0; attempt < 10; attempt++) {
    const r = await tunnel.exec(from, argv, 30_000);
    let report: { error?: string; end?: { sum_received?: { bits_per_second?: number } } } = {};
    try {
      report = JSON.parse(r.stdout) as typeof report;
    } catch {
      report = { error: (r.stderr || r.stdout).trim() || `exit ${r.code}` };
    }
    const bps = report.end?.sum_received?.bits_per_second ?? 0;
    if (r.code === 0 && bps > 0) return bps / 1e6;
    last = report.error ?? `iperf3 exited with ${r.code} and ${bps} bit/s`;
    if (!/connect|refused|busy/i.test(last)) break;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`tunnel_mtu_throughput_ratio: iperf3 at MTU ${mtu} failed: ${last}`);
}

/** `tsx bench/tunnel.ts` prints one measurement as JSON. */
if (require.main === module) {
  measureTunnelMtuThroughput().then(
    (r) => console.log(JSON.stringify({ ...r, loadAverage1m: loadavg()[0] }, null, 2)),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exitCode = 1;
    },
  );
}
