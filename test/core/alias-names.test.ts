import assert from "node:assert/strict";
import {
  aliasRewriteLines,
  aliasTwinName,
  aliasTwinOf,
  MAX_ALIASED_NAME_LENGTH,
  servesAliasNames,
} from "../../lib/core/alias-names";
import { renderCorefile } from "../../lib/core/dns";
import { meshServiceObjects, validateMeshService, type MeshServiceSpec } from "../../lib/core/mesh-service";
import { plan } from "../../lib/core/plan";
import { formatProblem } from "../../lib/core/problems";
import type { KubernetesObject } from "../../lib/core/kubernetes-object";
import { clusters, twoRegion } from "../support/plans";

const flat = plan({ networkMode: "wireguard", clusters });
const noStubs = plan({ networkMode: "wireguard", dns: { stubs: false }, clusters });

const WEB: KubernetesObject = {
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "web", namespace: "shop", labels: { app: "web" } },
  spec: {
    selector: { app: "web" },
    ports: [
      { name: "http", port: 80, targetPort: 8080, protocol: "TCP", appProtocol: "http" },
      { name: "grpc", port: 9090 },
    ],
  },
};

const HELLO: MeshServiceSpec = {
  name: "helloworld",
  namespace: "sample",
  image: "docker.io/istio/examples-helloworld-v1:1.0",
  ports: [{ name: "http", port: 80, targetPort: 5000 }],
};

describe("core/alias-names", () => {
  it("serves alias names in wireguard mode with DNS stubs only", () => {
    assert.equal(servesAliasNames(flat), true);
    assert.equal(servesAliasNames(noStubs), false);
    assert.equal(servesAliasNames(twoRegion), false);
  });

  describe("aliasTwinOf", () => {
    it("is the headless twin: same selector and labels, ports at the container ports", () => {
      assert.deepEqual(aliasTwinOf(WEB), {
        apiVersion: "v1",
        kind: "Service",
        metadata: {
          name: "web-alias",
          namespace: "shop",
          labels: { app: "web", "isthmus.dev/alias-of": "web" },
        },
        spec: {
          clusterIP: "None",
          selector: { app: "web" },
          ports: [
            { name: "http", port: 8080, targetPort: 8080, protocol: "TCP", appProtocol: "http" },
            { name: "grpc", port: 9090, targetPort: 9090, protocol: "TCP" },
          ],
        },
      });
    });

    it("refuses what cannot have a twin, saying why", () => {
      const named = {
        ...WEB,
        spec: { selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: "web" }] },
      };
      assert.throws(
        () => aliasTwinOf(named),
        new Error(
          'aliasTwinOf: Service shop/web: port http has the named targetPort "web"; expected a number, the container port callers across the tunnel connect to.',
        ),
      );
      assert.throws(
        () => aliasTwinOf({ ...WEB, spec: { ports: [{ port: 80 }] } }),
        new Error(
          "aliasTwinOf: Service shop/web: has no selector; expected one, which the twin copies to select the same pods.",
        ),
      );
      const long = "a".repeat(MAX_ALIASED_NAME_LENGTH + 1);
      assert.throws(
        () => aliasTwinOf({ ...WEB, metadata: { ...WEB.metadata, name: long } }),
        new Error(
          `aliasTwinOf: Service shop/${long}: name is 58 characters; expected at most 57, so that "${long}-alias" is a valid Service name. Shorten the Service name.`,
        ),
      );
      assert.throws(
        () => aliasTwinOf({ ...WEB, kind: "Deployment" }),
        new Error('aliasTwinOf: expects a Service; got kind "Deployment".'),
      );
    });
  });

  describe("the Corefile's rewrite", () => {
    it("rewrites the cluster's own alias zone to the twins in the cluster domain, answers back", () => {
      const label = "([a-z0-9]([-a-z0-9]*[a-z0-9])?)";
      const back = `^(.*\\.)?${label}-alias\\.${label}\\.svc\\.cluster\\.local\\.$ {1}{2}.{4}.svc.cluster.region1.`;
      assert.deepEqual(aliasRewriteLines(flat, "region1").slice(2), [
        "    rewrite stop {",
        `        name regex ^(.*\\.)?${label}\\.${label}\\.svc\\.cluster\\.region1\\.$ {1}{2}-alias.{4}.svc.cluster.local.`,
        `        answer name ${back}`,
        `        answer value ${back}`,
        "    }",
      ]);
      // In the cluster server block, before the kubernetes plugin that answers the rewritten name.
      const corefile = renderCorefile(flat, "region1");
      assert.ok(corefile.indexOf("rewrite stop {") < corefile.indexOf("    kubernetes cluster.local"));
      assert.equal((corefile.match(/rewrite /g) ?? []).length, 1, "one rule, for this cluster's zone only");
    });

    it("escapes a zone of the user's choice and the cluster domain literally", () => {
      const custom = plan({
        networkMode: "wireguard",
        clusterDomain: "mesh.internal",
        clusters: { ...clusters, region2: { ...clusters.region2, dnsZone: "us-east1.example.com" } },
      });
      const [, , , name, answer] = aliasRewriteLines(custom, "region2");
      assert.match(
        name!,
        /\\\.svc\\\.us-east1\\\.example\\\.com\\\.\$ \{1\}\{2\}-alias\.\{4\}\.svc\.mesh\.internal\.$/,
      );
      assert.match(
        answer!,
        /\\\.svc\\\.mesh\\\.internal\\\.\$ \{1\}\{2\}\.\{4\}\.svc\.us-east1\.example\.com\.$/,
      );
    });

    it("is absent where the mesh serves no alias names", () => {
      assert.deepEqual(aliasRewriteLines(noStubs, "region1"), []);
      assert.ok(!renderCorefile(noStubs, "region1").includes("rewrite"));
    });
  });

  describe("mesh services", () => {
    it("get their twin in every cluster of a flat mesh with stubs, beside the Service", () => {
      for (const id of ["region1", "region2"]) {
        const objects = meshServiceObjects(flat, { ...HELLO, clusters: { region1: {} } }, id);
        const services = objects.filter((o) => o.kind === "Service").map((o) => o.metadata.name);
        assert.deepEqual(services, ["helloworld", aliasTwinName("helloworld")]);
        const twin = objects.find((o) => o.metadata.name === "helloworld-alias")!;
        assert.deepEqual((twin.spec as { ports: unknown }).ports, [
          { name: "http", port: 5000, targetPort: 5000, protocol: "TCP" },
        ]);
      }
    });

    it("get no twin without stubs or in gateways mode", () => {
      for (const p of [noStubs, twoRegion]) {
        const names = meshServiceObjects(p, HELLO, "region1").map((o) => o.metadata.name);
        assert.ok(!names.includes("helloworld-alias"), names.join(", "));
      }
    });

    it("refuses a name too long for its twin, only where the twin exists", () => {
      const name = "s".repeat(58);
      assert.deepEqual(validateMeshService(flat, { ...HELLO, name }, "services[0]").map(formatProblem), [
        `services[0].name: is 58 characters, too long for its headless twin "${name}-alias", which carries its region alias names over the WireGuard tunnel; got "${name}", expected at most 57 characters in wireguard mode with dns.stubs. Shorten the name, or set dns.stubs: false.`,
      ]);
      assert.deepEqual(validateMeshService(noStubs, { ...HELLO, name }, "services[0]"), []);
    });
  });
});
