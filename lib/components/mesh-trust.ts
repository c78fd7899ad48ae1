/**
 * MeshTrust: one root CA and an intermediate CA per cluster, kept in Pulumi state.
 *
 * Keys and certificates are stateful @pulumi/tls resources, so a rerun never regenerates them;
 * private keys are secrets end to end. Each cluster's `cacerts` data (intermediate, its key, the
 * chain and the trust bundle) is exposed as a secret Output for the Istio installation to write.
 */
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import {
  certificateExpiry,
  validateBroughtIntermediates,
  validateIssuedBundle,
  type BringYourOwnIntermediates,
} from "../core/brought-intermediates";
import type { MeshPlan } from "../core/mesh-plan";
import type { SpecProblem } from "../core/problems";
import {
  cacertsData,
  intermediateCaProfile,
  rootCaProfile,
  validateMeshTrustSpec,
  type CaCertificateProfile,
  type MeshTrustSpec,
} from "../core/trust";
import { throwIfProblems } from "../base/input-errors";
import { throwIfBadArguments } from "../base/argument-checks";
import { MESH_TRUST_ARGUMENTS } from "../base/component-arguments";

/** Arguments of {@link MeshTrust}. */
export interface MeshTrustArgs {
  /** The mesh plan: one intermediate per cluster. */
  readonly plan: MeshPlan;
  /**
   * Validity, organization, extra trusted roots (rotation) and a root of your own.
   * @default - a generated root (10 years) and intermediates (2 years)
   */
  readonly trust?: MeshTrustSpec<pulumi.Input<string>>;
}

/** One cluster's intermediate CA. */
export interface IntermediateCa {
  readonly certPem: pulumi.Output<string>;
  /** A secret. */
  readonly keyPem: pulumi.Output<string>;
  /** RFC 3339 expiry. */
  readonly expiresAt: pulumi.Output<string>;
  /** Certificates between the intermediate and the root, issuer first (intermediates you bring). */
  readonly chainPem?: pulumi.Output<string>;
}

/** The mesh's root of trust and one intermediate CA per cluster. */
export class MeshTrust extends pulumi.ComponentResource {
  /** The signing root certificate, PEM. */
  declare readonly rootCertPem: pulumi.Output<string>;
  /** The root's expiry (RFC 3339); unknown for a root of your own. */
  declare readonly rootExpiresAt: pulumi.Output<string | undefined>;
  /** Per cluster id. */
  declare readonly intermediates: Readonly<Record<string, IntermediateCa>>;
  /** Expiry dates by certificate: `root` and each cluster id. */
  declare readonly expiries: pulumi.Output<Record<string, string | undefined>>;

  private readonly extraRoots: pulumi.Input<string>[];
  private readonly rootPem: pulumi.Output<string>;

  constructor(name: string, args: MeshTrustArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfBadArguments(`MeshTrust ${name}`, args, MESH_TRUST_ARGUMENTS);
    const spec = args.trust ?? {};
    const primaries = args.plan.controlPlane.primaries;
    throwIfProblems(`MeshTrust ${name}`, meshTrustProblems(args.plan, spec, "trust"));
    super("isthmus:mesh:MeshTrust", name, {}, opts);
    const parent = { parent: this };
    this.extraRoots = [...(spec.rootCertificates ?? [])];
    if (spec.bringYourOwnIntermediates !== undefined) {
      this.rootPem = pulumi.output(spec.bringYourOwnIntermediates.rootCertPem);
      this.rootCertPem = this.rootPem;
      this.rootExpiresAt = this.rootPem.apply(certificateExpiry);
      this.intermediates = broughtIntermediates(spec.bringYourOwnIntermediates, primaries);
      this.expiries = expiries(this.rootExpiresAt, this.intermediates);
      this.registerOutputs({ rootCertPem: this.rootCertPem, expiries: this.expiries });
      return;
    }

    let rootKeyPem: pulumi.Output<string>;
    let rootExpiresAt: pulumi.Output<string | undefined>;
    if (spec.bringYourOwnRoot !== undefined) {
      this.rootPem = pulumi.output(spec.bringYourOwnRoot.certPem);
      rootKeyPem = pulumi.secret(spec.bringYourOwnRoot.keyPem);
      rootExpiresAt = pulumi.output(undefined);
    } else {
      const profile = rootCaProfile(spec);
      const key = new tls.PrivateKey(`${name}-root-key`, keyArgs(profile), parent);
      const cert = new tls.SelfSignedCert(
        `${name}-root-cert`,
        {
          privateKeyPem: key.privateKeyPem,
          subject: subject(profile),
          validityPeriodHours: profile.validityPeriodHours,
          earlyRenewalHours: profile.earlyRenewalHours,
          isCaCertificate: true,
          allowedUses: [...profile.allowedUses],
          setSubjectKeyId: true,
        },
        parent,
      );
      this.rootPem = cert.certPem;
      rootKeyPem = key.privateKeyPem;
      rootExpiresAt = cert.validityEndTime;
    }

    const intermediates: Record<string, IntermediateCa> = {};
    // Intermediates go where istiod runs: the primaries.
    for (const id of args.plan.controlPlane.primaries) {
      const profile = intermediateCaProfile(id, spec, args.plan.istio.namespace);
      const key = new tls.PrivateKey(`${name}-${id}-intermediate-key`, keyArgs(profile), parent);
      const request = new tls.CertRequest(
        `${name}-${id}-intermediate-csr`,
        { privateKeyPem: key.privateKeyPem, subject: subject(profile), dnsNames: [...profile.dnsNames] },
        parent,
      );
      const cert = new tls.LocallySignedCert(
        `${name}-${id}-intermediate-cert`,
        {
          certRequestPem: request.certRequestPem,
          caCertPem: this.rootPem,
          caPrivateKeyPem: rootKeyPem,
          validityPeriodHours: profile.validityPeriodHours,
          earlyRenewalHours: profile.earlyRenewalHours,
          isCaCertificate: true,
          maxPathLength: profile.maxPathLength ?? 0,
          allowedUses: [...profile.allowedUses],
          setSubjectKeyId: true,
        },
        parent,
      );
      intermediates[id] = {
        certPem: cert.certPem,
        keyPem: pulumi.secret(key.privateKeyPem),
        expiresAt: cert.validityEndTime,
      };
    }

    this.rootCertPem = this.rootPem;
    this.rootExpiresAt = rootExpiresAt;
    this.intermediates = intermediates;
    this.expiries = expiries(rootExpiresAt, intermediates);
    this.registerOutputs({ rootCertPem: this.rootCertPem, expiries: this.expiries });
  }

  /**
   * The `cacerts` Secret data for a cluster (`ca-cert.pem`, `ca-key.pem`, `root-cert.pem`,
   * `cert-chain.pem`), as a secret.
   */
  cacerts(clusterId: string): pulumi.Output<Record<string, string>> {
    const intermediate = this.intermediates[clusterId];
    if (intermediate === undefined) throw new Error(`MeshTrust: no intermediate CA for cluster ${clusterId}`);
    const chain = intermediate.chainPem ?? pulumi.output("");
    return pulumi.secret(
      pulumi
        .all([intermediate.certPem, intermediate.keyPem, this.rootPem, pulumi.all(this.extraRoots), chain])
        .apply(([certPem, keyPem, rootPem, extra, chainPem]) =>
          // A PEM is unset only under mocks that compute no outputs (Pulumi's echo mocks): empty then.
          cacertsData({
            intermediateCertPem: certPem ?? "",
            intermediateKeyPem: keyPem ?? "",
            signingRootCertPem: rootPem ?? "",
            extraRootCertPems: extra,
            ...(chainPem === "" ? {} : { chainCertPems: [chainPem] }),
          }),
        ),
    );
  }
}

/** Expiry dates by certificate: `root` and each cluster id. */
function expiries(
  root: pulumi.Output<string | undefined>,
  intermediates: Readonly<Record<string, IntermediateCa>>,
): pulumi.Output<Record<string, string | undefined>> {
  return pulumi
    .all([root, ...Object.values(intermediates).map((i) => i.expiresAt)])
    .apply(([rootExpiry, ...rest]): Record<string, string | undefined> => ({
      root: rootExpiry,
      ...Object.fromEntries(Object.keys(intermediates).map((id, i) => [id, rest[i]])),
    }));
}

/**
 * Intermediates your CA issued, checked once their values are known (keys arrive as secrets): a
 * bundle istiod would refuse fails the deployment before its `cacerts` is written.
 */
function broughtIntermediates(
  brought: BringYourOwnIntermediates<pulumi.Input<string>>,
  primaries: readonly string[],
): Record<string, IntermediateCa> {
  const out: Record<string, IntermediateCa> = {};
  for (const id of primaries) {
    const issued = brought.clusters[id]!;
    const certPem = pulumi.output(issued.certPem);
    const chainPem = pulumi.output(issued.chainPem ?? "");
    // The key is the last value known; the whole bundle is checked then, before cacerts is written.
    const keyPem = pulumi
      .all([brought.rootCertPem, certPem, issued.keyPem, chainPem])
      .apply(([rootCertPem, cert, key, chain]) => {
        validateIssuedBundle(id, rootCertPem, {
          certPem: cert,
          keyPem: key,
          ...(chain === "" ? {} : { chainPem: chain }),
        });
        return key;
      });
    out[id] = {
      certPem,
      keyPem: pulumi.secret(keyPem),
      expiresAt: certPem.apply((pem) => certificateExpiry(pem) ?? ""),
      chainPem,
    };
  }
  return out;
}

function keyArgs(profile: CaCertificateProfile): tls.PrivateKeyArgs {
  return { algorithm: profile.key.algorithm, rsaBits: profile.key.rsaBits };
}

function subject(profile: CaCertificateProfile): tls.types.input.CertRequestSubject {
  return {
    organization: profile.subject.organization,
    commonName: profile.subject.commonName,
    ...(profile.subject.locality === undefined ? {} : { locality: profile.subject.locality }),
  };
}

/**
 * Every problem of a trust spec for a plan's primaries (intermediates you bring, one per primary),
 * paths under `path`.
 */
export function meshTrustProblems(
  plan: MeshPlan,
  spec: MeshTrustSpec<pulumi.Input<string>>,
  path: string,
): SpecProblem[] {
  return [
    ...validateMeshTrustSpec(spec, path),
    ...(spec.bringYourOwnIntermediates === undefined
      ? []
      : validateBroughtIntermediates(
          spec.bringYourOwnIntermediates,
          plan.controlPlane.primaries,
          `${path}.bringYourOwnIntermediates`,
        )),
  ];
}
