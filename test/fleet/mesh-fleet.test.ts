import { strict as assert } from "node:assert";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { planProgram, type PlanResult } from "../../lib/cli/plan-command";
import { loadProgram } from "../../lib/cli/program";
import { isFleetProgram, meshFleet, planFleet, type FleetPlan } from "../../lib/fleet";
import { runOffline } from "../../lib/testing";
import type { RecordedResource } from "../../lib/testing/recorded-resource";

const DIR = path.resolve(__dirname, "../../examples/core-edge/fleet");
const CONFIG = path.resolve(__dirname, "../../examples/core-edge/Pulumi.offline.yaml");

/** What the test keeps of each stack's offline run. */
type Kept = Record<string, RecordedResource[]>;

describe("meshFleet: the core-edge example as a fleet, planned offline", () => {
  let viaCli: PlanResult;
  let plan: FleetPlan;
  const kept: Kept = {};
  before(async () => {
    viaCli = await planProgram(DIR, { configFile: CONFIG });
    const program = loadProgram(DIR, CONFIG);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported: unknown = require(program.main);
    assert.ok(isFleetProgram(exported));
    plan = await planFleet(exported.fleet, {
      config: Object.fromEntries(exported.fleet.stacks.map((s) => [s.name, program.config])),
      onStack: (name, engine) => {
        kept[name] = [...engine.resources];
      },
    });
  });

  const ofType = (stack: string, type: string): RecordedResource[] =>
    kept[stack]!.filter((r) => r.type === type);

  it("prints the stack graph: trust, the cores, one stack per edge, each core's discovery", () => {
    assert.deepEqual(viaCli.fleet?.graph.levels, [
      ["trust"],
      ["primary-core-eu", "primary-core-us"],
      [
        "discovery-core-eu",
        "discovery-core-us",
        "remote-store-ber",
        "remote-store-bos",
        "remote-store-chi",
        "remote-store-nyc",
        "remote-store-par",
      ],
      [
        "discovery-remote-store-ber",
        "discovery-remote-store-bos",
        "discovery-remote-store-chi",
        "discovery-remote-store-nyc",
        "discovery-remote-store-par",
      ],
    ]);
    const lines = viaCli.report.split("\n");
    assert.equal(lines[0], "Offline plan of fleet isthmus-core-edge-fleet: 15 stacks, 143 resources");
    assert.ok(lines.includes("  remote-store-nyc ← primary-core-us"), viaCli.report);
    assert.ok(
      lines.includes("  discovery-remote-store-nyc ← primary-core-us, remote-store-nyc"),
      viaCli.report,
    );
    assert.ok(lines.includes("  discovery-core-us ← primary-core-eu, primary-core-us"), viaCli.report);
    assert.deepEqual(viaCli.resources, []);
  });

  it("gives each core P−1 + its own edges remote secrets, each edge's in a stack of its own, none elsewhere", () => {
    /** The remote secrets a stack writes, as `<cluster written to>><cluster read>`. */
    const held = (stack: string): string[] => {
      const clusterOf = new Map(
        ofType(stack, "pulumi:providers:kubernetes").map((p) => [
          p.urn,
          p.inputs.clusterIdentifier as string,
        ]),
      );
      return ofType(stack, "kubernetes:core/v1:Secret")
        .filter(
          (r) => (r.inputs.metadata as { labels?: Record<string, string> }).labels?.["istio/multiCluster"],
        )
        .map((r) => {
          const target = (r.inputs.metadata as { annotations: Record<string, string> }).annotations[
            "networking.istio.io/cluster"
          ]!;
          return `${clusterOf.get(r.provider!.split("::").slice(0, -1).join("::"))}>${target}`;
        })
        .sort();
    };
    assert.deepEqual(held("discovery-core-us"), ["core-us>core-eu"]);
    assert.deepEqual(held("discovery-remote-store-nyc"), ["core-us>store-nyc"]);
    assert.deepEqual(held("discovery-remote-store-ber"), ["core-eu>store-ber"]);
    const all = Object.keys(kept).flatMap(held).sort();
    assert.deepEqual(all, [
      "core-eu>core-us",
      "core-eu>store-ber",
      "core-eu>store-par",
      "core-us>core-eu",
      "core-us>store-bos",
      "core-us>store-chi",
      "core-us>store-nyc",
    ]);
    for (const stack of Object.keys(kept).filter((s) => !s.startsWith("discovery-")))
      assert.deepEqual(held(stack), [], stack);
  });

  it("feeds each StackReference from the upstream stack's planned outputs, secrets kept secret", () => {
    const refs = (stack: string): string[] =>
      ofType(stack, "pulumi:pulumi:StackReference")
        .map((r) => r.name)
        .sort();
    assert.deepEqual(refs("discovery-core-us"), ["organization/isthmus-core-edge-fleet/primary-core-eu"]);
    assert.deepEqual(refs("discovery-remote-store-nyc"), [
      "organization/isthmus-core-edge-fleet/remote-store-nyc",
    ]);
    const upstream = plan.stacks["remote-store-nyc"]!.outputs.readers!;
    assert.equal(upstream.secret, true);
    const kubeconfig = (upstream.value as Record<string, string>)["store-nyc"]!;
    assert.match(kubeconfig, /server: https:\/\/store-nyc\.example\.invalid:6443/);
    const secret = ofType("discovery-remote-store-nyc", "kubernetes:core/v1:Secret").find(
      (r) => (r.inputs.metadata as { name: string }).name === "istio-remote-secret-store-nyc",
    )!;
    assert.equal((secret.inputs.stringData as Record<string, string>)["store-nyc"], kubeconfig);
    assert.ok(secret.secretPaths.includes("stringData"), JSON.stringify(secret.secretPaths));
    // The edge's istiod points at its core's east-west gateway, read from the core's stack.
    const istiod = ofType("remote-store-nyc", "kubernetes:helm.sh/v3:Release").find(
      (r) => r.inputs.chart === "istiod",
    )!;
    const address = (istiod.inputs.values as { global: { remotePilotAddress: string } }).global
      .remotePilotAddress;
    assert.equal(address, plan.stacks["primary-core-us"]!.outputs.gatewayAddress!.value);
    assert.match(address, /^(\d+\.){3}\d+$/);
  });

  it("keeps trust in the cores: intermediates and cacerts only there, no edge stack reads trust", () => {
    assert.equal(ofType("trust", "tls:index/locallySignedCert:LocallySignedCert").length, 2);
    const cacerts = (stack: string): number =>
      ofType(stack, "kubernetes:core/v1:Secret").filter(
        (r) => (r.inputs.metadata as { name: string }).name === "cacerts",
      ).length;
    assert.equal(cacerts("primary-core-us"), 1);
    for (const stack of Object.keys(kept).filter((s) => s.startsWith("remote-"))) {
      assert.equal(cacerts(stack), 0, stack);
      assert.deepEqual(plan.graph.dependsOn[stack]!.includes("trust"), false, stack);
    }
    assert.equal(plan.stacks.trust!.outputs.cacerts!.secret, true);
    assert.doesNotMatch(viaCli.report, /PRIVATE KEY|eyJ/);
  });

  it("refuses, in a wireguard mesh, gateways on cloud instances and clusters it would create, with a bad remotesPerStack, all at once", () => {
    assert.throws(
      () =>
        meshFleet({
          project: "p",
          spec: {
            networkMode: "wireguard",
            clusters: { a: { cloud: "aws", region: "us-east-1" }, b: { cloud: "gcp", region: "us-east1" } },
          },
          cluster: () => {
            throw new Error("not reached");
          },
          provisioned: ["a"],
          remotesPerStack: 0,
        }),
      (e: Error) =>
        pulumi.InputPropertiesError.isInstance(e) &&
        e.message ===
          "meshFleet p: 4 invalid inputs; nothing was created:\n" +
            "  - remotesPerStack: is not a positive integer; got 0, expected 1 or more. Set how many remote clusters share a stack, e.g. 50 (1 gives each edge its own stack).\n" +
            '  - spec.clusters.a.cloud: places the cluster\'s WireGuard gateway on a cloud instance, which a fleet\'s network stack cannot build (the instance belongs to the cluster\'s adapter, in another stack); got "aws", expected "existing" (an in-cluster gateway). Adopt the cluster with cloud: existing, or run a flat mesh of EKS/GKE clusters as one MultiClusterMesh with a FlatNetwork in one stack.\n' +
            '  - spec.clusters.b.cloud: places the cluster\'s WireGuard gateway on a cloud instance, which a fleet\'s network stack cannot build (the instance belongs to the cluster\'s adapter, in another stack); got "gcp", expected "existing" (an in-cluster gateway). Adopt the cluster with cloud: existing, or run a flat mesh of EKS/GKE clusters as one MultiClusterMesh with a FlatNetwork in one stack.\n' +
            '  - provisioned: lists clusters of a wireguard mesh, whose network stack adopts every cluster itself; got ["a"], expected []. Create the clusters in a stack of their own and adopt them here, or use gateways mode.',
    );
  });
});

describe("offline engine StackReferences", () => {
  it("fails a reference to a stack it has no outputs for, as a backend without that stack does", async () => {
    await assert.rejects(
      runOffline(() => {
        const ref = new pulumi.StackReference("organization/p/missing");
        return { v: ref.getOutput("x") };
      }),
      /unknown stack "organization\/p\/missing": no stack of that name has outputs; give its outputs in OfflineEngineOptions.stackOutputs/,
    );
  });

  it("serves the outputs it is given, secret ones secret", async () => {
    const { result } = await runOffline(
      () => {
        const ref = new pulumi.StackReference("organization/p/up");
        return { plain: ref.getOutput("plain"), hidden: ref.getOutput("hidden") };
      },
      {
        stackOutputs: {
          "organization/p/up": { plain: { value: "a" }, hidden: { value: "b", secret: true } },
        },
      },
    );
    assert.equal(await pulumi.isSecret(result.plain), false);
    assert.equal(await pulumi.isSecret(result.hidden), true);
    assert.equal(await new Promise((r) => result.hidden.apply(r)), "b");
  });
});
