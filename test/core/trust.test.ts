import { strict as assert } from "node:assert";
import {
  CA_KEY_USAGES,
  CACERTS_SECRET,
  cacertsData,
  certificateFacts,
  DEFAULT_INTERMEDIATE_EARLY_RENEWAL_HOURS,
  DEFAULT_INTERMEDIATE_VALIDITY_HOURS,
  DEFAULT_ROOT_VALIDITY_HOURS,
  intermediateCaProfile,
  istiodSan,
  pemBlocks,
  resolveMeshTrust,
  rootBundle,
  rootCaProfile,
  validateMeshTrustSpec,
} from "../../lib/core/trust";
import { formatProblem } from "../../lib/core/problems";
import { EXAMPLE_ROOT_PEM } from "../support/certificates";

// Throwaway public certificates made with openssl for these tests (their keys were discarded):
// ROOT (O=Example, CN=Root CA, CA:true), INT (signed by ROOT, CA:true, pathlen:0, SAN
// istiod.istio-system.svc, L=east), LEAF (signed by INT, CA:false), ROOT2 (a second root).
const ROOT_PEM = EXAMPLE_ROOT_PEM;
const INT_PEM = `-----BEGIN CERTIFICATE-----
MIIB3DCCAYKgAwIBAgIBAjAKBggqhkjOPQQDAjAkMRAwDgYDVQQKDAdFeGFtcGxl
MRAwDgYDVQQDDAdSb290IENBMCAXDTI2MTEyMDIzNDIxNFoYDzIxMjUwNjE0MjM0
MjE0WjA7MRAwDgYDVQQKDAdFeGFtcGxlMRgwFgYDVQQDDA9JbnRlcm1lZGlhdGUg
Q0ExDTALBgNVBAcMBGVhc3QwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQE3VxY
xiwbGWZvnnPqS8E5Wp/DxskLMq+VHaa+uDtIWp15a9AkFkmb0LsrPK7xkvxLtH4S
mWsoV2IFKBdL4IT4o4GLMIGIMBIGA1UdEwEB/wQIMAYBAf8CAQAwDgYDVR0PAQH/
BAQDAgGGMCIGA1UdEQQbMBmCF2lzdGlvZC5pc3Rpby1zeXN0ZW0uc3ZjMB0GA1Ud
DgQWBBScCbC3fhKyiqKwQDz/jI6JovsBSTAfBgNVHSMEGDAWgBRno6joYIVzHMOG
yaBF/FfQajZJnTAKBggqhkjOPQQDAgNIADBFAiEA+SUizeqRkCIu82npIjxejz43
1MeuKIjSXDJ9tU0i6d0CIBicw6HG8shH3fJn0+sD8zI++xB7696ArJcxj+FMk50Q
-----END CERTIFICATE-----\n`;
const LEAF_PEM = `-----BEGIN CERTIFICATE-----
MIIBoTCCAUigAwIBAgIBAzAKBggqhkjOPQQDAjA7MRAwDgYDVQQKDAdFeGFtcGxl
MRgwFgYDVQQDDA9JbnRlcm1lZGlhdGUgQ0ExDTALBgNVBAcMBGVhc3QwHhcNMjYx
MTIwMjM0MjE0WhcNMzUwMjA2MjM0MjE0WjAPMQ0wCwYDVQQDDARsZWFmMFkwEwYH
KoZIzj0CAQYIKoZIzj0DAQcDQgAE0NCBRHwZxUAQdudPtFdyZR9jERQogN2v2HiV
Glaq/kZHqkqfBHTB504bqxj4sV/1ssBeQvagCosK2HuY5a8w1KNpMGcwDAYDVR0T
AQH/BAIwADAXBgNVHREEEDAOggxsZWFmLmV4YW1wbGUwHQYDVR0OBBYEFJZhEy9p
2/ne/30GBOmw5Hmh2vx2MB8GA1UdIwQYMBaAFJwJsLd+ErKKorBAPP+Mjomi+wFJ
MAoGCCqGSM49BAMCA0cAMEQCIDzckurE2uKII4IWLnRuycOdF0ElOQG1km7troVH
kB/FAiABPtYIqONcqvhu5bUEyQonxbhZrY+toGok6M9zr2XbHA==
-----END CERTIFICATE-----\n`;
const ROOT2_PEM = `-----BEGIN CERTIFICATE-----
MIIBkDCCATagAwIBAgIBBDAKBggqhkjOPQQDAjAmMRAwDgYDVQQKDAdFeGFtcGxl
MRIwEAYDVQQDDAlSb290IENBIDIwIBcNMjYxMTIwMjM0MjE0WhgPMjEyNjEwMjcy
MzQyMTRaMCYxEDAOBgNVBAoMB0V4YW1wbGUxEjAQBgNVBAMMCVJvb3QgQ0EgMjBZ
MBMGByqGSM49AgEGCCqGSM49AwEHA0IABHEDiS77QRcKsRKPQEe99cB+a+DA1JI6
8qD1Mvsh/1FoQgo2MB5WRX23+0oCSb0AMyDlHTpBQAi1T04TN6PsK3GjUzBRMB0G
A1UdDgQWBBTjXR9FfjLJKV2JBRm6M7k2zpNtFTAfBgNVHSMEGDAWgBTjXR9FfjLJ
KV2JBRm6M7k2zpNtFTAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUC
IBW+T4elMvXkpGsToSx1WKn7wlx8qz50EMrtWiE4YE4PAiEArdbi5JgSH+12Ng3Q
DTI3Fz4gaipOjmgTofv0zP6yvh8=
-----END CERTIFICATE-----\n`;

/** A PEM-shaped string that is not a certificate (for layout tests that never parse). */
const fakePem = (label: string, body: string): string =>
  `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
const FAKE_KEY = fakePem("PRIVATE KEY", "bm90LWEta2V5");

describe("core/trust", () => {
  describe("defaults", () => {
    it("root 10 years, intermediates 2 years, intermediates renewed 30 days early, organization Istio", () => {
      assert.equal(DEFAULT_ROOT_VALIDITY_HOURS, 87600);
      assert.equal(DEFAULT_INTERMEDIATE_VALIDITY_HOURS, 17520);
      assert.equal(DEFAULT_INTERMEDIATE_EARLY_RENEWAL_HOURS, 720);
      assert.deepEqual(resolveMeshTrust(), {
        rootValidityHours: 87600,
        intermediateValidityHours: 17520,
        intermediateEarlyRenewalHours: 720,
        organization: "Istio",
      });
    });
  });

  describe("certificate profiles", () => {
    it("the root is a CA signing certificates and CRLs, never renewed automatically", () => {
      assert.deepEqual(rootCaProfile({ organization: "Acme" }), {
        isCaCertificate: true,
        allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
        subject: { organization: "Acme", commonName: "Root CA" },
        dnsNames: [],
        validityPeriodHours: 87600,
        earlyRenewalHours: 0,
        key: { algorithm: "RSA", rsaBits: 4096 },
      });
    });

    it("an intermediate is a CA with path length 0, istiod's SAN and the cluster as locality", () => {
      assert.deepEqual(intermediateCaProfile("east", { validityHours: { intermediate: 8760 } }), {
        isCaCertificate: true,
        maxPathLength: 0,
        allowedUses: CA_KEY_USAGES,
        subject: { organization: "Istio", commonName: "Intermediate CA", locality: "east" },
        dnsNames: ["istiod.istio-system.svc"],
        validityPeriodHours: 8760,
        earlyRenewalHours: 720,
        key: { algorithm: "RSA", rsaBits: 4096 },
      });
    });

    it("istiod's SAN follows the namespace", () => {
      assert.equal(istiodSan(), "istiod.istio-system.svc");
      assert.deepEqual(intermediateCaProfile("a", {}, "mesh-system").dnsNames, ["istiod.mesh-system.svc"]);
    });
  });

  describe("the cacerts Secret", () => {
    it("is named cacerts in istio-system with Istio's four file names", () => {
      assert.equal(CACERTS_SECRET.name, "cacerts");
      assert.equal(CACERTS_SECRET.namespace, "istio-system");
      assert.deepEqual(Object.values(CACERTS_SECRET.keys).sort(), [
        "ca-cert.pem",
        "ca-key.pem",
        "cert-chain.pem",
        "root-cert.pem",
      ]);
    });

    it("holds the intermediate, its key, the chain intermediate-then-root and the root bundle", () => {
      const data = cacertsData({
        intermediateCertPem: INT_PEM,
        intermediateKeyPem: FAKE_KEY,
        signingRootCertPem: ROOT_PEM,
      });
      assert.deepEqual(Object.keys(data).sort(), [
        "ca-cert.pem",
        "ca-key.pem",
        "cert-chain.pem",
        "root-cert.pem",
      ]);
      assert.equal(data["ca-cert.pem"], INT_PEM);
      assert.equal(data["ca-key.pem"], FAKE_KEY);
      assert.equal(data["root-cert.pem"], ROOT_PEM);
      assert.equal(data["cert-chain.pem"], INT_PEM + ROOT_PEM);
      const chain = pemBlocks(data["cert-chain.pem"]!, "CERTIFICATE").map(
        (pem) => certificateFacts(pem).subject,
      );
      assert.deepEqual(chain, ["O=Example, CN=Intermediate CA, L=east", "O=Example, CN=Root CA"]);
    });

    it("during a rotation root-cert.pem holds every root once, signing root first", () => {
      const data = cacertsData({
        intermediateCertPem: INT_PEM,
        intermediateKeyPem: FAKE_KEY,
        signingRootCertPem: ROOT_PEM,
        extraRootCertPems: [ROOT2_PEM, ROOT_PEM, ROOT2_PEM.replace(/\n/g, "\r\n")],
      });
      assert.equal(data["root-cert.pem"], ROOT_PEM + ROOT2_PEM);
      assert.equal(data["cert-chain.pem"], INT_PEM + ROOT_PEM, "the chain ends at the signing root only");
    });

    it("normalizes line ends and trailing whitespace", () => {
      assert.equal(rootBundle(`\n${ROOT_PEM.replace(/\n/g, "\r\n")}  \n`), ROOT_PEM);
    });
  });

  describe("certificateFacts", () => {
    it("reads subject, issuer, expiry, CA flag, path length and SANs", () => {
      assert.deepEqual(certificateFacts(INT_PEM), {
        subject: "O=Example, CN=Intermediate CA, L=east",
        issuer: "O=Example, CN=Root CA",
        notAfter: "2125-06-14T23:42:14.000Z",
        isCa: true,
        pathLength: 0,
        dnsNames: ["istiod.istio-system.svc"],
      });
      const root = certificateFacts(ROOT_PEM);
      assert.equal(root.isCa, true);
      assert.equal(root.pathLength, undefined);
      assert.equal(root.notAfter, "2126-10-27T23:42:14.000Z");
      assert.equal(certificateFacts(LEAF_PEM).isCa, false);
    });

    it("rejects text without a certificate, without echoing it", () => {
      assert.throws(
        () => certificateFacts("secret-looking text"),
        new Error("certificateFacts: no PEM CERTIFICATE block found"),
      );
      assert.throws(
        () => certificateFacts(fakePem("CERTIFICATE", "AAAA")),
        new Error("certificateFacts: the PEM CERTIFICATE block does not parse as X.509"),
      );
    });
  });

  describe("validateMeshTrustSpec", () => {
    const messages = (spec: Parameters<typeof validateMeshTrustSpec>[0]): string[] =>
      validateMeshTrustSpec(spec).map(formatProblem);

    it("accepts the empty spec, extra roots and a brought root", () => {
      assert.deepEqual(messages({}), []);
      assert.deepEqual(
        messages({
          rootCertificates: [ROOT2_PEM],
          bringYourOwnRoot: { certPem: ROOT_PEM, keyPem: FAKE_KEY },
        }),
        [],
      );
    });

    it("skips values that are not strings yet (Pulumi inputs)", () => {
      const input = { promise: true };
      assert.deepEqual(
        messages({ rootCertificates: [input], bringYourOwnRoot: { certPem: input, keyPem: input } }),
        [],
      );
    });

    it("reports bad validity and early renewal", () => {
      assert.deepEqual(messages({ validityHours: { root: 0, intermediate: 1.5 } }), [
        "trust.validityHours.root: is not a positive whole number of hours; got 0, expected an integer ≥ 1. Use hours, e.g. 17520 for 2 years.",
        "trust.validityHours.intermediate: is not a positive whole number of hours; got 1.5, expected an integer ≥ 1. Use hours, e.g. 17520 for 2 years.",
      ]);
      assert.deepEqual(messages({ validityHours: { root: 8760, intermediate: 17520 } }), [
        "trust.validityHours.intermediate: outlives the root that signs it; got 17520, expected at most the root's 8760 hours. Shorten the intermediates' validity or lengthen the root's.",
      ]);
      assert.deepEqual(messages({ validityHours: { intermediate: 720 } }), [
        "trust.intermediateEarlyRenewalHours: is not shorter than the intermediates' validity, so every run would reissue them; got 720, expected less than 720. Use a small fraction of the validity, e.g. 720 (30 days).",
      ]);
      assert.deepEqual(messages({ intermediateEarlyRenewalHours: -1 }), [
        "trust.intermediateEarlyRenewalHours: is not a whole number of hours; got -1, expected an integer ≥ 0. Use e.g. 720 (30 days).",
      ]);
    });

    it("reports an empty organization", () => {
      assert.deepEqual(validateMeshTrustSpec({ organization: " " }, "mesh.trust").map(formatProblem), [
        'mesh.trust.organization: is empty; got " ", expected a non-empty organization name. Omit it for "Istio" or name your organization.',
      ]);
    });

    it("reports roots that are not single CA certificates", () => {
      assert.deepEqual(messages({ rootCertificates: ["nope", ROOT_PEM + ROOT2_PEM, LEAF_PEM] }), [
        'trust.rootCertificates[0]: is not a PEM certificate; got "<4 characters>", expected exactly one PEM CERTIFICATE block. Pass one root certificate per entry, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----.',
        'trust.rootCertificates[1]: holds 2 certificates; got "<2 PEM certificates>", expected exactly one PEM CERTIFICATE block. Pass one root certificate per entry, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----.',
        'trust.rootCertificates[2]: is not a CA certificate; got "CN=leaf", expected a certificate with basicConstraints CA:true. Use the root CA\'s certificate, not a leaf or server certificate.',
      ]);
      assert.deepEqual(messages({ rootCertificates: [fakePem("CERTIFICATE", "AAAA")] }), [
        'trust.rootCertificates[0]: does not parse as an X.509 certificate; got "<59 characters>", expected a PEM-encoded X.509 CA certificate. Check the PEM was copied whole (e.g. `openssl x509 -noout -text`).',
      ]);
    });

    it("never echoes key material", () => {
      const keyBody = "c2VjcmV0LWtleS1ib2R5";
      const withKey = ROOT_PEM + fakePem("PRIVATE KEY", keyBody);
      const problems = messages({
        rootCertificates: [withKey],
        bringYourOwnRoot: { certPem: ROOT_PEM, keyPem: `oops ${keyBody}` },
      });
      assert.deepEqual(problems, [
        `trust.rootCertificates[0]: holds a private key; got "<${withKey.length} characters, redacted>", expected a PEM CERTIFICATE block only. Pass the certificate alone; a root's key never belongs in a trust bundle.`,
        `trust.bringYourOwnRoot.keyPem: is not an unencrypted PEM private key; got "<${keyBody.length + 5} characters, redacted>", expected one -----BEGIN PRIVATE KEY----- (or RSA / EC PRIVATE KEY) block. Pass the root's key decrypted, as a Pulumi secret (e.g. from Vault or \`pulumi config set --secret\`).`,
      ]);
      assert.ok(problems.every((p) => !p.includes(keyBody)));
    });

    it("reports a brought root that is not a CA", () => {
      assert.deepEqual(
        messages({ bringYourOwnRoot: { certPem: LEAF_PEM, keyPem: FAKE_KEY } }).map((m) => m.split(";")[0]),
        ["trust.bringYourOwnRoot.certPem: is not a CA certificate"],
      );
    });
  });
});
