/**
 * Mesh trust: the facts behind one root of trust for every cluster. The root CA signs one intermediate
 * CA per cluster; each cluster's istiod signs workload certificates with its intermediate (Istio's
 * "plugged-in CA"). Pure: certificate profiles, the `cacerts` Secret layout, validation. Key material
 * is made by the Pulumi side (`MeshTrust`) and only passes through these functions as PEM strings.
 *
 * Facts read from istio/istio 1.30.3:
 * - `tools/certs/common.mk`: root `basicConstraints = critical, CA:true`; intermediate
 *   `CA:true, pathlen:0`, SAN `DNS:istiod.istio-system.svc`, subject `O=Istio, CN=Intermediate CA,
 *   L=<cluster>`; root subject `O=Istio, CN=Root CA`; both RSA 4096, 3650 days by default.
 * - `security/pkg/pki/ca/ca.go`: the file names `ca-cert.pem`, `ca-key.pem`, `cert-chain.pem`,
 *   `root-cert.pem`; `pilot/pkg/bootstrap/istio_ca.go`: the Secret `cacerts` in istiod's namespace is
 *   mounted at `/etc/cacerts`, `root-cert.pem` "may contain multiple roots", an incomplete bundle makes
 *   istiod fail to start, and istiod watches the files and reloads them when they change.
 * - `security/pkg/pki/util/keycertbundle.go` `Verify`: `ca-cert.pem` must chain, through
 *   `cert-chain.pem`, to one of the certificates in `root-cert.pem`.
 *
 * Rotating the root is a staged, explicit operation (Istio never rotates a plugged-in root):
 * 1. Trust both roots: add the new root's PEM to {@link MeshTrustSpec.rootCertificates}. Every
 *    `root-cert.pem` now holds both; istiod reloads it and sends the bundle to every proxy. Wait until
 *    every workload has the new bundle (restart workloads, or wait one workload certificate lifetime, 24 h
 *    by default).
 * 2. Sign with the new root: switch the signing root ({@link MeshTrustSpec.bringYourOwnRoot}, or replace
 *    the generated root) and keep the old root's PEM in `rootCertificates`. Intermediates are reissued
 *    under the new root; workloads get new certificates as theirs expire, still trusted by the old ones.
 * 3. Retire the old root: once every workload certificate has been reissued (one lifetime later), remove
 *    the old root's PEM from `rootCertificates`.
 */
import { X509Certificate } from "node:crypto";
import type { BringYourOwnIntermediates } from "./brought-intermediates";
import { ISTIO_NAMESPACE } from "./resolve";
import type { SpecProblem } from "./problems";

/** Hours in a (365-day) year. */
export const HOURS_PER_YEAR = 24 * 365;
/** Default root validity: 10 years, as Istio's `tools/certs` (ROOTCA_DAYS = 3650). */
export const DEFAULT_ROOT_VALIDITY_HOURS = 10 * HOURS_PER_YEAR;
/**
 * Default intermediate validity: 2 years. Shorter than Istio's `tools/certs` default (10 years) so that a
 * leaked intermediate key expires on its own; long enough that renewal is a rare, planned event.
 */
export const DEFAULT_INTERMEDIATE_VALIDITY_HOURS = 2 * HOURS_PER_YEAR;
/**
 * Default early renewal of intermediates: 30 days before expiry the next `pulumi up` reissues them.
 * Safe to do unattended: the new intermediate chains to the same root and istiod reloads `cacerts`.
 */
export const DEFAULT_INTERMEDIATE_EARLY_RENEWAL_HOURS = 30 * 24;
/**
 * Early renewal of the root: never. A new root is only trusted after the staged rotation described
 * above; renewing it automatically would split the mesh.
 */
export const ROOT_EARLY_RENEWAL_HOURS = 0;
/** The subject organization of Istio's `tools/certs` (ROOTCA_ORG, INTERMEDIATE_ORG). */
export const DEFAULT_CA_ORGANIZATION = "Istio";

/** A key usage, in @pulumi/tls `allowedUses` spelling. */
export type CaKeyUsage = "cert_signing" | "crl_signing" | "digital_signature";

/** The key usages of both CA certificates. */
export const CA_KEY_USAGES: readonly CaKeyUsage[] = ["cert_signing", "crl_signing", "digital_signature"];

/** A certificate subject (distinguished name). */
export interface CertificateSubject {
  /** `O` */
  readonly organization: string;
  /** `CN` */
  readonly commonName: string;
  /**
   * `L`: the cluster id, for intermediates.
   * @default - none
   */
  readonly locality?: string;
}

/** Everything needed to issue one CA certificate, in @pulumi/tls vocabulary. */
export interface CaCertificateProfile {
  /** Always true: both the root and the intermediates are CAs. */
  readonly isCaCertificate: true;
  /**
   * `basicConstraints` path length: 0 for intermediates (they sign workloads only).
   * @default - none: unconstrained (the root)
   */
  readonly maxPathLength?: number;
  /** Key usages. */
  readonly allowedUses: readonly CaKeyUsage[];
  /** The subject distinguished name. */
  readonly subject: CertificateSubject;
  /** DNS subject alternative names. */
  readonly dnsNames: readonly string[];
  /** Validity from issuance, in hours. */
  readonly validityPeriodHours: number;
  /** Hours before expiry from which a rerun reissues the certificate. */
  readonly earlyRenewalHours: number;
  /** The key pair: RSA 4096, as Istio's `tools/certs`. */
  readonly key: { readonly algorithm: "RSA"; readonly rsaBits: 4096 };
}

/**
 * A root brought by the user (e.g. from Vault or an offline root). `T` is `string` in pure code and
 * `pulumi.Input<string>` in components.
 */
export interface BringYourOwnRoot<T = string> {
  /** The root CA certificate, PEM. */
  readonly certPem: T;
  /** The root CA private key, PEM. A secret. */
  readonly keyPem: T;
}

/** How the mesh's trust is set up. */
export interface MeshTrustSpec<T = string> {
  /**
   * Certificate validity in hours.
   * @default - root {@link DEFAULT_ROOT_VALIDITY_HOURS} (10 years), intermediates {@link DEFAULT_INTERMEDIATE_VALIDITY_HOURS} (2 years)
   */
  readonly validityHours?: { readonly root?: number; readonly intermediate?: number };
  /**
   * Hours before an intermediate expires from which a rerun reissues it (the root is never renewed
   * automatically).
   * @default 720
   */
  readonly intermediateEarlyRenewalHours?: number;
  /**
   * The `O` of every certificate's subject.
   * @default "Istio"
   */
  readonly organization?: string;
  /**
   * More root certificates (PEM) to trust beside the signing root, during a root rotation: each
   * cluster's `root-cert.pem` holds the signing root and all of these.
   * @default - none: only the signing root is trusted
   */
  readonly rootCertificates?: readonly T[];
  /**
   * Sign the intermediates with this root instead of a root generated and kept in Pulumi state.
   * @default - a root generated once and kept in Pulumi state as a secret
   */
  readonly bringYourOwnRoot?: BringYourOwnRoot<T>;
  /**
   * Use intermediates your own CA issued (Vault, a corporate PKI) instead of issuing them: nothing
   * is generated, and no root key is ever held. Excludes `bringYourOwnRoot`, `validityHours`,
   * `organization` and `intermediateEarlyRenewalHours` (your CA decides those). Each bundle is
   * checked before anything is registered where its values are plain, and again once secrets are
   * known: CA:TRUE, within its validity, its key, and a chain to `rootCertPem`.
   * @default - intermediates issued from the mesh's root
   */
  readonly bringYourOwnIntermediates?: BringYourOwnIntermediates<T>;
}

/** A {@link MeshTrustSpec} with every default filled in. */
export interface ResolvedMeshTrust {
  /** The root's validity, in hours. */
  readonly rootValidityHours: number;
  /** Each intermediate's validity, in hours. */
  readonly intermediateValidityHours: number;
  /** Hours before expiry from which a rerun reissues an intermediate. */
  readonly intermediateEarlyRenewalHours: number;
  /** The `O` of every certificate. */
  readonly organization: string;
}

/** The `cacerts` Secret istiod reads its plugged-in CA from. */
export const CACERTS_SECRET = {
  name: "cacerts",
  namespace: ISTIO_NAMESPACE,
  keys: {
    /** The cluster's intermediate certificate. */
    caCert: "ca-cert.pem",
    /** The intermediate's private key. */
    caKey: "ca-key.pem",
    /** Every trusted root. */
    rootCert: "root-cert.pem",
    /** The intermediate, then the root that signed it. */
    certChain: "cert-chain.pem",
  },
} as const;

/** The DNS name istiod serves under, and the SAN of each intermediate: `istiod.<namespace>.svc`. */
export function istiodSan(namespace: string = ISTIO_NAMESPACE): string {
  return `istiod.${namespace}.svc`;
}

/** Fills in the defaults of a trust spec. */
export function resolveMeshTrust<T>(spec: MeshTrustSpec<T> = {}): ResolvedMeshTrust {
  return {
    rootValidityHours: spec.validityHours?.root ?? DEFAULT_ROOT_VALIDITY_HOURS,
    intermediateValidityHours: spec.validityHours?.intermediate ?? DEFAULT_INTERMEDIATE_VALIDITY_HOURS,
    intermediateEarlyRenewalHours:
      spec.intermediateEarlyRenewalHours ?? DEFAULT_INTERMEDIATE_EARLY_RENEWAL_HOURS,
    organization: spec.organization ?? DEFAULT_CA_ORGANIZATION,
  };
}

/** The root CA: self-signed, unconstrained path length, `O=<org>, CN=Root CA`. */
export function rootCaProfile<T>(spec: MeshTrustSpec<T> = {}): CaCertificateProfile {
  const trust = resolveMeshTrust(spec);
  return {
    isCaCertificate: true,
    allowedUses: CA_KEY_USAGES,
    subject: { organization: trust.organization, commonName: "Root CA" },
    dnsNames: [],
    validityPeriodHours: trust.rootValidityHours,
    earlyRenewalHours: ROOT_EARLY_RENEWAL_HOURS,
    key: { algorithm: "RSA", rsaBits: 4096 },
  };
}

/**
 * A cluster's intermediate CA, signed by the root: path length 0, SAN `istiod.<namespace>.svc`,
 * `O=<org>, CN=Intermediate CA, L=<cluster id>`.
 *
 * Note for issuers: with Go's `crypto/x509`, a path length of 0 is only written when `MaxPathLenZero` is
 * set; check the issued certificate carries `pathlen:0` (see {@link certificateFacts}).
 */
export function intermediateCaProfile<T>(
  clusterId: string,
  spec: MeshTrustSpec<T> = {},
  namespace: string = ISTIO_NAMESPACE,
): CaCertificateProfile {
  const trust = resolveMeshTrust(spec);
  return {
    isCaCertificate: true,
    maxPathLength: 0,
    allowedUses: CA_KEY_USAGES,
    subject: { organization: trust.organization, commonName: "Intermediate CA", locality: clusterId },
    dnsNames: [istiodSan(namespace)],
    validityPeriodHours: trust.intermediateValidityHours,
    earlyRenewalHours: trust.intermediateEarlyRenewalHours,
    key: { algorithm: "RSA", rsaBits: 4096 },
  };
}

/** The PEM inputs of one cluster's `cacerts` Secret. */
export interface CacertsInput {
  /** The cluster's intermediate certificate. */
  readonly intermediateCertPem: string;
  /** The intermediate's private key (a secret). */
  readonly intermediateKeyPem: string;
  /** The root that signed the intermediate. */
  readonly signingRootCertPem: string;
  /**
   * More roots to trust (a root rotation in progress).
   * @default - none
   */
  readonly extraRootCertPems?: readonly string[];
  /**
   * Certificates between the intermediate and the signing root, issuer first (intermediates you bring).
   * @default - none: the root signed the intermediate
   */
  readonly chainCertPems?: readonly string[];
}

/**
 * The `cacerts` Secret's data (`stringData`): `ca-cert.pem` the intermediate, `ca-key.pem` its key,
 * `cert-chain.pem` the intermediate then the signing root, `root-cert.pem` the trust bundle. The result
 * holds a private key: callers wrap it as a secret.
 */
export function cacertsData(input: CacertsInput): Record<string, string> {
  const intermediate = normalizePem(input.intermediateCertPem);
  const root = normalizePem(input.signingRootCertPem);
  return {
    [CACERTS_SECRET.keys.caCert]: intermediate,
    [CACERTS_SECRET.keys.caKey]: normalizePem(input.intermediateKeyPem),
    [CACERTS_SECRET.keys.rootCert]: rootBundle(input.signingRootCertPem, input.extraRootCertPems ?? []),
    [CACERTS_SECRET.keys.certChain]:
      intermediate +
      (input.chainCertPems ?? []).flatMap((pem) => pemBlocks(pem, "CERTIFICATE")).join("") +
      root,
  };
}

/**
 * The trust bundle: the signing root first, then every extra root not already in it, each once,
 * newline-terminated.
 */
export function rootBundle(signingRootCertPem: string, extraRootCertPems: readonly string[] = []): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const pem of [signingRootCertPem, ...extraRootCertPems]) {
    for (const block of pemBlocks(pem, "CERTIFICATE")) {
      if (!seen.has(block)) {
        seen.add(block);
        out.push(block);
      }
    }
  }
  return out.join("");
}

/** Every PEM block of `label` in `text`, normalized (LF line ends, trailing newline). */
export function pemBlocks(text: string, label: string): string[] {
  const pattern = new RegExp(`-----BEGIN ${label}-----[\\s\\S]*?-----END ${label}-----`, "g");
  return (text.replace(/\r\n/g, "\n").match(pattern) ?? []).map(normalizePem);
}

/** What a CA certificate says about itself (for outputs and checks). */
export interface CertificateFacts {
  /** The subject, `O=…, CN=…`. */
  readonly subject: string;
  /** The issuer, `O=…, CN=…`. */
  readonly issuer: string;
  /** Not-after, ISO 8601 (UTC). */
  readonly notAfter: string;
  /** Whether basicConstraints says CA:true. */
  readonly isCa: boolean;
  /** The `basicConstraints` path length, if the certificate sets one. */
  readonly pathLength?: number;
  /** DNS subject alternative names. */
  readonly dnsNames: readonly string[];
}

/**
 * Reads the first certificate of a PEM text.
 * @throws Error when it holds no parsable certificate (the message never echoes the input)
 */
export function certificateFacts(pem: string): CertificateFacts {
  const block = pemBlocks(pem, "CERTIFICATE")[0];
  if (block === undefined) throw new Error("certificateFacts: no PEM CERTIFICATE block found");
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(block);
  } catch {
    throw new Error("certificateFacts: the PEM CERTIFICATE block does not parse as X.509");
  }
  const pathLength = basicConstraintsPathLength(cert.raw);
  return {
    subject: cert.subject.replace(/\n/g, ", "),
    issuer: cert.issuer.replace(/\n/g, ", "),
    notAfter: new Date(cert.validTo).toISOString(),
    isCa: cert.ca,
    ...(pathLength === undefined ? {} : { pathLength }),
    dnsNames: (cert.subjectAltName ?? "")
      .split(", ")
      .filter((name) => name.startsWith("DNS:"))
      .map((name) => name.slice("DNS:".length)),
  };
}

/**
 * Every problem of a trust spec, at `path` (e.g. `trust`). Values that are not plain strings (Pulumi
 * inputs) are not inspected. Key material is never echoed: a received key is shown as its length.
 */
export function validateMeshTrustSpec(spec: MeshTrustSpec<unknown>, path = "trust"): SpecProblem[] {
  const out: SpecProblem[] = [];
  const trust = resolveMeshTrust(spec);
  hours(out, `${path}.validityHours.root`, spec.validityHours?.root);
  hours(out, `${path}.validityHours.intermediate`, spec.validityHours?.intermediate);
  if (
    isPositiveInteger(trust.rootValidityHours) &&
    isPositiveInteger(trust.intermediateValidityHours) &&
    trust.intermediateValidityHours > trust.rootValidityHours
  ) {
    out.push({
      path: `${path}.validityHours.intermediate`,
      problem: "outlives the root that signs it",
      received: trust.intermediateValidityHours,
      expected: `at most the root's ${trust.rootValidityHours} hours`,
      fix: "Shorten the intermediates' validity or lengthen the root's.",
    });
  }
  const early = spec.intermediateEarlyRenewalHours;
  if (early !== undefined && (!Number.isInteger(early) || early < 0)) {
    out.push({
      path: `${path}.intermediateEarlyRenewalHours`,
      problem: "is not a whole number of hours",
      received: early,
      expected: "an integer ≥ 0",
      fix: "Use e.g. 720 (30 days).",
    });
  } else if (
    isPositiveInteger(trust.intermediateValidityHours) &&
    trust.intermediateEarlyRenewalHours >= trust.intermediateValidityHours
  ) {
    out.push({
      path: `${path}.intermediateEarlyRenewalHours`,
      problem: "is not shorter than the intermediates' validity, so every run would reissue them",
      received: trust.intermediateEarlyRenewalHours,
      expected: `less than ${trust.intermediateValidityHours}`,
      fix: "Use a small fraction of the validity, e.g. 720 (30 days).",
    });
  }
  if (
    spec.organization !== undefined &&
    (typeof spec.organization !== "string" || spec.organization.trim() === "")
  ) {
    out.push({
      path: `${path}.organization`,
      problem: "is empty",
      received: spec.organization,
      expected: "a non-empty organization name",
      fix: `Omit it for "${DEFAULT_CA_ORGANIZATION}" or name your organization.`,
    });
  }
  (spec.rootCertificates ?? []).forEach((pem, i) =>
    caCertificate(out, `${path}.rootCertificates[${i}]`, pem),
  );
  const brought = spec.bringYourOwnIntermediates;
  if (brought !== undefined) {
    const excluded = (
      ["bringYourOwnRoot", "validityHours", "organization", "intermediateEarlyRenewalHours"] as const
    ).filter((key) => spec[key] !== undefined);
    for (const key of excluded) {
      out.push({
        path: `${path}.${key}`,
        problem: "is set together with bringYourOwnIntermediates",
        received: key === "bringYourOwnRoot" ? "<a root certificate and key, redacted>" : spec[key],
        expected: "one of them: your CA issues the intermediates, so isthmus signs nothing",
        fix: `Remove ${key}, or remove bringYourOwnIntermediates to let isthmus issue the intermediates.`,
      });
    }
  }
  const byo = spec.bringYourOwnRoot;
  if (byo !== undefined) {
    caCertificate(out, `${path}.bringYourOwnRoot.certPem`, byo.certPem);
    privateKey(out, `${path}.bringYourOwnRoot.keyPem`, byo.keyPem);
  }
  return out;
}

function hours(out: SpecProblem[], path: string, value: number | undefined): void {
  if (value === undefined || isPositiveInteger(value)) return;
  out.push({
    path,
    problem: "is not a positive whole number of hours",
    received: value,
    expected: "an integer ≥ 1",
    fix: `Use hours, e.g. ${DEFAULT_INTERMEDIATE_VALIDITY_HOURS} for 2 years.`,
  });
}

function caCertificate(out: SpecProblem[], path: string, pem: unknown): void {
  if (typeof pem !== "string") return;
  if (/PRIVATE KEY-----/.test(pem)) {
    out.push({
      path,
      problem: "holds a private key",
      received: `<${pem.length} characters, redacted>`,
      expected: "a PEM CERTIFICATE block only",
      fix: "Pass the certificate alone; a root's key never belongs in a trust bundle.",
    });
    return;
  }
  const blocks = pemBlocks(pem, "CERTIFICATE");
  if (blocks.length !== 1) {
    out.push({
      path,
      problem: blocks.length === 0 ? "is not a PEM certificate" : `holds ${blocks.length} certificates`,
      received: blocks.length === 0 ? `<${pem.length} characters>` : `<${blocks.length} PEM certificates>`,
      expected: "exactly one PEM CERTIFICATE block",
      fix: "Pass one root certificate per entry, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----.",
    });
    return;
  }
  let facts: CertificateFacts;
  try {
    facts = certificateFacts(blocks[0]!);
  } catch {
    out.push({
      path,
      problem: "does not parse as an X.509 certificate",
      received: `<${pem.length} characters>`,
      expected: "a PEM-encoded X.509 CA certificate",
      fix: "Check the PEM was copied whole (e.g. `openssl x509 -noout -text`).",
    });
    return;
  }
  if (!facts.isCa) {
    out.push({
      path,
      problem: "is not a CA certificate",
      received: facts.subject,
      expected: "a certificate with basicConstraints CA:true",
      fix: "Use the root CA's certificate, not a leaf or server certificate.",
    });
  }
}

function privateKey(out: SpecProblem[], path: string, pem: unknown): void {
  if (typeof pem !== "string") return;
  if (
    !/^-----BEGIN (RSA |EC )?PRIVATE KEY-----[\s\S]+-----END (RSA |EC )?PRIVATE KEY-----\s*$/.test(pem.trim())
  ) {
    out.push({
      path,
      problem: "is not an unencrypted PEM private key",
      received: `<${pem.length} characters, redacted>`,
      expected: "one -----BEGIN PRIVATE KEY----- (or RSA / EC PRIVATE KEY) block",
      fix: "Pass the root's key decrypted, as a Pulumi secret (e.g. from Vault or `pulumi config set --secret`).",
    });
  }
}

function isPositiveInteger(value: number): boolean {
  return Number.isInteger(value) && value > 0;
}

function normalizePem(pem: string): string {
  return `${pem.replace(/\r\n/g, "\n").trim()}\n`;
}

/**
 * The path length of a certificate's basicConstraints extension (OID 2.5.29.19), read from its DER:
 * `SEQUENCE { BOOLEAN cA, INTEGER pathLen }`. Undefined when absent.
 */
function basicConstraintsPathLength(der: Buffer): number | undefined {
  // OID 2.5.29.19 encoded: 06 03 55 1d 13
  const oid = Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x13]);
  const at = der.indexOf(oid);
  if (at < 0) return undefined;
  let i = at + oid.length;
  if (der[i] === 0x01) i += 3; // critical BOOLEAN
  if (der[i] !== 0x04) return undefined; // OCTET STRING wrapping the extension value
  i += 2;
  if (der[i] !== 0x30) return undefined; // SEQUENCE
  const end = i + 2 + der[i + 1]!;
  i += 2;
  if (i < end && der[i] === 0x01) i += 3; // cA BOOLEAN
  if (i < end && der[i] === 0x02) return der[i + 2]; // INTEGER pathLen (one byte)
  return undefined;
}
