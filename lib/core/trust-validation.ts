/**
 * Validation of a mesh's trust options: validity hours, extra roots, a root of your own. Key
 * material is never echoed.
 */
import { certificateFacts, pemBlocks, type CertificateFacts } from "./certificates";
import type { SpecProblem } from "./problems";
import {
  DEFAULT_CA_ORGANIZATION,
  DEFAULT_INTERMEDIATE_VALIDITY_HOURS,
  resolveMeshTrust,
  type MeshTrustSpec,
} from "./trust";

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
