/**
 * A mesh PKI made with openssl, as an enterprise CA would issue it: one root, one intermediate per
 * primary (CA:TRUE, pathlen:0, SAN `istiod.istio-system.svc`, Istio's `tools/certs` profile), each
 * with its own key. Keys stay in a private 0700 directory for the test's lifetime.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** An issued intermediate. */
export interface TestIntermediate {
  readonly certPem: string;
  readonly keyPem: string;
}

/** A root and its intermediates. */
export interface TestPki {
  readonly rootPem: string;
  readonly intermediates: Readonly<Record<string, TestIntermediate>>;
  /** Removes the key directory. */
  dispose(): void;
}

function openssl(dir: string, args: readonly string[]): void {
  const result = spawnSync("openssl", args, { cwd: dir, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`openssl ${args.join(" ")}: ${result.stderr}`);
}

/** Issues a root `O=<org>, CN=Root CA` and an intermediate for each cluster id. */
export function makeTestPki(clusterIds: readonly string[], organization = "Isthmus Test"): TestPki {
  const dir = mkdtempSync(join(tmpdir(), "isthmus-real-pki-"));
  writeFileSync(
    join(dir, "ca.ext"),
    [
      "[intermediate]",
      "basicConstraints=critical,CA:TRUE,pathlen:0",
      "keyUsage=critical,keyCertSign,cRLSign,digitalSignature",
      "subjectAltName=DNS:istiod.istio-system.svc",
      "subjectKeyIdentifier=hash",
      "authorityKeyIdentifier=keyid",
      "",
    ].join("\n"),
  );
  openssl(dir, [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "root.key",
    "-out",
    "root.pem",
    "-days",
    "3",
    "-subj",
    `/O=${organization}/CN=Root CA`,
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign,digitalSignature",
  ]);
  const intermediates: Record<string, TestIntermediate> = {};
  for (const id of clusterIds) {
    openssl(dir, [
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      `${id}.key`,
      "-out",
      `${id}.csr`,
      "-subj",
      `/O=${organization}/CN=Intermediate CA/L=${id}`,
    ]);
    openssl(dir, [
      "x509",
      "-req",
      "-in",
      `${id}.csr`,
      "-CA",
      "root.pem",
      "-CAkey",
      "root.key",
      "-CAcreateserial",
      "-out",
      `${id}.pem`,
      "-days",
      "2",
      "-extfile",
      "ca.ext",
      "-extensions",
      "intermediate",
    ]);
    intermediates[id] = {
      certPem: readFileSync(join(dir, `${id}.pem`), "utf8"),
      keyPem: readFileSync(join(dir, `${id}.key`), "utf8"),
    };
  }
  return {
    rootPem: readFileSync(join(dir, "root.pem"), "utf8"),
    intermediates,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
