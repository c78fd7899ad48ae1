/**
 * A real WireGuard tunnel between two network namespaces, built from the configs isthmus generates.
 * Shared by the tunnel test (test/e2e/wireguard-tunnel.test.ts) and the MTU bench (bench/tunnel.ts).
 *
 * Layout, every packet inside the two namespaces:
 * - underlay: a veth pair 198.18.0.1/30 ↔ 198.18.0.2/30 (RFC 2544 benchmarking range), or
 *   fd00:198:18::1/126 ↔ ::2 for an IPv6 underlay, at the underlay MTU, with an nftables rule
 *   dropping every fragment before reassembly, as paths that drop fragments do;
 * - overlay: wireguard-go in each namespace, configured with `wg setconf` from the generated wg-quick
 *   file after `wg-quick strip`, then address, MTU and one route per AllowedIPs range set with `ip`
 *   exactly as wg-quick would;
 * - simulated cluster: the first address of the cluster's pod range and its plan DNS address on
 *   loopback.
 * Test keys are generated per run, written only to a private 0700 temporary directory and never
 * logged; the directory is removed on teardown.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addressAt } from "../../lib/core/cidr";
import type { MeshPlan } from "../../lib/core/mesh-plan";
import {
  generatePresharedKey,
  generatePrivateKey,
  publicKeyOf,
  renderWgQuickConfig,
} from "../../lib/core/wireguard";

/** The binaries a tunnel needs, and the Debian package each comes from. */
export const REQUIRED_BINARIES: Readonly<Record<string, string>> = {
  ip: "iproute2",
  nft: "nftables",
  "wireguard-go": "wireguard-go",
  wg: "wireguard-tools",
  "wg-quick": "wireguard-tools",
  ping: "iputils-ping",
};

/** The simulated underlay: a /30 in 198.18.0.0/15, or a /126 of unique local IPv6 addresses. */
export const UNDERLAY = { a: "198.18.0.1", b: "198.18.0.2", prefix: 30 } as const;
export const UNDERLAY6 = { a: "fd00:198:18::1", b: "fd00:198:18::2", prefix: 126 } as const;

/** Where a binary is, or `undefined`. */
export function which(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(":").concat(["/usr/sbin", "/sbin"])) {
    if (dir !== "" && existsSync(join(dir, binary))) return join(dir, binary);
  }
  return undefined;
}

/**
 * Why a tunnel cannot be built here (missing binaries, no root, no CAP_NET_ADMIN, no /dev/net/tun),
 * or `undefined` when it can.
 */
export function tunnelUnavailable(extra: readonly string[] = []): string | undefined {
  const missing = [...Object.keys(REQUIRED_BINARIES), ...extra].filter((b) => which(b) === undefined);
  if (missing.length > 0) {
    return `missing ${missing.join(", ")} (run .ci/install-wireguard.sh: apt-get install --no-install-recommends wireguard-go wireguard-tools iproute2 nftables iputils-ping)`;
  }
  if (process.getuid?.() !== 0) return "not root: network namespaces need CAP_NET_ADMIN";
  if (!existsSync("/dev/net/tun")) return "no /dev/net/tun: wireguard-go cannot create its interface";
  const probe = `isthmus-probe-${process.pid}`;
  const made = spawnSync("ip", ["netns", "add", probe], { encoding: "utf8" });
  if (made.status !== 0) return `cannot create a network namespace: ${made.stderr.trim()}`;
  spawnSync("ip", ["netns", "del", probe]);
  return undefined;
}

/** A finished command. */
export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion (bounded by `timeoutMs`), never throwing on a non-zero exit. */
export function run(argv: readonly string[], timeoutMs = 20_000, input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    if (input !== undefined) {
      child.stdin!.on("error", () => undefined); // the exit code tells
      child.stdin!.end(input);
    }
  });
}

/** Runs a command and throws with its output when it fails. */
export async function must(argv: readonly string[], timeoutMs?: number, input?: string): Promise<string> {
  const r = await run(argv, timeoutMs, input);
  if (r.code !== 0) {
    throw new Error(`\`${argv.join(" ")}\` exited with ${r.code}: ${(r.stderr || r.stdout).trim()}`);
  }
  return r.stdout;
}

/** One end of the tunnel: a namespace standing in for one cluster's gateway and pods. */
export interface TunnelEnd {
  /** The cluster id in the plan. */
  readonly cluster: string;
  /** The network namespace. */
  readonly ns: string;
  /** The WireGuard interface (wireguard-go). */
  readonly wg: string;
  /** The underlay veth and its address. */
  readonly veth: string;
  readonly underlay: string;
  /** A simulated pod address: the first host of the cluster's pod range. */
  readonly pod: string;
  /** The cluster's DNS address from the plan, on loopback. */
  readonly dns: string;
  /** The generated wg-quick file, as written (0600, removed on teardown). */
  readonly configPath: string;
}

/** Options of {@link NamespaceTunnel.up}. */
export interface TunnelOptions {
  /** A `wireguard` mode plan. */
  readonly plan: MeshPlan;
  /** The two cluster ids; `a` gets underlay 198.18.0.1, `b` 198.18.0.2. */
  readonly a: string;
  readonly b: string;
  /**
   * The underlay veth MTU.
   * @default - the smaller of the two gateways' plan `underlayMtu`
   */
  readonly underlayMtu?: number;
  /**
   * The underlay's IP family.
   * @default - the plan's, for the link between `a` and `b`
   */
  readonly underlayIpFamily?: "ipv4" | "ipv6";
}

/** Tunnels not yet torn down; an exit or an interrupt tears them down synchronously. */
const live = new Set<NamespaceTunnel>();

function tearDownLive(): void {
  for (const t of live) t.downSync();
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  tearDownLive();
  unwatch();
  process.kill(process.pid, signal);
}

function watch(tunnel: NamespaceTunnel): void {
  if (live.size === 0) {
    process.on("exit", tearDownLive);
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  }
  live.add(tunnel);
}

function unwatch(tunnel?: NamespaceTunnel): void {
  if (tunnel !== undefined) live.delete(tunnel);
  if (live.size > 0) return;
  process.off("exit", tearDownLive);
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
}

/** A running tunnel; always call {@link NamespaceTunnel.down}. */
export class NamespaceTunnel {
  readonly a: TunnelEnd;
  readonly b: TunnelEnd;
  readonly underlayMtu: number;
  readonly underlayIpFamily: "ipv4" | "ipv6";
  private readonly processes: ChildProcess[] = [];
  private readonly dir: string;
  private readonly namespaces: string[] = [];

  private constructor(
    readonly plan: MeshPlan,
    options: TunnelOptions,
  ) {
    const tag = `${process.pid.toString(36)}${randomBytes(2).toString("hex")}`.slice(0, 9);
    this.dir = mkdtempSync(join(tmpdir(), "isthmus-wg-"));
    const link = plan.wireguard!.links.find(
      (l) => [l.a, l.b].sort().join() === [options.a, options.b].sort().join(),
    );
    this.underlayIpFamily = options.underlayIpFamily ?? link?.ipFamily ?? "ipv4";
    const addresses = this.underlayIpFamily === "ipv6" ? UNDERLAY6 : UNDERLAY;
    const end = (cluster: string, side: "a" | "b"): TunnelEnd => {
      const wg = `iw${side}${tag}`;
      return {
        cluster,
        ns: `isthmus-${side}-${tag}`,
        wg,
        veth: `iv${side}${tag}`,
        underlay: addresses[side],
        pod: addressAt(plan.clusters[cluster]!.cidrs.pod, 1),
        dns: plan.wireguard!.gateways[cluster]!.dnsAddress,
        configPath: join(this.dir, `${wg}.conf`),
      };
    };
    this.a = end(options.a, "a");
    this.b = end(options.b, "b");
    const gateways = plan.wireguard!.gateways;
    this.underlayMtu =
      options.underlayMtu ?? Math.min(gateways[options.a]!.underlayMtu, gateways[options.b]!.underlayMtu);
  }

  /** Builds both namespaces and brings the tunnel up from the generated configs. */
  static async up(options: TunnelOptions): Promise<NamespaceTunnel> {
    if (options.plan.wireguard === undefined) throw new Error("the plan is not in wireguard mode");
    const tunnel = new NamespaceTunnel(options.plan, options);
    watch(tunnel);
    try {
      await tunnel.build();
    } catch (e) {
      await tunnel.down();
      throw e;
    }
    return tunnel;
  }

  /** Runs a command inside a namespace. */
  exec(end: TunnelEnd, argv: readonly string[], timeoutMs?: number): Promise<Run> {
    return run(["ip", "netns", "exec", end.ns, ...argv], timeoutMs);
  }

  /** Starts a long-running process inside a namespace; it is stopped on teardown. */
  start(end: TunnelEnd, argv: readonly string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
    const child = spawn("ip", ["netns", "exec", end.ns, ...argv], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...env },
    });
    child.stdout?.resume();
    child.stderr?.resume();
    this.processes.push(child);
    return child;
  }

  /** Sets the WireGuard interface MTU on both ends. */
  async setTunnelMtu(mtu: number): Promise<void> {
    for (const end of [this.a, this.b])
      await must(["ip", "-n", end.ns, "link", "set", end.wg, "mtu", String(mtu)]);
  }

  /** Turns the underlay's fragment drop on (as built) or off, in both namespaces. */
  async setFragmentDrop(enabled: boolean): Promise<void> {
    for (const end of [this.a, this.b]) {
      await must(["ip", "netns", "exec", end.ns, "nft", "flush", "chain", "inet", "isthmus", "underlay"]);
      if (enabled)
        await must(
          ["ip", "netns", "exec", end.ns, "nft", "-f", "-"],
          undefined,
          dropRule(end, this.underlayIpFamily),
        );
    }
  }

  /** A path inside the tunnel's private temporary directory (removed on teardown). */
  path(name: string): string {
    return join(this.dir, name);
  }

  /** How many underlay fragments the drop rule has discarded in a namespace. */
  async droppedFragments(end: TunnelEnd): Promise<number> {
    const out = await must([
      "ip",
      "netns",
      "exec",
      end.ns,
      "nft",
      "list",
      "chain",
      "inet",
      "isthmus",
      "underlay",
    ]);
    const counts = [...out.matchAll(/counter packets (\d+)/g)].map((m) => Number(m[1]));
    return counts.reduce((s, n) => s + n, 0);
  }

  /** Latest handshake (unix seconds) per peer public key, from `wg show <if> latest-handshakes`. */
  async latestHandshakes(end: TunnelEnd): Promise<number[]> {
    const out = await must(["ip", "netns", "exec", end.ns, "wg", "show", end.wg, "latest-handshakes"]);
    return out
      .trim()
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => Number(l.split(/\s+/)[1]));
  }

  /** Stops every process and deletes both namespaces and the key directory. Idempotent. */
  async down(): Promise<void> {
    unwatch(this);
    for (const child of this.processes.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      }
    }
    for (const ns of this.namespaces.splice(0)) await run(["ip", "netns", "del", ns]);
    for (const end of [this.a, this.b]) rmSync(`/var/run/wireguard/${end.wg}.sock`, { force: true });
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** {@link NamespaceTunnel.down} for a process that is exiting: no waiting on events. */
  downSync(): void {
    for (const child of this.processes.splice(0)) child.kill("SIGKILL");
    for (const ns of this.namespaces.splice(0)) spawnSync("ip", ["netns", "del", ns]);
    for (const end of [this.a, this.b]) rmSync(`/var/run/wireguard/${end.wg}.sock`, { force: true });
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async build(): Promise<void> {
    const { a, b } = this;
    for (const end of [a, b]) {
      await must(["ip", "netns", "add", end.ns]);
      this.namespaces.push(end.ns);
      await must(["ip", "-n", end.ns, "link", "set", "lo", "up"]);
    }
    await must([
      "ip",
      "-n",
      a.ns,
      "link",
      "add",
      a.veth,
      "type",
      "veth",
      "peer",
      "name",
      b.veth,
      "netns",
      b.ns,
    ]);
    for (const end of [a, b]) {
      await must(["ip", "-n", end.ns, "link", "set", end.veth, "mtu", String(this.underlayMtu), "up"]);
      await must([
        "ip",
        "-n",
        end.ns,
        "address",
        "add",
        `${end.underlay}/${this.underlayIpFamily === "ipv6" ? UNDERLAY6.prefix : UNDERLAY.prefix}`,
        "dev",
        end.veth,
        ...(this.underlayIpFamily === "ipv6" ? ["nodad"] : []),
      ]);
      await must(
        ["ip", "netns", "exec", end.ns, "nft", "-f", "-"],
        undefined,
        dropRule(end, this.underlayIpFamily),
      );
      // On loopback: dummy interfaces need a kernel module that is not always there.
      await must(["ip", "-n", end.ns, "address", "add", `${end.pod}/32`, "dev", "lo"]);
      await must(["ip", "-n", end.ns, "address", "add", `${end.dns}/32`, "dev", "lo"]);
    }

    const keys = [a, b].map(() => generatePrivateKey());
    const presharedKey = generatePresharedKey();
    const ends: [TunnelEnd, TunnelEnd, string][] = [
      [a, b, keys[0]!],
      [b, a, keys[1]!],
    ];
    for (const [self, peer, privateKey] of ends) {
      const config = renderWgQuickConfig(this.plan, self.cluster, {
        privateKey,
        peers: {
          [peer.cluster]: {
            publicKey: publicKeyOf(peer === a ? keys[0]! : keys[1]!),
            presharedKey,
            endpoint: peer.underlay,
          },
        },
      });
      writeFileSync(self.configPath, config, { mode: 0o600 });
      await this.bringUp(self, config);
    }
  }

  /** What wg-quick up does, step by step, with wireguard-go as the interface. */
  private async bringUp(end: TunnelEnd, config: string): Promise<void> {
    const socket = `/var/run/wireguard/${end.wg}.sock`;
    const daemon = this.start(end, ["wireguard-go", "-f", end.wg], {
      WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD: "1",
    });
    let stderr = "";
    daemon.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    for (let i = 0; i < 100 && !existsSync(socket); i++) {
      if (daemon.exitCode !== null)
        throw new Error(`wireguard-go exited with ${daemon.exitCode}: ${stderr.trim()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    if (!existsSync(socket)) throw new Error(`wireguard-go did not open ${socket}: ${stderr.trim()}`);

    const stripped = await must(["wg-quick", "strip", end.configPath]);
    const strippedPath = join(this.dir, `${end.wg}.setconf`);
    writeFileSync(strippedPath, stripped, { mode: 0o600 });
    await must(["ip", "netns", "exec", end.ns, "wg", "setconf", end.wg, strippedPath]);

    const value = (key: string): string[] =>
      [...config.matchAll(new RegExp(`^${key}\\s*=\\s*(.+)$`, "gm"))].flatMap((m) => m[1]!.split(/\s*,\s*/));
    for (const address of value("Address"))
      await must(["ip", "-n", end.ns, "address", "add", address, "dev", end.wg]);
    await must(["ip", "-n", end.ns, "link", "set", end.wg, "mtu", value("MTU")[0]!, "up"]);
    for (const range of value("AllowedIPs"))
      await must(["ip", "-n", end.ns, "route", "add", range, "dev", end.wg]);
  }
}

/**
 * The underlay's fragment drop: every IPv4 fragment (MF set or a non-zero offset), or every IPv6
 * packet with a fragment header, arriving on the veth. Priority -500 runs before conntrack's
 * defragmentation (-400), so the rule sees real fragments.
 */
function dropRule(end: TunnelEnd, family: "ipv4" | "ipv6"): string {
  return [
    "table inet isthmus {",
    "  chain underlay {",
    "    type filter hook prerouting priority -500; policy accept;",
    family === "ipv6"
      ? `    iifname "${end.veth}" exthdr frag exists counter drop`
      : `    iifname "${end.veth}" ip frag-off & 0x3fff != 0 counter drop`,
    "  }",
    "}",
    "",
  ].join("\n");
}
