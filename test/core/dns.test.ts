import { strict as assert } from "node:assert";
import { join } from "node:path";
import {
  dnsForwards,
  dnsRouteProblems,
  kubeDnsStubDomains,
  renderCorefile,
  renderKubeDnsStubDomains,
} from "../../lib/core/dns";
import type { MeshPlan } from "../../lib/core/mesh-plan";
import { plan } from "../../lib/core/plan";
import { formatProblem } from "../../lib/core/problems";
import { goldenFiles } from "../support/golden";

const golden = goldenFiles(join(__dirname, "golden"));

const CLUSTERS = {
  region1: { cloud: "aws", region: "us-east-1" },
  region2: { cloud: "gcp", region: "us-west1" },
} as const;
const flat = plan({ networkMode: "wireguard", clusters: CLUSTERS });
const dnsOf = (p: MeshPlan, id: string): string => p.wireguard!.gateways[id]!.dnsAddress;

describe("core/dns", () => {
  describe("the plan's DNS addresses", () => {
    it("sit inside the cluster's first node subnet, five before its end, and inside the peers' AllowedIPs", () => {
      assert.equal(flat.clusters["region1"]!.subnets[0]!.cidr, "10.164.0.0/18");
      assert.equal(dnsOf(flat, "region1"), "10.164.63.250");
      assert.equal(dnsOf(flat, "region2"), "10.157.63.250");
      assert.deepEqual(dnsRouteProblems(flat), []);
    });

    it("fall back to the node range for clusters without zones", () => {
      const existing = plan({
        networkMode: "wireguard",
        clusters: {
          dc1: {
            cloud: "existing",
            region: "dc1",
            cidrs: { node: "192.168.0.0/24", pod: "10.0.0.0/16", service: "10.1.0.0/16" },
          },
          dc2: {
            cloud: "existing",
            region: "dc2",
            cidrs: { node: "192.168.1.0/24", pod: "10.2.0.0/16", service: "10.3.0.0/16" },
          },
        },
      });
      assert.deepEqual(existing.clusters["dc1"]!.subnets, []);
      assert.equal(dnsOf(existing, "dc1"), "192.168.0.250");
      assert.equal(dnsOf(existing, "dc2"), "192.168.1.250");
    });
  });

  describe("renderCorefile", () => {
    for (const id of ["region1", "region2"]) {
      const other = id === "region1" ? "region2" : "region1";
      const corefile = renderCorefile(flat, id);

      it(`${id}: matches its golden file`, () => golden(`coredns.two-region.${id}.Corefile`, corefile));

      it(`${id}: serves its alias zone beside the one cluster domain with the kubernetes plugin`, () => {
        assert.match(
          corefile,
          new RegExp(`^    kubernetes cluster\\.local cluster\\.${id} in-addr\\.arpa ip6\\.arpa \\{$`, "m"),
        );
        assert.equal((corefile.match(/kubernetes /g) ?? []).length, 1);
        assert.ok(!corefile.includes(`kubernetes cluster.local cluster.${other}`));
      });

      it(`${id}: forwards the other region's zone to its planned DNS address over the tunnel`, () => {
        const block = new RegExp(
          `^cluster\\.${other}:53 \\{\\n    errors\\n    cache 30\\n    forward \\. ${dnsOf(flat, other).replace(/\./g, "\\.")}\\n\\}$`,
          "m",
        );
        assert.match(corefile, block);
        assert.equal((corefile.match(/^\S.*:53 \{$/gm) ?? []).length, 2, "the root block and one stub");
      });
    }

    it("forwards every other zone in a full mesh of three, sorted by zone", () => {
      const three = plan({
        networkMode: "wireguard",
        clusters: {
          ...CLUSTERS,
          region3: { cloud: "aws", region: "eu-west-1", dnsZone: "eu.example.internal" },
        },
      });
      assert.deepEqual(dnsForwards(three, "region1"), [
        { zone: "cluster.region2", cluster: "region2", address: dnsOf(three, "region2") },
        { zone: "eu.example.internal", cluster: "region3", address: dnsOf(three, "region3") },
      ]);
      assert.match(renderCorefile(three, "region1"), /^eu\.example\.internal:53 \{$/m);
    });

    it("forwards nothing without stubs, and still serves the alias zone", () => {
      const off = plan({ networkMode: "wireguard", dns: { stubs: false }, clusters: CLUSTERS });
      assert.deepEqual(dnsForwards(off, "region1"), []);
      const corefile = renderCorefile(off, "region1");
      assert.match(corefile, /kubernetes cluster\.local cluster\.region1 /);
      assert.ok(!corefile.includes("cluster.region2"));
      const gateways = plan({
        clusters: { region1: CLUSTERS.region1, region2: { cloud: "aws", region: "us-west-2" } },
      });
      assert.deepEqual(dnsForwards(gateways, "region1"), []);
      assert.deepEqual(kubeDnsStubDomains(gateways, "region1"), {});
    });

    it("keeps the mesh's cluster domain in every cluster", () => {
      const custom = plan({ networkMode: "wireguard", clusterDomain: "mesh.internal", clusters: CLUSTERS });
      for (const id of ["region1", "region2"]) {
        assert.match(renderCorefile(custom, id), new RegExp(`kubernetes mesh\\.internal cluster\\.${id} `));
      }
    });

    it("refuses an unknown cluster", () => {
      assert.throws(() => renderCorefile(flat, "region9"), {
        message:
          'clusterId: is not a cluster of the mesh; got "region9", expected one of region1, region2. Use the id of a cluster of the mesh. Did you mean "region1"?',
      });
    });
  });

  describe("kube-dns stubDomains (GKE)", () => {
    const json = renderKubeDnsStubDomains(flat, "region2");

    it("matches its golden file", () => golden("kube-dns.two-region.region2.stubDomains.json", `${json}\n`));

    it("sends the other zone to its DNS address, and its own alias zone to its own", () => {
      assert.deepEqual(JSON.parse(json), {
        "cluster.region1": [dnsOf(flat, "region1")],
        "cluster.region2": [dnsOf(flat, "region2")],
      });
      assert.ok(!json.includes("cluster.local"), "kube-dns serves the cluster domain itself");
    });
  });

  describe("dnsRouteProblems", () => {
    it("reports a forwarding target no WireGuard peer routes", () => {
      const gateways = flat.wireguard!.gateways;
      const broken: MeshPlan = {
        ...flat,
        wireguard: {
          ...flat.wireguard!,
          gateways: { ...gateways, region2: { ...gateways["region2"]!, dnsAddress: "172.16.0.10" } },
        },
      };
      assert.deepEqual(dnsRouteProblems(broken).map(formatProblem), [
        `clusters.region2.dnsZone: is forwarded by cluster region1 to 172.16.0.10, which no WireGuard peer of region1 routes; got "cluster.region2", expected a DNS address inside region1's AllowedIPs (10.157.0.0/16, 10.58.0.0/15, 10.221.0.0/16, 100.96.0.30/32). Keep cluster region2's DNS address inside its node range, which the tunnel routes, or set dns.stubs: false.`,
      ]);
    });

    it("accepts a spoke's forwards routed through the hub", () => {
      const hub = plan({
        networkMode: "wireguard",
        wireguard: { topology: "hub", hub: "region1" },
        clusters: { ...CLUSTERS, region3: { cloud: "aws", region: "eu-west-1" } },
      });
      assert.equal(hub.wireguard!.gateways["region2"]!.peers.length, 1);
      assert.equal(dnsForwards(hub, "region2").length, 2);
      assert.deepEqual(dnsRouteProblems(hub), []);
    });
  });
});
