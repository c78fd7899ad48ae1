import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { plan } from "../../../lib/core/plan";
import { GkeCluster, nodesPerZone } from "../../../lib/clusters/gcp/gke-cluster";
import { runOffline, type OfflineEngine } from "../../../lib/testing/offline-engine";
import type { RecordedResource } from "../../../lib/testing/recorded-resource";
import { assertRejectsInputs } from "../../support/input-errors";

const mesh = plan({
  meshID: "demo",
  clusters: {
    east: { cloud: "gcp", region: "us-east1", zones: ["us-east1-b", "us-east1-c", "us-east1-d"] },
    west: { cloud: "gcp", region: "us-west1", nodes: { count: 4, machineType: "e2-standard-8" } },
    aws: { cloud: "aws", region: "us-east-1" },
  },
});

function valueOf<T>(input: pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => pulumi.output(input).apply((v) => resolve(v as T)));
}

/** The resources among `candidates` that `resource` takes inputs from or waits on, by name. */
function dependsDirectlyOn(resource: RecordedResource, candidates: readonly RecordedResource[]): string[] {
  return candidates.filter((c) => resource.dependencies.includes(c.urn)).map((c) => c.name);
}

async function eastAndWest(): Promise<{ engine: OfflineEngine; east: GkeCluster; west: GkeCluster }> {
  const { engine, result } = await runOffline(() => ({
    east: new GkeCluster("east", { plan: mesh, clusterId: "east", project: "demo-project" }),
    west: new GkeCluster("west", {
      plan: mesh,
      clusterId: "west",
      project: "demo-project",
      masterIpv4CidrBlock: "172.16.0.16/28",
    }),
  }));
  return { engine, ...result };
}

describe("GkeCluster", () => {
  let run: Promise<{ engine: OfflineEngine; east: GkeCluster; west: GkeCluster }>;
  before(() => {
    run = eastAndWest();
  });

  it("registers the network, firewall rules, the cluster, its node pool and the Kubernetes provider", async () => {
    const { engine } = await run;
    const parent = engine.get("isthmus:clusters:GkeCluster", "east");
    const names = engine.resources
      .filter((r) => r.parent === parent.urn)
      .map((r) => `${r.type} ${r.name}`)
      .sort();
    assert.deepEqual(names, [
      "gcp:compute/address:Address east-nat-address",
      "gcp:compute/firewall:Firewall east-istiod-webhook-fw",
      "gcp:compute/network:Network east-network",
      "gcp:compute/router:Router east-router",
      "gcp:compute/routerNat:RouterNat east-nat",
      "gcp:compute/subnetwork:Subnetwork east-subnet",
      "gcp:container/cluster:Cluster east-gke",
      "gcp:container/nodePool:NodePool east-nodes",
      "gcp:projects/service:Service east-compute-api",
      "gcp:projects/service:Service east-container-api",
      "pulumi:providers:gcp east-gcp",
      "pulumi:providers:kubernetes east-k8s",
    ]);
    const components = engine.ofType("isthmus:clusters:GkeCluster").map((r) => r.urn);
    assert.deepEqual(
      engine.resources.filter((r) => !components.includes(r.urn) && !components.includes(r.parent ?? "")),
      [],
    );
  });

  it("sends every Google Cloud resource through its own explicit provider with the project and the plan's region", async () => {
    const { engine } = await run;
    const gcp = engine.resources.filter((r) => r.type.startsWith("gcp:"));
    assert.equal(gcp.length, 20);
    for (const r of gcp) {
      const provider = engine.providerOf(r);
      assert.ok(provider, `${r.type} ${r.name} has no explicit provider`);
      const component = r.name.split("-")[0]!;
      assert.equal(provider.name, `${component}-gcp`);
      assert.equal(provider.inputs.project, "demo-project");
      assert.equal(provider.inputs.region, mesh.clusters[component]!.region);
    }
    assert.equal(engine.get("pulumi:providers:gcp", "east-gcp").inputs.region, "us-east1");
  });

  it("builds a custom-mode network and a VPC-native subnetwork from the plan's node, pod and service ranges", async () => {
    const { engine } = await run;
    const c = mesh.clusters.east!;
    const network = engine.get("gcp:compute/network:Network", "east-network");
    assert.equal(network.inputs.autoCreateSubnetworks, false);
    const subnet = engine.get("gcp:compute/subnetwork:Subnetwork", "east-subnet");
    assert.equal(subnet.inputs.ipCidrRange, c.cidrs.node);
    assert.equal(subnet.inputs.region, "us-east1");
    assert.deepEqual(subnet.inputs.secondaryIpRanges, [
      { rangeName: "pods", ipCidrRange: c.cidrs.pod },
      { rangeName: "services", ipCidrRange: c.cidrs.service },
    ]);
    assert.deepEqual(dependsDirectlyOn(subnet, [network]), ["east-network"]);
    const gke = engine.get("gcp:container/cluster:Cluster", "east-gke");
    assert.equal(gke.inputs.networkingMode, "VPC_NATIVE");
    assert.equal(gke.inputs.minMasterVersion, "1.34", "a pinned Kubernetes version");
    // Every Google Cloud resource waits for the APIs it uses, which stay enabled on destroy.
    for (const api of ["compute", "container"]) {
      const service = engine.get("gcp:projects/service:Service", `east-${api}-api`);
      assert.equal(service.inputs.service, `${api}.googleapis.com`);
      assert.equal(service.inputs.disableOnDestroy, false);
      assert.ok(engine.dependsOn(gke, service));
      assert.ok(engine.dependsOn(network, service));
    }
    assert.deepEqual(gke.inputs.ipAllocationPolicy, {
      clusterSecondaryRangeName: "pods",
      servicesSecondaryRangeName: "services",
    });
    assert.deepEqual(dependsDirectlyOn(gke, [network, subnet]), ["east-network", "east-subnet"]);
  });

  it("creates a regional private-node cluster across the plan's zones, without the default pool or deletion protection", async () => {
    const { engine } = await run;
    const gke = engine.get("gcp:container/cluster:Cluster", "east-gke");
    assert.equal(gke.inputs.name, "demo-east");
    assert.equal(gke.inputs.location, "us-east1");
    assert.deepEqual(gke.inputs.nodeLocations, ["us-east1-b", "us-east1-c", "us-east1-d"]);
    assert.equal(gke.inputs.removeDefaultNodePool, true);
    assert.equal(gke.inputs.deletionProtection, false);
    assert.deepEqual(gke.inputs.privateClusterConfig, {
      enablePrivateNodes: true,
      enablePrivateEndpoint: false,
      masterIpv4CidrBlock: "172.16.0.0/28",
    });
    assert.deepEqual(
      (
        engine.get("gcp:container/cluster:Cluster", "west-gke").inputs.privateClusterConfig as Record<
          string,
          unknown
        >
      ).masterIpv4CidrBlock,
      "172.16.0.16/28",
    );
    // Private nodes egress through Cloud NAT on the network's router.
    const nat = engine.get("gcp:compute/routerNat:RouterNat", "east-nat");
    assert.equal(nat.inputs.sourceSubnetworkIpRangesToNat, "ALL_SUBNETWORKS_ALL_IP_RANGES");
    assert.equal(nat.inputs.router, "demo-east-router");
    assert.equal(nat.inputs.name, "demo-east-nat");
    assert.deepEqual(dependsDirectlyOn(nat, engine.ofType("gcp:compute/router:Router")), ["east-router"]);
    // From one static address: the cluster's known egress, which the other regions' gateways admit.
    const address = engine.get("gcp:compute/address:Address", "east-nat-address");
    assert.equal(nat.inputs.natIpAllocateOption, "MANUAL_ONLY");
    assert.deepEqual(nat.inputs.natIps, [address.outputs.selfLink]);
  });

  it("sizes the node pool from the plan, per zone, over the plan's zones", async () => {
    const { engine } = await run;
    const east = engine.get("gcp:container/nodePool:NodePool", "east-nodes");
    assert.equal(east.inputs.nodeCount, 1);
    assert.deepEqual(east.inputs.nodeLocations, mesh.clusters.east!.zones);
    assert.equal(east.inputs.location, "us-east1");
    assert.equal(east.inputs.cluster, "demo-east");
    const config = east.inputs.nodeConfig as Record<string, unknown>;
    assert.equal(config.machineType, "e2-standard-4");
    assert.deepEqual(config.tags, ["demo-east-node"]);
    const west = engine.get("gcp:container/nodePool:NodePool", "west-nodes");
    assert.equal(west.inputs.nodeCount, 2); // 4 nodes over 3 zones: 2 per zone
    assert.equal((west.inputs.nodeConfig as Record<string, unknown>).machineType, "e2-standard-8");
    assert.equal(nodesPerZone(mesh.clusters.west!), 2);
    assert.ok(engine.dependsOn(east, engine.get("gcp:compute/routerNat:RouterNat", "east-nat")));
  });

  it("lets the control plane's /28 call istiod's webhooks and opens the east-west gateway ports on the nodes", async () => {
    const { engine } = await run;
    const webhook = engine.get("gcp:compute/firewall:Firewall", "east-istiod-webhook-fw");
    assert.deepEqual(webhook.inputs.sourceRanges, ["172.16.0.0/28"]);
    assert.deepEqual(webhook.inputs.allows, [{ protocol: "tcp", ports: ["15017"] }]);
    assert.deepEqual(webhook.inputs.targetTags, ["demo-east-node"]);
    assert.equal(webhook.inputs.direction, "INGRESS");
    // An internet-facing gateway gets no 0.0.0.0/0 rule of ours, which would let every source past
    // the Service's loadBalancerSourceRanges: GKE makes the Service's own rule from them.
    assert.deepEqual(
      engine
        .ofType("gcp:compute/firewall:Firewall")
        .map((r) => r.name)
        .filter((n) => n.includes("eastwest")),
      [],
    );
    assert.deepEqual(
      engine.get("gcp:compute/firewall:Firewall", "west-istiod-webhook-fw").inputs.sourceRanges,
      ["172.16.0.16/28"],
    );
  });

  it("opens the east-west gateway ports to the ranges it is given, only the ports the plan's gateway serves", async () => {
    const { engine } = await runOffline(
      () =>
        new GkeCluster("east", {
          plan: mesh,
          clusterId: "east",
          project: "demo-project",
          eastWestGatewaySourceRanges: ["198.51.100.0/24"],
        }),
    );
    const gateway = engine.get("gcp:compute/firewall:Firewall", "east-eastwest-fw");
    assert.deepEqual(gateway.inputs.sourceRanges, ["198.51.100.0/24"]);
    // No remote uses this istiod: 15012 and 15017 stay closed.
    assert.deepEqual(gateway.inputs.allows, [{ protocol: "tcp", ports: ["15021", "15443"] }]);
    assert.deepEqual(gateway.inputs.targetTags, ["demo-east-node"]);
    const network = engine.get("gcp:compute/network:Network", "east-network");
    assert.deepEqual(dependsDirectlyOn(gateway, [network]), ["east-network"]);
  });

  it("creates a Kubernetes provider for the cluster id, after the node pool, with a secret gke-gcloud-auth-plugin kubeconfig", async () => {
    const { engine, east } = await run;
    const provider = engine.get("pulumi:providers:kubernetes", "east-k8s");
    assert.equal(provider.inputs.clusterIdentifier, "east");
    assert.ok(provider.secretPaths.includes("kubeconfig"));
    assert.equal(await pulumi.isSecret(east.kubeconfig), true);
    assert.ok(engine.dependsOn(provider, engine.get("gcp:container/nodePool:NodePool", "east-nodes")));
    const gke = engine.get("gcp:container/cluster:Cluster", "east-gke");
    const kubeconfig = parse(provider.inputs.kubeconfig as string);
    assert.equal(kubeconfig["current-context"], "gke_demo-project_us-east1_demo-east");
    assert.equal(kubeconfig.clusters[0].cluster.server, `https://${gke.outputs.endpoint as string}`);
    assert.equal(
      kubeconfig.clusters[0].cluster["certificate-authority-data"],
      (gke.outputs.masterAuth as Record<string, string>).clusterCaCertificate,
    );
    assert.equal(kubeconfig.users[0].user.exec.command, "gke-gcloud-auth-plugin");
    assert.equal(kubeconfig.users[0].user.exec.provideClusterInfo, true);
  });

  it("returns a handle with an https endpoint, the PEM CA and the node pool as ready resource", async () => {
    const { engine, west } = await run;
    const gke = engine.get("gcp:container/cluster:Cluster", "west-gke");
    assert.equal(west.cluster.id, "west");
    assert.equal(await valueOf(west.cluster.endpoint), `https://${gke.outputs.endpoint as string}`);
    assert.match(await valueOf(west.cluster.endpoint), /^https:\/\/34\.\d+\.\d+\.\d+$/);
    const ca = await valueOf(west.cluster.certificateAuthority);
    assert.match(ca, /^-----BEGIN CERTIFICATE-----\n/);
    assert.deepEqual(west.cluster.readyResources, [west.nodePool]);
    assert.equal(
      await valueOf(west.cluster.egressAddresses![0]!),
      engine.get("gcp:compute/address:Address", "west-nat-address").outputs.address,
    );
  });

  it("registers the same graph in preview, with the kubeconfig still secret", async () => {
    const { engine, result } = await runOffline(
      () => new GkeCluster("east", { plan: mesh, clusterId: "east", project: "demo-project" }),
      { preview: true },
    );
    assert.equal(engine.resources.length, 13);
    // In a preview the kubeconfig (built from the cluster's endpoint) is unknown: nothing to leak.
    assert.equal(
      engine.get("pulumi:providers:kubernetes", "east-k8s").inputs.kubeconfig,
      pulumi.runtime.unknownValue,
    );
    assert.equal(await pulumi.isSecret(result.kubeconfig), true);
  });

  describe("validation", () => {
    const invalid = (args: ConstructorParameters<typeof GkeCluster>[1], message: string): Promise<void> =>
      assertRejectsInputs(() => new GkeCluster("bad", args), message);

    it("rejects a cluster of another cloud and a project name that is not an id, at once", async () => {
      await invalid(
        { plan: mesh, clusterId: "aws", project: "My Project" },
        "GkeCluster: 2 invalid inputs; nothing was created:\n" +
          '  - clusterId: names a aws cluster; got "aws", expected a cluster with cloud "gcp". Provision it with EksCluster.\n' +
          '  - project: is not a Google Cloud project id; got "My Project", expected 6–30 lower-case letters, digits and hyphens, ' +
          "starting with a letter. Pass the project id (gcloud config get-value project), not its name or number.",
      );
    });

    it("rejects an unknown cluster id", async () => {
      await invalid(
        { plan: mesh, clusterId: "wset", project: "demo-project" },
        "GkeCluster: 1 invalid input; nothing was created:\n" +
          '  - clusterId: is not a cluster of the plan; got "wset", expected one of "aws", "east", "west". ' +
          "Use the key of a gcp cluster in the spec's clusters.",
      );
    });

    it("rejects a control-plane range that is not a /28 or overlaps the mesh's ranges", async () => {
      await invalid(
        { plan: mesh, clusterId: "east", project: "demo-project", masterIpv4CidrBlock: "172.16.0.0/24" },
        "GkeCluster: 1 invalid input; nothing was created:\n" +
          '  - masterIpv4CidrBlock: is not a /28; got "172.16.0.0/24", expected a private /28 (172.16.0.0/28). ' +
          "GKE's control plane takes exactly a /28.",
      );
      const pod = mesh.clusters.west!.cidrs.pod;
      const inside = `${pod.split("/")[0]!.replace(/\.0$/, ".16")}/28`;
      await invalid(
        { plan: mesh, clusterId: "east", project: "demo-project", masterIpv4CidrBlock: inside },
        "GkeCluster: 1 invalid input; nothing was created:\n" +
          `  - masterIpv4CidrBlock: overlaps clusters.west.cidrs.pod (${pod}); got "${inside}", expected a /28 outside every ` +
          "range of the mesh. Choose a /28 outside the mesh's ranges (the default is 172.16.0.0/28).",
      );
    });
  });
});
