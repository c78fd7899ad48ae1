/**
 * Intermediates you bring: each primary's `cacerts` issued by your own CA (Vault, a corporate PKI,
 * `openssl`), Istio's "plug in CA certificates" model, with nothing generated and no key kept by
 * isthmus beyond what istiod must hold. Pure: the check that an issued bundle will be accepted by
 * istiod and trusted across the mesh.
 *
 * What istiod requires of a plugged-in CA (istio/istio, `security/pkg/pki/util/keycertbundle.go`
 * `Verify` and `pilot/pkg/bootstrap/istio_ca.go`): `ca-cert.pem` is a CA certificate whose key is
 * `ca-key.pem`, and it chains through `cert-chain.pem` to a certificate in `root-cert.pem`; a bundle
 * that fails to verify stops istiod from starting. Across clusters, every intermediate must chain to
 * the same root, or workloads of different clusters do not trust each other.
 */
import { createPrivateKey, X509Certificate } from "node:crypto";
import type { SpecProblem } from "./problems";
import { didYouMean } from "./problems";
import { pemBlocks } from "./trust";

/**
 * One primary's intermediate, issued by your CA. `T` is `string` in pure code and
 * `pulumi.Input<string>` in components.
 */
export interface IssuedIntermediate<T = string> {
  /** The intermediate CA certificate, PEM (`ca-cert.pem`). */
  readonly certPem: T;
  /** Its private key, PEM (`ca-key.pem`). A secret. */
  readonly keyPem: T;
  /**
   * The certificates between this intermediate and the root, issuer first, PEM.
   * @default - none: the root signed the intermediate directly
   */
  readonly chainPem?: T;
}

/** Intermediates issued by your own CA, one per primary cluster. */
export interface BringYourOwnIntermediates<T = string> {
  /** The root every intermediate chains to, PEM: it becomes each cluster's `root-cert.pem`. */
  readonly rootCertPem: T;
  /** By cluster id: one entry for every primary (remotes run no istiod and need none). */
  readonly clusters: Readonly<Record<string, IssuedIntermediate<T>>>;
}

/** Days before expiry from which a brought certificate is reported as expiring. */
export const EXPIRY_WARNING_DAYS = 30;

/** Parses one PEM certificate; `undefined` when the text holds none or it does not parse. */
function parseCertificate(pem: string): X509Certificate | undefined {
  const block = pemBlocks(pem, "CERTIFICATE")[0];
  if (block === undefined) return undefined;
  try {
    return new X509Certificate(block);
  } catch {
    return undefined;
  }
}

/** Every certificate of a PEM text, or `undefined` if one of them does not parse. */
function parseCertificates(pem: string): X509Certificate[] | undefined {
  const out: X509Certificate[] = [];
  for (const block of pemBlocks(pem, "CERTIFICATE")) {
    try {
      out.push(new X509Certificate(block));
    } catch {
      return undefined;
    }
  }
  return out;
}

function validity(out: SpecProblem[], path: string, cert: X509Certificate, now: Date): void {
  const notAfter = new Date(cert.validTo);
  const notBefore = new Date(cert.validFrom);
  if (notAfter.getTime() <= now.getTime()) {
    out.push({
      path,
      problem: "has expired",
      received: `notAfter ${notAfter.toISOString()}`,
      expected: `a certificate valid at ${now.toISOString()}`,
      fix: "Issue a new certificate from your CA.",
    });
  } else if (notBefore.getTime() > now.getTime()) {
    out.push({
      path,
      problem: "is not valid yet",
      received: `notBefore ${notBefore.toISOString()}`,
      expected: `a certificate valid at ${now.toISOString()}`,
      fix: "Check the issuing CA's clock, or wait until the certificate's start date.",
    });
  }
}

function isCa(out: SpecProblem[], path: string, cert: X509Certificate): void {
  if (cert.ca) return;
  out.push({
    path,
    problem: "is not a CA certificate",
    received: cert.subject.replace(/\n/g, ", "),
    expected: "basicConstraints CA:TRUE (istiod signs workload certificates with it)",
    fix: "Issue the intermediate as a CA (e.g. Vault's `pki/intermediate`, or openssl with `basicConstraints=critical,CA:TRUE`).",
  });
}

/**
 * Every problem of brought intermediates, for the given primaries, at `path` (e.g.
 * `trust.bringYourOwnIntermediates`). Values that are not plain strings (Pulumi inputs, secrets) are
 * not inspected here; {@link validateIssuedBundle} checks them once known. Never echoes key material.
 */
export function validateBroughtIntermediates(
  spec: BringYourOwnIntermediates<unknown>,
  primaries: readonly string[],
  path: string,
  now: Date = new Date(),
): SpecProblem[] {
  const out: SpecProblem[] = [];
  const clusters = (
    typeof spec.clusters === "object" && spec.clusters !== null ? spec.clusters : {}
  ) as Record<string, IssuedIntermediate<unknown>>;
  for (const id of primaries) {
    if (!Object.prototype.hasOwnProperty.call(clusters, id)) {
      out.push({
        path: `${path}.clusters.${id}`,
        problem: "is missing: every primary needs an intermediate",
        received: undefined,
        expected: "{ certPem, keyPem } issued by your CA",
        fix: `Issue an intermediate for ${id} and pass it here.`,
      });
    }
  }
  for (const id of Object.keys(clusters)) {
    if (primaries.includes(id)) continue;
    out.push({
      path: `${path}.clusters.${id}`,
      problem: "is not a primary cluster of the mesh",
      received: id,
      expected: `one of ${primaries.join(", ")}`,
      fix: `Remotes run no istiod and take no intermediate; remove it.${didYouMean(id, primaries)}`,
    });
  }
  const root = typeof spec.rootCertPem === "string" ? parseCertificate(spec.rootCertPem) : undefined;
  if (typeof spec.rootCertPem === "string" && root === undefined) {
    out.push({
      path: `${path}.rootCertPem`,
      problem: "is not a PEM certificate",
      received: `<${spec.rootCertPem.length} characters>`,
      expected: "the root CA's certificate, one PEM CERTIFICATE block",
      fix: "Pass the root your CA's intermediates chain to (e.g. `vault read pki/cert/ca`).",
    });
  } else if (root !== undefined) {
    isCa(out, `${path}.rootCertPem`, root);
    validity(out, `${path}.rootCertPem`, root, now);
  }
  for (const id of primaries) {
    const issued = clusters[id];
    if (issued === undefined) continue;
    const known = {
      certPem: typeof issued.certPem === "string" ? issued.certPem : undefined,
      keyPem: typeof issued.keyPem === "string" ? issued.keyPem : undefined,
      chainPem: typeof issued.chainPem === "string" ? issued.chainPem : undefined,
    };
    out.push(...bundleProblems(`${path}.clusters.${id}`, known, root, now));
  }
  return out;
}

/** The problems of one issued bundle; fields left undefined are not inspected. */
function bundleProblems(
  path: string,
  issued: { certPem?: string | undefined; keyPem?: string | undefined; chainPem?: string | undefined },
  root: X509Certificate | undefined,
  now: Date,
): SpecProblem[] {
  const out: SpecProblem[] = [];
  const cert = issued.certPem === undefined ? undefined : parseCertificate(issued.certPem);
  if (issued.certPem !== undefined && cert === undefined) {
    out.push({
      path: `${path}.certPem`,
      problem: "is not a PEM certificate",
      received: `<${issued.certPem.length} characters>`,
      expected: "the intermediate CA certificate, one PEM CERTIFICATE block",
      fix: "Pass the certificate your CA issued for this cluster.",
    });
  }
  if (cert !== undefined) {
    isCa(out, `${path}.certPem`, cert);
    validity(out, `${path}.certPem`, cert, now);
  }
  const chain = issued.chainPem === undefined ? [] : parseCertificates(issued.chainPem);
  if (chain === undefined) {
    out.push({
      path: `${path}.chainPem`,
      problem: "holds a certificate that does not parse",
      received: `<${issued.chainPem!.length} characters>`,
      expected: "the PEM certificates between the intermediate and the root",
      fix: "Pass the issuing CAs' certificates, issuer first, or omit chainPem when the root signed the intermediate.",
    });
  }
  if (cert !== undefined && chain !== undefined && root !== undefined) {
    const broken = brokenLink([cert, ...chain, root]);
    if (broken !== undefined) {
      out.push({
        path: `${path}.certPem`,
        problem: `does not chain to the root: ${broken}`,
        received: cert.subject.replace(/\n/g, ", "),
        expected: `a certificate issued (through chainPem) by ${root.subject.replace(/\n/g, ", ")}`,
        fix: "Issue the intermediate from the mesh's root, or pass the certificates between them as chainPem; istiod refuses a bundle that does not verify.",
      });
    }
  }
  if (issued.keyPem !== undefined && cert !== undefined) {
    let matches = false;
    let parses = true;
    try {
      matches = cert.checkPrivateKey(createPrivateKey(issued.keyPem));
    } catch {
      parses = false;
    }
    if (!parses || !matches) {
      out.push({
        path: `${path}.keyPem`,
        problem: parses ? "is not the key of certPem" : "is not an unencrypted PEM private key",
        received: `<${issued.keyPem.length} characters, redacted>`,
        expected: "the private key the intermediate certificate was issued for",
        fix: "Pass the key generated with this certificate's request, decrypted, as a Pulumi secret.",
      });
    }
  }
  return out;
}

/** Where `certs[i]` is not issued and signed by `certs[i + 1]`, described; `undefined` when each is. */
function brokenLink(certs: readonly X509Certificate[]): string | undefined {
  for (let i = 0; i + 1 < certs.length; i++) {
    const [child, issuer] = [certs[i]!, certs[i + 1]!];
    if (!child.checkIssued(issuer) || !child.verify(issuer.publicKey)) {
      return `${child.subject.replace(/\n/g, ", ")} is not signed by ${issuer.subject.replace(/\n/g, ", ")}`;
    }
  }
  return undefined;
}

/**
 * Checks one cluster's bundle once every value is known (at deployment, when keys arrive as
 * secrets).
 * @throws Error listing every problem; the message never holds key material
 */
export function validateIssuedBundle(
  clusterId: string,
  rootCertPem: string,
  issued: IssuedIntermediate,
  now: Date = new Date(),
): void {
  const path = `trust.bringYourOwnIntermediates.clusters.${clusterId}`;
  const root = parseCertificate(rootCertPem);
  const problems = bundleProblems(path, issued, root, now);
  if (problems.length === 0) return;
  const lines = problems.map((p) => `  - ${p.path}: ${p.problem}. ${p.fix}`);
  throw new Error(
    `the intermediate brought for ${clusterId} would not be accepted by istiod:\n${lines.join("\n")}`,
  );
}

/** The expiry (ISO 8601) of the first certificate of a PEM text, or `undefined`. */
export function certificateExpiry(pem: string): string | undefined {
  const cert = parseCertificate(pem);
  return cert === undefined ? undefined : new Date(cert.validTo).toISOString();
}
