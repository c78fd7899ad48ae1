import assert from "node:assert/strict";
import { join } from "node:path";
import { App, Testing } from "cdk8s";
import { stringify } from "yaml";
import type { KubernetesObject } from "../../lib/core/east-west-gateway";
import type { MeshPlan } from "../../lib/core/mesh-plan";
import { MeshSpecError } from "../../lib/core/problems";
import { ClusterChart } from "../../lib/manifests/cluster-chart";
import { planMeshDocument } from "../../lib/core/mesh-document";
import type { MeshServiceSpec } from "../../lib/core/mesh-service";
import { MeshService } from "../../lib/manifests/mesh-service";
import { goldenFiles } from "../support/golden";
import { schemaValidator } from "../support/schemas";
import { clusters, primaryRemote, twoRegion, withChoices } from "../support/plans";

const HELLO: MeshServiceSpec = {
  name: "helloworld",
  namespace: "sample",
  image: "docker.io/istio/examples-helloworld-v1:1.0",
  ports: [{ name: "http", port: 5000 }],
  env: { SERVICE_VERSION: "v1" },
  clusters: {
    region1: {},
    region2: { tag: "1.1", replicas: 2, version: "v2", env: { SERVICE_VERSION: "v2" } },
  },
};

const golden = goldenFiles(join(__dirname, "golden"));

function synth(p: MeshPlan, id: string, props: MeshServiceSpec = HELLO): KubernetesObject[] {
  const placed = withChoices(p, { services: [props] });
  const chart = new ClusterChart(new App(), placed, id);
  new MeshService(chart, "helloworld", placed.services[0]!);
  return Testing.synth(chart) as KubernetesObject[];
}

const validateAll = schemaValidator([
  "v1 Namespace",
  "v1 Service",
  "v1 ServiceAccount",
  "apps/v1 Deployment",
]);

type Deployment = {
  spec: {
    replicas: number;
    template: { metadata: { labels: Record<string, string> }; spec: { containers: { image: string }[] } };
  };
};

describe("manifests/MeshService", () => {
  for (const id of ["region1", "region2"]) {
    it(`two-region ${id}: matches the golden objects, valid against Kubernetes' schemas`, async () => {
      const objects = synth(twoRegion, id);
      golden(`mesh-service.two-region.${id}.yaml`, objects.map((o) => stringify(o)).join("---\n"));
      await validateAll(objects);
    });
  }

  it("two-region: the service runs in both regions, with region2's overrides", () => {
    const one = synth(twoRegion, "region1").find((o) => o.kind === "Deployment") as unknown as Deployment;
    const two = synth(twoRegion, "region2").find((o) => o.kind === "Deployment") as unknown as Deployment;
    assert.equal(one.spec.replicas, 1);
    assert.equal(two.spec.replicas, 2);
    assert.equal(one.spec.template.spec.containers[0]!.image, "docker.io/istio/examples-helloworld-v1:1.0");
    assert.equal(two.spec.template.spec.containers[0]!.image, "docker.io/istio/examples-helloworld-v1:1.1");
    assert.deepEqual(two.spec.template.metadata.labels, { app: "helloworld", version: "v2" });
  });

  it("the namespace turns on sidecar injection", () => {
    const ns = synth(twoRegion, "region1").find((o) => o.kind === "Namespace")!;
    assert.deepEqual(ns.metadata.labels, {
      "app.kubernetes.io/managed-by": "isthmus",
      "istio-injection": "enabled",
    });
  });

  it("primary-remote: the remote runs the workload too (services are deployed to any cluster)", async () => {
    const objects = synth(primaryRemote, "region2");
    assert.deepEqual(
      objects.map((o) => o.kind),
      ["Namespace", "Service", "ServiceAccount", "Deployment"],
    );
    await validateAll(objects);
  });

  it("only Namespace and Service where the service does not run", async () => {
    const objects = synth(twoRegion, "region2", { ...HELLO, clusters: { region1: {} } });
    assert.deepEqual(
      objects.map((o) => o.kind),
      ["Namespace", "Service"],
    );
    await validateAll(objects);
  });

  it("is refused by the document validator for an unknown cluster, with a did-you-mean", () => {
    assert.throws(
      () => planMeshDocument({ mesh: { clusters }, services: [{ ...HELLO, clusters: { regon2: {} } }] }),
      (e: unknown) =>
        e instanceof MeshSpecError &&
        /services\[0\]\.clusters\.regon2: is not a cluster of the mesh;.*Did you mean "region2"\?/.test(
          e.message,
        ),
    );
  });

  it("the schema check catches a broken object (so the validation is not vacuous)", async () => {
    const deployment = synth(twoRegion, "region1").find((o) => o.kind === "Deployment")!;
    await assert.rejects(validateAll([{ ...deployment, spec: { replicas: "two" } }]));
  });
});
