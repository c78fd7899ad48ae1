/**
 * `isthmus trust`: certificates of the Pulumi path's profiles, a private directory, commands that name
 * files and never a secret, reruns that keep what is there, and a root of your own.
 */
import assert from "node:assert/strict";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import {
  DEFAULT_INTERMEDIATE_VALIDITY_HOURS,
  DEFAULT_ROOT_VALIDITY_HOURS,
  certificateFacts,
} from "../../lib/core/trust";

import { cli, isthmus, ROOT, type Run } from "../support/cli";

const DOCUMENT = path.join(ROOT, "test/cli/fixtures/document.yaml");

/**
 * A root of your own as organizations often have one: ECDSA P-256, made here with WebCrypto (an RSA
 * 4096 key takes seconds to generate; isthmus issues its own roots and intermediates as RSA 4096,
 * which the first run covers).
 */
async function ecdsaRoot(organization: string): Promise<{ certPem: string; keyPem: string }> {
  const crypto = globalThis.crypto;
  const algorithm = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
  const keys = await crypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "01",
    name: `O=${organization}, CN=Root CA`,
    notBefore: new Date(),
    notAfter: new Date(Date.now() + 86_400_000),
    signingAlgorithm: algorithm,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const der = Buffer.from(await crypto.subtle.exportKey("pkcs8", keys.privateKey));
  return {
    certPem: cert.toString("pem") + "\n",
    keyPem: createPrivateKey({ key: der, format: "der", type: "pkcs8" })
      .export({ type: "pkcs8", format: "pem" })
      .toString(),
  };
}

const CACERTS = ["ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem"];

function mode(file: string): string {
  return (statSync(file).mode & 0o777).toString(8);
}

/** Every PEM body (base64 lines) of the private keys under `dir`, to look for in the output. */
function keyLines(...files: string[]): string[] {
  return files.flatMap((f) =>
    readFileSync(f, "utf8")
      .split("\n")
      .filter((l) => /^[A-Za-z0-9+/=]{40,}$/.test(l)),
  );
}

describe("isthmus trust", function () {
  this.timeout(180_000);
  let work: string;
  let out: string;
  let first: Run;

  before(() => {
    work = mkdtempSync(path.join(tmpdir(), "isthmus-trust-"));
    out = path.join(work, "trust");
    // A directory left too open, and a file in it: both are narrowed.
    mkdirSync(path.join(out, "cacerts", "region1"), { recursive: true, mode: 0o755 });
    chmodSync(out, 0o755);
    writeFileSync(path.join(out, "cacerts", "region1", "ca-cert.pem"), "stale\n", { mode: 0o644 });
    first = isthmus("trust", DOCUMENT, "--out", out);
    // The runs under a root of your own issue one intermediate: a mesh of one primary.
    writeFileSync(
      path.join(work, "one-primary.yaml"),
      "mesh:\n  meshID: demo\n  clusters:\n    region1: { cloud: aws, region: us-east-1 }\n",
    );
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it("writes the root and each primary's cacerts files, directories 0700 and files 0600", () => {
    assert.equal(first.stderr, "");
    assert.equal(first.status, 0);
    const files = [
      "root-cert.pem",
      "root-key.pem",
      ...["region1", "region2"].flatMap((id) => CACERTS.map((f) => `cacerts/${id}/${f}`)),
    ];
    for (const file of files) assert.equal(mode(path.join(out, file)), "600", file);
    for (const dir of ["", "cacerts", "cacerts/region1", "cacerts/region2"])
      assert.equal(mode(path.join(out, dir)), "700", dir);
    assert.deepEqual(
      first.stdout.split("\n").filter((l) => /^ {2}0[0-7]{3} {2}/.test(l)),
      files.map((f) => `  0600  ${f}`),
    );
  });

  it("issues the certificates the Pulumi path issues: same subjects, extensions, key type and lifetimes", () => {
    const rootPem = readFileSync(path.join(out, "root-cert.pem"), "utf8");
    const root = new X509Certificate(rootPem);
    assert.deepEqual(certificateFacts(rootPem), {
      subject: "O=Istio, CN=Root CA",
      issuer: "O=Istio, CN=Root CA",
      notAfter: certificateFacts(rootPem).notAfter,
      isCa: true,
      dnsNames: [],
    });
    assert.equal(root.publicKey.asymmetricKeyDetails?.modulusLength, 4096);
    assert.equal(
      (Date.parse(root.validTo) - Date.parse(root.validFrom)) / 3_600_000,
      DEFAULT_ROOT_VALIDITY_HOURS,
    );
    for (const id of ["region1", "region2"]) {
      const read = (f: string): string => readFileSync(path.join(out, "cacerts", id, f), "utf8");
      const cert = new X509Certificate(read("ca-cert.pem"));
      assert.deepEqual(certificateFacts(read("ca-cert.pem")), {
        subject: `L=${id}, O=Istio, CN=Intermediate CA`,
        issuer: "O=Istio, CN=Root CA",
        notAfter: certificateFacts(read("ca-cert.pem")).notAfter,
        isCa: true,
        pathLength: 0,
        dnsNames: ["istiod.istio-system.svc"],
      });
      assert.ok(cert.verify(root.publicKey), `${id}: not signed by the root`);
      assert.ok(cert.checkPrivateKey(createPrivateKey(read("ca-key.pem"))));
      assert.match(read("ca-key.pem"), /^-----BEGIN RSA PRIVATE KEY-----\n/);
      assert.equal(cert.publicKey.asymmetricKeyDetails?.modulusLength, 4096);
      assert.equal(
        (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 3_600_000,
        DEFAULT_INTERMEDIATE_VALIDITY_HOURS,
      );
      assert.equal(read("cert-chain.pem"), read("ca-cert.pem") + rootPem);
      assert.equal(read("root-cert.pem"), rootPem);
      // Key usage and basic constraints critical, as Go's crypto/x509 writes them for @pulumi/tls.
      for (const pem of [read("ca-cert.pem"), rootPem]) {
        const parsed = new x509.X509Certificate(pem);
        const usage = parsed.getExtension(x509.KeyUsagesExtension)!;
        assert.equal(usage.critical, true);
        assert.equal(
          usage.usages,
          x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        );
        assert.equal(parsed.getExtension(x509.BasicConstraintsExtension)!.critical, true);
      }
      const aki = new x509.X509Certificate(read("ca-cert.pem")).getExtension(
        x509.AuthorityKeyIdentifierExtension,
      );
      assert.equal(
        aki?.keyId,
        new x509.X509Certificate(rootPem).getExtension(x509.SubjectKeyIdentifierExtension)?.keyId,
      );
    }
  });

  it("prints the exact kubectl commands, naming files only, and what is left for the remote secrets", () => {
    const commands = first.stdout.split("\n").filter((l) => l.startsWith("  kubectl "));
    const files = (id: string): string =>
      CACERTS.map((f) => `--from-file=${path.join(out, "cacerts", id, f)}`).join(" ");
    assert.deepEqual(
      commands,
      ["region1", "region2"].flatMap((id) => [
        `  kubectl --context ${id} create namespace istio-system --dry-run=client -o yaml | kubectl --context ${id} apply --server-side -f -`,
        `  kubectl --context ${id} create secret generic cacerts -n istio-system ${files(id)} --dry-run=client -o yaml | kubectl --context ${id} apply --server-side -f -`,
      ]),
    );
    assert.ok(
      first.stdout.endsWith(
        "Not written yet:\n" +
          "  region1/istio-remote-secret-region2: pass --kubeconfig region2=<file> once region2/manifests.yaml (which holds the reader token Secret) is applied there.\n" +
          "  region2/istio-remote-secret-region1: pass --kubeconfig region1=<file> once region1/manifests.yaml (which holds the reader token Secret) is applied there.\n",
      ),
      first.stdout,
    );
  });

  it("never prints key material", () => {
    const keys = [
      path.join(out, "root-key.pem"),
      ...["region1", "region2"].map((id) => path.join(out, "cacerts", id, "ca-key.pem")),
    ];
    assert.doesNotMatch(first.stdout + first.stderr, /PRIVATE KEY|BEGIN CERTIFICATE/);
    const lines = keyLines(...keys);
    assert.ok(lines.length > 30);
    for (const line of lines) assert.ok(!first.stdout.includes(line));
  });

  it("keeps the root and the intermediates on a rerun", async () => {
    const before = ["root-key.pem", "cacerts/region1/ca-key.pem"].map((f) =>
      readFileSync(path.join(out, f), "utf8"),
    );
    const again = await cli("trust", DOCUMENT, "--out", out);
    assert.equal(again.stderr, "");
    assert.equal(again.status, 0);
    assert.deepEqual(
      ["root-key.pem", "cacerts/region1/ca-key.pem"].map((f) => readFileSync(path.join(out, f), "utf8")),
      before,
    );
    assert.ok(again.stdout.includes("  0600  root-key.pem  (kept)\n"));
    assert.ok(again.stdout.includes("  0600  cacerts/region2/ca-key.pem  (kept)\n"));
  });

  it("signs with a root of your own, never writes its key, reissues for another root and refuses a generated one's directory", async () => {
    const own = await ecdsaRoot("Example Corp");
    const dir = path.join(work, "own");
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(path.join(dir, "root.pem"), own.certPem);
    writeFileSync(path.join(dir, "root.key"), own.keyPem, { mode: 0o600 });
    const target = path.join(work, "own-trust");
    const run = await cli(
      "trust",
      path.join(work, "one-primary.yaml"),
      "--out",
      target,
      "--root-cert",
      path.join(dir, "root.pem"),
      "--root-key",
      path.join(dir, "root.key"),
    );
    assert.equal(run.stderr, "");
    assert.equal(run.status, 0);
    assert.equal(readFileSync(path.join(target, "root-cert.pem"), "utf8"), own.certPem);
    assert.throws(() => statSync(path.join(target, "root-key.pem")), /ENOENT/);
    const intermediate = new X509Certificate(
      readFileSync(path.join(target, "cacerts/region1/ca-cert.pem"), "utf8"),
    );
    assert.ok(intermediate.verify(new X509Certificate(own.certPem).publicKey));
    assert.equal(intermediate.issuer, "O=Example Corp\nCN=Root CA");
    for (const line of keyLines(path.join(dir, "root.key"))) assert.ok(!run.stdout.includes(line));

    // Another root of your own: the intermediates no longer chain to it, so they are reissued.
    const next = await ecdsaRoot("Example Corp");
    writeFileSync(path.join(dir, "next.pem"), next.certPem);
    writeFileSync(path.join(dir, "next.key"), next.keyPem, { mode: 0o600 });
    const rerun = await cli(
      "trust",
      path.join(work, "one-primary.yaml"),
      "--out",
      target,
      "--root-cert",
      path.join(dir, "next.pem"),
      "--root-key",
      path.join(dir, "next.key"),
    );
    assert.equal(rerun.stderr, "");
    assert.ok(rerun.stdout.includes("  0600  cacerts/region1/ca-key.pem\n"), rerun.stdout);
    const reissued = new X509Certificate(
      readFileSync(path.join(target, "cacerts/region1/ca-cert.pem"), "utf8"),
    );
    assert.ok(reissued.verify(new X509Certificate(next.certPem).publicKey));

    // A directory holding a generated root's key refuses another root.
    const mixed = await cli(
      "trust",
      DOCUMENT,
      "--out",
      out,
      "--root-cert",
      path.join(dir, "root.pem"),
      "--root-key",
      path.join(dir, "root.key"),
    );
    assert.equal(mixed.status, 1);
    assert.equal(
      mixed.stderr,
      `isthmus: ${path.join(out, "root-key.pem")}: holds the key of another root; got --root-cert ${path.join(dir, "root.pem")}, ` +
        'expected the root this directory was made with. Use another --out: switching roots is a staged rotation (README, "Trust and remote secrets").\n',
    );
  });

  it("refuses a root without its key, a key of another root, and a certificate that does not parse, saying which flag", async () => {
    const a = await ecdsaRoot("Istio");
    const b = await ecdsaRoot("Istio");
    const dir = path.join(work, "bad");
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(path.join(dir, "a.pem"), a.certPem);
    writeFileSync(path.join(dir, "b.key"), b.keyPem, { mode: 0o600 });
    writeFileSync(
      path.join(dir, "leaf.pem"),
      "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
    );
    const target = path.join(work, "bad-trust");
    const alone = await cli("trust", DOCUMENT, "--out", target, "--root-cert", path.join(dir, "a.pem"));
    assert.equal(alone.status, 2);
    assert.equal(
      alone.stderr,
      'isthmus trust: --root-cert and --root-key go together; got only --root-cert. Run "isthmus trust --help" for usage.\n',
    );
    const other = await cli(
      "trust",
      DOCUMENT,
      "--out",
      target,
      "--root-cert",
      path.join(dir, "a.pem"),
      "--root-key",
      path.join(dir, "b.key"),
    );
    assert.equal(other.status, 1);
    assert.equal(
      other.stderr,
      `isthmus: --root-key ${path.join(dir, "b.key")}: is not the key of the root certificate.\n`,
    );
    const broken = await cli(
      "trust",
      DOCUMENT,
      "--out",
      target,
      "--root-cert",
      path.join(dir, "leaf.pem"),
      "--root-key",
      path.join(dir, "b.key"),
    );
    assert.equal(broken.status, 1);
    assert.equal(
      broken.stderr,
      "isthmus: the mesh spec has 1 problem:\n" +
        `  - --root-cert ${path.join(dir, "leaf.pem")}: does not parse as an X.509 certificate; got "<59 characters>", ` +
        "expected a PEM-encoded X.509 CA certificate. Check the PEM was copied whole (e.g. `openssl x509 -noout -text`).\n",
    );
    for (const run of [alone, other, broken]) assert.doesNotMatch(run.stdout + run.stderr, /PRIVATE KEY/);
  });

  it("refuses a cluster the mesh does not have, a --server that is not https, and --out missing", async () => {
    const unknown = await cli(
      "trust",
      DOCUMENT,
      "--out",
      path.join(work, "x"),
      "--kubeconfig",
      "region3=/nowhere",
    );
    assert.equal(unknown.status, 2);
    assert.equal(
      unknown.stderr,
      'isthmus trust: no cluster "region3" in the mesh; expected one of region1, region2. Run "isthmus trust --help" for usage.\n',
    );
    const http = await cli(
      "trust",
      DOCUMENT,
      "--out",
      path.join(work, "x"),
      "--server",
      "region2=http://10.0.0.2",
    );
    assert.equal(http.status, 2);
    assert.equal(
      http.stderr,
      'isthmus trust: --server region2=http://10.0.0.2: expected an https:// URL. Run "isthmus trust --help" for usage.\n',
    );
    const noOut = await cli("trust", DOCUMENT);
    assert.equal(noOut.status, 2);
    assert.equal(noOut.stderr, 'isthmus trust: missing --out <dir>. Run "isthmus trust --help" for usage.\n');
  });
});
