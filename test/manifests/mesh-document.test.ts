import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { validateMeshDocument, type MeshDocument } from "../../lib/core";
import { renderMeshDocument } from "../../lib/manifests/mesh-document";
import { schemaValidator } from "../support/schemas";
import { WEB_HOST, WEB_SERVICE } from "../support/plans";

const ROOT = join(__dirname, "..", "..");

/** Every kind a whole mesh document renders, across both network modes. */
const validateAll = schemaValidator([
  "v1 Namespace",
  "v1 Service",
  "v1 ServiceAccount",
  "v1 ConfigMap",
  "apps/v1 Deployment",
  "networking.istio.io/v1 Gateway",
  "networking.istio.io/v1 VirtualService",
  "networking.istio.io/v1 DestinationRule",
  "security.istio.io/v1 PeerAuthentication",
]);

const documents: Record<string, MeshDocument> = {
  "gateways, multi-primary, with a service, a failover policy and a split": {
    mesh: {
      clusters: {
        region1: { cloud: "aws", region: "us-east-1" },
        region2: { cloud: "gcp", region: "us-east1" },
      },
    },
    services: [WEB_SERVICE],
    failoverPolicies: [{ host: WEB_HOST, failover: [{ from: "us-east-1", to: "us-east1" }] }],
    trafficSplits: [{ host: WEB_HOST, weights: { region1: 80, region2: 20 } }],
  },
  "gateways, primary-remote": {
    mesh: {
      controlPlane: { model: "primary-remote", primaries: ["east"] },
      clusters: {
        east: { cloud: "aws", region: "us-east-1" },
        west: { cloud: "aws", region: "us-west-2" },
      },
    },
  },
  "wireguard (the example's mesh.yaml), with an existing cluster": {
    mesh: {
      ...(parse(
        readFileSync(join(ROOT, "examples", "wireguard-two-region", "mesh.yaml"), "utf8"),
      ) as MeshDocument["mesh"]),
    },
  },
};
const withExisting = documents["wireguard (the example's mesh.yaml), with an existing cluster"]!;
(withExisting as { mesh: MeshDocument["mesh"] }).mesh = {
  ...withExisting.mesh,
  clusters: { ...withExisting.mesh.clusters, onprem: { cloud: "existing", region: "dc1" } },
};

describe("renderMeshDocument", () => {
  for (const [title, doc] of Object.entries(documents)) {
    describe(title, () => {
      it("is a valid document", () => {
        assert.deepEqual(validateMeshDocument(doc), []);
      });

      it("renders only objects that are valid against the real Kubernetes and Istio schemas", async () => {
        const rendered = renderMeshDocument(doc);
        const objects = Object.values(rendered.clusters).flatMap((c) => c.objects);
        assert.ok(objects.length > 0);
        await validateAll(objects);
      });

      it("renders no Secret and no key material, in objects or files", () => {
        const rendered = renderMeshDocument(doc);
        for (const [id, cluster] of Object.entries(rendered.clusters)) {
          assert.ok(!cluster.objects.some((o) => o.kind === "Secret"), `${id} renders a Secret`);
          const text =
            JSON.stringify(cluster.objects) +
            JSON.stringify(cluster.helmReleases) +
            cluster.files.map((f) => f.text).join("\n");
          assert.doesNotMatch(text, /PRIVATE KEY|eyJ[A-Za-z0-9_-]{10,}\./);
          assert.doesNotMatch(text, /^(PrivateKey|PresharedKey) = [A-Za-z0-9+/]{43}=$/m);
        }
      });
    });
  }
});
