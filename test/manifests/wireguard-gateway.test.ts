import assert from "node:assert/strict";
import { App, Testing } from "cdk8s";
import type { MeshPlan } from "../../lib/core/mesh-plan";
import { plan } from "../../lib/core/plan";
import { isWireGuardKey, wireGuardPlaceholder } from "../../lib/core/wireguard";
import { ClusterChart } from "../../lib/manifests/cluster-chart";
import {
  WIREGUARD_IMAGE,
  WIREGUARD_SECRET_NAME,
  WireGuardGateway,
  wireGuardTemplateFiles,
  type WireGuardGatewayProps,
} from "../../lib/manifests/wireguard-gateway";

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
  },
  wireguard: { listenPort: 51821 },
});

type Obj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: any };
  [k: string]: any;
};

function synth(p: MeshPlan, id: string, props: WireGuardGatewayProps = {}): Obj[] {
  const chart = new ClusterChart(new App(), p, id);
  new WireGuardGateway(chart, "wireguard", props);
  return Testing.synth(chart) as Obj[];
}

describe("manifests/WireGuardGateway", () => {
  it("renders a hostNetwork Deployment and a UDP load balancer, valid against the Kubernetes schema", async () => {
    const objects = synth(mesh, "onprem");
    assert.deepEqual(
      objects.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`),
      ["Deployment kube-system/isthmus-wireguard-gateway", "Service kube-system/isthmus-wireguard-gateway"],
    );
    const { Service } = await import("kubernetes-models/v1");
    const { Deployment } = await import("kubernetes-models/apps/v1");
    new Deployment(objects[0] as never).validate();
    new Service(objects[1] as never).validate();

    const pod = objects[0]!.spec.template.spec;
    assert.equal(pod.hostNetwork, true);
    assert.deepEqual(pod.nodeSelector, { "isthmus.dev/wireguard-gateway": "true" });
    assert.equal(objects[0]!.spec.replicas, 1);
    assert.equal(objects[0]!.spec.strategy.type, "Recreate");
    const container = pod.containers[0];
    assert.equal(container.image, WIREGUARD_IMAGE);
    assert.deepEqual(container.securityContext, { capabilities: { add: ["NET_ADMIN"] } });
    assert.deepEqual(container.ports, [
      { name: "wireguard", containerPort: 51821, hostPort: 51821, protocol: "UDP" },
    ]);
    assert.match(container.command[2], /wg-quick up \/etc\/wireguard\/wg0\.conf/);

    const service = objects[1]!;
    assert.equal(service.spec.type, "LoadBalancer");
    assert.equal(service.spec.externalTrafficPolicy, "Local");
    assert.deepEqual(service.spec.ports, [
      { name: "wireguard", protocol: "UDP", port: 51821, targetPort: 51821 },
    ]);
    assert.deepEqual(service.spec.selector, objects[0]!.spec.selector.matchLabels);
  });

  it("references the config Secret by name only and holds no key", () => {
    const objects = synth(mesh, "onprem");
    const volumes = objects[0]!.spec.template.spec.volumes;
    assert.deepEqual(volumes, [
      {
        name: "config",
        secret: {
          secretName: WIREGUARD_SECRET_NAME,
          defaultMode: 0o400,
          items: [{ key: "wg0.conf", path: "wg0.conf" }],
        },
      },
    ]);
    assert.ok(!objects.some((o) => o.kind === "Secret"));
    const text = JSON.stringify(objects);
    assert.doesNotMatch(text, /PrivateKey|PresharedKey/);
    assert.ok(!(text.match(/[A-Za-z0-9+/]{43}=/g) ?? []).some(isWireGuardKey));
  });

  it("takes the image, node selector, annotations and source ranges it is given", () => {
    const objects = synth(mesh, "onprem", {
      image: "example.com/wg:1",
      nodeSelector: { "kubernetes.io/hostname": "gw-1" },
      serviceAnnotations: { "metallb.universe.tf/loadBalancerIPs": "198.51.100.7" },
      loadBalancerSourceRanges: ["203.0.113.9/32"],
    });
    assert.equal(objects[0]!.spec.template.spec.containers[0].image, "example.com/wg:1");
    assert.deepEqual(objects[0]!.spec.template.spec.nodeSelector, { "kubernetes.io/hostname": "gw-1" });
    assert.deepEqual(objects[1]!.metadata.annotations, {
      "metallb.universe.tf/loadBalancerIPs": "198.51.100.7",
    });
    assert.deepEqual(objects[1]!.spec.loadBalancerSourceRanges, ["203.0.113.9/32"]);
  });

  it("gives GitOps a wg-quick template with placeholders for every key", () => {
    const [file, ...rest] = wireGuardTemplateFiles(mesh, "onprem");
    assert.equal(rest.length, 0);
    assert.equal(file!.name, "wireguard/wg0.conf.template");
    assert.match(file!.text, new RegExp(`^PrivateKey = \\$\\{WIREGUARD_ONPREM_PRIVATE_KEY\\}$`, "m"));
    assert.ok(
      file!.text.includes(`PresharedKey = ${wireGuardPlaceholder("east", "preshared-key", "onprem")}`),
    );
    assert.match(file!.text, /^ListenPort = 51821$/m);
    assert.match(file!.text, /^MTU = 1440$/m);
    assert.ok(!(file!.text.match(/[A-Za-z0-9+/]{43}=/g) ?? []).some(isWireGuardKey));
    assert.deepEqual(
      wireGuardTemplateFiles(plan({ clusters: { a: { cloud: "aws", region: "us-east-1" } } }), "a"),
      [],
    );
  });

  it("refuses a mesh in gateways mode", () => {
    const gateways = plan({ clusters: { a: { cloud: "aws", region: "us-east-1" } } });
    assert.throws(() => synth(gateways, "a"), {
      message:
        'networkMode: has no WireGuard gateways; got "gateways", expected "wireguard". Plan the mesh with networkMode: "wireguard".',
    });
  });
});
