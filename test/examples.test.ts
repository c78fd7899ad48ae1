import * as assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { planProgram, type PlanResult } from "../lib/cli/plan-command";
import type { MeshPlan } from "../lib/core/mesh-plan";
import type { RecordedResource } from "../lib/testing/recorded-resource";

const EXAMPLES = path.resolve(__dirname, "../examples");
const LEGACY_SLOTS = JSON.parse(
  readFileSync(path.join(__dirname, "core/fixtures/legacy-slots.json"), "utf8"),
) as {
  readonly examples: Readonly<Record<string, unknown>>;
};

/** Every example program: a directory of examples/ with a Pulumi.yaml. */
const DIRS = readdirSync(EXAMPLES)
  .filter((d) => existsSync(path.join(EXAMPLES, d, "Pulumi.yaml")))
  .sort();

/** Plans an example the way `isthmus plan examples/<dir> --config examples/<dir>/Pulumi.offline.yaml` does. */
function planExample(dir: string): Promise<PlanResult> {
  const configFile = path.join(EXAMPLES, dir, "Pulumi.offline.yaml");
  return planProgram(path.join(EXAMPLES, dir), existsSync(configFile) ? { configFile } : {});
}

/** Resources by type, with an optional filter on their inputs. */
function ofType(result: PlanResult, type: string): RecordedResource[] {
  return result.resources.filter((r) => r.type === type);
}

/** The planned cluster ids of the program's meshes. */
function plannedClusters(result: PlanResult): string[] {
  return Object.values(result.meshPlans)
    .flatMap((p) => Object.keys((p as { clusters: Record<string, unknown> }).clusters))
    .sort();
}

describe("examples", () => {
  it("are all found: the demo and the other complete programs", () => {
    for (const expected of [
      "aws-two-region",
      "gcp-two-region",
      "aws-gcp",
      "existing-clusters",
      "wireguard-two-region",
      "primary-remote",
      "core-edge",
    ]) {
      assert.ok(
        DIRS.includes(expected),
        `examples/${expected}/Pulumi.yaml missing; found ${DIRS.join(", ")}`,
      );
    }
  });

  it("can all be chosen in the root program, which refuses an unknown one", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "isthmus-root-"));
    try {
      const configFile = path.join(dir, "Pulumi.nope.yaml");
      writeFileSync(configFile, "config:\n  example: nope\n");
      let message = "";
      await assert.rejects(planProgram(path.resolve(EXAMPLES, ".."), { configFile }), (e: Error) => {
        message = e.message;
        return true;
      });
      const listed = /^config example: unknown example "nope"; expected one of (.+)\.$/m.exec(message)?.[1];
      assert.ok(listed, message);
      assert.deepEqual(listed.split(", ").sort(), DIRS);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keep no credential in their offline stack configs", () => {
    const configs = DIRS.filter((d) => existsSync(path.join(EXAMPLES, d, "Pulumi.offline.yaml")));
    assert.ok(configs.includes("existing-clusters"));
    for (const dir of configs) {
      const text = readFileSync(path.join(EXAMPLES, dir, "Pulumi.offline.yaml"), "utf8");
      assert.doesNotMatch(
        text,
        /token|password|client-key-data|client-certificate-data|PRIVATE KEY|eyJ|secure:/,
        `examples/${dir}/Pulumi.offline.yaml`,
      );
    }
  });

  // Programs share the SDK's global runtime: they are planned one after the other.
  for (const dir of DIRS) {
    describe(dir, () => {
      let result: PlanResult;
      let clusterOf: (r: RecordedResource) => string | undefined;
      before(async () => {
        result = await planExample(dir);
        // The provider each Kubernetes resource goes through names its cluster (clusterIdentifier).
        const providers = new Map(
          result.resources
            .filter((r) => r.type === "pulumi:providers:kubernetes")
            .map((r) => [r.urn, r.inputs.clusterIdentifier as string | undefined]),
        );
        clusterOf = (r) =>
          r.provider === undefined
            ? undefined
            : providers.get(r.provider.split("::").slice(0, -1).join("::"));
      });

      // Examples that planned before configurable slot spaces (newer ones have nothing to keep).
      const recordedSlots = LEGACY_SLOTS.examples[dir];
      if (recordedSlots !== undefined)
        it("keeps every cluster's slot and default ranges as planned before configurable slot spaces", () => {
          // Recorded from this example's plan at commit 8b98fb8 (test/core/fixtures/legacy-slots.json).
          const now = Object.fromEntries(
            Object.entries(result.meshPlans).map(([mesh, p]) => [
              mesh,
              Object.fromEntries(
                Object.entries((p as MeshPlan).clusters).map(([id, c]) => [
                  id,
                  { slot: c.slot, cidrs: { ...c.cidrs } },
                ]),
              ),
            ]),
          );
          assert.deepEqual(now, recordedSlots);
        });

      it("plans offline into one mesh with a Kubernetes provider per planned cluster", () => {
        assert.equal(Object.keys(result.meshPlans).length, 1);
        const clusters = plannedClusters(result);
        assert.ok(clusters.length >= 2, `only ${clusters.length} clusters`);
        const identifiers = ofType(result, "pulumi:providers:kubernetes")
          .map((r) => r.inputs.clusterIdentifier)
          .sort();
        assert.deepEqual(identifiers, clusters);
      });

      it("shows the prerequisites: the AWS Load Balancer Controller per EKS cluster, enabled APIs per GKE cluster, IPs for remotes", () => {
        const plans = Object.values(result.meshPlans) as {
          clusters: Record<string, { cloud: string; role: string }>;
        }[];
        const clusters = plans.flatMap((p) => Object.entries(p.clusters));
        const eks = ofType(result, "aws:eks/cluster:Cluster").length;
        const controllers = ofType(result, "kubernetes:helm.sh/v3:Release").filter(
          (r) => r.inputs.chart === "aws-load-balancer-controller",
        );
        assert.equal(controllers.length, eks, "one controller per EKS cluster");
        assert.equal(ofType(result, "aws:eks/podIdentityAssociation:PodIdentityAssociation").length, eks);
        const apis = ofType(result, "gcp:projects/service:Service").map((r) => r.inputs.service);
        for (const api of ["compute.googleapis.com", "container.googleapis.com"]) {
          assert.equal(
            apis.filter((a) => a === api).length,
            ofType(result, "gcp:container/cluster:Cluster").length,
            api,
          );
        }
        // No webhook of any cluster targets an ExternalName Service: every remote's istiod release
        // points at an IPv4 address, so the istiod chart renders its istiod Service with endpoints.
        const remotes = clusters.filter(([, c]) => c.role === "remote").map(([id]) => id);
        for (const id of remotes) {
          const istiod = ofType(result, "kubernetes:helm.sh/v3:Release").find(
            (r) => r.inputs.chart === "istiod" && clusterOf(r) === id,
          )!;
          const address = (istiod.inputs.values as { global: { remotePilotAddress: string } }).global
            .remotePilotAddress;
          assert.match(address, /^(\d+\.){3}\d+$/, `${id}: remotePilotAddress`);
        }
        assert.equal(remotes.length > 0, ["primary-remote", "core-edge"].includes(dir));
      });

      it("puts every Kubernetes resource in a planned cluster, and every cluster gets some", () => {
        const clusters = plannedClusters(result);
        const kube = result.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
        assert.ok(kube.length > 0);
        const unassigned = kube
          .filter((r) => !clusters.includes(clusterOf(r) ?? ""))
          .map((r) => `${r.type} ${r.name}`);
        assert.deepEqual(unassigned, []);
        assert.deepEqual([...new Set(kube.map((r) => clusterOf(r)))].sort(), clusters);
      });

      it("creates each planned cluster in its own cloud and region, and adopts existing ones", () => {
        const plans = Object.values(result.meshPlans) as {
          clusters: Record<string, { cloud: string; region: string }>;
        }[];
        const expected = plans
          .flatMap((p) => Object.values(p.clusters))
          .filter((c) => c.cloud !== "existing")
          .map((c) => `${c.cloud}@${c.region}`)
          .sort();
        const created = result.resources
          .filter((r) => r.type === "aws:eks/cluster:Cluster" || r.type === "gcp:container/cluster:Cluster")
          .map((r) => {
            const provider = result.resources.find((p) => r.provider?.startsWith(`${p.urn}::`));
            return `${r.type.split(":")[0]}@${String(provider?.inputs.region)}`;
          })
          .sort();
        assert.deepEqual(created, expected);
        const existing = plans
          .flatMap((p) => Object.values(p.clusters))
          .filter((c) => c.cloud === "existing");
        assert.equal(ofType(result, "isthmus:clusters:ExistingCluster").length, existing.length);
      });

      it("sends every cloud and Kubernetes resource through an explicit provider, never the default one", () => {
        const implicit = result.resources
          .filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"))
          .filter((r) => /^(aws|gcp|kubernetes):/.test(r.type) && r.provider === undefined)
          .map((r) => `${r.type} ${r.name}`);
        assert.deepEqual(implicit, []);
      });
    });
  }

  describe("aws-gcp", () => {
    it("exposes both east-west gateways to the internet and fails over between the clouds' regions", async () => {
      const result = await planExample("aws-gcp");
      const gateways = ofType(result, "kubernetes:helm.sh/v3:Release").filter(
        (r) => r.inputs.name === "istio-eastwestgateway",
      );
      assert.equal(gateways.length, 2);
      const annotations = gateways.map(
        (r) => (r.inputs.values as { service: { annotations: Record<string, string> } }).service.annotations,
      );
      assert.ok(
        annotations.some(
          (a) => a["service.beta.kubernetes.io/aws-load-balancer-scheme"] === "internet-facing",
        ),
        JSON.stringify(annotations),
      );
      assert.ok(
        annotations.every((a) => a["networking.gke.io/load-balancer-type"] !== "Internal"),
        JSON.stringify(annotations),
      );
      const failover = ofType(result, "kubernetes:networking.istio.io/v1:DestinationRule").map(
        (r) =>
          (r.inputs.spec as { trafficPolicy: { loadBalancer: { localityLbSetting: { failover: unknown } } } })
            .trafficPolicy.loadBalancer.localityLbSetting.failover,
      );
      assert.equal(failover.length, 2);
      for (const f of failover) {
        assert.deepEqual(f, [
          { from: "us-east-1", to: "us-east1" },
          { from: "us-east1", to: "us-east-1" },
        ]);
      }
    });
  });

  describe("existing-clusters", () => {
    it("adopts both clusters from their kubeconfigs, kept secret, in the configured regions", async () => {
      const result = await planExample("existing-clusters");
      const providers = ofType(result, "pulumi:providers:kubernetes");
      assert.deepEqual(
        providers.map((r) => r.secretPaths),
        [["kubeconfig"], ["kubeconfig"]],
      );
      const regions = Object.values(
        (result.meshPlans.demo as { clusters: Record<string, { region: string }> }).clusters,
      ).map((c) => c.region);
      assert.deepEqual(regions, ["dc-east", "dc-west"]);
      assert.deepEqual(
        result.resources.filter((r) => /^(aws|gcp):/.test(r.type)),
        [],
      );
    });
  });

  describe("core-edge", () => {
    it("has each core read the other core and its own edges only: 2·1 + 5 remote secrets, none in an edge", async () => {
      const result = await planExample("core-edge");
      const providers = new Map(
        ofType(result, "pulumi:providers:kubernetes").map((r) => [r.urn, r.inputs.clusterIdentifier]),
      );
      const held = ofType(result, "kubernetes:core/v1:Secret")
        .filter(
          (r) => (r.inputs.metadata as { labels?: Record<string, string> }).labels?.["istio/multiCluster"],
        )
        .map((r) => {
          const reader = providers.get(r.provider?.split("::").slice(0, -1).join("::") ?? "");
          const target = (r.inputs.metadata as { annotations: Record<string, string> }).annotations[
            "networking.istio.io/cluster"
          ];
          return `${String(reader)}>${target}`;
        })
        .sort();
      assert.deepEqual(held, [
        "core-eu>core-us",
        "core-eu>store-ber",
        "core-eu>store-par",
        "core-us>core-eu",
        "core-us>store-bos",
        "core-us>store-chi",
        "core-us>store-nyc",
      ]);
      assert.equal(ofType(result, "tls:index/locallySignedCert:LocallySignedCert").length, 2);
    });
  });

  describe("aws-two-region (the demo)", () => {
    let result: PlanResult;
    let inCluster: (type: string, cluster: string) => RecordedResource[];
    before(async () => {
      result = await planExample("aws-two-region");
      const providers = new Map(
        ofType(result, "pulumi:providers:kubernetes").map((r) => [r.urn, r.inputs.clusterIdentifier]),
      );
      // Objects the program writes (not the token Secrets it reads back), in one cluster.
      inCluster = (type, cluster) =>
        ofType(result, type).filter(
          (r) => !r.read && providers.get(r.provider?.split("::").slice(0, -1).join("::") ?? "") === cluster,
        );
    });
    const CLUSTERS = ["region1", "region2"];

    it("creates an EKS cluster in each region through that region's AWS provider", () => {
      const regions = ofType(result, "aws:eks/cluster:Cluster").map((eks) => {
        const provider = result.resources.find((r) => eks.provider?.startsWith(`${r.urn}::`));
        return `${eks.name}@${String(provider?.inputs.region)}`;
      });
      assert.deepEqual(regions.sort(), ["demo-region1-eks@us-east-1", "demo-region2-eks@us-west-2"]);
      assert.equal(ofType(result, "aws:eks/nodeGroup:NodeGroup").length, 2);
    });

    it("installs Istio base and istiod in both clusters", () => {
      for (const c of CLUSTERS) {
        const releases = inCluster("kubernetes:helm.sh/v3:Release", c).map((r) => r.inputs.name);
        assert.ok(
          releases.includes("istio-base") && releases.includes("istiod"),
          `${c}: ${releases.join(", ")}`,
        );
        const istiod = inCluster("kubernetes:helm.sh/v3:Release", c).find((r) => r.inputs.name === "istiod")!;
        const global = (istiod.inputs.values as { global: Record<string, unknown> }).global;
        assert.equal((global.multiCluster as { clusterName: string }).clusterName, c);
        assert.equal(global.meshID, "demo");
      }
    });

    it("creates the trust: one root and an intermediate per cluster, in each cluster's cacerts", () => {
      const roots = ofType(result, "tls:index/selfSignedCert:SelfSignedCert");
      assert.equal(roots.length, 1);
      assert.equal(roots[0]!.inputs.isCaCertificate, true);
      const intermediates = ofType(result, "tls:index/locallySignedCert:LocallySignedCert");
      assert.equal(intermediates.length, 2);
      for (const c of CLUSTERS) {
        const cacerts = inCluster("kubernetes:core/v1:Secret", c).filter(
          (r) => (r.inputs.metadata as { name?: string }).name === "cacerts",
        );
        assert.equal(cacerts.length, 1, `${c}: cacerts`);
        assert.ok(cacerts[0]!.secretPaths.includes("stringData"), `${c}: cacerts is not secret`);
      }
    });

    it("creates remote secrets in both directions", () => {
      for (const [reader, target] of [
        ["region1", "region2"],
        ["region2", "region1"],
      ]) {
        const secrets = inCluster("kubernetes:core/v1:Secret", reader!).filter(
          (r) => (r.inputs.metadata as { name?: string }).name === `istio-remote-secret-${target}`,
        );
        assert.equal(secrets.length, 1, `no remote secret for ${target} in ${reader}`);
        const metadata = secrets[0]!.inputs.metadata as {
          labels: Record<string, string>;
          annotations: Record<string, string>;
        };
        assert.equal(metadata.labels["istio/multiCluster"], "true");
        assert.equal(metadata.annotations["networking.istio.io/cluster"], target);
        assert.ok(secrets[0]!.secretPaths.includes("stringData"));
      }
      assert.equal(ofType(result, "isthmus:mesh:RemoteSecret").length, 2);
    });

    it("creates an east-west gateway and the cross-network Gateway in both clusters", () => {
      assert.equal(ofType(result, "isthmus:mesh:EastWestGateway").length, 2);
      for (const c of CLUSTERS) {
        const releases = inCluster("kubernetes:helm.sh/v3:Release", c).map((r) => r.inputs.name);
        assert.ok(releases.includes("istio-eastwestgateway"), `${c}: ${releases.join(", ")}`);
        const gateways = inCluster("kubernetes:networking.istio.io/v1:Gateway", c).map(
          (r) => (r.inputs.metadata as { name: string }).name,
        );
        assert.deepEqual(gateways, ["cross-network-gateway"]);
      }
      const status = result.outputs.clusterStatus as Record<string, { gatewayAddress?: string }>;
      for (const c of CLUSTERS)
        assert.match(status[c]!.gatewayAddress ?? "", /\.elb\.us-(east-1|west-2)\.amazonaws\.com$/);
    });

    it("creates the failover DestinationRule, with outlier detection, in both clusters", () => {
      for (const c of CLUSTERS) {
        const rules = inCluster("kubernetes:networking.istio.io/v1:DestinationRule", c);
        assert.equal(rules.length, 1, c);
        const policy = (rules[0]!.inputs.spec as { trafficPolicy: Record<string, any> }).trafficPolicy;
        assert.ok(policy.outlierDetection, `${c}: failover without outlierDetection does nothing`);
        assert.deepEqual(policy.loadBalancer.localityLbSetting.failover, [
          { from: "us-east-1", to: "us-west-2" },
          { from: "us-west-2", to: "us-east-1" },
        ]);
      }
    });

    it("deploys helloworld in both regions, v1 in region1 and v2 in region2", () => {
      const versions = CLUSTERS.map((c) => {
        const deployments = inCluster("kubernetes:apps/v1:Deployment", c).filter(
          (r) => (r.inputs.metadata as { name: string }).name === "helloworld",
        );
        assert.equal(deployments.length, 1, c);
        return (deployments[0]!.inputs.metadata as { labels: Record<string, string> }).labels.version;
      });
      assert.deepEqual(versions, ["v1", "v2"]);
    });
  });
});
