import { strict as assert } from "node:assert";
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { planProgram } from "../../lib/cli/plan-command";
import { EksCluster } from "../../lib/clusters/aws/eks-cluster";
import { GkeCluster } from "../../lib/clusters/gcp/gke-cluster";
import { FlatNetwork } from "../../lib/components/flat-network";
import { renderCorefile, renderKubeDnsStubDomains } from "../../lib/core/dns";
import type { MeshPlan } from "../../lib/core/mesh-plan";
import { plan } from "../../lib/core/plan";
import type { MeshSpec } from "../../lib/core/spec";
import { clampPrivateKey } from "../../lib/core/wireguard";
import { runOffline, type OfflineEngine } from "../../lib/testing/offline-engine";
import type { RecordedResource } from "../../lib/testing/recorded-resource";
import { testCluster } from "./fixtures";

const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const AWS_ROUTE = "aws:ec2/route:Route";
const FIREWALL = "gcp:compute/firewall:Firewall";
const GCP_ROUTE = "gcp:compute/route:Route";
const RANDOM = "random:index/randomBytes:RandomBytes";
const LINK = "isthmus:network:WireGuardLink";
const PATCH = "kubernetes:core/v1:ConfigMapPatch";
const SERVICE = "kubernetes:core/v1:Service";

const TWO_AWS: MeshSpec = {
  meshID: "demo",
  networkMode: "wireguard",
  clusters: {
    region1: { cloud: "aws", region: "us-east-1" },
    region2: { cloud: "aws", region: "us-west-2" },
  },
};
const AWS_GCP: MeshSpec = {
  meshID: "demo",
  networkMode: "wireguard",
  clusters: {
    east: { cloud: "aws", region: "us-east-1" },
    central: { cloud: "gcp", region: "us-central1" },
  },
};
const THREE: MeshSpec = {
  ...TWO_AWS,
  clusters: { ...TWO_AWS.clusters, region3: { cloud: "aws", region: "eu-west-1" } },
};
const HUB: MeshSpec = { ...THREE, wireguard: { topology: "hub", hub: "region1" } };

/** A flat network over real cluster adapters (EKS, GKE) for every cluster of the spec. */
async function flat(
  spec: MeshSpec,
  preview = false,
): Promise<{ engine: OfflineEngine; plan: MeshPlan; network: FlatNetwork }> {
  const p = plan(spec);
  const { engine, result } = await runOffline(
    () => {
      const clusters = Object.fromEntries(
        Object.values(p.clusters).map((c) => [
          c.id,
          c.cloud === "gcp"
            ? new GkeCluster(`demo-${c.id}`, { plan: p, clusterId: c.id, project: "demo-project" })
            : new EksCluster(`demo-${c.id}`, { plan: p, clusterId: c.id }),
        ]),
      );
      return new FlatNetwork("net", { plan: p, clusters });
    },
    { preview },
  );
  return { engine, plan: p, network: result };
}

const byName = (engine: OfflineEngine, type: string, prefix: string): RecordedResource[] =>
  engine.ofType(type).filter((r) => r.name.startsWith(prefix));

/** Every WireGuard key the run generated: each gateway's private key and each link's preshared key. */
function keyTexts(engine: OfflineEngine): string[] {
  return engine.ofType(RANDOM).map((r) => {
    const raw = Buffer.from(r.outputs.base64 as string, "base64");
    return r.name.endsWith("-private-key") ? clampPrivateKey(raw) : raw.toString("base64");
  });
}

/** The paths under `value` whose strings contain any of `needles`. */
function pathsHolding(value: unknown, needles: readonly string[], path = ""): string[] {
  if (typeof value === "string") return needles.some((n) => value.includes(n)) ? [path || "(root)"] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => pathsHolding(v, needles, `${path}[${i}]`));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) =>
    pathsHolding(v, needles, path === "" ? k : `${path}.${k}`),
  );
}

const under = (path: string, secrets: readonly string[]): boolean =>
  secrets.some((s) => s === "(root)" || path === s || path.startsWith(`${s}.`) || path.startsWith(`${s}[`));

/** The resolved value of an Output. */
function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/** The value of a recorded SSM parameter / secret version: the gateway's wg-quick file. */
function configOf(engine: OfflineEngine, id: string): string {
  const parameter = engine
    .ofType("aws:ssm/parameter:Parameter")
    .find((r) => r.name === `net-${id}-gateway-config`);
  if (parameter !== undefined) return parameter.inputs.value as string;
  return engine.get("gcp:secretmanager/secretVersion:SecretVersion", `net-${id}-gateway-config-version`)
    .inputs.secretData as string;
}

describe("FlatNetwork", () => {
  for (const preview of [false, true]) {
    describe(`two AWS regions${preview ? " (preview)" : ""}`, () => {
      let engine: OfflineEngine;
      let p: MeshPlan;
      let network: FlatNetwork;
      before(async () => {
        ({ engine, plan: p, network } = await flat(TWO_AWS, preview));
      });

      it("creates one gateway per cluster and one link", () => {
        assert.deepEqual(
          engine
            .ofType("isthmus:network:WireGuardGateway")
            .map((r) => r.name)
            .sort(),
          ["net-region1-gateway", "net-region2-gateway"],
        );
        assert.deepEqual(
          engine.ofType(LINK).map((r) => r.name),
          ["net-region1-region2-link"],
        );
        const parent = engine.get("isthmus:network:FlatNetwork", "net").urn;
        for (const r of [...engine.ofType(LINK), ...engine.ofType("isthmus:network:WireGuardGateway")]) {
          assert.equal(r.parent, parent, `${r.name} is a child of the network`);
        }
      });

      it("opens the WireGuard port to the peer's Elastic IP /32 only", async function () {
        // The peers' addresses exist only once their Elastic IPs do: unknown in a preview.
        if (preview) return this.skip();
        const endpoints = await valueOf(network.endpoints);
        for (const [id, peer] of [
          ["region1", "region2"],
          ["region2", "region1"],
        ] as const) {
          const udp = byName(engine, SG_RULE, `net-${id}-gateway`).filter((r) => r.inputs.protocol === "udp");
          assert.deepEqual(
            udp.map((r) => [r.name, r.inputs.type, r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrBlocks]),
            [
              [
                `net-${id}-gateway-${peer}-wireguard-ingress`,
                "ingress",
                51820,
                51820,
                [`${endpoints[peer]}/32`],
              ],
            ],
          );
          const eip = engine.get("aws:ec2/eip:Eip", `net-${peer}-gateway-eip`);
          assert.equal(endpoints[peer], eip.outputs.publicIp);
          assert.ok(!udp.some((r) => (r.inputs.cidrBlocks as string[]).includes("0.0.0.0/0")));
        }
      });

      it("routes exactly the remote ranges to the gateway's interface, in both route tables", () => {
        for (const [id, peer] of [
          ["region1", "region2"],
          ["region2", "region1"],
        ] as const) {
          const remote = [...p.wireguard!.gateways[peer]!.localCidrs].sort();
          assert.deepEqual([...p.wireguard!.gateways[id]!.peers[0]!.allowedIps].sort(), remote);
          const eni = engine.get("aws:ec2/networkInterface:NetworkInterface", `net-${id}-gateway-eni`);
          const eks = engine.get("aws:ec2/routeTable:RouteTable", `demo-${id}-private-rt`);
          const pub = engine.get("aws:ec2/routeTable:RouteTable", `demo-${id}-public-rt`);
          const routes = byName(engine, AWS_ROUTE, `net-${id}-gateway`);
          for (const table of [eks, pub]) {
            const inTable = routes.filter((r) => r.dependencies.includes(table.urn));
            assert.deepEqual(
              inTable.map((r) => r.inputs.destinationCidrBlock).sort(),
              remote,
              `${table.name}`,
            );
            if (!preview) for (const r of inTable) assert.equal(r.inputs.networkInterfaceId, eni.outputs.id);
          }
          assert.equal(routes.length, 2 * remote.length);
        }
      });

      it("turns the source/destination check off on the gateway's interface, in the first zone's public subnet", () => {
        for (const id of ["region1", "region2"]) {
          const eni = engine.get("aws:ec2/networkInterface:NetworkInterface", `net-${id}-gateway-eni`);
          assert.equal(eni.inputs.sourceDestCheck, false);
          const zone = p.clusters[id]!.zones[0]!;
          const subnet = engine.get("aws:ec2/subnet:Subnet", `demo-${id}-${zone}-public-subnet`);
          assert.ok(eni.dependencies.includes(subnet.urn), "the first zone's public subnet");
          const provider = engine.get("pulumi:providers:aws", `demo-${id}-aws`);
          assert.ok(eni.provider?.startsWith(`${provider.urn}::`), "the EKS cluster's AWS provider");
          const instance = engine.get("aws:ec2/instance:Instance", `net-${id}-gateway-instance`);
          assert.ok(instance.dependencies.includes(eni.urn));
          assert.equal(instance.inputs.userDataReplaceOnChange, true);
        }
      });

      it("admits the remote ranges on the cluster security group", () => {
        const rule = engine.get(SG_RULE, "net-region1-gateway-remote-ingress");
        assert.deepEqual(rule.inputs.cidrBlocks, [...p.wireguard!.gateways.region2!.localCidrs].sort());
        assert.equal(rule.inputs.protocol, "-1");
      });

      if (!preview) {
        it("writes a wg-quick config with the plan's MTU, address and peer, in an encrypted parameter", () => {
          const config = configOf(engine, "region1");
          assert.match(config, /^MTU = 1440$/m);
          assert.match(
            config,
            new RegExp(`^Address = ${p.wireguard!.gateways.region1!.tunnelAddress}/32$`, "m"),
          );
          assert.match(config, /^ListenPort = 51820$/m);
          assert.match(config, /^PersistentKeepalive = 25$/m);
          const eip = engine.get("aws:ec2/eip:Eip", "net-region2-gateway-eip");
          assert.match(config, new RegExp(`^Endpoint = ${eip.outputs.publicIp}:51820$`, "m"));
          const parameter = engine.get("aws:ssm/parameter:Parameter", "net-region1-gateway-config");
          assert.equal(parameter.inputs.type, "SecureString");
          assert.deepEqual(parameter.secretPaths, ["value"]);
        });

        it("gives each end the other's public key and one shared preshared key", async () => {
          const keys = await valueOf(network.publicKeys);
          const c1 = configOf(engine, "region1");
          const c2 = configOf(engine, "region2");
          assert.match(c1, new RegExp(`^PublicKey = ${keys.region2!.replace(/[+/]/g, "\\$&")}$`, "m"));
          assert.match(c2, new RegExp(`^PublicKey = ${keys.region1!.replace(/[+/]/g, "\\$&")}$`, "m"));
          const psk = (c: string): string => /^PresharedKey = (.+)$/m.exec(c)![1]!;
          assert.equal(psk(c1), psk(c2));
        });

        it("keeps every private and preshared key in secret paths only", async () => {
          const keys = keyTexts(engine);
          assert.equal(keys.length, 3, "two private keys and one preshared key");
          let seen = 0;
          for (const r of engine.resources) {
            for (const path of pathsHolding(r.inputs, keys)) {
              seen++;
              assert.ok(
                under(path, r.secretPaths),
                `${r.type} ${r.name} input ${path} holds a key outside a secret`,
              );
            }
            // RandomBytes declares base64 and hex as additional secret outputs (the engine marks them).
            if (r.type === RANDOM) continue;
            for (const path of pathsHolding(r.outputs, keys)) {
              assert.ok(
                under(path, [...r.outputSecretPaths, ...r.secretPaths]),
                `${r.type} ${r.name} output ${path} holds a key outside a secret`,
              );
            }
          }
          assert.ok(seen >= 2, "the configs hold the keys (in secret paths)");
          const gateway = network.gateways.region1!;
          assert.equal(await pulumi.isSecret(gateway.privateKey), true);
          assert.equal(await pulumi.isSecret(gateway.config), true);
          assert.equal(await pulumi.isSecret(gateway.publicKey), false);
          assert.equal(await pulumi.isSecret(network.links["region1-region2"]!.presharedKey), true);
          assert.equal(await pulumi.isSecret(network.links["region1-region2"]!.peers.region1!), true);
          const userData = engine.get("aws:ec2/instance:Instance", "net-region1-gateway-instance").inputs
            .userData as string;
          assert.deepEqual(pathsHolding(userData, keys), []);
          assert.match(
            userData,
            /aws ssm get-parameter --region us-east-1 --name \/isthmus\/demo\/region1\/wireguard\/wg0\.conf/,
          );
        });

        it("lets the gateway's role read its own parameter only", () => {
          const policy = JSON.parse(
            engine.get("aws:iam/rolePolicy:RolePolicy", "net-region1-gateway-read-config").inputs
              .policy as string,
          );
          const parameter = engine.get("aws:ssm/parameter:Parameter", "net-region1-gateway-config");
          assert.deepEqual(policy.Statement, [
            { Effect: "Allow", Action: ["ssm:GetParameter"], Resource: parameter.outputs.arn },
          ]);
        });
      }

      it("patches CoreDNS with the plan's Corefile and pins the DNS load balancer to the plan's address", () => {
        for (const id of ["region1", "region2"]) {
          const patch = engine.get(PATCH, `net-${id}-dns-configmap-kube-system-coredns`);
          assert.equal(engine.clusterOf(patch), id);
          assert.deepEqual(patch.inputs.data, { Corefile: renderCorefile(p, id) });
          assert.equal((patch.inputs.metadata as any).annotations["pulumi.com/patchForce"], "true");
          const service = engine.get(SERVICE, `net-${id}-dns-service-kube-system-isthmus-dns`);
          const annotations = (service.inputs.metadata as any).annotations;
          assert.equal(
            annotations["service.beta.kubernetes.io/aws-load-balancer-private-ipv4-addresses"],
            p.wireguard!.gateways[id]!.dnsAddress,
          );
          assert.equal(annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"], "internal");
          assert.deepEqual((service.inputs.spec as any).selector, { "k8s-app": "kube-dns" });
          // The address is reserved in its subnet before any node (and so any pod) takes one.
          const reservation = engine.get(
            "aws:ec2/subnetCidrReservation:SubnetCidrReservation",
            `demo-${id}-dns-address-reservation`,
          );
          assert.equal(reservation.inputs.cidrBlock, `${p.wireguard!.gateways[id]!.dnsAddress}/32`);
          assert.equal(reservation.inputs.reservationType, "explicit");
          assert.ok(
            engine.dependsOn(engine.get("aws:eks/nodeGroup:NodeGroup", `demo-${id}-nodes`), reservation),
          );
        }
        assert.match(
          renderCorefile(p, "region1"),
          new RegExp(`forward \\. ${p.wireguard!.gateways.region2!.dnsAddress.replace(/\./g, "\\.")}`),
        );
      });
    });
  }

  describe("AWS and Google Cloud", () => {
    let engine: OfflineEngine;
    let p: MeshPlan;
    let network: FlatNetwork;
    before(async () => {
      ({ engine, plan: p, network } = await flat(AWS_GCP));
    });

    it("uses GCP's smaller underlay MTU on both ends", () => {
      assert.match(configOf(engine, "east"), /^MTU = 1400$/m);
      assert.match(configOf(engine, "central"), /^MTU = 1400$/m);
    });

    it("forwards on the GCE instance, opens the port to the AWS peer's /32 only and routes the remote ranges", async () => {
      const endpoints = await valueOf(network.endpoints);
      const instance = engine.get("gcp:compute/instance:Instance", "net-central-gateway-instance");
      assert.equal(instance.inputs.canIpForward, true);
      assert.equal(instance.inputs.name, "demo-central-wireguard");
      const address = engine.get("gcp:compute/address:Address", "net-central-gateway-address");
      assert.equal(
        (instance.inputs.networkInterfaces as any)[0].accessConfigs[0].natIp,
        address.outputs.address,
      );
      assert.equal(endpoints.central, address.outputs.address);

      const udp = byName(engine, FIREWALL, "net-central-gateway").filter((r) =>
        (r.inputs.allows as any[]).some((a) => a.protocol === "udp"),
      );
      assert.deepEqual(
        udp.map((r) => [r.name, r.inputs.sourceRanges, r.inputs.allows, r.inputs.targetTags]),
        [
          [
            "net-central-gateway-east-wireguard-fw",
            [`${endpoints.east}/32`],
            [{ protocol: "udp", ports: ["51820"] }],
            ["demo-central-wireguard"],
          ],
        ],
      );
      const remote = [...p.wireguard!.gateways.east!.localCidrs].sort();
      const routes = byName(engine, GCP_ROUTE, "net-central-gateway");
      assert.deepEqual(routes.map((r) => r.inputs.destRange).sort(), remote);
      for (const r of routes) {
        assert.equal(r.inputs.nextHopInstance, "demo-central-wireguard");
        assert.equal(r.inputs.nextHopInstanceZone, p.clusters.central!.zones[0]);
      }
      // And the AWS side admits the GCP gateway's static address only.
      const awsUdp = engine.get(SG_RULE, "net-east-gateway-central-wireguard-ingress");
      assert.deepEqual(awsUdp.inputs.cidrBlocks, [`${endpoints.central}/32`]);
    });

    it("keeps the GCE config in Secret Manager, out of metadata", () => {
      const version = engine.get(
        "gcp:secretmanager/secretVersion:SecretVersion",
        "net-central-gateway-config-version",
      );
      assert.deepEqual(version.secretPaths, ["secretData"]);
      const keys = keyTexts(engine);
      const instance = engine.get("gcp:compute/instance:Instance", "net-central-gateway-instance");
      assert.deepEqual(pathsHolding(instance.inputs, keys), []);
      assert.match(
        instance.inputs.metadataStartupScript as string,
        new RegExp(`${version.outputs.name as string}:access`),
      );
      const reader = engine.get(
        "gcp:secretmanager/secretIamMember:SecretIamMember",
        "net-central-gateway-config-reader",
      );
      assert.equal(reader.inputs.role, "roles/secretmanager.secretAccessor");
      assert.match(reader.inputs.member as string, /^serviceAccount:wg-[0-9a-f]{10}@/);
    });

    it("sets kube-dns stub domains on GKE, served by an alias CoreDNS at the plan's address", () => {
      const patch = engine.get(PATCH, "net-central-dns-configmap-kube-system-kube-dns");
      assert.equal(engine.clusterOf(patch), "central");
      assert.deepEqual(patch.inputs.data, { stubDomains: renderKubeDnsStubDomains(p, "central") });
      const service = engine.get(SERVICE, "net-central-dns-service-kube-system-isthmus-dns");
      assert.equal((service.inputs.spec as any).loadBalancerIP, p.wireguard!.gateways.central!.dnsAddress);
      assert.equal(
        (service.inputs.metadata as any).annotations["networking.gke.io/load-balancer-type"],
        "Internal",
      );
      assert.deepEqual((service.inputs.spec as any).selector, { "k8s-app": "isthmus-dns" });
      const corefile = engine.get(
        "kubernetes:core/v1:ConfigMap",
        "net-central-dns-configmap-kube-system-isthmus-dns",
      );
      assert.deepEqual(corefile.inputs.data, { Corefile: renderCorefile(p, "central") });
      // EKS keeps CoreDNS.
      assert.deepEqual(engine.get(PATCH, "net-east-dns-configmap-kube-system-coredns").inputs.data, {
        Corefile: renderCorefile(p, "east"),
      });
    });
  });

  it("links every pair of three clusters in a full mesh", async () => {
    const { engine } = await flat(THREE);
    assert.deepEqual(
      engine
        .ofType(LINK)
        .map((r) => r.name)
        .sort(),
      ["net-region1-region2-link", "net-region1-region3-link", "net-region2-region3-link"],
    );
    assert.equal(
      byName(engine, SG_RULE, "net-region1-gateway").filter((r) => r.inputs.protocol === "udp").length,
      2,
    );
  });

  it("links every spoke to the hub only, and routes every other cluster through it", async () => {
    const { engine, plan: p } = await flat(HUB);
    assert.deepEqual(
      engine
        .ofType(LINK)
        .map((r) => r.name)
        .sort(),
      ["net-region1-region2-link", "net-region1-region3-link"],
    );
    const spokeUdp = byName(engine, SG_RULE, "net-region2-gateway").filter(
      (r) => r.inputs.protocol === "udp",
    );
    assert.deepEqual(
      spokeUdp.map((r) => r.name),
      ["net-region2-gateway-region1-wireguard-ingress"],
    );
    const remote = [
      ...new Set([
        ...p.wireguard!.gateways.region1!.localCidrs,
        ...p.wireguard!.gateways.region3!.localCidrs,
      ]),
    ].sort();
    const routes = byName(engine, AWS_ROUTE, "net-region2-gateway-private-");
    assert.deepEqual(routes.map((r) => r.inputs.destinationCidrBlock).sort(), remote);
    assert.doesNotMatch(configOf(engine, "region2"), /# cluster region3/);
  });

  describe("validation", () => {
    async function rejects(run: () => unknown): Promise<pulumi.InputPropertiesError> {
      let error: unknown;
      const { engine } = await runOffline(() => {
        try {
          run();
        } catch (e) {
          error = e;
        }
      });
      assert.ok(
        error instanceof pulumi.InputPropertiesError,
        `expected an InputPropertiesError, got ${String(error)}`,
      );
      assert.equal(engine.ofType("isthmus:network:FlatNetwork").length, 0, "nothing registered");
      assert.equal(engine.ofType(RANDOM).length, 0, "no key material registered");
      return error;
    }

    it("refuses a plan in gateways mode", async () => {
      const p = plan({ ...TWO_AWS, networkMode: "gateways" });
      const error = await rejects(
        () =>
          new FlatNetwork("net", {
            plan: p,
            clusters: { region1: testAttachment("region1"), region2: testAttachment("region2") },
          }),
      );
      assert.equal(
        error.message,
        'FlatNetwork net: 1 invalid input; nothing was created:\n  - plan.networkMode: is not the flat network mode; got "gateways", expected "wireguard". ' +
          'Set networkMode: "wireguard" in the mesh spec; in "gateways" mode the east-west gateways join the networks.',
      );
    });

    it("reports missing, foreign and misplaced clusters together", async () => {
      const p = plan(AWS_GCP);
      const error = await rejects(
        () =>
          new FlatNetwork("net", {
            plan: p,
            clusters: {
              east: {
                cluster: testCluster("east"),
                network: {
                  endpoint: { cloud: "gcp", build: () => assert.fail("built a misplaced gateway") },
                },
              },
              cental: testAttachment("cental"),
            },
          }),
      );
      assert.deepEqual(
        (error as any).errors.map((e: any) => e.propertyPath),
        ["clusters.central", "clusters.east.network.endpoint", "clusters.cental"],
      );
      assert.match(
        error.message,
        /clusters\.cental: is not a cluster of the mesh; got "cental", expected one of central, east\. Remove it, or add it to the mesh spec\. Did you mean "central"\?/,
      );
      assert.match(
        error.message,
        /clusters\.east\.network\.endpoint: puts the gateway of a aws cluster on gcp/,
      );
    });
  });

  it("`isthmus plan` of examples/wireguard-two-region writes each cluster's DNS config and no key material", async function () {
    this.timeout(120_000);
    const out = join(tmpdir(), `isthmus-wg-plan-${process.pid}`);
    const result = await planProgram(join(__dirname, "../../examples/wireguard-two-region"), { outDir: out });
    const p = plan({ ...TWO_AWS });
    for (const id of ["region1", "region2"]) {
      const text = readFileSync(join(out, id, "configmap-kube-system-coredns.yaml"), "utf8");
      assert.match(text, /kubernetes cluster\.local cluster\.region\d in-addr\.arpa ip6\.arpa/);
      const other = id === "region1" ? "region2" : "region1";
      assert.match(text, new RegExp(`cluster\\.${other}:53 \\{`));
      assert.match(
        text,
        new RegExp(`forward \\. ${p.wireguard!.gateways[other]!.dnsAddress.replace(/\./g, "\\.")}`),
      );
      const service = readFileSync(join(out, id, "service-kube-system-isthmus-dns.yaml"), "utf8");
      assert.match(
        service,
        new RegExp(`private-ipv4-addresses: ${p.wireguard!.gateways[id]!.dnsAddress.replace(/\./g, "\\.")}`),
      );
    }
    // The keys of that run, from its RandomBytes outputs.
    const keys = result.resources
      .filter((r) => r.type === RANDOM)
      .map((r) => {
        const raw = Buffer.from(r.outputs.base64 as string, "base64");
        return r.name.endsWith("-private-key") ? clampPrivateKey(raw) : raw.toString("base64");
      });
    assert.equal(keys.length, 3);
    const files = listFiles(out);
    assert.ok(files.length > 10);
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      for (const key of keys) assert.ok(!text.includes(key), `${file} holds key material`);
      assert.doesNotMatch(text, /^\s*(PrivateKey|PresharedKey)\s*=/m, `${file} holds a wg-quick file`);
    }
    rmSync(out, { recursive: true, force: true });
  });
});

function testAttachment(id: string): {
  cluster: ReturnType<typeof testCluster>;
  network: { inCluster: Record<string, never> };
} {
  return { cluster: testCluster(id), network: { inCluster: {} } };
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = join(dir, name);
    return statSync(file).isDirectory() ? listFiles(file) : [file];
  });
}
