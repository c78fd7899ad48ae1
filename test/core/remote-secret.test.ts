import { strict as assert } from "node:assert";
import { parse } from "yaml";
import type { MeshPlan } from "../../lib/core/mesh-plan";
import { plan } from "../../lib/core/plan";
import {
  CLUSTER_ANNOTATION,
  discoveryTargets,
  MULTICLUSTER_SECRET_LABEL,
  READER_SERVICE_ACCOUNT,
  READER_TOKEN_SECRET,
  readerClusterRoleName,
  readerTokenSecret,
  remoteSecretKubeconfig,
  remoteSecretManifest,
} from "../../lib/core/remote-secret";
import { EXAMPLE_ROOT_PEM } from "../support/certificates";

// A throwaway public CA certificate (key discarded), standing in for an API server's CA.
const CA_PEM = EXAMPLE_ROOT_PEM;
/** Not a real token: only its shape matters. */
const TOKEN = "eyJhbGciOiJSUzI1NiJ9.test-payload.test-signature";

const twoClusters = (): MeshPlan =>
  plan({
    clusters: { east: { cloud: "aws", region: "us-east-1" }, west: { cloud: "gcp", region: "us-west1" } },
  });

const threeClustersPrimaryRemote = (revision?: string): MeshPlan =>
  plan({
    controlPlane: { model: "primary-remote", primaries: ["hub"] },
    clusters: {
      hub: { cloud: "aws", region: "us-east-1" },
      edge1: { cloud: "aws", region: "eu-west-1" },
      edge2: { cloud: "gcp", region: "europe-west1" },
    },
    ...(revision === undefined ? {} : { istio: { revision } }),
  });

describe("core/remote-secret", () => {
  describe("reader identity", () => {
    it("uses the ServiceAccount the base chart creates", () => {
      assert.equal(READER_SERVICE_ACCOUNT, "istio-reader-service-account");
    });

    it("names the istiod chart's reader ClusterRole after revision and namespace", () => {
      assert.equal(readerClusterRoleName(twoClusters()), "istio-reader-clusterrole-istio-system");
      assert.equal(
        readerClusterRoleName(threeClustersPrimaryRemote("canary")),
        "istio-reader-clusterrole-canary-istio-system",
      );
    });

    it("the token Secret is a service-account-token Secret bound to the reader, with no data", () => {
      assert.deepEqual(readerTokenSecret(twoClusters()), {
        apiVersion: "v1",
        kind: "Secret",
        metadata: {
          name: "istio-reader-service-account-istio-remote-secret-token",
          namespace: "istio-system",
          annotations: { "kubernetes.io/service-account.name": "istio-reader-service-account" },
        },
        type: "kubernetes.io/service-account-token",
      });
      assert.equal(READER_TOKEN_SECRET, "istio-reader-service-account-istio-remote-secret-token");
    });

    it("token Secrets go to every cluster some primary reads", () => {
      assert.deepEqual(discoveryTargets(twoClusters()), ["east", "west"]);
      assert.deepEqual(discoveryTargets(threeClustersPrimaryRemote()), ["edge1", "edge2"]);
    });
  });

  describe("remoteSecretKubeconfig", () => {
    const input = { clusterId: "west", server: "https://api.west.example:6443", caPem: CA_PEM, token: TOKEN };

    it("parses as a kubeconfig with one cluster, context and user named after the cluster", () => {
      const config = parse(remoteSecretKubeconfig(input));
      assert.equal(config.apiVersion, "v1");
      assert.equal(config.kind, "Config");
      assert.equal(config["current-context"], "west");
      assert.deepEqual(config.contexts, [{ name: "west", context: { cluster: "west", user: "west" } }]);
      assert.equal(config.clusters.length, 1);
      assert.equal(config.clusters[0].name, "west");
      assert.equal(config.clusters[0].cluster.server, "https://api.west.example:6443");
      assert.equal(
        Buffer.from(config.clusters[0].cluster["certificate-authority-data"], "base64").toString(),
        CA_PEM,
      );
    });

    it("authenticates with the token only: no exec, auth provider, files or client certificates", () => {
      const config = parse(remoteSecretKubeconfig(input));
      assert.deepEqual(config.users, [{ name: "west", user: { token: TOKEN } }]);
      const text = remoteSecretKubeconfig(input);
      for (const forbidden of [
        "exec",
        "auth-provider",
        "tokenFile",
        "client-key",
        "client-certificate",
        "insecure",
      ]) {
        assert.ok(!text.includes(forbidden), forbidden);
      }
    });

    it("sets tls-server-name only when asked", () => {
      assert.equal(parse(remoteSecretKubeconfig(input)).clusters[0].cluster["tls-server-name"], undefined);
      const config = parse(remoteSecretKubeconfig({ ...input, tlsServerName: "kubernetes.default.svc" }));
      assert.equal(config.clusters[0].cluster["tls-server-name"], "kubernetes.default.svc");
    });

    it("rejects malformed inputs without echoing the token", () => {
      assert.throws(
        () => remoteSecretKubeconfig({ ...input, server: "http://api" }),
        new Error(
          'remoteSecretKubeconfig: server: is not an https URL; got "http://api", expected https://<host>[:port]. Use the API endpoint other clusters reach.',
        ),
      );
      assert.throws(
        () => remoteSecretKubeconfig({ ...input, caPem: "LS0tLS1CRUdJTg==" }),
        new Error(
          "remoteSecretKubeconfig: caPem: is not a PEM certificate; got 16 characters, expected a -----BEGIN CERTIFICATE----- block. Pass the cluster CA as PEM (decode base64 first).",
        ),
      );
      const badToken = "secret part two";
      assert.throws(
        () => remoteSecretKubeconfig({ ...input, token: badToken }),
        (error: Error) =>
          error.message ===
            "remoteSecretKubeconfig: token: is not a bearer token; got 15 characters, expected one word without whitespace. Read the token back from the filled token Secret." &&
          !error.message.includes(badToken),
      );
      assert.throws(
        () => remoteSecretKubeconfig({ ...input, token: "" }),
        /token: is not a bearer token; got 0 characters/,
      );
    });
  });

  describe("remoteSecretManifest", () => {
    it("multi-primary: one per ordered pair, named and labelled as istiod expects", () => {
      const p = twoClusters();
      const manifests = p.discovery.map((pair) => ({
        reader: pair.reader,
        secret: remoteSecretManifest(p, pair),
      }));
      assert.deepEqual(manifests, [
        {
          reader: "east",
          secret: {
            apiVersion: "v1",
            kind: "Secret",
            metadata: {
              name: "istio-remote-secret-west",
              namespace: "istio-system",
              labels: { "istio/multiCluster": "true" },
              annotations: { "networking.istio.io/cluster": "west" },
            },
            type: "Opaque",
            dataKey: "west",
          },
        },
        {
          reader: "west",
          secret: {
            apiVersion: "v1",
            kind: "Secret",
            metadata: {
              name: "istio-remote-secret-east",
              namespace: "istio-system",
              labels: { "istio/multiCluster": "true" },
              annotations: { "networking.istio.io/cluster": "east" },
            },
            type: "Opaque",
            dataKey: "east",
          },
        },
      ]);
    });

    it("primary-remote: only the primary holds secrets, one per remote", () => {
      const p = threeClustersPrimaryRemote();
      const secrets = p.discovery.map((pair) => [pair.reader, remoteSecretManifest(p, pair).metadata.name]);
      assert.deepEqual(secrets, [
        ["hub", "istio-remote-secret-edge1"],
        ["hub", "istio-remote-secret-edge2"],
      ]);
    });

    it("label, annotation and data key always agree with the target", () => {
      const p = threeClustersPrimaryRemote();
      for (const pair of p.discovery) {
        const m = remoteSecretManifest(p, pair);
        assert.equal(m.metadata.labels[MULTICLUSTER_SECRET_LABEL], "true");
        assert.equal(m.metadata.annotations[CLUSTER_ANNOTATION], pair.target);
        assert.equal(m.dataKey, pair.target);
        assert.equal(m.metadata.name, `istio-remote-secret-${pair.target}`);
      }
    });
  });
});
