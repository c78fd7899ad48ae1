import assert from "node:assert/strict";
import { join } from "node:path";
import { App, Testing } from "cdk8s";
import { stringify } from "yaml";
import { gatewayValuesProblems, type KubernetesObject } from "../../lib/core/east-west-gateway";
import type { MeshPlan } from "../../lib/core/mesh-plan";
import { plan } from "../../lib/core/plan";
import { ClusterChart } from "../../lib/manifests/cluster-chart";
import { EastWestGateway } from "../../lib/manifests/east-west-gateway";
import { goldenFiles } from "../support/golden";
import { schemaValidator } from "../support/schemas";
import { clusters, primaryRemote, twoRegion } from "../support/plans";

const golden = goldenFiles(join(__dirname, "golden"));

function synth(p: MeshPlan, id: string): { objects: KubernetesObject[]; gateway: EastWestGateway } {
  const chart = new ClusterChart(new App(), p, id);
  const gateway = new EastWestGateway(chart, "east-west-gateway");
  return { objects: Testing.synth(chart) as KubernetesObject[], gateway };
}

const yaml = (objects: readonly unknown[]): string => objects.map((o) => stringify(o)).join("---\n");

const validateAll = schemaValidator([
  "networking.istio.io/v1 Gateway",
  "networking.istio.io/v1 VirtualService",
]);

describe("manifests/EastWestGateway", () => {
  for (const [name, p] of [
    ["two-region", twoRegion],
    ["primary-remote", primaryRemote],
  ] as const) {
    for (const id of ["region1", "region2"]) {
      it(`${name} ${id}: matches the golden objects and values, valid against Istio's schemas`, async () => {
        const { objects, gateway } = synth(p, id);
        golden(`east-west-gateway.${name}.${id}.yaml`, yaml(objects));
        golden(`east-west-gateway.${name}.${id}.values.yaml`, stringify(gateway.plan.values));
        await validateAll(objects);
        assert.deepEqual(gatewayValuesProblems(gateway.plan.values, "values"), []);
      });
    }
  }

  it("two-region: the cross-network Gateway serves 15443 with AUTO_PASSTHROUGH for *.local", () => {
    const { objects } = synth(twoRegion, "region1");
    assert.equal(objects.length, 1);
    const gw = objects[0]!;
    assert.deepEqual(
      [gw.kind, gw.metadata.name, gw.metadata.namespace],
      ["Gateway", "cross-network-gateway", "istio-system"],
    );
    assert.deepEqual(gw.metadata.labels, { "app.kubernetes.io/managed-by": "isthmus" });
    const server = (
      gw.spec as {
        servers: { port: { number: number; protocol: string }; tls: { mode: string }; hosts: string[] }[];
      }
    ).servers[0]!;
    assert.equal(server.port.number, 15443);
    assert.equal(server.port.protocol, "TLS");
    assert.equal(server.tls.mode, "AUTO_PASSTHROUGH");
    assert.deepEqual(server.hosts, ["*.local"]);
  });

  it("two-region: values name the cluster's network and the cloud's load balancer", () => {
    const aws = synth(twoRegion, "region1").gateway.plan;
    const gcp = synth(twoRegion, "region2").gateway.plan;
    assert.equal(aws.release, "istio-eastwestgateway");
    assert.equal(aws.values.networkGateway, "network-region1");
    assert.equal(gcp.values.networkGateway, "network-region2");
    assert.equal(
      aws.values.service.annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"],
      "internet-facing",
    );
    assert.equal(aws.values.networkGatewayPorts?.tls?.port, 15443);
  });

  it("primary-remote: istiod is exposed on the primary only", () => {
    const primary = synth(primaryRemote, "region1").objects.map((o) => `${o.kind}/${o.metadata.name}`);
    const remote = synth(primaryRemote, "region2").objects.map((o) => `${o.kind}/${o.metadata.name}`);
    assert.deepEqual(primary, [
      "Gateway/cross-network-gateway",
      "Gateway/istiod-gateway",
      "VirtualService/istiod-vs",
    ]);
    assert.deepEqual(remote, ["Gateway/cross-network-gateway"]);
    const istiodGateway = synth(primaryRemote, "region1").objects[1]!;
    const ports = (
      istiodGateway.spec as { servers: { port: { number: number }; tls: { mode: string } }[] }
    ).servers.map((s) => [s.port.number, s.tls.mode]);
    assert.deepEqual(ports, [
      [15012, "PASSTHROUGH"],
      [15017, "PASSTHROUGH"],
    ]);
  });

  it("refuses a cluster that needs no east-west gateway", () => {
    const flat = plan({ networkMode: "wireguard", clusters });
    const chart = new ClusterChart(new App(), flat, "region1");
    assert.throws(
      () => new EastWestGateway(chart, "gw"),
      /region1: the plan runs no east-west gateway in this cluster/,
    );
  });

  it("the schema check catches a broken object (so the validation is not vacuous)", async () => {
    const { objects } = synth(twoRegion, "region1");
    const broken = { ...objects[0]!, spec: { servers: [{ port: { number: "15443" } }] } };
    await assert.rejects(validateAll([broken as KubernetesObject]));
  });
});
