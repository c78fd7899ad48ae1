import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { WireGuardLink } from "../../lib/components/wireguard-link";
import { plan } from "../../lib/core/plan";
import { generatePrivateKey, isWireGuardKey, publicKeyOf } from "../../lib/core/wireguard";
import { runOffline } from "../../lib/testing/offline-engine";

const hub = plan({
  meshID: "demo",
  networkMode: "wireguard",
  wireguard: { topology: "hub", hub: "east" },
  clusters: {
    east: { cloud: "aws", region: "us-east-1" },
    west: { cloud: "aws", region: "us-west-2" },
    central: { cloud: "gcp", region: "us-central1" },
  },
});
const keys = { east: publicKeyOf(generatePrivateKey()), central: publicKeyOf(generatePrivateKey()) };
const ends = {
  east: { publicKey: keys.east, endpoint: "198.51.100.1" },
  central: { publicKey: keys.central, endpoint: pulumi.output("198.51.100.2") },
};

const valueOf = <T>(o: pulumi.Output<T>): Promise<T> => new Promise((resolve) => o.apply(resolve));

describe("WireGuardLink", () => {
  it("gives each end the other's key and endpoint and one secret preshared key", async () => {
    const { engine, result: link } = await runOffline(
      () => new WireGuardLink("l", { plan: hub, clusters: ["east", "central"], ends }),
    );
    assert.deepEqual(link.clusters, ["central", "east"]);
    assert.equal(link.mtu, 1400);
    const psk = engine.get("random:index/randomBytes:RandomBytes", "l-preshared-key");
    assert.equal(psk.inputs.length, 32);
    const forEast = await valueOf(link.peers.east!);
    const forCentral = await valueOf(link.peers.central!);
    assert.deepEqual(forEast, {
      publicKey: keys.central,
      presharedKey: psk.outputs.base64,
      endpoint: "198.51.100.2",
    });
    assert.deepEqual(forCentral, {
      publicKey: keys.east,
      presharedKey: psk.outputs.base64,
      endpoint: "198.51.100.1",
    });
    assert.ok(isWireGuardKey(forEast.presharedKey!));
    assert.equal(await pulumi.isSecret(link.presharedKey), true);
    assert.equal(await pulumi.isSecret(link.peers.east!), true);
    const record = engine.get("isthmus:network:WireGuardLink", "l");
    assert.deepEqual([...record.outputSecretPaths].sort(), ["peers.central", "peers.east", "presharedKey"]);
  });

  it("refuses a pair the plan's topology does not link, before registering anything", async () => {
    let error: unknown;
    const { engine } = await runOffline(() => {
      try {
        new WireGuardLink("l", { plan: hub, clusters: ["west", "central"], ends });
      } catch (e) {
        error = e;
      }
    });
    assert.ok(error instanceof pulumi.InputPropertiesError);
    assert.equal(
      error.message,
      'WireGuardLink l: 1 invalid input; nothing was created:\n  - clusters: are not a link of the plan; got ["west","central"], expected one of [central, east], [east, west]. ' +
        "The plan's hub topology decides the links; link only the pairs it lists.",
    );
    assert.equal(engine.resources.length, 0);
  });

  it("refuses a missing end", async () => {
    await runOffline(() => {
      assert.throws(
        () => new WireGuardLink("l", { plan: hub, clusters: ["east", "west"], ends }),
        /ends\.west: is missing; got nothing, expected the gateway's public key and endpoint\. Pass ends: \{ east: <gateway>, west: <gateway> \}\./,
      );
    });
  });
});
