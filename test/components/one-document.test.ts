/**
 * The two disagreements of issue 11, gone: synth and the Pulumi program refuse the same documents
 * with the same messages, and a GKE node firewall admits what the gateway Service really serves.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { synthSpec } from "../../lib/cli/synth-command";
import { GkeCluster } from "../../lib/clusters/gcp/gke-cluster";
import { MultiClusterMesh } from "../../lib/components/multi-cluster-mesh";
import { planMesh } from "../../lib/components/plan-mesh";
import type { MeshDocument } from "../../lib/core/mesh-document";
import { formatProblem, MeshSpecError } from "../../lib/core/problems";
import { OfflineEngine, runOffline } from "../../lib/testing";
import { WEB_HOST, WEB_SERVICE } from "../support/plans";
import { testClusters, TWO_REGIONS } from "./fixtures";

/** What `isthmus synth` refuses the document with, one line per problem. */
function synthRefusal(doc: MeshDocument): string[] {
  const out = mkdtempSync(join(tmpdir(), "isthmus-one-document-"));
  try {
    synthSpec(doc, out);
  } catch (e) {
    assert.ok(e instanceof MeshSpecError, String(e));
    return e.problems.map(formatProblem);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  assert.fail("synth wrote the document");
}

/** What the Pulumi program (planMesh, then MultiClusterMesh) refuses it with; nothing is registered. */
async function pulumiRefusal(doc: MeshDocument): Promise<string[]> {
  const engine = await OfflineEngine.start();
  let reasons: string[] | undefined;
  try {
    new MultiClusterMesh("demo", { plan: planMesh(doc), clusters: testClusters(doc.mesh) });
  } catch (e) {
    assert.ok(pulumi.InputPropertiesError.isInstance(e), String(e));
    reasons = e.errors.map((err) => err.reason);
  }
  await engine.settle();
  assert.deepEqual(
    engine.resources.filter((r) => r.type.startsWith("isthmus:")),
    [],
    "nothing of the mesh registered",
  );
  assert.ok(reasons !== undefined, "MultiClusterMesh accepted the document");
  return reasons;
}

const FAILOVER = { host: WEB_HOST, failover: [{ from: "us-east-1", to: "us-west-2" }] };

describe("one document: synth and MultiClusterMesh refuse the same input with the same message", () => {
  it("two failover policies for one host", async () => {
    const doc: MeshDocument = {
      mesh: TWO_REGIONS,
      services: [WEB_SERVICE],
      failoverPolicies: [FAILOVER, FAILOVER],
    };
    const expected = [
      'failoverPolicies[1]: has the same name (or host) as another one; got "web", expected a name unique among them (it names the child resources). Give each a distinct name.',
    ];
    assert.deepEqual(synthRefusal(doc), expected);
    assert.deepEqual(await pulumiRefusal(doc), expected);
  });

  it("two services with one name", async () => {
    const doc: MeshDocument = {
      mesh: TWO_REGIONS,
      services: [WEB_SERVICE, { ...WEB_SERVICE, namespace: "web2" }],
    };
    const expected = [
      'services[1]: has the same name (or host) as another one; got "web", expected a name unique among them (it names the child resources). Give each a distinct name.',
    ];
    assert.deepEqual(synthRefusal(doc), expected);
    assert.deepEqual(await pulumiRefusal(doc), expected);
  });

  it("two services that both create one Namespace", async () => {
    const api = { ...WEB_SERVICE, name: "api" };
    const doc: MeshDocument = { mesh: TWO_REGIONS, services: [WEB_SERVICE, api] };
    const expected = [
      'services[1].namespace: is created by services[0] as well; got "shop", expected one service creating each Namespace. Set createNamespace: false on every other service in that namespace.',
    ];
    assert.deepEqual(synthRefusal(doc), expected);
    assert.deepEqual(await pulumiRefusal(doc), expected);
  });

  it("two traffic splits for one host", async () => {
    const split = { host: WEB_HOST, weights: { region1: 50, region2: 50 } };
    const doc: MeshDocument = { mesh: TWO_REGIONS, services: [WEB_SERVICE], trafficSplits: [split, split] };
    const expected = [
      'trafficSplits[1]: has the same name (or host) as another one; got "web", expected a name unique among them (it names the child resources). Give each a distinct name.',
    ];
    assert.deepEqual(synthRefusal(doc), expected);
    assert.deepEqual(await pulumiRefusal(doc), expected);
  });
});

describe("one plan: the GKE node firewall admits what the east-west gateway Service serves", () => {
  // Two GKE clusters in one region sharing a private network: internal gateways by default.
  const mesh = {
    meshID: "demo",
    clusters: {
      a: { cloud: "gcp", region: "us-east1", privateNetwork: "shared" },
      b: { cloud: "gcp", region: "us-east1", privateNetwork: "shared" },
    },
  } as const;

  async function firewalls(doc: MeshDocument): Promise<Record<string, Record<string, unknown> | undefined>> {
    const plan = planMesh(doc);
    const { engine } = await runOffline(() => {
      for (const id of ["a", "b"]) new GkeCluster(id, { plan, clusterId: id, project: "demo-project" });
    });
    return Object.fromEntries(
      ["a", "b"].map((id) => [
        id,
        engine.ofType("gcp:compute/firewall:Firewall").find((r) => r.name === `${id}-eastwest-fw`)?.inputs,
      ]),
    );
  }

  it("an internet-facing gateway (the document's option): no private-range rule; the Service is external", async () => {
    const doc: MeshDocument = { mesh, eastWestGateways: { a: { exposure: "internet-facing" } } };
    const plan = planMesh(doc);
    const gateway = plan.clusters.a!.eastWestGateway!;
    assert.equal(gateway.exposure, "internet-facing");
    assert.deepEqual(
      gateway.values.service.annotations,
      {},
      "GKE's default: an external passthrough load balancer",
    );
    const rules = await firewalls(doc);
    // GKE writes the allow rule of an external LoadBalancer Service from its loadBalancerSourceRanges.
    assert.equal(rules.a, undefined);
    // b keeps its internal gateway, reached from a's node and pod ranges (and Google's health checks).
    const a = plan.clusters.a!;
    assert.deepEqual(rules.b!.sourceRanges, [
      ...[a.cidrs.node, a.cidrs.pod].sort(),
      "35.191.0.0/16",
      "130.211.0.0/22",
    ]);
    assert.deepEqual(rules.b!.allows, [{ protocol: "tcp", ports: ["15021", "15443"] }]);
  });

  it("an internal gateway with source ranges of the document: the rule admits exactly those", async () => {
    const doc: MeshDocument = { mesh, eastWestGateways: { a: { sourceRanges: ["198.51.100.0/24"] } } };
    const plan = planMesh(doc);
    assert.deepEqual(plan.clusters.a!.eastWestGateway!.values.service.loadBalancerSourceRanges, [
      "198.51.100.0/24",
    ]);
    const rules = await firewalls(doc);
    assert.deepEqual(rules.a!.sourceRanges, ["198.51.100.0/24", "35.191.0.0/16", "130.211.0.0/22"]);
  });
});
