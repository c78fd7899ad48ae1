import { strict as assert } from "node:assert";
import { planMesh, type MeshSpec } from "../../lib";
import { FlatNetwork } from "../../lib/components/flat-network";
import { meshFleet, planFleet } from "../../lib/fleet";
import { runOffline } from "../../lib/testing";
import type { RecordedResource } from "../../lib/testing/recorded-resource";
import { testCluster } from "../components/fixtures";

/** Adopted cluster `dc<n>` with ranges of its own. */
const dc = (n: number): MeshSpec["clusters"][string] => ({
  cloud: "existing",
  region: `dc${n}`,
  cidrs: { node: `10.${171 + n}.0.0/16`, pod: `10.${86 + 2 * n}.0.0/15`, service: `10.${235 + n}.0.0/16` },
});

/** Three adopted clusters on one flat network, multi-primary. */
const FLAT: MeshSpec = {
  meshID: "flat",
  networkMode: "wireguard",
  clusters: { dc1: dc(1), dc2: dc(2), dc3: dc(3) },
};

/**
 * A resource as the comparison sees it: type, name, inputs and secret paths, with the values the
 * engine derives from each stack's own state (keys, load-balancer hostnames: seeded by URN, which
 * names the stack) masked.
 */
const view = (r: RecordedResource): string =>
  JSON.stringify([r.type, r.name, r.inputs, r.secretPaths]).replace(
    /(PrivateKey|PublicKey|PresharedKey|Endpoint) = [^\\]+/g,
    "$1 = …",
  );
const isTunnel = (r: RecordedResource): boolean =>
  /^isthmus:network:|^flat-(dc\d-gateway|dc\d-dc\d-link)/.test(r.type + r.name);

describe("meshFleet in wireguard mode: a network stack holds the flat network", () => {
  it("plans the network stack with exactly the resources of one FlatNetwork, and no tunnel anywhere else", async () => {
    const fleet = meshFleet({
      project: "flat",
      spec: FLAT,
      cluster: (id) => testCluster(id),
      remotesPerStack: 1,
    });
    const kept: Record<string, RecordedResource[]> = {};
    const plan = await planFleet(fleet, { onStack: (name, e) => void (kept[name] = [...e.resources]) });
    assert.deepEqual(plan.graph.levels[0], ["network", "trust"]);
    assert.deepEqual(plan.graph.dependsOn.network, []);
    assert.equal(plan.stacks.network!.outputs.publicKeys!.secret, false);

    const { engine } = await runOffline(() => {
      const p = planMesh(FLAT);
      new FlatNetwork("flat", {
        plan: p,
        clusters: Object.fromEntries(Object.keys(p.clusters).map((id) => [id, { cluster: testCluster(id) }])),
      });
    });
    const tunnel = (rs: readonly RecordedResource[]): string[] =>
      rs
        .filter((r) => r.name.startsWith("flat-") || r.type.startsWith("isthmus:network:"))
        .map(view)
        .sort();
    const oneStack = tunnel(engine.resources);
    assert.ok(oneStack.length > 20, `${oneStack.length} resources`);
    assert.deepEqual(tunnel(kept.network!), oneStack);
    assert.equal(kept.network!.filter((r) => r.type === "isthmus:network:WireGuardLink").length, 3);
    for (const stack of Object.keys(kept).filter((s) => s !== "network"))
      assert.deepEqual(
        kept[stack]!.filter((r) => r.type.startsWith("isthmus:network:") || isTunnel(r)).map((r) => r.name),
        [],
        stack,
      );
    // The mesh stacks are those of gateways mode; nothing of theirs waits on the tunnel.
    assert.deepEqual(plan.graph.dependsOn["discovery-dc1"], ["primary-dc1", "primary-dc2", "primary-dc3"]);
    for (const s of Object.keys(kept)) assert.ok(!plan.graph.dependsOn[s]!.includes("network"), s);
  });
});
