import { strict as assert } from "node:assert";
import {
  baseChart,
  baseValues,
  injectionPath,
  istiodChart,
  istiodValues,
  istioReleases,
  type HelmValues,
} from "../../lib/core/istio-values";
import type { MeshPlan } from "../../lib/core/mesh-plan";
import { plan } from "../../lib/core/plan";

/**
 * The value paths the charts accept, reviewed by hand against istio/istio 1.30.3:
 * - manifests/charts/base/values.yaml (`_internal_defaults_do_not_set` holds the defaults);
 * - manifests/charts/istio-control/istio-discovery/values.yaml (the `istiod` chart);
 * - `profile` is read by both charts' templates/zzz_profile.yaml (`coalesce .Values.profile
 *   .Values.global.profile`) and `files/profile-remote.yaml` exists in both charts;
 * - `meshConfig` is the open MeshConfig API merged into the mesh ConfigMap (templates/configmap.yaml):
 *   its keys are checked against MESH_CONFIG_FIELDS instead.
 * Only the paths isthmus sets (or might plausibly set) are listed; adding a value means reading the
 * chart again and extending this list.
 */
const BASE_CHART_PATHS = new Set([
  "profile",
  "defaultRevision",
  "global.istioNamespace",
  "global.imagePullSecrets",
  "global.resourceScope",
  "global.enableReaderRBAC",
  "base.excludedCRDs",
  "base.enableCRDTemplates",
  "base.validationURL",
  "base.validationCABundle",
  "base.enableIstioConfigCRDs",
  "experimental.stableValidationPolicy",
]);
const ISTIOD_CHART_PATHS = new Set([
  "profile",
  "revision",
  "revisionTags",
  "env",
  "global.istioNamespace",
  "global.meshID",
  "global.multiCluster.clusterName",
  "global.network",
  "global.proxy.clusterDomain",
  "global.externalIstiod",
  "global.configCluster",
  "global.remotePilotAddress",
  "global.caAddress",
  "global.meshNetworks",
  "global.hub",
  "global.tag",
  "istiodRemote.enabled",
  "istiodRemote.injectionPath",
  "istiodRemote.injectionURL",
  "istiodRemote.injectionCABundle",
]);
/** MeshConfig fields isthmus sets (istio.mesh.v1alpha1.MeshConfig, `trust_domain`). */
const MESH_CONFIG_FIELDS = new Set(["trustDomain"]);

/** The value at a dotted path. */
function at(values: HelmValues, path: string): unknown {
  return path.split(".").reduce<unknown>((node, key) => (node as HelmValues | undefined)?.[key], values);
}

/** Every leaf path of a values object, dotted. */
function leafPaths(values: HelmValues, prefix = ""): string[] {
  return Object.entries(values).flatMap(([key, value]) => {
    const path = prefix === "" ? key : `${prefix}.${key}`;
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? leafPaths(value as HelmValues, path)
      : [path];
  });
}

function unknownPaths(values: HelmValues, known: ReadonlySet<string>): string[] {
  return leafPaths(values).filter((path) => {
    if (path.startsWith("meshConfig.")) return !MESH_CONFIG_FIELDS.has(path.slice("meshConfig.".length));
    return !known.has(path);
  });
}

const multiPrimary = (revision?: string): MeshPlan =>
  plan({
    clusters: {
      east: { cloud: "aws", region: "us-east-1" },
      west: { cloud: "gcp", region: "us-west1" },
    },
    ...(revision === undefined ? {} : { istio: { revision } }),
  });

const primaryRemote = (revision?: string): MeshPlan =>
  plan({
    meshID: "corp",
    trustDomain: "corp.example",
    controlPlane: { model: "primary-remote", primaries: ["hub"] },
    clusters: {
      hub: { cloud: "aws", region: "us-east-1" },
      edge1: { cloud: "aws", region: "eu-west-1" },
      edge2: { cloud: "gcp", region: "europe-west1" },
    },
    ...(revision === undefined ? {} : { istio: { revision } }),
  });

describe("core/istio-values", () => {
  describe("every value path exists in Istio 1.30.3's charts", () => {
    const cases: [string, MeshPlan][] = [
      ["multi-primary", multiPrimary()],
      ["multi-primary with a revision", multiPrimary("1-30")],
      ["primary-remote", primaryRemote()],
      ["primary-remote with a revision", primaryRemote("canary")],
    ];
    for (const [name, p] of cases) {
      it(name, () => {
        for (const id of Object.keys(p.clusters)) {
          const releases = istioReleases(p, id, { remotePilotAddress: "203.0.113.10" });
          assert.deepEqual(unknownPaths(releases.base.values, BASE_CHART_PATHS), [], `base values of ${id}`);
          assert.deepEqual(
            unknownPaths(releases.istiod.values, ISTIOD_CHART_PATHS),
            [],
            `istiod values of ${id}`,
          );
        }
      });
    }

    it("the check catches a key the chart does not have (global.externalIstiod in base)", () => {
      assert.deepEqual(unknownPaths({ global: { externalIstiod: true } }, BASE_CHART_PATHS), [
        "global.externalIstiod",
      ]);
      assert.deepEqual(unknownPaths({ meshConfig: { trustdomain: "x" } }, ISTIOD_CHART_PATHS), [
        "meshConfig.trustdomain",
      ]);
    });
  });

  describe("charts", () => {
    it("pins repository, version, release names and namespace from the plan", () => {
      const p = multiPrimary();
      assert.deepEqual(baseChart(p), {
        repository: "https://istio-release.storage.googleapis.com/charts",
        chart: "base",
        version: "1.30.3",
        releaseName: "istio-base",
        namespace: "istio-system",
      });
      assert.deepEqual(istiodChart(p), {
        repository: "https://istio-release.storage.googleapis.com/charts",
        chart: "istiod",
        version: "1.30.3",
        releaseName: "istiod",
        namespace: "istio-system",
      });
    });

    it("names the istiod release after the revision", () => {
      assert.equal(istiodChart(multiPrimary("1-30")).releaseName, "istiod-1-30");
      assert.equal(baseChart(multiPrimary("1-30")).releaseName, "istio-base");
    });

    it("remotes install the istiod chart too (with the remote profile)", () => {
      const p = primaryRemote();
      const releases = istioReleases(p, "edge1", { remotePilotAddress: "203.0.113.10" });
      assert.equal(releases.istiod.chart.chart, "istiod");
      assert.equal(releases.istiod.values["profile"], "remote");
    });
  });

  describe("multi-primary", () => {
    it("gives each primary the mesh identity, its cluster name and network", () => {
      const p = multiPrimary();
      assert.deepEqual(istiodValues(p, "east"), {
        global: {
          istioNamespace: "istio-system",
          meshID: "mesh1",
          multiCluster: { clusterName: "east" },
          network: "network-east",
          proxy: { clusterDomain: "cluster.local" },
        },
        meshConfig: { trustDomain: "cluster.local" },
      });
      const west = istiodValues(p, "west") as {
        global: { multiCluster: { clusterName: string }; network: string };
      };
      assert.equal(west.global.multiCluster.clusterName, "west");
      assert.equal(west.global.network, "network-west");
    });

    it("sets neither externalIstiod nor remote keys", () => {
      const paths = leafPaths(istiodValues(multiPrimary(), "east"));
      assert.ok(!paths.includes("global.externalIstiod"));
      assert.ok(
        !paths.some((path) => path.startsWith("istiodRemote") || path === "global.remotePilotAddress"),
      );
      assert.ok(!paths.includes("profile"));
    });

    it("base without a revision keeps the chart's default revision", () => {
      assert.deepEqual(baseValues(multiPrimary(), "east"), { global: { istioNamespace: "istio-system" } });
    });

    it("with a revision: istiod's revision and base's defaultRevision follow it", () => {
      const p = multiPrimary("1-30");
      assert.equal(istiodValues(p, "east")["revision"], "1-30");
      assert.equal(baseValues(p, "east")["defaultRevision"], "1-30");
    });

    it("the same meshID, trust domain and cluster domain in every cluster; unique cluster names", () => {
      const p = multiPrimary();
      const all = Object.keys(p.clusters).map((id) => istiodValues(p, id));
      const distinct = (path: string): number => new Set(all.map((v) => at(v, path))).size;
      assert.equal(distinct("global.meshID"), 1);
      assert.equal(distinct("meshConfig.trustDomain"), 1);
      assert.equal(distinct("global.proxy.clusterDomain"), 1);
      assert.equal(distinct("global.multiCluster.clusterName"), all.length);
    });

    it("in wireguard mode every cluster states the one shared network", () => {
      const p = plan({
        networkMode: "wireguard",
        clusters: { a: { cloud: "aws", region: "us-east-1" }, b: { cloud: "aws", region: "us-west-2" } },
      });
      const networks = ["a", "b"].map((id) => at(istiodValues(p, id), "global.network"));
      assert.deepEqual(networks, ["network-mesh1", "network-mesh1"]);
    });
  });

  describe("primary-remote", () => {
    it("the primary is an external istiod for its remotes", () => {
      const v = istiodValues(primaryRemote(), "hub");
      assert.equal(at(v, "global.externalIstiod"), true);
      assert.equal(at(v, "global.meshID"), "corp");
      assert.equal(at(v, "meshConfig.trustDomain"), "corp.example");
      assert.equal(at(v, "profile"), undefined);
    });

    it("a remote uses the remote profile, its primary's address and an injection path", () => {
      const v = istiodValues(primaryRemote(), "edge1", { remotePilotAddress: "a1b2.elb.amazonaws.com" });
      assert.deepEqual(v, {
        profile: "remote",
        global: {
          istioNamespace: "istio-system",
          meshID: "corp",
          multiCluster: { clusterName: "edge1" },
          network: "network-edge1",
          proxy: { clusterDomain: "cluster.local" },
          remotePilotAddress: "a1b2.elb.amazonaws.com",
        },
        istiodRemote: { injectionPath: "/inject/cluster/edge1/net/network-edge1" },
        meshConfig: { trustDomain: "corp.example" },
      });
    });

    it("a remote's base uses the remote profile", () => {
      assert.deepEqual(baseValues(primaryRemote(), "edge2"), {
        profile: "remote",
        global: { istioNamespace: "istio-system" },
      });
      assert.equal(baseValues(primaryRemote(), "hub")["profile"], undefined);
    });

    it("remotes never set externalIstiod or configCluster", () => {
      const paths = leafPaths(istiodValues(primaryRemote(), "edge2", { remotePilotAddress: "198.51.100.7" }));
      assert.ok(!paths.includes("global.externalIstiod"));
      assert.ok(!paths.includes("global.configCluster"));
    });

    it("with a revision the remote's values carry it too", () => {
      const p = primaryRemote("canary");
      assert.equal(istiodValues(p, "edge1", { remotePilotAddress: "198.51.100.7" })["revision"], "canary");
      assert.equal(baseValues(p, "edge1")["defaultRevision"], "canary");
    });

    it("a remote without remotePilotAddress is an error naming its primary", () => {
      assert.throws(
        () => istiodValues(primaryRemote(), "edge1"),
        new Error(
          "istiodValues: remotePilotAddress: is missing for the remote edge1; got nothing, expected the address of " +
            "hub's east-west gateway. Pass the gateway's load-balancer IP or host name once it is known.",
        ),
      );
      assert.throws(() => istiodValues(primaryRemote(), "edge1", { remotePilotAddress: "  " }), /is missing/);
    });

    it("a primary ignores remotePilotAddress", () => {
      const v = istiodValues(primaryRemote(), "hub", { remotePilotAddress: "198.51.100.7" });
      assert.equal(at(v, "global.remotePilotAddress"), undefined);
    });
  });

  it("injectionPath carries the cluster id and network", () => {
    const p = primaryRemote();
    assert.equal(injectionPath(p.clusters["edge2"]!), "/inject/cluster/edge2/net/network-edge2");
  });

  it("an unknown cluster is an error listing the known ones", () => {
    assert.throws(
      () => baseValues(multiPrimary(), "north"),
      new Error(
        'clusters.north: is not a cluster of the mesh; got "north", expected one of east, west. Use the id of a cluster of the mesh.',
      ),
    );
  });
});
