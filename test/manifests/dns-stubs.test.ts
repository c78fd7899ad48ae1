import assert from "node:assert/strict";
import { join } from "node:path";
import { App, Testing } from "cdk8s";
import { stringify } from "yaml";
import { renderCorefile, renderKubeDnsStubDomains } from "../../lib/core/dns";
import type { MeshPlan } from "../../lib/core/mesh-plan";
import { plan } from "../../lib/core/plan";
import { ClusterChart } from "../../lib/manifests/cluster-chart";
import { DnsStubs } from "../../lib/manifests/dns-stubs";
import { goldenFiles } from "../support/golden";
import { schemaValidator } from "../support/schemas";

const mesh = plan({
  meshID: "demo",
  networkMode: "wireguard",
  clusters: {
    east: { cloud: "aws", region: "us-east-1" },
    central: { cloud: "gcp", region: "us-central1" },
    onprem: {
      cloud: "existing",
      region: "dc1",
      cidrs: { node: "10.172.0.0/16", pod: "10.88.0.0/15", service: "10.236.0.0/16" },
    },
  },
});

const golden = goldenFiles(join(__dirname, "golden"));

type Obj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: any };
  [k: string]: any;
};

function synth(p: MeshPlan, id: string, awsSubnet?: string): { objects: Obj[]; stubs: DnsStubs } {
  const chart = new ClusterChart(new App(), p, id);
  const stubs = new DnsStubs(chart, "dns-stubs", awsSubnet === undefined ? {} : { awsSubnet });
  return { objects: Testing.synth(chart) as Obj[], stubs };
}

const find = (objects: Obj[], kind: string, name: string): Obj => {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  assert.ok(o, `no ${kind} ${name}`);
  return o;
};

const validateAll = schemaValidator([
  "v1 Service",
  "v1 ConfigMap",
  "v1 ServiceAccount",
  "rbac.authorization.k8s.io/v1 ClusterRole",
  "rbac.authorization.k8s.io/v1 ClusterRoleBinding",
  "apps/v1 Deployment",
]);

describe("manifests/DnsStubs", () => {
  for (const id of ["east", "central", "onprem"]) {
    it(`renders ${id}'s objects as in its golden file, valid against the Kubernetes schema`, async () => {
      const { objects } = synth(mesh, id);
      golden(`dns-stubs.${id}.yaml`, objects.map((o) => stringify(o)).join("---\n"));
      await validateAll(objects);
      for (const o of objects) assert.equal(o.metadata.namespace ?? "kube-system", "kube-system");
    });
  }

  it("writes the Corefile into coredns on EKS and existing clusters", () => {
    for (const id of ["east", "onprem"]) {
      const { objects, stubs } = synth(mesh, id);
      assert.equal(stubs.flavor, "coredns");
      assert.equal(mesh.clusters[id]!.dnsStubs!.configMap, "coredns");
      assert.deepEqual(find(objects, "ConfigMap", "coredns").data, { Corefile: renderCorefile(mesh, id) });
      assert.deepEqual(find(objects, "Service", "isthmus-dns").spec.selector, { "k8s-app": "kube-dns" });
      assert.deepEqual(
        objects.map((o) => o.kind),
        ["Service", "ConfigMap"],
      );
    }
  });

  it("writes stubDomains into kube-dns on GKE and serves the Corefile from an alias CoreDNS", () => {
    const { objects, stubs } = synth(mesh, "central");
    assert.equal(stubs.flavor, "kube-dns");
    assert.equal(mesh.clusters.central!.dnsStubs!.flavor, "kube-dns");
    assert.equal(mesh.clusters.central!.dnsStubs!.configMap, "kube-dns");
    assert.deepEqual(find(objects, "ConfigMap", "kube-dns").data, {
      stubDomains: renderKubeDnsStubDomains(mesh, "central"),
    });
    assert.deepEqual(find(objects, "ConfigMap", "isthmus-dns").data, {
      Corefile: renderCorefile(mesh, "central"),
    });
    const deployment = find(objects, "Deployment", "isthmus-dns");
    assert.equal(deployment.spec.template.spec.dnsPolicy, "Default");
    assert.deepEqual(
      find(objects, "Service", "isthmus-dns").spec.selector,
      deployment.spec.template.metadata.labels,
    );
    const stub = JSON.parse(find(objects, "ConfigMap", "kube-dns").data.stubDomains);
    assert.deepEqual(stub["cluster.central"], [mesh.wireguard!.gateways.central!.dnsAddress]);
    assert.deepEqual(stub["cluster.east"], [mesh.wireguard!.gateways.east!.dnsAddress]);
  });

  it("pins the DNS load balancer to the plan's address with each cloud's settings", () => {
    const address = (id: string): string => mesh.wireguard!.gateways[id]!.dnsAddress;
    const east = find(synth(mesh, "east").objects, "Service", "isthmus-dns");
    assert.equal(
      east.metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-private-ipv4-addresses"],
      address("east"),
    );
    assert.equal(
      east.metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"],
      "internal",
    );
    assert.equal(
      east.metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-subnets"],
      `demo-east-${mesh.clusters.east!.subnets[0]!.zone}-private`,
    );
    assert.equal(east.spec.loadBalancerIP, undefined);
    const custom = find(synth(mesh, "east", "subnet-0123").objects, "Service", "isthmus-dns");
    assert.equal(
      custom.metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-subnets"],
      "subnet-0123",
    );
    const central = find(synth(mesh, "central").objects, "Service", "isthmus-dns");
    assert.equal(central.spec.loadBalancerIP, address("central"));
    assert.equal(central.metadata.annotations["networking.gke.io/load-balancer-type"], "Internal");
    const onprem = find(synth(mesh, "onprem").objects, "Service", "isthmus-dns");
    assert.equal(onprem.spec.loadBalancerIP, address("onprem"));
    for (const s of [east, central, onprem]) {
      assert.deepEqual(
        s.spec.ports.map((p: any) => `${p.port}/${p.protocol}`),
        ["53/UDP", "53/TCP"],
      );
      assert.deepEqual(
        s.spec.loadBalancerSourceRanges,
        [...new Set(Object.values(mesh.wireguard!.gateways).flatMap((g) => g.localCidrs))].sort(),
      );
    }
  });

  it("refuses a mesh without stubs", () => {
    const gateways = plan({ clusters: { east: { cloud: "aws", region: "us-east-1" } } });
    assert.throws(() => synth(gateways, "east"), {
      message:
        'dns.stubs: is off for this mesh; got false in "gateways" mode, expected true in "wireguard" mode. DNS stubs need the tunnel\'s routes.',
    });
    const off = plan({
      networkMode: "wireguard",
      dns: { stubs: false },
      clusters: { east: { cloud: "aws", region: "us-east-1" } },
    });
    assert.throws(
      () => synth(off, "east"),
      /dns\.stubs: is off for this mesh; got false in "wireguard" mode/,
    );
  });
});
