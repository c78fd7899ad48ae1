/**
 * Property tests over generated valid mesh documents:
 * 1. the Kubernetes objects `isthmus synth` renders equal, object for object, the Kubernetes objects
 *    the Pulumi program (`planMesh` → `MultiClusterMesh`) registers under the offline engine — same
 *    cluster, kind, name, namespace and every other field;
 * 2. every cluster adapter's firewall openings for the east-west gateway equal what the plan's
 *    gateway serves (ports; and on GKE, the sources of an internal gateway).
 *
 * Excluded from 1, on purpose: Helm releases (synth writes values files, not objects, and the
 * Pulumi values carry deploy-time addresses: the peers' egress IPs, a remote's primary gateway),
 * Secrets (`cacerts`, reader tokens and remote secrets hold key material and are Pulumi-only; synth
 * only references them), objects read back (`Service.get` of the gateway's address), and what lies
 * outside the mesh component (the fixture's load-balancer controller). Documents in `wireguard` mode
 * use cloud clusters with DNS stubs off: the tunnel's gateways and DNS stubs are applied by
 * FlatNetwork, with keys and cloud endpoints, not by MultiClusterMesh.
 *
 * Runs: PROPERTY_RUNS (default 50) documents under the fixed seed, then 3 with a random seed; the
 * firewall property a quarter of that (at least 10). `PROPERTY_RUNS=2000 npx mocha <this file>` for
 * thousands. 50 because the fixed seed's first 25 documents already reach every block of lib/ that
 * its first 200 reach (V8 block coverage, NODE_V8_COVERAGE); 5 do not.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { EksCluster } from "../../lib/clusters/aws/eks-cluster";
import { GkeCluster } from "../../lib/clusters/gcp/gke-cluster";
import { MultiClusterMesh } from "../../lib/components/multi-cluster-mesh";
import { planMesh } from "../../lib/components/plan-mesh";
import { validateMeshDocument, type MeshDocument } from "../../lib/core/mesh-document";
import type { MeshPlan } from "../../lib/core/mesh-plan";
import type { EastWestGatewayOptions } from "../../lib/core/east-west-gateway";
import type { Cloud, MeshSpec } from "../../lib/core/spec";
import { renderMeshPlan } from "../../lib/manifests/mesh-document";
import { runOffline, type OfflineEngine } from "../../lib/testing";
import type { RecordedResource } from "../../lib/testing/recorded-resource";
import { testClusters } from "./fixtures";

const SEED = 20261202;
const RUNS = Number(process.env.PROPERTY_RUNS ?? 50);

const REGIONS: readonly (readonly [Cloud, string])[] = [
  ["aws", "us-east-1"],
  ["aws", "us-west-2"],
  ["gcp", "us-east1"],
  ["gcp", "europe-west1"],
];
const IDS = ["east", "west", "north", "south"] as const;

/** A valid document: clusters, control plane, network mode, gateway options, services, policies, splits. */
const documents: fc.Arbitrary<MeshDocument> = fc
  .record({
    ids: fc.uniqueArray(fc.constantFrom(...IDS), { minLength: 2, maxLength: 4 }),
    regions: fc.array(fc.constantFrom(...REGIONS), { minLength: 4, maxLength: 4 }),
    shared: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    model: fc.constantFrom("multi-primary" as const, "primary-remote" as const),
    wireguard: fc.boolean(),
    revision: fc.option(fc.constant("1-30"), { nil: undefined }),
    gateways: fc.array(
      fc.record(
        {
          exposure: fc.constantFrom("internal" as const, "internet-facing" as const),
          replicas: fc.integer({ min: 2, max: 4 }),
          sourceRanges: fc.constant(["198.51.100.0/24"]),
        },
        { requiredKeys: [] },
      ),
      { minLength: 4, maxLength: 4 },
    ),
    services: fc.subarray(["web", "api"]),
    failover: fc.boolean(),
    failoverName: fc.option(fc.constant("web-regions"), { nil: undefined }),
    split: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
  })
  .map((g): MeshDocument => {
    const ids = g.ids;
    // Primary-remote: an AWS primary (the fixture's handles look like EKS clusters), in gateways mode,
    // whose internet-facing NLB takes static IPs that the remotes' istiod Service can point at.
    const remotes = g.model === "primary-remote";
    const wireguard = g.wireguard && !remotes;
    const regionOf = (i: number): readonly [Cloud, string] =>
      remotes && i === 0 ? (g.regions[0]![0] === "aws" ? g.regions[0]! : REGIONS[0]!) : g.regions[i]!;
    const clusters = Object.fromEntries(
      ids.map((id, i) => [
        id,
        {
          cloud: regionOf(i)[0],
          region: regionOf(i)[1],
          ...(g.shared[i] ? { privateNetwork: "shared" } : {}),
        },
      ]),
    );
    const mesh: MeshSpec = {
      meshID: "prop",
      clusters,
      ...(wireguard ? { networkMode: "wireguard" as const, dns: { stubs: false } } : {}),
      ...(remotes ? { controlPlane: { model: "primary-remote", primaries: [ids[0]!] } } : {}),
      ...(g.revision === undefined ? {} : { istio: { revision: g.revision } }),
    };
    const services = g.services.map((name) => ({
      name,
      namespace: "shop",
      image: `docker.io/library/${name}:1`,
      ports: [{ name: "http", port: 8080 }],
      // Both in one namespace: the second leaves it to the first.
      ...(name === "api" ? { clusters: { [ids[0]!]: { tag: "2" } }, createNamespace: false } : {}),
    }));
    const regions = [...new Set(ids.map((id) => clusters[id]!.region))];
    const webHost = "web.shop.svc.cluster.local";
    const hasWeb = g.services.includes("web");
    return {
      mesh,
      // In wireguard mode no cluster runs an east-west gateway (remotes are gateways-mode only here).
      eastWestGateways: Object.fromEntries(
        ids.flatMap((id, i) => {
          if (wireguard) return [];
          // An AWS primary exposing istiod needs its internet-facing NLB's static IPs: an internal one
          // publishes a host name, which a remote's webhooks cannot call (the offline engine refuses it).
          const options: EastWestGatewayOptions = {
            ...g.gateways[i]!,
            ...(remotes && i === 0 ? { exposure: "internet-facing" as const } : {}),
          };
          return Object.keys(options).length > 0 ? [[id, options]] : [];
        }),
      ),
      services,
      failoverPolicies:
        g.failover && hasWeb && regions.length >= 2
          ? [
              {
                host: webHost,
                ...(g.failoverName === undefined ? {} : { name: g.failoverName }),
                failover: [{ from: regions[0]!, to: regions[1]! }],
              },
            ]
          : [],
      trafficSplits:
        g.split !== undefined && hasWeb
          ? [{ host: webHost, weights: { [ids[0]!]: g.split, [ids[1]!]: 100 - g.split } }]
          : [],
    };
  });

/** `<cluster> <kind> <namespace>/<name>` → the object, canonically stringified. */
type ObjectIndex = Record<string, string>;

function key(cluster: string, o: { kind: string; metadata: { name: string; namespace?: string } }): string {
  return `${cluster} ${o.kind} ${o.metadata.namespace ?? ""}/${o.metadata.name}`;
}

/** JSON with sorted keys, so that two equal objects print the same. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

function synthObjects(plan: MeshPlan): ObjectIndex {
  const out: ObjectIndex = {};
  for (const [id, cluster] of Object.entries(renderMeshPlan(plan).clusters)) {
    for (const o of cluster.objects) {
      assert.equal(out[key(id, o)], undefined, `synth renders ${key(id, o)} twice`);
      out[key(id, o)] = canonical(o);
    }
  }
  return out;
}

const EXCLUDED_TYPES = new Set(["kubernetes:helm.sh/v3:Release", "kubernetes:core/v1:Secret"]);

function inside(engine: OfflineEngine, r: RecordedResource, ancestor: RecordedResource): boolean {
  for (let p = r.parent; p !== undefined; p = engine.byUrn(p)?.parent) if (p === ancestor.urn) return true;
  return false;
}

function pulumiObjects(engine: OfflineEngine): ObjectIndex {
  const mesh = engine.get("isthmus:mesh:MultiClusterMesh", "prop");
  const out: ObjectIndex = {};
  for (const r of engine.resources) {
    if (!r.custom || !r.type.startsWith("kubernetes:") || r.read || EXCLUDED_TYPES.has(r.type)) continue;
    if (!inside(engine, r, mesh)) continue;
    const cluster = engine.clusterOf(r);
    assert.ok(cluster !== undefined, `${r.name} goes through no cluster's provider`);
    const object = r.inputs as { kind: string; metadata: { name: string; namespace?: string } };
    assert.equal(out[key(cluster, object)], undefined, `Pulumi registers ${key(cluster, object)} twice`);
    out[key(cluster, object)] = canonical(object);
  }
  return out;
}

async function pulumiProgram(doc: MeshDocument): Promise<ObjectIndex> {
  const plan = planMesh(doc);
  const { engine } = await runOffline(
    () => new MultiClusterMesh("prop", { plan, clusters: testClusters(doc.mesh) }),
  );
  return pulumiObjects(engine);
}

describe("property: synth renders exactly the Kubernetes objects the Pulumi program registers", function () {
  this.timeout(0);
  const property = fc.asyncProperty(documents, async (doc) => {
    assert.deepEqual(validateMeshDocument(doc), [], "the generator makes valid documents");
    const fromSynth = synthObjects(planMesh(doc));
    const fromPulumi = await pulumiProgram(doc);
    assert.deepEqual(Object.keys(fromPulumi).sort(), Object.keys(fromSynth).sort(), "the same objects");
    for (const k of Object.keys(fromSynth)) assert.equal(fromPulumi[k], fromSynth[k], k);
  });

  it(`${RUNS} documents under a fixed seed`, async () => {
    await fc.assert(property, { seed: SEED, numRuns: RUNS });
  });

  it("3 documents under a random seed", async () => {
    await fc.assert(property, { numRuns: 3 });
  });

  it("the comparison sees a difference (so it is not vacuous)", async () => {
    const doc: MeshDocument = {
      mesh: {
        meshID: "prop",
        clusters: {
          east: { cloud: "aws", region: "us-east-1" },
          west: { cloud: "aws", region: "us-west-2" },
        },
      },
    };
    const fromSynth = synthObjects(planMesh(doc));
    const other = synthObjects(planMesh({ ...doc, eastWestGateways: { east: { replicas: 3 } } }));
    assert.deepEqual(Object.keys(other).sort(), Object.keys(fromSynth).sort());
    const withService = synthObjects(
      planMesh({
        ...doc,
        services: [{ name: "web", namespace: "shop", image: "x:1", ports: [{ name: "http", port: 80 }] }],
      }),
    );
    assert.notDeepEqual(Object.keys(withService).sort(), Object.keys(fromSynth).sort());
  });
});

/** The GCP health-check ranges GKE's load balancers probe from. */
const GCP_HEALTH_CHECKS = ["35.191.0.0/16", "130.211.0.0/22"];

describe("property: every adapter's firewall openings equal what the plan's gateways serve", function () {
  this.timeout(0);
  const property = fc.asyncProperty(
    documents.filter((d) => d.mesh.networkMode !== "wireguard"),
    async (doc) => {
      const plan = planMesh(doc);
      const { engine } = await runOffline(() => {
        for (const [id, c] of Object.entries(plan.clusters)) {
          if (c.cloud === "aws") new EksCluster(id, { plan, clusterId: id });
          if (c.cloud === "gcp") new GkeCluster(id, { plan, clusterId: id, project: "prop-project" });
        }
      });
      for (const [id, c] of Object.entries(plan.clusters)) {
        const gateway = c.eastWestGateway!;
        const served = gateway.ports.map((p) => p.port);
        if (c.cloud === "aws") {
          const rules = engine
            .ofType("aws:ec2/securityGroupRule:SecurityGroupRule")
            .filter((r) => r.name.startsWith(`${id}-eastwest-`));
          assert.deepEqual(
            rules.map((r) => r.inputs.fromPort).sort(),
            [...served].sort(),
            `${id}: the security group opens the gateway's ports`,
          );
          for (const r of rules) assert.equal(r.inputs.toPort, r.inputs.fromPort);
        } else {
          const rule = engine
            .ofType("gcp:compute/firewall:Firewall")
            .find((r) => r.name === `${id}-eastwest-fw`);
          if (gateway.exposure === "internet-facing") {
            // GKE writes the rule of an external LoadBalancer Service from its source ranges itself.
            assert.equal(rule, undefined, `${id}: no rule of ours in front of an external load balancer`);
          } else {
            assert.ok(rule, `${id}: an internal gateway has a node firewall rule`);
            assert.deepEqual(rule.inputs.allows, [{ protocol: "tcp", ports: served.map(String) }]);
            assert.deepEqual(rule.inputs.sourceRanges, [
              ...(gateway.values.service.loadBalancerSourceRanges ?? []),
              ...GCP_HEALTH_CHECKS,
            ]);
          }
        }
      }
    },
  );

  it(`${Math.max(10, Math.round(RUNS / 4))} documents under a fixed seed`, async () => {
    await fc.assert(property, { seed: SEED, numRuns: Math.max(10, Math.round(RUNS / 4)) });
  });
});
