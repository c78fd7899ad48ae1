/**
 * Reading PEM certificates: blocks of a label, and what a CA certificate says about itself.
 */
import { X509Certificate } from "node:crypto";

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

/** A PEM text with LF line ends and one trailing newline. */
export function normalizePem(pem: string): string {
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
