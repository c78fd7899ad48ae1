import { strict as assert } from "node:assert";
import { join } from "node:path";
import fc from "fast-check";
import { plan } from "../../lib/core/plan";
import {
  clampPrivateKey,
  generatePresharedKey,
  generatePrivateKey,
  isWireGuardKey,
  publicKeyOf,
  renderWgQuickConfig,
  renderWgQuickTemplate,
  wireGuardPlaceholder,
} from "../../lib/core/wireguard";
import { goldenFiles } from "../support/golden";

const golden = goldenFiles(join(__dirname, "golden"));

// RFC 7748 §6.1 test vectors: public test keys, not secrets.
const hex = (h: string): string => Buffer.from(h, "hex").toString("base64");
const ALICE_PRIVATE = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
const ALICE_PUBLIC = hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
const BOB_PRIVATE = hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
const BOB_PUBLIC = hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
const PSK = Buffer.alloc(32, 7).toString("base64");

const twoRegions = plan({
  networkMode: "wireguard",
  clusters: {
    region1: { cloud: "aws", region: "us-east-1" },
    region2: { cloud: "gcp", region: "us-west1" },
  },
});
const THREE_CLUSTERS = {
  region1: { cloud: "aws", region: "us-east-1" },
  region2: { cloud: "aws", region: "us-west-2" },
  region3: { cloud: "aws", region: "eu-west-1" },
} as const;
const threeRegions = plan({ networkMode: "wireguard", clusters: THREE_CLUSTERS });

describe("core/wireguard", () => {
  describe("keys", () => {
    it("derives the public key of RFC 7748's test vectors, as wg pubkey does", () => {
      assert.equal(publicKeyOf(ALICE_PRIVATE), ALICE_PUBLIC);
      assert.equal(publicKeyOf(BOB_PRIVATE), BOB_PUBLIC);
    });

    it("clamps raw bytes as wg genkey does, and clamping never changes the public key", () => {
      const clamped = Buffer.from(clampPrivateKey(new Uint8Array(32).fill(0xff)), "base64");
      assert.equal(clamped[0], 0xf8);
      assert.equal(clamped[31], 0x7f);
      assert.equal(Buffer.from(clampPrivateKey(new Uint8Array(32)), "base64")[31], 0x40);
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (raw) => {
          const key = clampPrivateKey(raw);
          const bytes = Buffer.from(key, "base64");
          return (
            isWireGuardKey(key) &&
            (bytes[0]! & 7) === 0 &&
            (bytes[31]! & 0xc0) === 0x40 &&
            publicKeyOf(key) === publicKeyOf(Buffer.from(raw).toString("base64"))
          );
        }),
        { numRuns: 50 },
      );
    });

    it("refuses raw material that is not 32 bytes", () => {
      assert.throws(() => clampPrivateKey(new Uint8Array(31)), {
        message: "raw key material: has 31 bytes, expected 32",
      });
    });

    it("generates distinct, well-formed private and preshared keys", () => {
      const keys = [
        generatePrivateKey(),
        generatePrivateKey(),
        generatePresharedKey(),
        generatePresharedKey(),
      ];
      assert.equal(new Set(keys).size, 4);
      for (const k of keys) assert.ok(isWireGuardKey(k), k);
      assert.equal(Buffer.from(keys[0]!, "base64")[0]! & 7, 0);
    });

    it("recognises only base64 of exactly 32 bytes", () => {
      assert.ok(isWireGuardKey(ALICE_PUBLIC));
      assert.ok(!isWireGuardKey(ALICE_PUBLIC.slice(0, 43)));
      assert.ok(!isWireGuardKey(Buffer.alloc(33).toString("base64")));
      assert.ok(!isWireGuardKey(`${ALICE_PUBLIC.slice(0, 42)}B=`), "non-zero trailing bits");
      assert.ok(!isWireGuardKey(ALICE_PUBLIC.replace(/.$/, "")));
    });

    it("never echoes a malformed private key in its error", () => {
      const secret = "not-a-key-but-secret-text";
      assert.throws(
        () => publicKeyOf(secret),
        (e: Error) =>
          !e.message.includes(secret) &&
          e.message ===
            "privateKey: is not a WireGuard key; got a string of 25 characters, expected base64 of 32 bytes (44 characters). Pass a key as `wg genkey` prints it.",
      );
    });
  });

  describe("renderWgQuickConfig", () => {
    const config = renderWgQuickConfig(twoRegions, "region1", {
      privateKey: ALICE_PRIVATE,
      peers: { region2: { publicKey: BOB_PUBLIC, presharedKey: PSK, endpoint: "203.0.113.20" } },
    });
    const gateway = twoRegions.wireguard!.gateways["region1"]!;

    it("is the GitOps template with the key material filled in", () => {
      const template = renderWgQuickTemplate(twoRegions, "region1", {
        region2: { publicKey: BOB_PUBLIC, endpoint: "203.0.113.20" },
      });
      const filled = template
        .replace(wireGuardPlaceholder("region1", "private-key"), ALICE_PRIVATE)
        .replace(wireGuardPlaceholder("region1", "preshared-key", "region2"), PSK);
      assert.equal(config, filled);
    });

    it("takes address, port and MTU from the plan (GCP's 1460-byte IPv4 underlay gives 1400)", () => {
      assert.match(config, new RegExp(`^Address = ${gateway.tunnelAddress}/32$`, "m"));
      assert.match(config, /^ListenPort = 51820$/m);
      assert.match(config, /^MTU = 1400$/m);
      assert.equal(gateway.mtu, 1400);
      assert.match(config, /^Endpoint = 203\.0\.113\.20:51820$/m);
      assert.match(config, /^PersistentKeepalive = 25$/m);
    });

    it("routes exactly the peer's ranges from the plan", () => {
      const allowed = /^AllowedIPs = (.*)$/m.exec(config)![1]!.split(", ");
      assert.deepEqual(allowed, gateway.peers[0]!.allowedIps);
      assert.deepEqual(allowed, twoRegions.wireguard!.gateways["region2"]!.localCidrs);
      const region2 = twoRegions.clusters["region2"]!;
      for (const range of Object.values(region2.cidrs)) assert.ok(allowed.includes(range), range);
      for (const range of Object.values(twoRegions.clusters["region1"]!.cidrs))
        assert.ok(!allowed.includes(range));
    });

    it("lists one peer per link of a full mesh, in id order", () => {
      const text = renderWgQuickConfig(threeRegions, "region2", {
        privateKey: BOB_PRIVATE,
        peers: {
          region3: { publicKey: ALICE_PUBLIC },
          region1: { publicKey: ALICE_PUBLIC, endpoint: "2001:db8::1" },
        },
      });
      assert.deepEqual(
        [...text.matchAll(/^# cluster (\S+)$/gm)].map((m) => m[1]),
        ["region1", "region3"],
      );
      assert.match(text, /^Endpoint = \[2001:db8::1\]:51820$/m);
      assert.equal((text.match(/^Endpoint/gm) ?? []).length, 1, "no endpoint given for region3");
      assert.ok(!text.includes("PresharedKey"), "no preshared key given");
    });

    it("gives the hub every spoke as a peer, and a spoke the hub with every other spoke's ranges", () => {
      const hub = plan({
        networkMode: "wireguard",
        wireguard: { topology: "hub", hub: "region1" },
        clusters: THREE_CLUSTERS,
      });
      const spoke = renderWgQuickConfig(hub, "region2", {
        privateKey: BOB_PRIVATE,
        peers: { region1: { publicKey: ALICE_PUBLIC } },
      });
      const allowed = /^AllowedIPs = (.*)$/m.exec(spoke)![1]!.split(", ");
      assert.deepEqual(allowed, [
        ...hub.wireguard!.gateways["region1"]!.localCidrs,
        ...hub.wireguard!.gateways["region3"]!.localCidrs,
      ]);
    });

    it("refuses peers the plan does not link, missing peers and malformed keys, naming the field only", () => {
      const peers = { region2: { publicKey: BOB_PUBLIC } };
      assert.throws(
        () => renderWgQuickConfig(twoRegions, "region1", { privateKey: ALICE_PRIVATE, peers: {} }),
        {
          message:
            'peers: do not match the plan\'s links; got [], expected ["region2"]. Pass exactly one entry per peer the plan links this gateway to.',
        },
      );
      assert.throws(
        () =>
          renderWgQuickConfig(twoRegions, "region1", {
            privateKey: ALICE_PRIVATE,
            peers: { ...peers, region9: { publicKey: BOB_PUBLIC } },
          }),
        {
          message:
            /^peers: do not match the plan's links; got \["region2","region9"\], expected \["region2"\]/,
        },
      );
      assert.throws(
        () =>
          renderWgQuickConfig(twoRegions, "region1", {
            privateKey: ALICE_PRIVATE,
            peers: { region2: { publicKey: BOB_PUBLIC, presharedKey: "short" } },
          }),
        {
          message:
            "peers.region2.presharedKey: is not a WireGuard key; got a string of 5 characters, expected base64 of 32 bytes (44 characters). Pass a key as `wg genkey` prints it.",
        },
      );
      assert.throws(
        () =>
          renderWgQuickConfig(twoRegions, "region1", {
            privateKey: ALICE_PRIVATE,
            peers: { region2: { publicKey: BOB_PUBLIC, endpoint: "203.0.113.20:51820" } },
          }),
        {
          message:
            'peers.region2.endpoint: is not a host; got "203.0.113.20:51820", expected an IP address or DNS name without a port. The port is the plan\'s wireguard.listenPort.',
        },
      );
    });

    it("refuses an unknown cluster and a gateways-mode plan", () => {
      const input = { privateKey: ALICE_PRIVATE, peers: {} };
      assert.throws(() => renderWgQuickConfig(twoRegions, "region3", input), {
        message:
          'clusterId: is not a cluster of the mesh; got "region3", expected one of region1, region2. Use the id of a cluster of the mesh. Did you mean "region1"?',
      });
      const gateways = plan({ clusters: { region1: { cloud: "aws", region: "us-east-1" } } });
      assert.throws(() => renderWgQuickConfig(gateways, "region1", input), {
        message:
          'networkMode: has no WireGuard gateways; got "gateways", expected "wireguard". Plan the mesh with networkMode: "wireguard".',
      });
    });
  });

  describe("renderWgQuickTemplate (GitOps)", () => {
    for (const id of ["region1", "region2"]) {
      const text = renderWgQuickTemplate(twoRegions, id);

      it(`${id}: matches its golden file`, () => golden(`wireguard.two-region.${id}.conf`, text));

      it(`${id}: holds placeholders, never key text`, () => {
        const peer = id === "region1" ? "region2" : "region1";
        const ID = id.toUpperCase();
        const PEER = peer.toUpperCase();
        assert.match(text, new RegExp(`^PrivateKey = \\$\\{WIREGUARD_${ID}_PRIVATE_KEY\\}$`, "m"));
        // One name per shared value: both ends' files name the link's preshared key the same way,
        // and a peer's public key and endpoint after that peer.
        assert.match(text, /^PresharedKey = \$\{WIREGUARD_REGION1_REGION2_PRESHARED_KEY\}$/m);
        assert.match(text, new RegExp(`^PublicKey = \\$\\{WIREGUARD_${PEER}_PUBLIC_KEY\\}$`, "m"));
        assert.match(text, new RegExp(`^Endpoint = \\$\\{WIREGUARD_${PEER}_ENDPOINT\\}:51820$`, "m"));
        const values = [...text.matchAll(/^(?:PrivateKey|PresharedKey|PublicKey) = (.*)$/gm)].map(
          (m) => m[1]!,
        );
        assert.equal(values.length, 3);
        for (const v of values) assert.ok(!isWireGuardKey(v), v);
      });
    }

    it("keeps public keys and endpoints it is given; they are not secret", () => {
      const text = renderWgQuickTemplate(twoRegions, "region2", {
        region1: { publicKey: ALICE_PUBLIC, endpoint: "gw.region1.example.com" },
      });
      assert.match(text, new RegExp(`^PublicKey = ${ALICE_PUBLIC.replace(/[+/]/g, "\\$&")}$`, "m"));
      assert.match(text, /^Endpoint = gw\.region1\.example\.com:51820$/m);
      assert.match(text, /^PrivateKey = \$\{WIREGUARD_REGION2_PRIVATE_KEY\}$/m);
    });

    it("makes placeholders valid shell variable names from any cluster id", () => {
      assert.equal(
        wireGuardPlaceholder("us-east-1", "preshared-key", "eu-west"),
        "${WIREGUARD_US_EAST_1_EU_WEST_PRESHARED_KEY}",
      );
    });
  });
});
