import * as assert from "node:assert/strict";
import * as awsEc2 from "@pulumi/aws/ec2";
import * as awsEks from "@pulumi/aws/eks";
import { getAvailabilityZones } from "@pulumi/aws/getAvailabilityZones";
import { Provider as AwsProvider } from "@pulumi/aws/provider";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { runOffline, type OfflineEngine } from "../../lib/testing/offline-engine";
import type { RecordedResource } from "../../lib/testing/recorded-resource";

const EKS_SERVER = "https://0123456789ABCDEF0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com";
const GKE_KUBECONFIG = `apiVersion: v1\nkind: Config\nclusters:\n- name: gke_demo-project_us-east1_c\n  cluster:\n    server: https://34.1.2.3\n`;

function valueOf<T>(input: pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => pulumi.output(input).apply((v) => resolve(v as T)));
}

/** A component with a child, used to check parents and dependencies through components. */
class Box extends pulumi.ComponentResource {
  declare readonly namespace: k8s.core.v1.Namespace;
  constructor(name: string, provider: k8s.Provider, opts?: pulumi.ComponentResourceOptions) {
    super("test:index:Box", name, {}, opts);
    this.namespace = new k8s.core.v1.Namespace(
      `${name}-ns`,
      { metadata: { name: "sample" } },
      { parent: this, provider },
    );
    this.registerOutputs({});
  }
}

/** A small stack: a component, Kubernetes objects on an EKS-looking cluster, an EKS cluster, a token Secret. */
function program() {
  const eksK8s = new k8s.Provider("east-k8s", {
    kubeconfig: pulumi.secret(`apiVersion: v1\nclusters:\n- cluster:\n    server: ${EKS_SERVER}\n`),
    clusterIdentifier: "east",
  });
  const gkeK8s = new k8s.Provider("central-k8s", {
    kubeconfig: pulumi.secret(GKE_KUBECONFIG),
    clusterIdentifier: "central",
  });
  const box = new Box("box", eksK8s);
  const config = new k8s.core.v1.ConfigMap(
    "settings",
    {
      metadata: { name: "settings", namespace: box.namespace.metadata.name },
      data: { plain: "visible", hidden: pulumi.secret("not-for-logs") },
    },
    { provider: eksK8s },
  );
  const secret = new k8s.core.v1.Secret(
    "credentials",
    { metadata: { name: "credentials", namespace: "sample" }, stringData: { password: "hunter2" } },
    { provider: eksK8s, dependsOn: [box] },
  );
  const lb = new k8s.core.v1.Service(
    "gateway",
    {
      metadata: { name: "gateway", namespace: "sample" },
      spec: { type: "LoadBalancer", ports: [{ port: 15443 }] },
    },
    { provider: eksK8s, dependsOn: [config] },
  );
  const gkeLb = new k8s.core.v1.Service(
    "gke-gateway",
    {
      metadata: { name: "gateway", namespace: "sample" },
      spec: { type: "LoadBalancer", ports: [{ port: 15443 }] },
    },
    { provider: gkeK8s },
  );
  const token = new k8s.core.v1.Secret(
    "reader-token",
    {
      metadata: {
        name: "reader-token",
        namespace: "istio-system",
        annotations: { "kubernetes.io/service-account.name": "istio-reader-service-account" },
      },
      type: "kubernetes.io/service-account-token",
    },
    { provider: eksK8s },
  );
  // The id waits on the uid, unknown until the Secret exists: a preview reads nothing.
  const filled = k8s.core.v1.Secret.get(
    "reader-token-filled",
    pulumi
      .all([token.metadata.uid, token.metadata.namespace, token.metadata.name])
      .apply(([, ns, n]) => `${ns}/${n}`),
    { provider: eksK8s, dependsOn: [token] },
  );
  const aws1 = new AwsProvider("eu", { region: "eu-west-1" });
  const eks = new awsEks.Cluster(
    "eks",
    { roleArn: "arn:aws:iam::123456789012:role/eks", vpcConfig: { subnetIds: ["subnet-1"] } },
    { provider: aws1 },
  );
  return { box, config, secret, lb, gkeLb, filled, eks, dryRun: pulumi.runtime.isDryRun() };
}

describe("OfflineEngine", () => {
  let engine: OfflineEngine;
  let result: ReturnType<typeof program>;
  before(async () => {
    ({ engine, result } = await runOffline(program));
  });

  it("records type, name, parent and provider of every registration", () => {
    const box = engine.get("test:index:Box", "box");
    const ns = engine.get("kubernetes:core/v1:Namespace", "box-ns");
    const provider = engine.get("pulumi:providers:kubernetes", "east-k8s");
    assert.equal(box.custom, false);
    // The mock runtime registers no stack resource: top-level resources have no parent.
    assert.equal(box.parent, undefined);
    assert.equal(ns.custom, true);
    assert.equal(ns.parent, box.urn);
    assert.equal(ns.provider?.startsWith(`${provider.urn}::`), true);
    assert.equal(engine.providerOf(ns)?.urn, provider.urn);
    assert.equal(engine.providerOf(box), undefined);
    assert.equal(ns.read, false);
    assert.equal(engine.get("kubernetes:core/v1:Secret", "reader-token-filled").read, true);
    assert.throws(
      () => engine.get("kubernetes:core/v1:Namespace", "nope"),
      /^Error: no kubernetes:core\/v1:Namespace named nope was registered; kubernetes:core\/v1:Namespace names: box-ns$/,
    );
  });

  it("records inputs as plain values, with the paths of secret inputs", () => {
    const config = engine.get("kubernetes:core/v1:ConfigMap", "settings");
    assert.deepEqual(config.inputs.data, { plain: "visible", hidden: "not-for-logs" });
    assert.deepEqual(config.secretPaths, ["data.hidden"]);
    assert.deepEqual(engine.get("pulumi:providers:kubernetes", "east-k8s").secretPaths, ["kubeconfig"]);
    assert.equal(engine.get("pulumi:providers:kubernetes", "east-k8s").inputs.clusterIdentifier, "east");
    // A Kubernetes Secret's stringData is secret although the program passed it in plain text.
    const secret = engine.get("kubernetes:core/v1:Secret", "credentials");
    assert.deepEqual(secret.inputs.stringData, { password: "hunter2" });
    assert.deepEqual(secret.secretPaths, ["stringData"]);
    assert.deepEqual(engine.get("kubernetes:core/v1:Namespace", "box-ns").secretPaths, []);
  });

  it("records dependsOn and the resources behind input Outputs as dependencies", () => {
    const ns = engine.get("kubernetes:core/v1:Namespace", "box-ns");
    const box = engine.get("test:index:Box", "box");
    const config = engine.get("kubernetes:core/v1:ConfigMap", "settings");
    const secret = engine.get("kubernetes:core/v1:Secret", "credentials");
    const lb = engine.get("kubernetes:core/v1:Service", "gateway");
    // metadata.namespace came from the Namespace's output: a property dependency.
    assert.deepEqual(config.dependencies, [ns.urn]);
    // The SDK sends `dependsOn: [component]` as the component's custom children.
    assert.deepEqual(secret.dependencies, [ns.urn]);
    assert.equal(box.dependencies.length, 0);
    assert.deepEqual(lb.dependencies, [config.urn]);
    assert.deepEqual(engine.get("kubernetes:core/v1:Secret", "reader-token-filled").dependencies, [
      engine.get("kubernetes:core/v1:Secret", "reader-token").urn,
    ]);
  });

  it("answers dependsOn transitively", () => {
    const ns = engine.get("kubernetes:core/v1:Namespace", "box-ns");
    const config = engine.get("kubernetes:core/v1:ConfigMap", "settings");
    const secret = engine.get("kubernetes:core/v1:Secret", "credentials");
    const lb = engine.get("kubernetes:core/v1:Service", "gateway");
    const eks = engine.get("aws:eks/cluster:Cluster", "eks");
    assert.equal(engine.dependsOn(lb, config), true);
    assert.equal(engine.dependsOn(lb, ns), true, "through the ConfigMap");
    assert.equal(engine.dependsOn(secret, ns), true, "dependsOn the component is dependsOn its children");
    assert.equal(engine.dependsOn(lb, secret), false);
    assert.equal(engine.dependsOn(ns, lb), false);
    assert.equal(engine.dependsOn(config, secret), false);
    assert.equal(engine.dependsOn(eks, ns), false);
  });

  it("tells which cluster a Kubernetes resource lives in, and nothing for other resources", () => {
    const cluster = (type: string, name: string): string | undefined =>
      engine.clusterOf(engine.get(type, name));
    assert.equal(cluster("kubernetes:core/v1:Namespace", "box-ns"), "east");
    assert.equal(cluster("kubernetes:core/v1:Service", "gke-gateway"), "central");
    assert.equal(cluster("kubernetes:core/v1:Secret", "reader-token-filled"), "east");
    assert.equal(cluster("aws:eks/cluster:Cluster", "eks"), undefined);
    assert.equal(cluster("test:index:Box", "box"), undefined);
    assert.equal(cluster("pulumi:providers:kubernetes", "east-k8s"), undefined);
  });

  it("returns an EKS endpoint and CA in the provider's region", async () => {
    const endpoint = await valueOf(result.eks.endpoint);
    assert.match(endpoint, /^https:\/\/[0-9A-F]{32}\.gr7\.eu-west-1\.eks\.amazonaws\.com$/);
    const ca = Buffer.from(await valueOf(result.eks.certificateAuthority.data), "base64").toString("utf8");
    assert.match(ca, /^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+\n-----END CERTIFICATE-----\n$/);
    assert.equal(await valueOf(result.eks.arn), "arn:aws:eks:eu-west-1:123456789012:cluster/eks");
    assert.equal(engine.get("aws:eks/cluster:Cluster", "eks").outputs.endpoint, endpoint);
  });

  it("gives a load balancer a hostname on an AWS-looking cluster and an IP on a GKE-looking one", async () => {
    const aws = await valueOf(result.lb.status.loadBalancer.ingress);
    assert.equal(aws.length, 1);
    assert.match(aws[0]!.hostname, /^k8s-[0-9a-f]{8}-[0-9a-f]{10}\.elb\.eu-west-1\.amazonaws\.com$/);
    assert.equal(aws[0]!.ip, undefined);
    const gcp = await valueOf(result.gkeLb.status.loadBalancer.ingress);
    assert.match(gcp[0]!.ip, /^35\.\d+\.\d+\.\d+$/);
    assert.equal(gcp[0]!.hostname, undefined);
  });

  it("fills in the token of a service-account token Secret read back after creation", async () => {
    const data = await valueOf(result.filled.data);
    const token = Buffer.from(data.token!, "base64").toString("utf8");
    assert.match(token, /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{100,}\.[A-Za-z0-9_-]{50,}$/);
    assert.match(Buffer.from(data["ca.crt"]!, "base64").toString("utf8"), /^-----BEGIN CERTIFICATE-----/);
    assert.equal(Buffer.from(data.namespace!, "base64").toString("utf8"), "istio-system");
    // The written Secret itself carries no token: only the read-back one does.
    assert.equal(engine.get("kubernetes:core/v1:Secret", "reader-token").inputs.data, undefined);
  });

  it("is deterministic: a second run of the same program returns the same outputs", async () => {
    const first = await valueOf(result.eks.endpoint);
    const again = await runOffline(program);
    assert.equal(await valueOf(again.result.eks.endpoint), first);
    assert.deepEqual(
      again.engine.resources.map((r) => r.urn),
      engine.resources.map((r) => r.urn),
    );
  });

  it("refuses a provider function it has no mock for, with a message that says how to answer it", async () => {
    const message =
      "offline engine: no mock for the function aws:ec2/getAmi:getAmi; a real deployment would call the provider here. " +
      'Answer it with OfflineEngineOptions.calls["aws:ec2/getAmi:getAmi"].';
    await assert.rejects(
      runOffline(async () => {
        const provider = new AwsProvider("eu", { region: "eu-west-1" });
        return awsEc2.getAmi({ owners: ["amazon"], mostRecent: true }, { provider });
      }),
      (e: Error) => {
        assert.equal(e.message, message);
        return true;
      },
    );
    // Answered through the option, the same call succeeds and is recorded.
    const { engine: answered, result: ami } = await runOffline(
      async () => {
        const provider = new AwsProvider("eu", { region: "eu-west-1" });
        return awsEc2.getAmi({ owners: ["amazon"], mostRecent: true }, { provider });
      },
      {
        calls: {
          "aws:ec2/getAmi:getAmi": () => ({ id: "ami-0123456789abcdef0", imageId: "ami-0123456789abcdef0" }),
        },
      },
    );
    assert.equal(ami.imageId, "ami-0123456789abcdef0");
    assert.deepEqual(
      answered.calls.map((c) => c.token),
      ["aws:ec2/getAmi:getAmi"],
    );
  });

  it("answers the built-in functions with the provider's region", async () => {
    const { result: zones } = await runOffline(async () => {
      const provider = new AwsProvider("ap", { region: "ap-south-1" });
      return getAvailabilityZones({ excludeZoneIds: ["aps1-az2"] }, { provider });
    });
    assert.deepEqual(zones.names, [
      "ap-south-1a",
      "ap-south-1c",
      "ap-south-1d",
      "ap-south-1e",
      "ap-south-1f",
    ]);
    assert.deepEqual(zones.zoneIds, ["aps1-az1", "aps1-az3", "aps1-az4", "aps1-az5", "aps1-az6"]);
  });

  it("delays each registration by its type's latency, waiting only on real dependencies", async () => {
    const latency = (type: string): number => (type === "kubernetes:core/v1:ConfigMap" ? 200 : 0);
    const provider = (): k8s.Provider => new k8s.Provider("k", { kubeconfig: "{}", clusterIdentifier: "k" });
    const timed = async (chained: boolean): Promise<number> => {
      const start = Date.now();
      await runOffline(
        () => {
          const opts = { provider: provider() };
          const a = new k8s.core.v1.ConfigMap("a", { data: { x: "1" } }, opts);
          new k8s.core.v1.ConfigMap("b", { data: { x: "2" } }, chained ? { ...opts, dependsOn: [a] } : opts);
        },
        { latency },
      );
      return Date.now() - start;
    };
    const independent = await timed(false);
    const chained = await timed(true);
    // Two independent 200 ms registrations overlap; a chain of two takes both in turn.
    assert.ok(independent >= 195, `independent: ${independent} ms, expected the 200 ms delay to apply`);
    assert.ok(
      independent < 390,
      `independent: ${independent} ms, expected them to overlap (well under 400 ms)`,
    );
    assert.ok(chained >= 395, `chained: ${chained} ms, expected one after the other (at least 400 ms)`);
  });

  it("runs in preview mode: the program sees a dry run and registers the same resources", async () => {
    const { engine: preview, result: previewed } = await runOffline(program, { preview: true });
    assert.equal(previewed.dryRun, true);
    assert.equal(result.dryRun, false);
    const shape = (r: RecordedResource): string =>
      `${r.type} ${r.name} ${r.parent ?? ""} ${r.dependencies.join(",")}`;
    // The same resources; a read whose id waits on a creation may come later in a preview.
    assert.deepEqual(preview.resources.map(shape).sort(), engine.resources.map(shape).sort());
    // As in `pulumi preview`: what the provider computes is unknown until the resource exists.
    assert.equal(pulumi.runtime.isDryRun(), true);
    assert.equal(await (previewed.eks.endpoint as any).isKnown, false);
    assert.match(await valueOf(result.eks.endpoint), /\.gr7\.eu-west-1\.eks\.amazonaws\.com$/);
  });

  it("refuses, in preview, to read an object the same run only plans to create", async () => {
    await assert.rejects(
      runOffline(
        () => {
          const provider = new k8s.Provider("p", { kubeconfig: "apiVersion: v1", clusterIdentifier: "a" });
          const svc = new k8s.core.v1.Service(
            "svc",
            { metadata: { name: "gw", namespace: "istio-system" } },
            { provider },
          );
          k8s.core.v1.Service.get("svc-read", "istio-system/gw", { provider, dependsOn: [svc] });
        },
        { preview: true },
      ),
      /resource 'istio-system\/gw' does not exist: svc is only planned in this preview/,
    );
  });

  it("passes stack config to the program and rejects errors the program raises", async () => {
    const { result: value } = await runOffline(() => new pulumi.Config("isthmus").require("region1"), {
      config: { "isthmus:region1": "us-east-1" },
    });
    assert.equal(value, "us-east-1");
    await assert.rejects(
      runOffline(() => {
        new k8s.core.v1.Namespace("n", {}).metadata.apply(() => {
          throw new Error("boom inside an apply");
        });
      }),
      /boom inside an apply/,
    );
  });
});
