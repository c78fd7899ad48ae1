import { strict as assert } from "node:assert";
import { join } from "node:path";
import { App } from "cdk8s";
import { stringify } from "yaml";
import type { MeshPlan } from "../../lib/core/mesh-plan";
import { plan } from "../../lib/core/plan";
import type { MeshSpec } from "../../lib/core/spec";
import { ClusterChart } from "../../lib/manifests/cluster-chart";
import {
  CONTROL_PLANE_CLUSTERS_ANNOTATION,
  IstioInstallationManifest,
  istioHelmValuesFiles,
  NETWORK_LABEL,
  remotePilotAddressPlaceholder,
} from "../../lib/manifests/istio-installation";
import { goldenFiles } from "../support/golden";
import { schemaValidator } from "../support/schemas";

/** A synthesized Kubernetes object, as far as these tests look into it. */
interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, unknown>;
    readonly annotations?: Record<string, string>;
  };
  readonly [field: string]: unknown;
}

interface Synth {
  readonly objects: Record<string, KubeObject[]>;
  readonly values: Record<string, Record<string, unknown>>;
}

function synth(p: MeshPlan): Synth {
  const app = new App();
  const objects: Record<string, KubeObject[]> = {};
  const values: Record<string, Record<string, unknown>> = {};
  for (const id of Object.keys(p.clusters)) {
    const chart = new ClusterChart(app, p, id);
    new IstioInstallationManifest(chart, "istio");
    objects[id] = chart.toJson() as KubeObject[];
    values[id] = Object.fromEntries(istioHelmValuesFiles(p, id).map((file) => [file.fileName, file.values]));
  }
  return { objects, values };
}

/** The value at a dotted path. */
function at(values: unknown, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], values);
}

const goldenFile = goldenFiles(join(__dirname, "golden"));

/** Compares with (or, with UPDATE_GOLDEN=1, writes) test/manifests/golden/<name>.yaml. */
function golden(name: string, result: Synth): void {
  goldenFile(`${name}.yaml`, stringify({ clusters: result.objects, helmValues: result.values }));
}

/** Validates every object against the Kubernetes / Istio schemas of kubernetes-models. */
const validateAll = schemaValidator(["v1 Namespace", "security.istio.io/v1 PeerAuthentication"]);

const clusters3 = {
  east: { cloud: "aws", region: "us-east-1" },
  west: { cloud: "gcp", region: "us-west1" },
  europe: { cloud: "aws", region: "eu-west-1" },
} as const;

const scenarios: Record<string, MeshSpec> = {
  "istio-multi-primary-2": {
    clusters: { east: clusters3.east, west: clusters3.west },
  },
  "istio-multi-primary-3": {
    meshID: "corp",
    trustDomain: "corp.example",
    istio: { revision: "1-30" },
    clusters: clusters3,
  },
  "istio-primary-remote-2": {
    controlPlane: { model: "primary-remote", primaries: ["east"] },
    clusters: { east: clusters3.east, west: clusters3.west },
  },
  "istio-primary-remote-3": {
    controlPlane: { model: "primary-remote", primaries: ["east"] },
    istio: { strictMtls: false },
    clusters: clusters3,
  },
};

const kinds = (objects: readonly KubeObject[]): string[] =>
  objects.map((o) => `${o.kind}/${o.metadata.name}`);

describe("manifests/istio-installation", () => {
  for (const [name, spec] of Object.entries(scenarios)) {
    it(`${name}: matches its golden file and every object is schema-valid`, async () => {
      const result = synth(plan(spec));
      golden(name, result);
      await validateAll(Object.values(result.objects).flat());
    });
  }

  it("the schema check rejects what the schemas reject", async () => {
    const { objects } = synth(plan(scenarios["istio-multi-primary-2"]));
    const [ns, pa] = objects["east"]!;
    await assert.rejects(validateAll([{ ...pa, spec: { mtls: { mode: "STRICTEST" } } }]));
    await assert.rejects(
      validateAll([{ ...ns, metadata: { ...ns.metadata, labels: { [NETWORK_LABEL]: 7 } } }]),
    );
    await assert.rejects(
      validateAll([{ apiVersion: "v1", kind: "Secret", metadata: { name: "x" } }]),
      /no schema/,
    );
  });

  it("multi-primary, 2 clusters: namespace with the network label and STRICT mTLS in each", () => {
    const { objects } = synth(plan(scenarios["istio-multi-primary-2"]));
    assert.deepEqual(Object.keys(objects), ["east", "west"]);
    for (const id of ["east", "west"]) {
      assert.deepEqual(kinds(objects[id]!), ["Namespace/istio-system", "PeerAuthentication/default"]);
      const [ns, pa] = objects[id]!;
      assert.equal(ns.metadata.labels?.[NETWORK_LABEL], `network-${id}`);
      assert.equal(ns.metadata.labels?.["app.kubernetes.io/managed-by"], "isthmus");
      assert.equal(ns.metadata.annotations, undefined);
      assert.deepEqual(pa, {
        apiVersion: "security.istio.io/v1",
        kind: "PeerAuthentication",
        metadata: {
          name: "default",
          namespace: "istio-system",
          labels: { "app.kubernetes.io/managed-by": "isthmus" },
        },
        spec: { mtls: { mode: "STRICT" } },
      });
    }
  });

  it("multi-primary, 3 clusters with a revision: values of every cluster carry it", () => {
    const { values } = synth(plan(scenarios["istio-multi-primary-3"]));
    assert.deepEqual(Object.keys(values), ["east", "europe", "west"]);
    for (const id of Object.keys(values)) {
      assert.deepEqual(Object.keys(values[id]!), ["istio-base.values.yaml", "istiod-1-30.values.yaml"]);
      const istiod = values[id]!["istiod-1-30.values.yaml"];
      assert.equal(at(istiod, "revision"), "1-30");
      assert.equal(at(istiod, "global.meshID"), "corp");
      assert.equal(at(istiod, "global.multiCluster.clusterName"), id);
      assert.equal(at(istiod, "meshConfig.trustDomain"), "corp.example");
      assert.equal(at(values[id]!["istio-base.values.yaml"], "defaultRevision"), "1-30");
    }
  });

  it("primary-remote, 2 clusters: the remote's namespace names its control-plane cluster, no policy there", () => {
    const { objects } = synth(plan(scenarios["istio-primary-remote-2"]));
    assert.deepEqual(kinds(objects["east"]!), ["Namespace/istio-system", "PeerAuthentication/default"]);
    assert.deepEqual(kinds(objects["west"]!), ["Namespace/istio-system"]);
    const [ns] = objects["west"]!;
    assert.deepEqual(ns.metadata.annotations, { [CONTROL_PLANE_CLUSTERS_ANNOTATION]: "east" });
    assert.equal(ns.metadata.labels?.[NETWORK_LABEL], "network-west");
    assert.equal(objects["east"]![0].metadata.annotations, undefined);
  });

  it("primary-remote, 3 clusters with strict mTLS off: no PeerAuthentication anywhere", () => {
    const { objects, values } = synth(plan(scenarios["istio-primary-remote-3"]));
    for (const id of Object.keys(objects)) assert.deepEqual(kinds(objects[id]!), ["Namespace/istio-system"]);
    const remote = values["europe"]!["istiod.values.yaml"];
    assert.equal(at(remote, "profile"), "remote");
    assert.equal(at(remote, "global.remotePilotAddress"), "${EAST_WEST_GATEWAY_ADDRESS_EAST}");
    assert.equal(at(remote, "istiodRemote.injectionPath"), "/inject/cluster/europe/net/network-europe");
    assert.equal(at(values["east"]!["istiod.values.yaml"], "global.externalIstiod"), true);
  });

  it("renders no Secret and no ServiceAccount (the charts and the Pulumi side own them)", () => {
    for (const spec of Object.values(scenarios)) {
      const all = Object.values(synth(plan(spec)).objects).flat();
      assert.ok(all.every((o) => o.kind !== "Secret" && o.kind !== "ServiceAccount"));
    }
  });

  it("the namespace can be left to someone else", () => {
    const p = plan(scenarios["istio-multi-primary-2"]);
    const chart = new ClusterChart(new App(), p, "east");
    const istio = new IstioInstallationManifest(chart, "istio", { namespace: false });
    assert.equal(istio.namespace, undefined);
    assert.deepEqual(kinds(chart.toJson()), ["PeerAuthentication/default"]);
  });

  describe("istioHelmValuesFiles", () => {
    it("lists base then istiod, with their charts", () => {
      const files = istioHelmValuesFiles(plan(scenarios["istio-multi-primary-2"]), "east");
      assert.deepEqual(
        files.map((f) => [f.fileName, f.chart.chart, f.chart.releaseName]),
        [
          ["istio-base.values.yaml", "base", "istio-base"],
          ["istiod.values.yaml", "istiod", "istiod"],
        ],
      );
    });

    it("uses a given remotePilotAddress instead of the placeholder", () => {
      const files = istioHelmValuesFiles(plan(scenarios["istio-primary-remote-2"]), "west", {
        remotePilotAddress: "203.0.113.10",
      });
      assert.equal(at(files[1]!.values, "global.remotePilotAddress"), "203.0.113.10");
    });

    it("the placeholder is envsubst-ready and not a valid host name", () => {
      assert.equal(remotePilotAddressPlaceholder("us-east-1"), "${EAST_WEST_GATEWAY_ADDRESS_US_EAST_1}");
      assert.ok(!/^[a-z0-9.-]+$/.test(remotePilotAddressPlaceholder("east")));
    });
  });
});
