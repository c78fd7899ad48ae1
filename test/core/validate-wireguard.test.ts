import { strict as assert } from "node:assert";
import { formatProblem } from "../../lib/core/problems";
import type { MeshSpec } from "../../lib/core/spec";
import { validateMeshSpec } from "../../lib/core/validate";

const messages = (spec: unknown): string[] => validateMeshSpec(spec).map(formatProblem);

const CLUSTERS = {
  region1: { cloud: "aws", region: "us-east-1" },
  region2: { cloud: "gcp", region: "us-west1" },
} as const;
const flat = (extra: Partial<MeshSpec> = {}): MeshSpec => ({
  networkMode: "wireguard",
  clusters: CLUSTERS,
  ...extra,
});

describe("validateMeshSpec: WireGuard and DNS stubs (issue 5)", () => {
  it("accepts a flat two-region mesh, full-mesh or hub, with stubs on by default", () => {
    assert.deepEqual(messages(flat()), []);
    assert.deepEqual(messages(flat({ wireguard: { topology: "hub", hub: "region1" } })), []);
    assert.deepEqual(
      messages(flat({ wireguard: { mtu: 1400 } })),
      [],
      "the largest MTU GCP's IPv4 underlay allows",
    );
    assert.deepEqual(messages(flat({ wireguard: { mtu: 1280 } })), []);
  });

  describe("MTU sanity", () => {
    it("refuses an MTU without IPv4 WireGuard's 60 bytes under the smallest underlay (GCP's 1460)", () => {
      assert.deepEqual(messages(flat({ wireguard: { mtu: 1401 } })), [
        "wireguard.mtu: leaves less than 60 bytes (WireGuard over IPv4) under the smallest underlay MTU (1460): full-size packets would be black-holed where fragments are dropped; got 1401, expected an MTU from 1280 to 1400. Remove mtu to take underlay − overhead, or choose a value from 1280 to 1400.",
      ]);
    });

    it("allows 1440 between AWS regions over IPv4, not 1441; 1420 over IPv6, not 1421", () => {
      const aws = { region1: CLUSTERS.region1, region2: { cloud: "aws", region: "us-west-2" } } as const;
      assert.deepEqual(messages({ networkMode: "wireguard", wireguard: { mtu: 1440 }, clusters: aws }), []);
      assert.equal(messages({ networkMode: "wireguard", wireguard: { mtu: 1441 }, clusters: aws }).length, 1);
      const v6 = { ...aws, region2: { ...aws.region2, underlayIpFamily: "ipv6" } } as const;
      assert.deepEqual(messages({ networkMode: "wireguard", wireguard: { mtu: 1420 }, clusters: v6 }), []);
      assert.deepEqual(messages({ networkMode: "wireguard", wireguard: { mtu: 1421 }, clusters: v6 }), [
        "wireguard.mtu: leaves less than 80 bytes (WireGuard over IPv6) under the smallest underlay MTU (1500): full-size packets would be black-holed where fragments are dropped; got 1421, expected an MTU from 1280 to 1420. Remove mtu to take underlay − overhead, or choose a value from 1280 to 1420.",
      ]);
    });

    it("refuses an MTU under WireGuard's IPv6 minimum of 1280", () => {
      assert.deepEqual(messages(flat({ wireguard: { mtu: 1279 } })), [
        "wireguard.mtu: is under 1280, the IPv6 minimum WireGuard needs; got 1279, expected an MTU from 1280 to 1400. Remove mtu to take underlay − overhead, or choose a value from 1280 to 1400.",
      ]);
    });
  });

  describe("unique, valid DNS zones", () => {
    const zones = (a: string, b: string): MeshSpec =>
      flat({
        clusters: {
          region1: { ...CLUSTERS.region1, dnsZone: a },
          region2: { ...CLUSTERS.region2, dnsZone: b },
        },
      });

    it("refuses two clusters serving the same zone", () => {
      assert.deepEqual(messages(zones("east.example", "east.example")), [
        'clusters.region2.dnsZone: is the same zone as clusters.region1.dnsZone; got "east.example", expected a zone no other cluster serves. Give each cluster its own alias zone, such as cluster.<id>.',
      ]);
    });

    it("refuses a zone inside another cluster's zone", () => {
      assert.deepEqual(messages(zones("us.example", "east.us.example")), [
        `clusters.region2.dnsZone: is inside clusters.region1.dnsZone (us.example); got "east.us.example", expected a zone that neither contains nor is contained in another cluster's zone. Give each cluster a sibling zone, such as cluster.<id>.`,
      ]);
      assert.deepEqual(messages(zones("us.example", "eastus.example")), [], "a shared suffix is not nesting");
    });

    it("names, of the zones a zone is inside, the one of the first cluster in key order", () => {
      const spec = flat({
        clusters: {
          region1: { ...CLUSTERS.region1, dnsZone: "east.us.example" },
          region2: { ...CLUSTERS.region2, dnsZone: "example" },
          region3: { ...CLUSTERS.region2, region: "eu-west-1", dnsZone: "us.example" },
        },
      });
      assert.deepEqual(
        messages(spec).filter((m) => m.includes("is inside")),
        [
          `clusters.region1.dnsZone: is inside clusters.region2.dnsZone (example); got "east.us.example", expected a zone that neither contains nor is contained in another cluster's zone. Give each cluster a sibling zone, such as cluster.<id>.`,
          `clusters.region3.dnsZone: is inside clusters.region2.dnsZone (example); got "us.example", expected a zone that neither contains nor is contained in another cluster's zone. Give each cluster a sibling zone, such as cluster.<id>.`,
        ],
      );
    });

    it("refuses a zone inside the cluster domain, and a malformed zone", () => {
      assert.deepEqual(messages(zones("Region_1", "svc.cluster.local")), [
        `clusters.region1.dnsZone: is not a DNS name: the part "Region_1" is not a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit); got "Region_1", expected a DNS name such as cluster.local. Use lower-case labels separated by dots.`,
        `clusters.region2.dnsZone: overlaps the mesh's cluster domain "cluster.local"; got "svc.cluster.local", expected an alias zone outside the cluster domain. Region zones are aliases served beside the one cluster domain (istio/istio#29692); use a zone such as cluster.<id>.`,
      ]);
    });
  });

  describe("DNS stubs need a route", () => {
    it("refuses stubs in gateways mode, where no tunnel reaches the other clusters' DNS", () => {
      assert.deepEqual(messages({ dns: { stubs: true }, clusters: CLUSTERS }), [
        `dns.stubs: asks for DNS forwarding stubs in gateways mode, where no route reaches the other clusters' DNS; got true, expected false, or networkMode: "wireguard". Remove dns.stubs (east-west gateways carry only mTLS traffic on 15443), or switch to networkMode: "wireguard".`,
      ]);
      assert.deepEqual(messages({ dns: { stubs: false }, clusters: CLUSTERS }), []);
    });

    it("routes every forwarding target across the link, through the hub too (targets off the tunnel: test/core/dns.test.ts)", () => {
      const three = { ...CLUSTERS, region3: { cloud: "aws", region: "eu-west-1" } } as const;
      assert.deepEqual(messages({ networkMode: "wireguard", clusters: three }), []);
      assert.deepEqual(
        messages({
          networkMode: "wireguard",
          wireguard: { topology: "hub", hub: "region3" },
          clusters: three,
        }),
        [],
      );
    });
  });
});
