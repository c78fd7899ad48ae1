import { strict as assert } from "node:assert";
import fc from "fast-check";
import { formatProblem, type MeshSpec, validateMeshSpec } from "../../lib/core";
import { eastWestGatewayPeers } from "../../lib/core/east-west-gateway";
import { remoteSecretCount } from "../../lib/core/hierarchy";
import { resolvePlan } from "../../lib/core/resolve";

const messages = (spec: unknown): string[] => validateMeshSpec(spec).map(formatProblem);

/** Two cores, three edges on core-us and two on core-eu. */
const coreEdge: MeshSpec = {
  meshID: "retail",
  controlPlane: { model: "primary-remote", primaries: ["core-us", "core-eu"], discovery: "hierarchical" },
  clusters: {
    "core-us": { cloud: "existing", region: "us-east" },
    "core-eu": { cloud: "existing", region: "eu-west" },
    "store-1": { cloud: "existing", region: "us-east", controlPlaneCluster: "core-us" },
    "store-2": { cloud: "existing", region: "us-east", controlPlaneCluster: "core-us" },
    "store-3": { cloud: "existing", region: "us-west", controlPlaneCluster: "core-us" },
    "store-4": { cloud: "existing", region: "eu-west", controlPlaneCluster: "core-eu" },
    "store-5": { cloud: "existing", region: "eu-north", controlPlaneCluster: "core-eu" },
  },
};

const pairsOf = (spec: MeshSpec): string[] =>
  resolvePlan(spec).discovery.map((p) => `${p.reader}>${p.target}`);

describe("hierarchical discovery", () => {
  it("is valid as written: two cores, five edges", () => {
    assert.deepEqual(messages(coreEdge), []);
  });

  it("lets each core read the other core and its own edges only: P·(P−1) + (N−P) remote secrets", () => {
    assert.deepEqual(pairsOf(coreEdge), [
      "core-eu>core-us",
      "core-eu>store-4",
      "core-eu>store-5",
      "core-us>core-eu",
      "core-us>store-1",
      "core-us>store-2",
      "core-us>store-3",
    ]);
    assert.equal(remoteSecretCount(2, 7, "hierarchical"), 7);
    assert.equal(resolvePlan(coreEdge).controlPlane.discovery, "hierarchical");
  });

  it("reads every cluster from every primary with discovery all (the default): P·(N−1)", () => {
    const all = {
      ...coreEdge,
      controlPlane: { model: "primary-remote" as const, primaries: ["core-us", "core-eu"] },
    };
    assert.equal(pairsOf(all).length, 12);
    assert.equal(remoteSecretCount(2, 7, "all"), 12);
    assert.equal(resolvePlan(all).controlPlane.discovery, "all");
  });

  it("gives no edge a remote secret, and grows by one secret per edge", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 40 }), (p, e) => {
        const primaries = Array.from({ length: p }, (_, i) => `core${i}`);
        const clusters: Record<string, MeshSpec["clusters"][string]> = {};
        for (const id of primaries) clusters[id] = { cloud: "existing", region: "core" };
        for (let i = 0; i < e; i++)
          clusters[`edge${i}`] = {
            cloud: "existing",
            region: "edge",
            controlPlaneCluster: primaries[i % p]!,
          };
        const spec: MeshSpec = {
          controlPlane: { model: "primary-remote", primaries, discovery: "hierarchical" },
          clusters,
        };
        const plan = resolvePlan(spec);
        assert.equal(plan.discovery.length, remoteSecretCount(p, p + e, "hierarchical"));
        assert.ok(plan.discovery.every((pair) => primaries.includes(pair.reader)));
        for (const pair of plan.discovery) {
          const target = plan.clusters[pair.target]!;
          assert.ok(
            target.role === "primary" || target.controlPlaneCluster === pair.reader,
            JSON.stringify(pair),
          );
        }
      }),
    );
  });

  it("opens an edge's east-west gateway to the clusters whose istiod knows its endpoints only", () => {
    const plan = resolvePlan(coreEdge);
    assert.deepEqual(eastWestGatewayPeers(plan, "store-4"), ["core-eu", "store-5"]);
    // A core is read by every other core, so every cluster of the mesh may send to it.
    assert.deepEqual(eastWestGatewayPeers(plan, "core-us"), [
      "core-eu",
      "store-1",
      "store-2",
      "store-3",
      "store-4",
      "store-5",
    ]);
  });

  it("refuses hierarchical discovery in a multi-primary mesh", () => {
    const spec = {
      controlPlane: { model: "multi-primary", discovery: "hierarchical" },
      clusters: { a: { cloud: "existing", region: "r1" }, b: { cloud: "existing", region: "r2" } },
    };
    assert.deepEqual(messages(spec), [
      'controlPlane.discovery: is hierarchical in a multi-primary mesh, where every cluster is a primary; got "hierarchical", expected "all", or model "primary-remote" with the cores as primaries. Set controlPlane.model: "primary-remote" and list the core clusters in primaries, or remove discovery.',
    ]);
  });

  it("refuses an unknown scope", () => {
    assert.deepEqual(
      messages({ ...coreEdge, controlPlane: { ...coreEdge.controlPlane, discovery: "tree" } }).filter((m) =>
        m.startsWith("controlPlane.discovery"),
      ),
      [
        'controlPlane.discovery: is not an allowed value; got "tree", expected one of "all", "hierarchical". Use one of the allowed values.',
      ],
    );
  });

  it("refuses an edge without its core and an edge as the WireGuard hub, all at once", () => {
    const spec = {
      ...coreEdge,
      networkMode: "wireguard",
      wireguard: { topology: "hub", hub: "store-1" },
      clusters: {
        ...coreEdge.clusters,
        "core-us": {
          cloud: "existing",
          region: "us-east",
          cidrs: { node: "10.1.0.0/16", pod: "10.2.0.0/16", service: "10.3.0.0/16" },
        },
        "store-2": { cloud: "existing", region: "us-east" },
      },
    };
    assert.deepEqual(
      messages(spec).filter((m) => /controlPlaneCluster|wireguard\.hub/.test(m)),
      [
        "clusters.store-2.controlPlaneCluster: is missing on a remote of a mesh with several primaries; got nothing, expected one of core-eu, core-us. Name the primary whose istiod this remote uses.",
        'wireguard.hub: is an edge (remote) cluster of a hierarchical mesh: the cores would reach each other\'s API and istiod through it; got "store-1", expected one of the primaries core-us, core-eu. Make a core the hub, so that traffic between cores never crosses an edge.',
      ],
    );
  });
});
