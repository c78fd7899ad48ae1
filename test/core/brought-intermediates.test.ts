/**
 * Intermediates you bring: what istiod would refuse is refused before anything is registered, with
 * the path, the received value (never key material) and the fix. Certificates are made per run with
 * openssl, as an enterprise CA would issue them.
 */
import assert from "node:assert/strict";
import { MultiClusterMesh } from "../../lib/components/multi-cluster-mesh";
import { planMesh } from "../../lib/components/plan-mesh";
import { validateBroughtIntermediates, validateIssuedBundle } from "../../lib/core/brought-intermediates";
import { formatProblem } from "../../lib/core/problems";
import { cacertsData, validateMeshTrustSpec } from "../../lib/core/trust";
import { OfflineEngine, runOffline } from "../../lib/testing/offline-engine";
import { testClusters, TWO_REGIONS } from "../components/fixtures";
import * as pulumi from "@pulumi/pulumi";
import { makeTestPki, type TestPki } from "../real/support/pki";

const PRIMARIES = ["region1", "region2"];
const PATH = "trust.bringYourOwnIntermediates";

describe("brought intermediates", () => {
  let pki: TestPki;
  let other: TestPki;
  before(() => {
    pki = makeTestPki(PRIMARIES);
    other = makeTestPki(["region1"], "Someone Else");
  });
  after(() => {
    pki.dispose();
    other.dispose();
  });
  const good = () => ({ rootCertPem: pki.rootPem, clusters: { ...pki.intermediates } });
  const problems = (spec: Parameters<typeof validateBroughtIntermediates>[0], now?: Date): string[] =>
    validateBroughtIntermediates(spec, PRIMARIES, PATH, now).map(formatProblem);

  it("accepts a bundle per primary that chains to the root", () => {
    assert.deepEqual(problems(good()), []);
  });

  it("names a missing primary and an entry for a cluster that is not a primary", () => {
    const { region2: _, ...only } = pki.intermediates;
    assert.deepEqual(
      problems({ rootCertPem: pki.rootPem, clusters: { ...only, regoin2: pki.intermediates.region2! } }),
      [
        `${PATH}.clusters.region2: is missing: every primary needs an intermediate; got nothing, expected { certPem, keyPem } issued by your CA. Issue an intermediate for region2 and pass it here.`,
        `${PATH}.clusters.regoin2: is not a primary cluster of the mesh; got "regoin2", expected one of region1, region2. Remotes run no istiod and take no intermediate; remove it. Did you mean "region2"?`,
      ],
    );
  });

  it("refuses an intermediate of another root, and a key that is not the certificate's, without echoing the key", () => {
    const spec = {
      rootCertPem: pki.rootPem,
      clusters: {
        region1: other.intermediates.region1!,
        region2: { certPem: pki.intermediates.region2!.certPem, keyPem: pki.intermediates.region1!.keyPem },
      },
    };
    const found = problems(spec);
    assert.deepEqual(found, [
      `${PATH}.clusters.region1.certPem: does not chain to the root: O=Someone Else, CN=Intermediate CA, L=region1 is not signed by O=Isthmus Test, CN=Root CA; got "O=Someone Else, CN=Intermediate CA, L=region1", expected a certificate issued (through chainPem) by O=Isthmus Test, CN=Root CA. Issue the intermediate from the mesh's root, or pass the certificates between them as chainPem; istiod refuses a bundle that does not verify.`,
      `${PATH}.clusters.region2.keyPem: is not the key of certPem; got "<${pki.intermediates.region1!.keyPem.length} characters, redacted>", expected the private key the intermediate certificate was issued for. Pass the key generated with this certificate's request, decrypted, as a Pulumi secret.`,
    ]);
    assert.ok(!found.join("\n").includes("PRIVATE KEY"));
  });

  it("refuses expired certificates and a leaf used as a root", () => {
    const later = new Date(Date.now() + 10 * 24 * 3600 * 1000);
    const found = problems(good(), later);
    assert.equal(found.length, 3);
    assert.match(
      found[0]!,
      /^trust\.bringYourOwnIntermediates\.rootCertPem: has expired; got "notAfter \d{4}-\d\d-\d\dT[\d:.]+Z", expected a certificate valid at /,
    );
    assert.match(found[1]!, /^trust\.bringYourOwnIntermediates\.clusters\.region1\.certPem: has expired; /);
    assert.deepEqual(problems({ ...good(), rootCertPem: "not a certificate" }), [
      `${PATH}.rootCertPem: is not a PEM certificate; got "<17 characters>", expected the root CA's certificate, one PEM CERTIFICATE block. Pass the root your CA's intermediates chain to (e.g. \`vault read pki/cert/ca\`).`,
    ]);
  });

  it("is exclusive with the options of issued intermediates", () => {
    const found = validateMeshTrustSpec({ bringYourOwnIntermediates: good(), organization: "Acme" }).map(
      formatProblem,
    );
    assert.deepEqual(found, [
      `trust.organization: is set together with bringYourOwnIntermediates; got "Acme", expected one of them: your CA issues the intermediates, so isthmus signs nothing. Remove organization, or remove bringYourOwnIntermediates to let isthmus issue the intermediates.`,
    ]);
  });

  it("checks a bundle again once secrets are known, and writes the chain into cert-chain.pem", () => {
    assert.throws(
      () => validateIssuedBundle("region1", pki.rootPem, other.intermediates.region1!),
      /^Error: the intermediate brought for region1 would not be accepted by istiod:\n {2}- trust\.bringYourOwnIntermediates\.clusters\.region1\.certPem: does not chain to the root/,
    );
    const data = cacertsData({
      intermediateCertPem: pki.intermediates.region1!.certPem,
      intermediateKeyPem: pki.intermediates.region1!.keyPem,
      signingRootCertPem: pki.rootPem,
      chainCertPems: [other.rootPem],
    });
    assert.equal(data["cert-chain.pem"], pki.intermediates.region1!.certPem + other.rootPem + pki.rootPem);
  });

  describe("MultiClusterMesh with brought intermediates", () => {
    it("registers no key or certificate resource and keeps the key secret in cacerts", async () => {
      const { engine, result } = await runOffline(() => {
        const m = new MultiClusterMesh("demo", {
          plan: planMesh(TWO_REGIONS),
          clusters: testClusters(TWO_REGIONS),
          trust: { bringYourOwnIntermediates: good() },
        });
        return { cacerts: m.trust.cacerts("region1"), expiry: m.certificateExpiry };
      });
      assert.deepEqual(
        engine.resources.filter((r) => r.type.startsWith("tls:")),
        [],
      );
      const cacerts = engine.resources.find(
        (r) =>
          r.type === "kubernetes:core/v1:Secret" &&
          (r.inputs.metadata as { name?: string }).name === "cacerts",
      );
      assert.ok(cacerts, "no cacerts Secret");
      const values = await new Promise<Record<string, string>>((resolve) => result.cacerts.apply(resolve));
      assert.equal(values["ca-key.pem"], pki.intermediates.region1!.keyPem);
      assert.equal(values["root-cert.pem"], pki.rootPem);
    });

    it("refuses a bad bundle before registering anything", async () => {
      const engine = await OfflineEngine.start();
      const clusters = testClusters(TWO_REGIONS);
      await engine.settle();
      const before = engine.resources.length;
      let error: unknown;
      try {
        new MultiClusterMesh("demo", {
          plan: planMesh(TWO_REGIONS),
          clusters,
          trust: {
            bringYourOwnIntermediates: {
              rootCertPem: pki.rootPem,
              clusters: { region1: pki.intermediates.region1! },
            },
          },
        });
      } catch (e) {
        error = e;
      }
      await engine.settle();
      assert.ok(pulumi.InputPropertiesError.isInstance(error));
      assert.equal(
        (error as Error).message,
        `MultiClusterMesh demo: 1 invalid input; nothing was created:\n  - ${PATH}.clusters.region2: is missing: every primary needs an intermediate; got nothing, expected { certPem, keyPem } issued by your CA. Issue an intermediate for region2 and pass it here.`,
      );
      assert.equal(engine.resources.length, before, "resources were registered after the refusal");
    });
  });
});
