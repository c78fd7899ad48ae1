import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { DnsStubs } from "../../lib/components/dns-stubs";
import { renderCorefile } from "../../lib/core/dns";
import { plan } from "../../lib/core/plan";
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
  },
});

describe("DnsStubs", () => {
  it("patches the existing coredns ConfigMap and creates the DNS load balancer through the cluster's provider", async () => {
    const { engine, result } = await runOffline(
      () => new DnsStubs("dns", { plan: mesh, clusterId: "onprem", cluster: testCluster("onprem") }),
    );
    assert.deepEqual(
      engine.resources
        .filter((r) => r.custom && r.type.startsWith("kubernetes:"))
        .map((r) => `${r.type} ${r.name}`),
      [
        "kubernetes:helm.sh/v3:Release onprem-lb-controller",
        "kubernetes:core/v1:ConfigMapPatch dns-configmap-kube-system-coredns",
        "kubernetes:core/v1:Service dns-service-kube-system-isthmus-dns",
      ],
    );
    // The NLB's controller first, so that destroy deletes the load balancer while it still runs.
    assert.ok(
      engine.dependsOn(
        engine.get("kubernetes:core/v1:Service", "dns-service-kube-system-isthmus-dns"),
        engine.get("kubernetes:helm.sh/v3:Release", "onprem-lb-controller"),
      ),
    );
    const patch = engine.get("kubernetes:core/v1:ConfigMapPatch", "dns-configmap-kube-system-coredns");
    assert.equal(engine.clusterOf(patch), "onprem");
    assert.deepEqual(patch.inputs.data, { Corefile: renderCorefile(mesh, "onprem") });
    assert.equal(patch.inputs.kind, "ConfigMap");
    const service = engine.get("kubernetes:core/v1:Service", "dns-service-kube-system-isthmus-dns");
    assert.equal((service.inputs.spec as any).loadBalancerIP, mesh.wireguard!.gateways.onprem!.dnsAddress);
    assert.equal(result.address, mesh.wireguard!.gateways.onprem!.dnsAddress);
    assert.deepEqual(result.forwards, [
      { zone: "cluster.east", cluster: "east", address: mesh.wireguard!.gateways.east!.dnsAddress },
    ]);
  });

  it("refuses a mesh without stubs, before registering anything", async () => {
    const off = plan({
      networkMode: "wireguard",
      dns: { stubs: false },
      clusters: { east: { cloud: "aws", region: "us-east-1" } },
    });
    let error: unknown;
    const { engine } = await runOffline(() => {
      const cluster = testCluster("east");
      try {
        new DnsStubs("dns", { plan: off, clusterId: "east", cluster });
      } catch (e) {
        error = e;
      }
    });
    assert.ok(error instanceof pulumi.InputPropertiesError);
    assert.equal(
      error.message,
      'DnsStubs dns: 1 invalid input; nothing was created:\n  - plan.dns.stubs: is off, or the mesh has no WireGuard tunnel to route DNS over; got {"networkMode":"wireguard","stubs":false}, expected networkMode "wireguard" with dns.stubs true. ' +
        'Plan the mesh with networkMode: "wireguard" (stubs default to on there).',
    );
    assert.equal(engine.ofType("isthmus:network:DnsStubs").length, 0);
  });
});
