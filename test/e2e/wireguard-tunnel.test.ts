/**
 * The real tunnel: the wg-quick configs isthmus generates for a two-cluster `wireguard` plan bring up
 * wireguard-go between two network namespaces joined by a veth underlay that drops fragments, and
 * carry pod traffic, full-size packets at the planned MTU, and DNS stub forwarding.
 *
 * Skipped, with the reason printed, only where namespaces cannot be made or the tools are missing
 * (`.ci/install-wireguard.sh` installs them).
 */
import assert from "node:assert/strict";
import { kubeDnsStubDomains } from "../../lib/core/dns";
import type { MeshPlan } from "../../lib/core/mesh-plan";
import { plan } from "../../lib/core/plan";
import type { MeshSpec } from "../../lib/core/spec";
import { largestCrossing, PING_HEADERS } from "./mtu-sweep";
import { NamespaceTunnel, tunnelUnavailable, which, type TunnelEnd } from "./netns";

const CASES: {
  readonly title: string;
  readonly spec: MeshSpec;
  readonly mtu: number;
  readonly underlay: number;
}[] = [
  {
    title: "two AWS regions (1500-byte IPv4 underlay)",
    spec: {
      networkMode: "wireguard",
      clusters: {
        region1: { cloud: "aws", region: "us-east-1" },
        region2: { cloud: "aws", region: "us-west-2" },
      },
    },
    mtu: 1440,
    underlay: 1500,
  },
  {
    title: "AWS and GCP (GCP's 1460-byte IPv4 underlay)",
    spec: {
      networkMode: "wireguard",
      clusters: {
        east: { cloud: "aws", region: "us-east-1" },
        west: { cloud: "gcp", region: "us-west1" },
      },
    },
    mtu: 1400,
    underlay: 1460,
  },
  {
    title: "an IPv6 underlay (1500 bytes, WireGuard's 80-byte overhead)",
    spec: {
      networkMode: "wireguard",
      clusters: {
        region1: { cloud: "aws", region: "us-east-1", underlayIpFamily: "ipv6" },
        region2: { cloud: "aws", region: "us-west-2", underlayIpFamily: "ipv6" },
      },
    },
    mtu: 1420,
    underlay: 1500,
  },
];

for (const { title, spec, mtu, underlay } of CASES) {
  describe(`WireGuard tunnel between namespaces: ${title}`, function () {
    this.timeout(60_000);
    const meshPlan: MeshPlan = plan(spec);
    const [idA, idB] = Object.keys(meshPlan.clusters) as [string, string];
    let tunnel: NamespaceTunnel | undefined;

    before(async function () {
      const reason = tunnelUnavailable();
      if (reason !== undefined) {
        console.log(`      skipped: ${reason}`);
        this.skip();
      }
      tunnel = await NamespaceTunnel.up({ plan: meshPlan, a: idA, b: idB });
    });

    after(async () => {
      await tunnel?.down();
    });

    const ping = (from: TunnelEnd, to: TunnelEnd, size?: number) =>
      tunnel!.exec(from, [
        "ping",
        "-n",
        "-c",
        "1",
        "-W",
        "2",
        ...(size === undefined ? [] : ["-M", "do", "-s", String(size)]),
        "-I",
        from.pod,
        to.pod,
      ]);

    it("plans the MTU and underlay this case is about", () => {
      assert.equal(meshPlan.wireguard!.gateways[idA]!.mtu, mtu);
      assert.equal(meshPlan.wireguard!.gateways[idB]!.mtu, mtu);
      assert.equal(tunnel!.underlayMtu, underlay);
    });

    it("wg applies the generated config: the peer's AllowedIPs are exactly the plan's ranges", async () => {
      for (const [end, id, peer] of [
        [tunnel!.a, idA, idB],
        [tunnel!.b, idB, idA],
      ] as const) {
        const out = await tunnel!.exec(end, ["wg", "show", end.wg, "allowed-ips"]);
        assert.equal(out.code, 0, out.stderr);
        const ranges = out.stdout.trim().split(/\s+/).slice(1).sort();
        const planned = meshPlan.wireguard!.gateways[id]!.peers.find((p) => p.id === peer)!.allowedIps;
        assert.deepEqual(ranges, [...planned].sort());
        const link = await tunnel!.exec(end, ["ip", "-o", "link", "show", end.wg]);
        assert.match(link.stdout, new RegExp(`mtu ${mtu} `));
      }
    });

    it("completes a handshake on both ends", async () => {
      let handshakes: number[] = [];
      for (let i = 0; i < 10; i++) {
        await ping(tunnel!.a, tunnel!.b);
        handshakes = [
          ...(await tunnel!.latestHandshakes(tunnel!.a)),
          ...(await tunnel!.latestHandshakes(tunnel!.b)),
        ];
        if (handshakes.length === 2 && handshakes.every((t) => t > 0)) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      assert.equal(handshakes.length, 2);
      for (const t of handshakes) assert.ok(t > 0, `latest handshake ${t}`);
    });

    it("pings across between the simulated pod ranges, both ways", async () => {
      const there = await ping(tunnel!.a, tunnel!.b);
      assert.equal(there.code, 0, there.stdout + there.stderr);
      assert.match(there.stdout, new RegExp(`bytes from ${tunnel!.b.pod.replace(/\./g, "\\.")}`));
      const back = await ping(tunnel!.b, tunnel!.a);
      assert.equal(back.code, 0, back.stdout + back.stderr);
    });

    it(`carries a full-size ${mtu}-byte packet with DF set, and refuses ${mtu + 1} at the interface`, async () => {
      const full = await ping(tunnel!.a, tunnel!.b, mtu - PING_HEADERS);
      assert.equal(full.code, 0, full.stdout + full.stderr);
      assert.match(full.stdout, new RegExp(`\\(${mtu}\\) bytes of data`));
      assert.match(full.stdout, / 0% packet loss/);
      const over = await ping(tunnel!.a, tunnel!.b, mtu + 1 - PING_HEADERS);
      assert.notEqual(over.code, 0);
      assert.match(over.stderr + over.stdout, new RegExp(`message too long, mtu=${mtu}`));
    });

    it(`plans the largest MTU that crosses: a DF ping sweep finds ${mtu} bytes over this underlay`, async () => {
      assert.equal(await largestCrossing(tunnel!, mtu), mtu);
    });

    it("black-holes full-size packets when the tunnel MTU ignores the overhead: the fragment drop is real", async () => {
      const t = tunnel!;
      const before = await t.droppedFragments(t.b);
      await t.setTunnelMtu(underlay);
      try {
        const lost = await ping(t.a, t.b, underlay - PING_HEADERS);
        assert.notEqual(lost.code, 0, "a packet bigger than the underlay can carry crossed");
        assert.match(lost.stdout, /100% packet loss/);
        assert.ok((await t.droppedFragments(t.b)) > before, "the underlay dropped no fragment");
        // The same packet crosses once the underlay lets fragments through: the drop is the cause.
        await t.setFragmentDrop(false);
        const fragmented = await ping(t.a, t.b, underlay - PING_HEADERS);
        assert.equal(fragmented.code, 0, fragmented.stdout + fragmented.stderr);
      } finally {
        await t.setFragmentDrop(true);
        await t.setTunnelMtu(mtu);
      }
    });

    it("forwards the other region's alias zone over the tunnel to that region's DNS (dnsmasq as kube-dns)", async function () {
      if (which("dnsmasq") === undefined) {
        console.log("      skipped: missing dnsmasq (apt-get install --no-install-recommends dnsmasq-base)");
        this.skip();
      }
      const t = tunnel!;
      const zoneA = meshPlan.clusters[idA]!.dnsZone;
      const zoneB = meshPlan.clusters[idB]!.dnsZone;
      const name = `web.default.svc.${zoneB}`;
      const dnsmasq = (end: TunnelEnd, args: string[]) =>
        t.start(end, [
          "dnsmasq",
          "--keep-in-foreground",
          "--conf-file=/dev/null",
          "--no-resolv",
          "--no-hosts",
          "--pid-file=",
          "--bind-interfaces",
          `--listen-address=${end.dns}`,
          ...args,
        ]);
      // B's DNS answers its alias zone at its plan DNS address.
      dnsmasq(t.b, [`--local=/${zoneB}/`, `--host-record=${name},${t.b.pod}`]);
      // A's DNS gets its stubs from the generated kube-dns stubDomains, translated the way kube-dns's
      // dnsmasq does (--server=/zone/ip); its own zone is served locally.
      const stubs = kubeDnsStubDomains(meshPlan, idA);
      assert.deepEqual(stubs[zoneB], [t.b.dns]);
      const servers = Object.entries(stubs)
        .filter(([zone]) => zone !== zoneA)
        .flatMap(([zone, ips]) => ips.map((ip) => `--server=/${zone}/${ip}`));
      dnsmasq(t.a, [`--local=/${zoneA}/`, ...servers]);

      const lookup =
        "const r=new (require('node:dns').promises.Resolver)({timeout:1500,tries:2});" +
        "r.setServers([process.argv[1]]);" +
        "r.resolve4(process.argv[2]).then(a=>console.log(a.join(',')),e=>{console.error(e.code);process.exit(1)})";
      let answer = { code: null as number | null, stdout: "", stderr: "" };
      for (let i = 0; i < 20 && answer.code !== 0; i++) {
        answer = await t.exec(t.a, [process.execPath, "-e", lookup, t.a.dns, name]);
        if (answer.code !== 0) await new Promise((r) => setTimeout(r, 250));
      }
      assert.equal(answer.code, 0, answer.stderr);
      assert.equal(answer.stdout.trim(), t.b.pod);
    });
  });
}
