import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { EksCluster } from "../../lib/clusters/aws/eks-cluster";
import { ExistingCluster } from "../../lib/clusters/existing/existing-cluster";
import { GkeCluster } from "../../lib/clusters/gcp/gke-cluster";
import { awsBootScript, gcpBootScript } from "../../lib/clusters/gateway-boot";
import { serviceAccountId } from "../../lib/clusters/gcp/wireguard-endpoint";
import {
  flatNetworkAttachment,
  peerAddressRange,
  WireGuardGateway,
} from "../../lib/components/wireguard-gateway";
import { plan } from "../../lib/core/plan";
import { generatePresharedKey, generatePrivateKey, publicKeyOf } from "../../lib/core/wireguard";
import { runOffline } from "../../lib/testing/offline-engine";
import { testCluster } from "./fixtures";

const mesh = plan({
  meshID: "demo",
  networkMode: "wireguard",
  clusters: {
    onprem: {
      cloud: "existing",
      region: "dc1",
      cidrs: { node: "10.172.0.0/16", pod: "10.88.0.0/15", service: "10.236.0.0/16" },
    },
    east: { cloud: "aws", region: "us-east-1" },
    central: { cloud: "gcp", region: "us-central1" },
  },
});

describe("WireGuardGateway", () => {
  describe("in the cluster", () => {
    const peerKey = publicKeyOf(generatePrivateKey());
    const psk = generatePresharedKey();
    const peers = pulumi.secret({
      east: { publicKey: peerKey, presharedKey: psk, endpoint: "198.51.100.10" },
      central: { publicKey: peerKey, presharedKey: psk, endpoint: "198.51.100.20" },
    });

    it("puts the config in a secret Secret that the Deployment mounts, and exposes a UDP load balancer", async () => {
      const { engine, result } = await runOffline(
        () =>
          new WireGuardGateway("gw", {
            plan: mesh,
            clusterId: "onprem",
            cluster: testCluster("onprem"),
            network: { inCluster: { loadBalancerSourceRanges: ["198.51.100.10/32", "198.51.100.20/32"] } },
            peers,
          }),
      );
      assert.equal(result.kind, "in-cluster");
      const secret = engine.get("kubernetes:core/v1:Secret", "gw-secret-kube-system-isthmus-wireguard");
      assert.equal(engine.clusterOf(secret), "onprem");
      assert.ok(secret.secretPaths.includes("stringData"));
      const config = (secret.inputs.stringData as Record<string, string>)["wg0.conf"]!;
      assert.match(config, /^MTU = 1400$/m, "the smallest link MTU: the GCP peer's");
      assert.ok(config.includes(`PresharedKey = ${psk}`));
      assert.match(config, /^Endpoint = 198\.51\.100\.20:51820$/m);

      const deployment = engine.get(
        "kubernetes:apps/v1:Deployment",
        "gw-deployment-kube-system-isthmus-wireguard-gateway",
      );
      assert.ok(deployment.dependencies.includes(secret.urn), "the pod waits for its config");
      assert.equal(
        (deployment.inputs.spec as any).template.spec.volumes[0].secret.secretName,
        "isthmus-wireguard",
      );
      assert.deepEqual(deployment.secretPaths, []);
      const service = engine.get(
        "kubernetes:core/v1:Service",
        "gw-service-kube-system-isthmus-wireguard-gateway",
      );
      assert.deepEqual((service.inputs.spec as any).loadBalancerSourceRanges, [
        "198.51.100.10/32",
        "198.51.100.20/32",
      ]);
      const endpoint = await new Promise((resolve) => result.endpoint.apply(resolve));
      const ingress = (service.outputs.status as any).loadBalancer.ingress[0];
      assert.equal(endpoint, ingress.ip ?? ingress.hostname);
      assert.deepEqual(
        result.remoteCidrs,
        [
          ...new Set([
            ...mesh.wireguard!.gateways.east!.localCidrs,
            ...mesh.wireguard!.gateways.central!.localCidrs,
          ]),
        ].sort(),
      );
      assert.equal(await pulumi.isSecret(result.config), true);
    });
  });

  it("refuses a gateway on another cloud's network, before registering anything", async () => {
    let error: unknown;
    const { engine } = await runOffline(() => {
      try {
        new WireGuardGateway("gw", {
          plan: mesh,
          clusterId: "central",
          cluster: testCluster("central"),
          network: {
            endpoint: { cloud: "aws", build: () => assert.fail("built a gateway on the wrong cloud") },
          },
          peers: {},
        });
      } catch (e) {
        error = e;
      }
    });
    assert.ok(error instanceof pulumi.InputPropertiesError);
    assert.equal(
      error.message,
      'WireGuardGateway gw: 1 invalid input; nothing was created:\n  - network.endpoint: puts the gateway of a gcp cluster on aws; got "aws", expected gcp or inCluster. ' +
        "Attach cluster central to its own cloud's network, or run its gateway in the cluster.",
    );
    assert.deepEqual(
      engine.resources.map((r) => r.type),
      ["pulumi:providers:kubernetes", "kubernetes:helm.sh/v3:Release"],
      "only the fixture's provider and controller: no gateway, no key",
    );
  });

  it("admits a peer by its /32 only, and refuses an endpoint a firewall cannot pin", () => {
    assert.equal(peerAddressRange("gw", "central", "198.51.100.20"), "198.51.100.20/32");
    assert.throws(() => peerAddressRange("gw", "onprem", "k8s-gw.elb.us-east-1.amazonaws.com"), {
      message:
        'gw: peers.onprem.endpoint: is not an IPv4 address, so no firewall can admit that peer alone; got "k8s-gw.elb.us-east-1.amazonaws.com", expected an IPv4 address. ' +
        "Give that peer's gateway a static IP (an in-cluster gateway: a load balancer with a fixed address, see serviceAnnotations).",
    });
    assert.throws(() => peerAddressRange("gw", "onprem", undefined), /got undefined/);
  });

  it("attaches EKS, GKE and existing clusters to their networks", async () => {
    await runOffline(async () => {
      const eks = new EksCluster("east", { plan: mesh, clusterId: "east" });
      const gke = new GkeCluster("central", { plan: mesh, clusterId: "central", project: "demo-project" });
      const existing = new ExistingCluster("onprem", {
        plan: mesh,
        clusterId: "onprem",
        provider: testCluster("onprem").provider,
        endpoint: "https://onprem.example.com",
        certificateAuthority: "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n",
      });
      assert.deepEqual(flatNetworkAttachment(eks), {
        cluster: eks.cluster,
        network: { endpoint: eks.wireGuardEndpoint },
      });
      assert.equal(eks.wireGuardEndpoint.cloud, "aws");
      assert.deepEqual(flatNetworkAttachment(gke), {
        cluster: gke.cluster,
        network: { endpoint: gke.wireGuardEndpoint },
      });
      assert.equal(gke.wireGuardEndpoint.cloud, "gcp");
      assert.deepEqual(flatNetworkAttachment(existing).network, { inCluster: {} });
      const given = { cluster: testCluster("x"), network: { inCluster: { image: "i" } } };
      assert.equal(flatNetworkAttachment(given), given);
    });
  });

  it("boots from scripts that name the config but never hold it", () => {
    const aws = awsBootScript("us-east-1", "/isthmus/demo/east/wireguard/wg0.conf", 3);
    assert.match(aws, /config \/isthmus\/demo\/east\/wireguard\/wg0\.conf version 3/);
    assert.match(aws, /--with-decryption/);
    assert.match(aws, /systemctl restart wg-quick@wg0/);
    assert.doesNotMatch(aws, /PrivateKey/);
    const gcp = gcpBootScript("projects/1/secrets/demo-central-wireguard/versions/2");
    assert.match(
      gcp,
      /secretmanager\.googleapis\.com\/v1\/projects\/1\/secrets\/demo-central-wireguard\/versions\/2:access/,
    );
    assert.match(gcp, /net\.ipv4\.ip_forward=1/);
    assert.equal(serviceAccountId("demo", "central"), serviceAccountId("demo", "central"));
    assert.match(serviceAccountId("demo", "central"), /^wg-[0-9a-f]{10}$/);
    assert.notEqual(serviceAccountId("demo", "central"), serviceAccountId("demo", "east"));
  });
});
