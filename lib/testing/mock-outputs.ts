/**
 * Realistic outputs per resource type and function, so that a program evaluated offline sees the
 * kinds of values a real deployment returns: an EKS endpoint and CA, a load balancer hostname on
 * AWS and an IP on GCP, a filled-in service-account token, key and certificate PEMs.
 *
 * Every value is derived from the resource's URN, so two runs of one program produce identical
 * plans. None of it is real key material.
 */
import { createHash } from "node:crypto";

/** Deterministic pseudo-random bytes for a seed. */
export function seededBytes(seed: string, length: number): Buffer {
  const chunks: Buffer[] = [];
  for (let i = 0; chunks.length * 32 < length; i++) {
    chunks.push(createHash("sha256").update(`${seed}#${i}`).digest());
  }
  return Buffer.concat(chunks).subarray(0, length);
}

function hex(seed: string, length: number): string {
  return seededBytes(seed, Math.ceil(length / 2))
    .toString("hex")
    .slice(0, length);
}

/** A PEM block of the given label whose body is filler derived from the seed. */
export function fakePem(label: string, seed: string, bytes = 600): string {
  const body = seededBytes(`${label}:${seed}`, bytes)
    .toString("base64")
    .replace(/(.{64})/g, "$1\n")
    .trim();
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

function ipFrom(seed: string, first: number): string {
  const b = seededBytes(seed, 3);
  return `${first}.${b[0]}.${b[1]}.${(b[2]! % 250) + 2}`;
}

/** Context the engine gives an output builder. */
export interface OutputContext {
  readonly urn: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  /** The region of the resource's cloud provider, when known (`aws:region`, `gcp:region`). */
  readonly region?: string;
  /** Whether the resource's Kubernetes provider points at a GCP cluster (for load balancer addresses). */
  readonly cloud?: "aws" | "gcp";
  /** A read of an existing resource (`.get`), whose inputs are only its id. */
  readonly read?: boolean;
}

type Builder = (ctx: OutputContext) => { id?: string; state: Record<string, unknown> };

const ACCOUNT = "123456789012";

function awsArn(service: string, ctx: OutputContext, path: string): string {
  return `arn:aws:${service}:${ctx.region ?? "us-east-1"}:${ACCOUNT}:${path}`;
}

function awsId(prefix: string): Builder {
  return (ctx) => {
    const id = `${prefix}-${hex(ctx.urn, 17)}`;
    return { id, state: { ...ctx.inputs, id, arn: awsArn("ec2", ctx, `${prefix}/${id}`) } };
  };
}

const get = (o: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>(
    (v, k) => (typeof v === "object" && v !== null ? (v as Record<string, unknown>)[k] : undefined),
    o,
  );

const BUILDERS: Readonly<Record<string, Builder>> = {
  "aws:eks/cluster:Cluster": (ctx) => {
    const name = (ctx.inputs.name as string | undefined) ?? ctx.name;
    const region = ctx.region ?? "us-east-1";
    return {
      id: name,
      state: {
        ...ctx.inputs,
        name,
        arn: awsArn("eks", ctx, `cluster/${name}`),
        endpoint: `https://${hex(ctx.urn, 32).toUpperCase()}.gr7.${region}.eks.amazonaws.com`,
        certificateAuthority: { data: Buffer.from(fakePem("CERTIFICATE", ctx.urn)).toString("base64") },
        identities: [
          { oidcs: [{ issuer: `https://oidc.eks.${region}.amazonaws.com/id/${hex(ctx.urn, 32)}` }] },
        ],
        status: "ACTIVE",
        version: ctx.inputs.version ?? "1.33",
        vpcConfig: {
          ...(ctx.inputs.vpcConfig as object),
          clusterSecurityGroupId: `sg-${hex(`${ctx.urn}sg`, 17)}`,
        },
      },
    };
  },
  "aws:eks/nodeGroup:NodeGroup": (ctx) => ({
    id: `${ctx.inputs.clusterName as string}:${ctx.name}`,
    state: { ...ctx.inputs, arn: awsArn("eks", ctx, `nodegroup/${ctx.name}`), status: "ACTIVE" },
  }),
  "aws:ec2/vpc:Vpc": awsId("vpc"),
  "aws:ec2/subnet:Subnet": awsId("subnet"),
  "aws:ec2/securityGroup:SecurityGroup": awsId("sg"),
  "aws:ec2/internetGateway:InternetGateway": awsId("igw"),
  "aws:ec2/natGateway:NatGateway": awsId("nat"),
  "aws:ec2/routeTable:RouteTable": awsId("rtb"),
  "aws:ec2/eip:Eip": (ctx) => {
    const id = `eipalloc-${hex(ctx.urn, 17)}`;
    return { id, state: { ...ctx.inputs, id, allocationId: id, publicIp: ipFrom(ctx.urn, 54) } };
  },
  "aws:ec2/instance:Instance": (ctx) => {
    const id = `i-${hex(ctx.urn, 17)}`;
    return {
      id,
      state: { ...ctx.inputs, id, privateIp: ipFrom(ctx.urn, 10), publicIp: ipFrom(`${ctx.urn}p`, 3) },
    };
  },
  "aws:iam/role:Role": (ctx) => {
    const name = (ctx.inputs.name as string | undefined) ?? `${ctx.name}-${hex(ctx.urn, 7)}`;
    return { id: name, state: { ...ctx.inputs, name, arn: `arn:aws:iam::${ACCOUNT}:role/${name}` } };
  },
  "aws:iam/policy:Policy": (ctx) => {
    const name = (ctx.inputs.name as string | undefined) ?? `${ctx.name}-${hex(ctx.urn, 7)}`;
    const arn = `arn:aws:iam::${ACCOUNT}:policy/${name}`;
    return {
      id: arn,
      state: { ...ctx.inputs, name, arn, policyId: `ANPA${hex(ctx.urn, 17).toUpperCase()}` },
    };
  },
  "aws:eks/addon:Addon": (ctx) => ({
    id: `${ctx.inputs.clusterName as string}:${ctx.inputs.addonName as string}`,
    state: {
      ...ctx.inputs,
      arn: awsArn("eks", ctx, `addon/${ctx.inputs.clusterName as string}/${ctx.inputs.addonName as string}`),
      addonVersion: "v1.3.8-eksbuild.2",
    },
  }),
  "aws:eks/podIdentityAssociation:PodIdentityAssociation": (ctx) => {
    const id = `a-${hex(ctx.urn, 17)}`;
    return {
      id,
      state: {
        ...ctx.inputs,
        associationId: id,
        associationArn: awsArn(
          "eks",
          ctx,
          `podidentityassociation/${ctx.inputs.clusterName as string}/${id}`,
        ),
      },
    };
  },
  "aws:ec2/networkInterface:NetworkInterface": (ctx) => {
    const id = `eni-${hex(ctx.urn, 17)}`;
    return { id, state: { ...ctx.inputs, id, privateIp: ipFrom(ctx.urn, 10) } };
  },
  "aws:ssm/parameter:Parameter": (ctx) => {
    const name = (ctx.inputs.name as string | undefined) ?? `${ctx.name}-${hex(ctx.urn, 7)}`;
    return {
      id: name,
      state: {
        ...ctx.inputs,
        name,
        arn: awsArn("ssm", ctx, `parameter${name.startsWith("/") ? "" : "/"}${name}`),
        version: 1,
      },
    };
  },
  "aws:iam/instanceProfile:InstanceProfile": (ctx) => {
    const name = (ctx.inputs.name as string | undefined) ?? `${ctx.name}-${hex(ctx.urn, 7)}`;
    return {
      id: name,
      state: { ...ctx.inputs, name, arn: `arn:aws:iam::${ACCOUNT}:instance-profile/${name}` },
    };
  },
  "gcp:serviceaccount/account:Account": (ctx) => {
    const email = `${ctx.inputs.accountId as string}@demo-project.iam.gserviceaccount.com`;
    return {
      id: `projects/demo-project/serviceAccounts/${email}`,
      state: { ...ctx.inputs, email, name: `projects/demo-project/serviceAccounts/${email}` },
    };
  },
  "gcp:secretmanager/secretVersion:SecretVersion": (ctx) => {
    const name = `projects/123456789012/secrets/${ctx.name}/versions/1`;
    return { id: name, state: { ...ctx.inputs, name, version: "1" } };
  },
  "gcp:container/cluster:Cluster": (ctx) => ({
    id: `projects/demo-project/locations/${ctx.region ?? "us-east1"}/clusters/${ctx.inputs.name as string}`,
    state: {
      ...ctx.inputs,
      endpoint: ipFrom(ctx.urn, 34),
      masterAuth: { clusterCaCertificate: Buffer.from(fakePem("CERTIFICATE", ctx.urn)).toString("base64") },
      selfLink: `https://container.googleapis.com/v1/projects/demo-project/locations/${ctx.region ?? "us-east1"}/clusters/${ctx.inputs.name as string}`,
    },
  }),
  "gcp:compute/address:Address": (ctx) => {
    const name = (ctx.inputs.name as string | undefined) ?? `${ctx.name}-${hex(ctx.urn, 8)}`;
    const region = (ctx.inputs.region as string | undefined) ?? ctx.region ?? "us-east1";
    return {
      id: `projects/demo-project/regions/${region}/addresses/${name}`,
      state: {
        ...ctx.inputs,
        name,
        address: ipFrom(ctx.urn, 35),
        selfLink: `https://www.googleapis.com/compute/v1/projects/demo-project/regions/${region}/addresses/${name}`,
      },
    };
  },
  "kubernetes:core/v1:Service": (ctx) => {
    // A Service read back by id is taken to be a load balancer (the east-west gateway's).
    if (!ctx.read && get(ctx.inputs, "spec", "type") !== "LoadBalancer") return { state: { ...ctx.inputs } };
    const ingress =
      ctx.cloud === "gcp"
        ? { ip: ipFrom(ctx.urn, 35) }
        : {
            hostname: `k8s-${hex(ctx.urn, 8)}-${hex(`${ctx.urn}x`, 10)}.elb.${ctx.region ?? "us-east-1"}.amazonaws.com`,
          };
    return { state: { ...ctx.inputs, status: { loadBalancer: { ingress: [ingress] } } } };
  },
  "kubernetes:core/v1:Secret": (ctx) => {
    if (ctx.inputs.type !== "kubernetes.io/service-account-token") return { state: { ...ctx.inputs } };
    const token = `eyJhbGciOiJSUzI1NiJ9.${seededBytes(`${ctx.urn}token`, 96).toString("base64url")}.${seededBytes(`${ctx.urn}sig`, 64).toString("base64url")}`;
    return {
      state: {
        ...ctx.inputs,
        data: {
          token: Buffer.from(token).toString("base64"),
          "ca.crt": Buffer.from(fakePem("CERTIFICATE", ctx.urn)).toString("base64"),
          namespace: Buffer.from(String(get(ctx.inputs, "metadata", "namespace") ?? "default")).toString(
            "base64",
          ),
        },
      },
    };
  },
  "kubernetes:helm.sh/v3:Release": (ctx) => ({
    state: {
      ...ctx.inputs,
      status: {
        name: ctx.inputs.name,
        namespace: ctx.inputs.namespace,
        chart: ctx.inputs.chart,
        version: ctx.inputs.version,
        appVersion: ctx.inputs.version,
        revision: 1,
        status: "deployed",
      },
    },
  }),
  "tls:index/privateKey:PrivateKey": (ctx) => ({
    state: {
      ...ctx.inputs,
      privateKeyPem: fakePem("PRIVATE KEY", ctx.urn, 120),
      privateKeyPemPkcs8: fakePem("PRIVATE KEY", ctx.urn, 120),
      publicKeyPem: fakePem("PUBLIC KEY", ctx.urn, 90),
      publicKeyFingerprintSha256: `SHA256:${seededBytes(ctx.urn, 32).toString("base64")}`,
    },
  }),
  "tls:index/selfSignedCert:SelfSignedCert": certificate,
  "tls:index/locallySignedCert:LocallySignedCert": certificate,
  "tls:index/certRequest:CertRequest": (ctx) => ({
    state: { ...ctx.inputs, certRequestPem: fakePem("CERTIFICATE REQUEST", ctx.urn) },
  }),
  "random:index/randomBytes:RandomBytes": (ctx) => {
    const bytes = seededBytes(ctx.urn, Number(ctx.inputs.length ?? 32));
    return { state: { ...ctx.inputs, base64: bytes.toString("base64"), hex: bytes.toString("hex") } };
  },
  "random:index/randomId:RandomId": (ctx) => {
    const bytes = seededBytes(ctx.urn, Number(ctx.inputs.byteLength ?? 8));
    return { state: { ...ctx.inputs, hex: bytes.toString("hex"), b64Url: bytes.toString("base64url") } };
  },
};

/** A fixed clock so that expiry dates in plans are reproducible. */
export const OFFLINE_NOW = Date.UTC(2026, 0, 1);

function certificate(ctx: OutputContext): { state: Record<string, unknown> } {
  const hours = Number(ctx.inputs.validityPeriodHours ?? 8760);
  return {
    state: {
      ...ctx.inputs,
      certPem: fakePem("CERTIFICATE", ctx.urn),
      validityStartTime: new Date(OFFLINE_NOW).toISOString().replace(/\.000Z$/, "Z"),
      validityEndTime: new Date(OFFLINE_NOW + hours * 3_600_000).toISOString().replace(/\.000Z$/, "Z"),
      readyForRenewal: false,
    },
  };
}

/** The outputs for a resource: the type's builder, or the inputs echoed with a derived id. */
export function mockOutputs(
  type: string,
  ctx: OutputContext,
): { id: string; state: Record<string, unknown> } {
  const built = BUILDERS[type]?.(ctx) ?? { state: { ...ctx.inputs } };
  const state = isKubernetesObject(type, built.state)
    ? withServerMetadata(built.state, ctx.urn)
    : built.state;
  return { id: built.id ?? `${ctx.name}-${hex(ctx.urn, 8)}`, state };
}

function isKubernetesObject(type: string, state: Record<string, unknown>): boolean {
  return (
    type.startsWith("kubernetes:") &&
    type !== "kubernetes:helm.sh/v3:Release" &&
    typeof state.metadata === "object"
  );
}

/** What the API server adds to every object it stores: a uid and a resource version. */
function withServerMetadata(state: Record<string, unknown>, urn: string): Record<string, unknown> {
  const b = seededBytes(`${urn}uid`, 16).toString("hex");
  const uid = `${b.slice(0, 8)}-${b.slice(8, 12)}-${b.slice(12, 16)}-${b.slice(16, 20)}-${b.slice(20, 32)}`;
  return { ...state, metadata: { ...(state.metadata as object), uid, resourceVersion: "1" } };
}

type CallBuilder = (inputs: Record<string, unknown>, region?: string) => Record<string, unknown>;

/** Provider functions the offline engine answers; any other call is refused. */
export const MOCK_CALLS: Readonly<Record<string, CallBuilder>> = {
  "aws:index/getCallerIdentity:getCallerIdentity": () => ({
    accountId: ACCOUNT,
    arn: `arn:aws:iam::${ACCOUNT}:user/offline`,
    userId: "AIDAOFFLINE",
    id: ACCOUNT,
  }),
  "aws:index/getPartition:getPartition": () => ({ partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" }),
  "aws:index/getRegion:getRegion": (_inputs, region) => ({
    name: region ?? "us-east-1",
    region: region ?? "us-east-1",
    id: region ?? "us-east-1",
  }),
  "aws:index/getAvailabilityZones:getAvailabilityZones": (inputs, region) => {
    // Six zones a–f with ids `<region abbreviation>-az1..6` (use1 for us-east-1), minus excluded ids.
    const r = region ?? "us-east-1";
    const [area, direction, n] = r.split("-");
    const prefix = `${area}${(direction ?? "").charAt(0)}${n ?? ""}`;
    const excluded = (inputs.excludeZoneIds as string[] | undefined) ?? [];
    const zones = ["a", "b", "c", "d", "e", "f"]
      .map((l, i) => ({ name: `${r}${l}`, id: `${prefix}-az${i + 1}` }))
      .filter((z) => !excluded.includes(z.id));
    return { names: zones.map((z) => z.name), zoneIds: zones.map((z) => z.id), id: r };
  },
  "gcp:organizations/getClientConfig:getClientConfig": () => ({
    accessToken: "offline",
    project: "demo-project",
    region: "us-east1",
    zone: "us-east1-b",
    id: "offline",
  }),
};
