/**
 * Issues the mesh's CA certificates without Pulumi, for `isthmus trust`, from the same profiles the
 * Pulumi path (`MeshTrust`, @pulumi/tls) issues them from (`lib/core/trust.ts`): RSA 4096 keys,
 * SHA-256 signatures, the root `O=<org>, CN=Root CA` (CA, cert signing), each intermediate
 * `L=<cluster>, O=<org>, CN=Intermediate CA` (CA, path length 0, SAN `istiod.<namespace>.svc`),
 * basic constraints and key usage critical, subject and authority key identifiers — the extensions
 * Go's `crypto/x509` writes for @pulumi/tls.
 *
 * Node's crypto parses X.509 but cannot issue it; @peculiar/x509 builds the certificate (ASN.1) and
 * signs with Node's own WebCrypto, so keys are generated and used by OpenSSL inside Node and no
 * cryptography is reimplemented in JavaScript. Its dependency injection (tsyringe) needs the
 * `reflect-metadata` polyfill, loaded here; the CLI loads this module only for `isthmus trust`.
 */
import "reflect-metadata";
import { createPrivateKey, webcrypto, X509Certificate as NodeX509 } from "node:crypto";
import * as x509 from "@peculiar/x509";
import type { CaCertificateProfile, CertificateSubject } from "../core/trust";

const crypto = webcrypto as unknown as Crypto;
const RSA: RsaHashedKeyGenParams = {
  name: "RSASSA-PKCS1-v1_5",
  modulusLength: 4096,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: "SHA-256",
};

/** A CA that signs: its certificate and its private key (a WebCrypto key, never exported by this). */
export interface SigningCa {
  readonly certPem: string;
  readonly key: CryptoKey;
}

/** An issued certificate and its key pair's private key as PEM (a secret). */
export interface IssuedCa extends SigningCa {
  readonly keyPem: string;
}

/** `L=…, O=…, CN=…`, in the order Go's `pkix.Name` writes a subject. */
function distinguishedName(subject: CertificateSubject): string {
  const escape = (value: string): string => value.replace(/([,+"\\<>;=])/g, "\\$1");
  return [
    ...(subject.locality === undefined ? [] : [`L=${escape(subject.locality)}`]),
    `O=${escape(subject.organization)}`,
    `CN=${escape(subject.commonName)}`,
  ].join(", ");
}

function extensions(profile: CaCertificateProfile): x509.Extension[] {
  const usages = profile.allowedUses.reduce(
    (flags, use) =>
      flags |
      {
        cert_signing: x509.KeyUsageFlags.keyCertSign,
        crl_signing: x509.KeyUsageFlags.cRLSign,
        digital_signature: x509.KeyUsageFlags.digitalSignature,
      }[use],
    0,
  );
  return [
    new x509.BasicConstraintsExtension(true, profile.maxPathLength, true),
    new x509.KeyUsagesExtension(usages, true),
    ...(profile.dnsNames.length === 0
      ? []
      : [
          new x509.SubjectAlternativeNameExtension(
            profile.dnsNames.map((value): x509.JsonGeneralName => ({ type: "dns", value })),
          ),
        ]),
  ];
}

function validity(profile: CaCertificateProfile, now: Date): { notBefore: Date; notAfter: Date } {
  return { notBefore: now, notAfter: new Date(now.getTime() + profile.validityPeriodHours * 3_600_000) };
}

/** A random positive 128-bit serial number, hexadecimal. */
function serialNumber(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = bytes[0]! & 0x7f;
  return Buffer.from(bytes).toString("hex");
}

async function keyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await crypto.subtle.exportKey("pkcs8", key));
  // PKCS #1, as @pulumi/tls writes RSA keys (istiod reads either).
  return createPrivateKey({ key: der, format: "der", type: "pkcs8" })
    .export({ type: "pkcs1", format: "pem" })
    .toString();
}

/** Issues a self-signed root CA. */
export async function issueRoot(profile: CaCertificateProfile, now = new Date()): Promise<IssuedCa> {
  const keys = (await crypto.subtle.generateKey(RSA, true, ["sign", "verify"])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serialNumber(),
      name: distinguishedName(profile.subject),
      ...validity(profile, now),
      signingAlgorithm: RSA,
      keys,
      extensions: [
        ...extensions(profile),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  return {
    certPem: cert.toString("pem") + "\n",
    key: keys.privateKey,
    keyPem: await keyPem(keys.privateKey),
  };
}

/** Issues an intermediate CA signed by `root`. */
export async function issueIntermediate(
  profile: CaCertificateProfile,
  root: SigningCa,
  now = new Date(),
): Promise<IssuedCa> {
  const keys = (await crypto.subtle.generateKey(RSA, true, ["sign", "verify"])) as CryptoKeyPair;
  const rootCert = new x509.X509Certificate(root.certPem);
  const rootKeyId = rootCert.getExtension(x509.SubjectKeyIdentifierExtension);
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serialNumber(),
      subject: distinguishedName(profile.subject),
      issuer: rootCert.subjectName,
      ...validity(profile, now),
      signingAlgorithm: signingAlgorithm(root.key),
      publicKey: keys.publicKey,
      signingKey: root.key,
      extensions: [
        ...extensions(profile),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
        // The root's own key id when it has one (a root you bring may compute it another way).
        rootKeyId === null
          ? await x509.AuthorityKeyIdentifierExtension.create(rootCert.publicKey, false, crypto)
          : new x509.AuthorityKeyIdentifierExtension(rootKeyId.keyId),
      ],
    },
    crypto,
  );
  return {
    certPem: cert.toString("pem") + "\n",
    key: keys.privateKey,
    keyPem: await keyPem(keys.privateKey),
  };
}

function signingAlgorithm(key: CryptoKey): Algorithm | EcdsaParams {
  if (key.algorithm.name === "ECDSA") {
    const curve = (key.algorithm as EcKeyAlgorithm).namedCurve;
    return { name: "ECDSA", hash: curve === "P-256" ? "SHA-256" : curve === "P-384" ? "SHA-384" : "SHA-512" };
  }
  return { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
}

/**
 * A root you bring, from PEM: RSA or ECDSA (P-256, P-384, P-521) key. Throws an Error (never echoing
 * the key) when the key is not the certificate's or is of another type.
 */
export async function importRoot(certPem: string, keyPemText: string): Promise<SigningCa> {
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(keyPemText);
  } catch {
    throw new Error("is not a readable unencrypted PEM private key");
  }
  if (!new NodeX509(certPem).checkPrivateKey(key)) throw new Error("is not the key of the root certificate");
  const der = key.export({ type: "pkcs8", format: "der" });
  const type = key.asymmetricKeyType;
  const curves: Record<string, string> = { prime256v1: "P-256", secp384r1: "P-384", secp521r1: "P-521" };
  const algorithm =
    type === "rsa"
      ? { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }
      : type === "ec" && curves[key.asymmetricKeyDetails?.namedCurve ?? ""] !== undefined
        ? { name: "ECDSA", namedCurve: curves[key.asymmetricKeyDetails!.namedCurve!]! }
        : undefined;
  if (algorithm === undefined) throw new Error(`is a ${type} key; expected RSA or ECDSA P-256/P-384/P-521`);
  return { certPem, key: await crypto.subtle.importKey("pkcs8", der, algorithm, false, ["sign"]) };
}
