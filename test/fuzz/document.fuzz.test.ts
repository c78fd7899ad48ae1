/**
 * Fuzzing the document validator, the planner and synth: any JSON value, and valid documents
 * mutated (fields dropped, renamed, retyped, swapped; prototype-named keys; huge strings; deep
 * nesting). Either the validator names at least one problem, each at a path of the input, and
 * synth refuses — or the document is valid, and planMesh and synth succeed with objects valid
 * against the real Kubernetes and Istio schemas, planMesh's plan (validation's resolution, decided
 * with the document's choices) being the one resolving the mesh again gives.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { parse } from "yaml";
import { planMesh } from "../../lib/components/plan-mesh";
import {
  asMeshDocument,
  isBareMeshSpec,
  validateMeshDocument,
  type MeshDocument,
} from "../../lib/core/mesh-document";
import { formatProblem, PROBLEMS_MAX } from "../../lib/core/problems";
import { resolvePlan } from "../../lib/core/resolve";
import { validateMeshSpec } from "../../lib/core/validate";
import { renderMeshDocument } from "../../lib/manifests/mesh-document";
import { schemaValidator } from "../support/schemas";
import { anyJson, assertPathIn, mutate, mutation, params } from "./support";

const ROOT = join(__dirname, "..", "..");
const read = (file: string): unknown => parse(readFileSync(join(ROOT, file), "utf8"));

/** Valid documents to mutate: bare specs and whole documents, both network modes. */
export const SEEDS: readonly unknown[] = [
  read("test/cli/fixtures/document.yaml"),
  read("test/cli/fixtures/two-regions.yaml"),
  read("examples/wireguard-two-region/mesh.yaml"),
  {
    mesh: {
      meshID: "fuzz",
      controlPlane: { model: "primary-remote", primaries: ["east"] },
      clusters: {
        east: { cloud: "aws", region: "us-east-1", zones: ["us-east-1a", "us-east-1b"] },
        west: { cloud: "gcp", region: "us-west1", controlPlaneCluster: "east" },
        lab: { cloud: "existing", region: "dc1", network: "lab" },
      },
    },
    eastWestGateways: { east: { exposure: "internet-facing", replicas: 3 } },
    services: [
      {
        name: "web",
        namespace: "shop",
        image: "nginx:1.27",
        ports: [{ name: "http", port: 80 }],
        clusters: { east: { replicas: 2 }, west: { env: { MODE: "b" } } },
      },
    ],
    trafficSplits: [{ host: "web.shop.svc.cluster.local", weights: { east: 70, west: 30 } }],
    failoverPolicies: [
      {
        host: "web.shop.svc.cluster.local",
        distribute: [{ from: "us-east-1/*", to: { "us-east-1/*": 80, "us-west1/*": 20 } }],
        outlierDetection: { consecutive5xxErrors: 3, interval: "5s" },
      },
    ],
  },
];

const validateAll = schemaValidator([
  "v1 Namespace",
  "v1 Service",
  "v1 ServiceAccount",
  "v1 ConfigMap",
  "apps/v1 Deployment",
  "apps/v1 DaemonSet",
  "rbac.authorization.k8s.io/v1 ClusterRole",
  "rbac.authorization.k8s.io/v1 ClusterRoleBinding",
  "networking.istio.io/v1 Gateway",
  "networking.istio.io/v1 VirtualService",
  "networking.istio.io/v1 DestinationRule",
  "security.istio.io/v1 PeerAuthentication",
]);

/** The property every input must have. */
export async function documentHolds(input: unknown): Promise<void> {
  const problems = validateMeshDocument(input);
  assert.ok(problems.length <= PROBLEMS_MAX + 1, `${problems.length} problems: output is not bounded`);
  for (const p of problems) {
    assertPathIn(input, p.path);
    const line = formatProblem(p);
    assert.ok(line.length < 2000, `an unbounded message: ${line.slice(0, 200)}...`);
  }
  if (problems.length > 0) {
    assert.throws(() => planOrRender(input), /problem|invalid input/);
    return;
  }
  const rendered = renderMeshDocument(input);
  const mesh = isBareMeshSpec(input) ? input : (input as { mesh: unknown }).mesh;
  planMesh(mesh as never);
  // The document's plan is validation's own resolution decided with the document's choices: the
  // plan that resolving the document's mesh again gives.
  const { mesh: spec, ...choices } = asMeshDocument(input) as MeshDocument;
  assert.deepEqual(planMesh(input as never), resolvePlan(spec, choices));
  const objects = Object.values(rendered.clusters).flatMap((c) => c.objects);
  await validateAll(objects);
}

/** What synth does: refuse a document with problems. */
function planOrRender(input: unknown): void {
  const mesh = isBareMeshSpec(input) ? input : (input as { mesh?: unknown } | null)?.mesh;
  const specProblems = validateMeshSpec(mesh);
  if (specProblems.length > 0) planMesh(mesh as never);
  throw new Error(`the document has ${validateMeshDocument(input).length} problems`);
}

describe("fuzz: documents", function () {
  this.timeout(120_000);

  it("the seeds are valid documents", async () => {
    for (const seed of SEEDS) {
      assert.deepEqual(validateMeshDocument(seed).map(formatProblem), []);
      await documentHolds(seed);
    }
  });

  // Failures the fuzzer found, kept as regressions.
  const REGRESSIONS: readonly unknown[] = [
    // seed 20261202: an empty key made the path "clusters." (ambiguous, unparseable).
    JSON.parse('{"__proto__":{"":0},"clusters":{"":0}}'),
    // seed 20261202: a cluster named constructor collided with Object.prototype in the construct tree.
    {
      meshID: "demo",
      clusters: {
        region2: { cloud: "aws", region: "us-west-2" },
        constructor: { cloud: "aws", region: "us-east-1" },
      },
    },
    // seed -661144870: a key " " under mesh made the path mesh.[" "].
    { mesh: { clusters: { a: { cloud: "aws", region: "us-east-1" } }, " ": "fuzz" } },
    // seed -2046431786 (campaign): env: null in a per-cluster override passed validation (null is
    // absent), then crashed synth's own check of the service (Object.entries(null)).
    {
      mesh: { clusters: { east: { cloud: "aws", region: "us-east-1" } } },
      services: [
        {
          name: "web",
          namespace: "shop",
          image: "nginx:1.27",
          ports: [{ name: "http", port: 80 }],
          clusters: { east: { env: null } },
        },
      ],
    },
    // A service whose clusters are null (a YAML `clusters:` left empty) crashed its rendering (seed
    // 20261202, ISTHMUS_FUZZ_RUNS=5000, after the one-plan merge).
    {
      mesh: {
        meshID: "demo",
        clusters: {
          region1: { cloud: "aws", region: "us-east-1" },
          region2: { cloud: "aws", region: "us-west-2" },
        },
      },
      services: [
        {
          name: "helloworld",
          namespace: "sample",
          image: "docker.io/istio/examples-helloworld-v1:1.0",
          ports: [{ name: "http", port: 5000 }],
          clusters: null,
        },
      ],
      // And an option left empty (null) reached the planner, which refused it (ISTHMUS_FUZZ_RUNS=20000).
      eastWestGateways: { region1: { exposure: null, replicas: 3 } },
      failoverPolicies: [
        {
          host: "helloworld.sample.svc.cluster.local",
          failover: [
            { from: "us-east-1", to: "us-west-2" },
            { from: "us-west-2", to: "us-east-1" },
          ],
        },
      ],
    },
  ];
  for (const input of REGRESSIONS) {
    it(`regression: ${JSON.stringify(input).slice(0, 80)}`, async () => {
      await documentHolds(input);
    });
  }

  it("any JSON value is either refused with problems at its own paths, or rendered", async () => {
    await fc.assert(fc.asyncProperty(anyJson, documentHolds), params(150));
    await fc.assert(fc.asyncProperty(anyJson, documentHolds), params(150, true));
  });

  it("mutated valid documents are either refused with problems at their own paths, or rendered", async () => {
    const mutated = fc
      .tuple(fc.constantFrom(...SEEDS), fc.array(mutation, { minLength: 1, maxLength: 4 }))
      .map(([seed, ms]) => mutate(seed, ms));
    await fc.assert(fc.asyncProperty(mutated, documentHolds), params(300));
    await fc.assert(fc.asyncProperty(mutated, documentHolds), params(300, true));
  });
});
