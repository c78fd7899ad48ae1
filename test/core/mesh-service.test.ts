import assert from "node:assert/strict";
import {
  imageFor,
  meshServiceClusters,
  meshServiceObjects,
  validateMeshService,
  type MeshServiceSpec,
} from "../../lib/core/mesh-service";
import { plan } from "../../lib/core/plan";
import { formatProblem } from "../../lib/core/problems";
import { clusters, twoRegion } from "../support/plans";

const HELLO: MeshServiceSpec = {
  name: "helloworld",
  namespace: "sample",
  image: "docker.io/istio/examples-helloworld-v1:1.0",
  ports: [{ name: "http", port: 5000 }],
};

function messages(spec: Partial<MeshServiceSpec>): string[] {
  return validateMeshService(twoRegion, { ...HELLO, ...spec }, "services.helloworld").map(formatProblem);
}

describe("core/mesh-service", () => {
  it("accepts a plain service and per-cluster overrides", () => {
    assert.deepEqual(messages({}), []);
    assert.deepEqual(
      messages({
        clusters: {
          region1: { tag: "1.1", replicas: 0, version: "v2", env: { REGION: "east" } },
          region2: {},
        },
      }),
      [],
    );
  });

  it("runs in every cluster by default, or in the chosen ones", () => {
    assert.deepEqual(meshServiceClusters(twoRegion, HELLO), ["region1", "region2"]);
    assert.deepEqual(meshServiceClusters(twoRegion, { ...HELLO, clusters: { region2: {} } }), ["region2"]);
  });

  it("rejects an unknown cluster id with a did-you-mean", () => {
    assert.deepEqual(messages({ clusters: { regoin1: {} } }), [
      'services.helloworld.clusters.regoin1: is not a cluster of the mesh; got "regoin1", expected one of region1, region2. Use the id of a cluster of the mesh. Did you mean "region1"?',
    ]);
    assert.deepEqual(messages({ clusters: {} }), [
      "services.helloworld.clusters: names no cluster; got {}, expected one or more of region1, region2. Name the clusters that run the service, or leave clusters out to run it in every cluster.",
    ]);
  });

  it("rejects replicas out of range, globally and per cluster", () => {
    assert.deepEqual(
      messages({ replicas: -1, clusters: { region1: { replicas: 2.5 }, region2: { replicas: 1001 } } }),
      [
        "services.helloworld.replicas: is out of range; got -1, expected a whole number from 0 to 1000. Give the number of pods; 0 keeps the Deployment and takes the cluster's endpoints away.",
        "services.helloworld.clusters.region1.replicas: is out of range; got 2.5, expected a whole number from 0 to 1000. Give the number of pods; 0 keeps the Deployment and takes the cluster's endpoints away.",
        "services.helloworld.clusters.region2.replicas: is out of range; got 1001, expected a whole number from 0 to 1000. Give the number of pods; 0 keeps the Deployment and takes the cluster's endpoints away.",
      ],
    );
  });

  it("rejects names that are not DNS labels", () => {
    assert.deepEqual(messages({ name: "1hello", namespace: "Sample" }), [
      'services.helloworld.name: does not start with a lower-case letter (Service names are DNS-1035 labels); got "1hello", expected a DNS-1035 label of at most 63 characters (a lower-case letter first). Use a short lower-case name such as helloworld.',
      "services.helloworld.namespace: is not a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit); got \"Sample\", expected a DNS-1123 label of at most 63 characters. Use a short lower-case namespace such as sample.",
    ]);
    assert.deepEqual(messages({ name: "a".repeat(64) }).length, 1);
  });

  it("rejects bad ports, images, tags, versions and env names", () => {
    assert.deepEqual(messages({ ports: [] }), [
      "services.helloworld.ports: lists no port; got [], expected at least one port such as { name: http, port: 5000 }. Add the ports the service listens on.",
    ]);
    assert.deepEqual(
      messages({
        ports: [
          { name: "http-very-long-name", port: 70000 },
          { name: "http-very-long-name", port: 80, targetPort: 0 },
        ],
      }),
      [
        "services.helloworld.ports[0].name: is not a port name; got \"http-very-long-name\", expected at most 15 lower-case letters, digits and single '-', with a letter (an IANA service name). Name the port after its protocol, e.g. http, grpc-api or tcp-db: Istio reads the protocol from the prefix.",
        "services.helloworld.ports[0].port: is not a port number; got 70000, expected a whole number from 1 to 65535. Give the port number.",
        "services.helloworld.ports[1].name: is not a port name; got \"http-very-long-name\", expected at most 15 lower-case letters, digits and single '-', with a letter (an IANA service name). Name the port after its protocol, e.g. http, grpc-api or tcp-db: Istio reads the protocol from the prefix.",
        "services.helloworld.ports[1].targetPort: is not a port number; got 0, expected a whole number from 1 to 65535. Give the port number.",
        'services.helloworld.ports[1].name: repeats the name of another port; got "http-very-long-name", expected distinct port names. Give each port its own name.',
      ],
    );
    assert.deepEqual(messages({ image: "" }), [
      'services.helloworld.image: is missing; got "", expected an image reference such as docker.io/istio/examples-helloworld-v1:1.0. Give the repository and tag, without spaces.',
    ]);
    assert.deepEqual(messages({ clusters: { region1: { tag: ":1.1" } } }), [
      "services.helloworld.clusters.region1.tag: is not an image tag; got \":1.1\", expected letters, digits, '_', '.' and '-', at most 128, not starting with '.' or '-'. Write the tag alone, without the repository or ':'.",
    ]);
    assert.deepEqual(messages({ image: "repo/app@sha256:abc", clusters: { region1: { tag: "1.1" } } }), [
      'services.helloworld.clusters.region1.tag: overrides the tag of an image pinned by digest; got "1.1", expected no tag override, or an image without @sha256 digest. Pin the image by tag, or drop the per-cluster tag.',
    ]);
    assert.deepEqual(messages({ version: "v 1" }).length, 1);
    assert.deepEqual(messages({ env: { "1BAD": "x" } }), [
      "services.helloworld.env.1BAD: is not an environment variable name; got \"1BAD\", expected letters, digits, '_', '-' and '.', not starting with a digit. Rename the variable, e.g. SERVICE_VERSION.",
    ]);
  });

  it("replaces only the tag of an image, keeping a registry port", () => {
    assert.equal(
      imageFor({ ...HELLO, clusters: { region1: { tag: "2.0" } } }, "region1"),
      "docker.io/istio/examples-helloworld-v1:2.0",
    );
    assert.equal(
      imageFor({ ...HELLO, image: "localhost:5000/hello", clusters: { region1: { tag: "2.0" } } }, "region1"),
      "localhost:5000/hello:2.0",
    );
    assert.equal(imageFor(HELLO, "region1"), HELLO.image);
  });

  it("renders Namespace, Service, ServiceAccount and Deployment with per-cluster overrides", () => {
    const spec: MeshServiceSpec = {
      ...HELLO,
      replicas: 2,
      env: { SERVICE_VERSION: "v1" },
      clusters: {
        region1: {},
        region2: { tag: "1.1", replicas: 3, version: "v2", env: { SERVICE_VERSION: "v2" } },
      },
    };
    const objects = meshServiceObjects(twoRegion, spec, "region2");
    assert.deepEqual(
      objects.map((o) => o.kind),
      ["Namespace", "Service", "ServiceAccount", "Deployment"],
    );
    assert.deepEqual(objects[0]!.metadata, { name: "sample", labels: { "istio-injection": "enabled" } });
    const deployment = objects[3] as unknown as {
      spec: {
        replicas: number;
        template: { metadata: { labels: object }; spec: { containers: { image: string; env: object[] }[] } };
      };
    };
    assert.equal(deployment.spec.replicas, 3);
    assert.deepEqual(deployment.spec.template.metadata.labels, { app: "helloworld", version: "v2" });
    assert.equal(
      deployment.spec.template.spec.containers[0]!.image,
      "docker.io/istio/examples-helloworld-v1:1.1",
    );
    assert.deepEqual(deployment.spec.template.spec.containers[0]!.env, [
      { name: "SERVICE_VERSION", value: "v2" },
    ]);
    const first = meshServiceObjects(twoRegion, spec, "region1")[3] as unknown as {
      spec: { replicas: number };
    };
    assert.equal(first.spec.replicas, 2);
  });

  it("renders Namespace and Service, not the workload, where the service does not run", () => {
    const objects = meshServiceObjects(twoRegion, { ...HELLO, clusters: { region1: {} } }, "region2");
    assert.deepEqual(
      objects.map((o) => o.kind),
      ["Namespace", "Service"],
    );
    assert.deepEqual(
      meshServiceObjects(twoRegion, { ...HELLO, createNamespace: false }, "region1").map((o) => o.kind),
      ["Service", "ServiceAccount", "Deployment"],
    );
  });

  it("labels the namespace with the revision when the plan has one", () => {
    const rev = plan({ istio: { revision: "1-30" }, clusters });
    assert.deepEqual(meshServiceObjects(rev, HELLO, "region1")[0]!.metadata.labels, {
      "istio.io/rev": "1-30",
    });
  });

  it("throws for a cluster that is not in the plan", () => {
    assert.throws(
      () => meshServiceObjects(twoRegion, HELLO, "regoin1"),
      /^Error: clusterId: is not a cluster of the mesh; got "regoin1", expected one of region1, region2\. Use the id of a cluster of the mesh\. Did you mean "region1"\?$/,
    );
  });
});
