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
import type { BringYourOwnIntermediates } from "./brought-intermediates";
import { normalizePem, pemBlocks } from "./certificates";
import { ISTIO_NAMESPACE } from "./resolve";

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

export * from "./certificates";
export * from "./trust-validation";
