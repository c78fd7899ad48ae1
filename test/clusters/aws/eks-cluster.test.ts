import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { overlaps, parseCidr } from "../../../lib/core/cidr";
import { plan } from "../../../lib/core/plan";
import { EksCluster, publicSubnetCidrs } from "../../../lib/clusters/aws/eks-cluster";
import { runOffline } from "../../../lib/testing/offline-engine";
import type { OfflineEngine } from "../../../lib/testing/offline-engine";
import type { RecordedResource } from "../../../lib/testing/recorded-resource";
import { assertRejectsInputs } from "../../support/input-errors";

const mesh = plan({
  meshID: "demo",
  clusters: {
    east: { cloud: "aws", region: "us-east-1" },
    west: { cloud: "aws", region: "us-west-2", nodes: { count: 4, machineType: "m6i.xlarge" } },
    central: { cloud: "gcp", region: "us-central1" },
  },
});

/** The resolved value of an Output (the offline engine runs applies). */
function valueOf<T>(input: pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => pulumi.output(input).apply((v) => resolve(v as T)));
}

async function twoRegions(): Promise<{ engine: OfflineEngine; east: EksCluster; west: EksCluster }> {
  const { engine, result } = await runOffline(() => ({
    east: new EksCluster("east", { plan: mesh, clusterId: "east" }),
    west: new EksCluster("west", {
      plan: mesh,
      clusterId: "west",
      adminPrincipalArns: ["arn:aws:iam::123456789012:role/platform-admin"],
    }),
  }));
  return { engine, ...result };
}

/**
 * Whether `resource` takes inputs from (or waits on) exactly these resources among `candidates`.
 * Ids are compared through dependencies: the offline engine records the resources behind each input.
 */
function dependsDirectlyOn(resource: RecordedResource, candidates: readonly RecordedResource[]): string[] {
  return candidates.filter((c) => resource.dependencies.includes(c.urn)).map((c) => c.name);
}

const children = (engine: OfflineEngine, component: string): RecordedResource[] => {
  const parent = engine.get("isthmus:clusters:EksCluster", component);
  return engine.resources.filter((r) => r.parent === parent.urn);
};

describe("EksCluster", () => {
  // One offline run of two regions, shared by the tests that only read what it recorded.
  let run: Promise<{ engine: OfflineEngine; east: EksCluster; west: EksCluster }>;
  before(() => {
    run = twoRegions();
  });
  it("registers the VPC, the EKS control plane, the node group and the Kubernetes provider, named by zone and role", async () => {
    const { engine } = await run;
    const names = children(engine, "east")
      .map((r) => `${r.type} ${r.name}`)
      .sort();
    assert.deepEqual(names, [
      "aws:ec2/eip:Eip east-nat-eip",
      "aws:ec2/internetGateway:InternetGateway east-igw",
      "aws:ec2/natGateway:NatGateway east-nat",
      "aws:ec2/routeTable:RouteTable east-private-rt",
      "aws:ec2/routeTable:RouteTable east-public-rt",
      "aws:ec2/routeTableAssociation:RouteTableAssociation east-us-east-1a-private-rta",
      "aws:ec2/routeTableAssociation:RouteTableAssociation east-us-east-1a-public-rta",
      "aws:ec2/routeTableAssociation:RouteTableAssociation east-us-east-1b-private-rta",
      "aws:ec2/routeTableAssociation:RouteTableAssociation east-us-east-1b-public-rta",
      "aws:ec2/routeTableAssociation:RouteTableAssociation east-us-east-1c-private-rta",
      "aws:ec2/routeTableAssociation:RouteTableAssociation east-us-east-1c-public-rta",
      "aws:ec2/securityGroupRule:SecurityGroupRule east-eastwest-15021-ingress",
      "aws:ec2/securityGroupRule:SecurityGroupRule east-eastwest-15443-ingress",
      "aws:ec2/securityGroupRule:SecurityGroupRule east-istiod-webhook-ingress",
      "aws:ec2/subnet:Subnet east-us-east-1a-private-subnet",
      "aws:ec2/subnet:Subnet east-us-east-1a-public-subnet",
      "aws:ec2/subnet:Subnet east-us-east-1b-private-subnet",
      "aws:ec2/subnet:Subnet east-us-east-1b-public-subnet",
      "aws:ec2/subnet:Subnet east-us-east-1c-private-subnet",
      "aws:ec2/subnet:Subnet east-us-east-1c-public-subnet",
      "aws:ec2/vpc:Vpc east-vpc",
      "aws:eks/addon:Addon east-pod-identity-agent",
      "aws:eks/cluster:Cluster east-eks",
      "aws:eks/nodeGroup:NodeGroup east-nodes",
      "aws:eks/podIdentityAssociation:PodIdentityAssociation east-lb-controller-identity",
      "aws:iam/policy:Policy east-lb-controller-policy",
      "aws:iam/role:Role east-cluster-role",
      "aws:iam/role:Role east-lb-controller-role",
      "aws:iam/role:Role east-node-role",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment east-cluster-role-amazoneksclusterpolicy",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment east-lb-controller-role-policy",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment east-node-role-amazonec2containerregistryreadonly",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment east-node-role-amazoneks_cni_policy",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment east-node-role-amazoneksworkernodepolicy",
      "kubernetes:helm.sh/v3:Release east-lb-controller",
      "pulumi:providers:aws east-aws",
      "pulumi:providers:kubernetes east-k8s",
    ]);
    // Every resource belongs to one of the two components; nothing floats at the root.
    const components = engine.ofType("isthmus:clusters:EksCluster").map((r) => r.urn);
    assert.deepEqual(
      engine.resources.filter((r) => !components.includes(r.urn) && !components.includes(r.parent ?? "")),
      [],
    );
  });

  it("opens the east-west gateway ports to the VPC only by default (the NLB's IP targets see its private addresses)", async () => {
    const { engine } = await run;
    for (const id of ["east", "west"]) {
      const rule = engine.get("aws:ec2/securityGroupRule:SecurityGroupRule", `${id}-eastwest-15443-ingress`);
      assert.deepEqual(rule.inputs.cidrBlocks, [mesh.clusters[id]!.cidrs.node]);
    }
  });

  it("sends every AWS resource through its own region's explicit provider, never the default one", async () => {
    const { engine } = await run;
    const aws = engine.resources.filter((r) => r.type.startsWith("aws:"));
    // 34 each (29 for the cluster, 5 for its load balancer controller), plus west's access entry and
    // policy association
    assert.equal(aws.length, 2 * 34 + 2);
    for (const r of aws) {
      const provider = engine.providerOf(r);
      assert.ok(provider, `${r.type} ${r.name} has no explicit provider`);
      assert.equal(provider.type, "pulumi:providers:aws");
      const component = r.name.split("-")[0];
      assert.equal(provider.name, `${component}-aws`, `${r.name} goes through ${provider.name}`);
      assert.equal(provider.inputs.region, component === "east" ? "us-east-1" : "us-west-2");
    }
    assert.deepEqual(
      JSON.parse(engine.get("pulumi:providers:aws", "west-aws").inputs.defaultTags as string),
      {
        tags: { "isthmus.dev/cluster": "west", "isthmus.dev/mesh": "demo" },
      },
    );
  });

  it("builds the VPC from the plan's node range and one private subnet per zone from the plan's subnets", async () => {
    const { engine } = await run;
    for (const id of ["east", "west"]) {
      const c = mesh.clusters[id]!;
      assert.equal(engine.get("aws:ec2/vpc:Vpc", `${id}-vpc`).inputs.cidrBlock, c.cidrs.node);
      assert.equal(c.subnets.length, 3);
      for (const s of c.subnets) {
        const subnet = engine.get("aws:ec2/subnet:Subnet", `${id}-${s.zone}-private-subnet`);
        assert.equal(subnet.inputs.cidrBlock, s.cidr);
        assert.equal((subnet.inputs.tags as Record<string, string>)["kubernetes.io/role/internal-elb"], "1");
        assert.equal(subnet.inputs.mapPublicIpOnLaunch, undefined);
      }
      // The spec pins no zones: the subnets go to the region's first three usable zones by zone id
      // (zone letters differ between accounts), never to one EKS rejects (use1-az3).
      const zones = engine
        .ofType("aws:ec2/subnet:Subnet")
        .filter((r) => r.name.startsWith(`${id}-`) && r.name.endsWith("-private-subnet"))
        .map((r) => [r.inputs.availabilityZone, r.inputs.availabilityZoneId]);
      const ids = id === "east" ? ["use1-az1", "use1-az2", "use1-az4"] : ["usw2-az1", "usw2-az2", "usw2-az3"];
      assert.deepEqual(
        zones,
        ids.map((z) => [undefined, z]),
      );
    }
    assert.deepEqual(mesh.clusters.east!.zones, ["us-east-1a", "us-east-1b", "us-east-1c"]);
    const lookup = engine.calls.find(
      (c) => c.token === "aws:index/getAvailabilityZones:getAvailabilityZones",
    )!;
    assert.deepEqual(lookup.inputs.excludeZoneIds, ["use1-az3", "usw1-az2", "cac1-az3"]);
    assert.equal(engine.get("aws:eks/cluster:Cluster", "east-eks").inputs.version, "1.34");
    assert.equal(engine.get("aws:eks/nodeGroup:NodeGroup", "east-nodes").inputs.version, "1.34");
  });

  it("installs the AWS Load Balancer Controller from its pinned chart, bound to its IAM role through Pod Identity", async () => {
    const { engine } = await run;
    const release = engine.get("kubernetes:helm.sh/v3:Release", "east-lb-controller");
    assert.equal(release.inputs.chart, "aws-load-balancer-controller");
    assert.equal(release.inputs.version, "3.5.0");
    assert.deepEqual(release.inputs.repositoryOpts, { repo: "https://aws.github.io/eks-charts" });
    assert.equal(engine.clusterOf(release), "east");
    const values = release.inputs.values as Record<string, unknown>;
    assert.equal(values.clusterName, "demo-east");
    assert.equal(values.region, "us-east-1");
    assert.equal(values.vpcId, engine.get("aws:ec2/vpc:Vpc", "east-vpc").outputs.id);
    assert.equal(values.enableServiceMutatorWebhook, false);
    const association = engine.get(
      "aws:eks/podIdentityAssociation:PodIdentityAssociation",
      "east-lb-controller-identity",
    );
    assert.deepEqual(
      [association.inputs.namespace, association.inputs.serviceAccount],
      ["kube-system", "aws-load-balancer-controller"],
    );
    assert.ok(engine.dependsOn(release, association), "the pods start with credentials");
    const role = engine.get("aws:iam/role:Role", "east-lb-controller-role");
    assert.deepEqual(JSON.parse(role.inputs.assumeRolePolicy as string).Statement[0].Principal, {
      Service: "pods.eks.amazonaws.com",
    });
    const policy = JSON.parse(
      engine.get("aws:iam/policy:Policy", "east-lb-controller-policy").inputs.policy as string,
    );
    const actions = policy.Statement.flatMap((s: { Action: string[] }) => s.Action);
    for (const action of [
      "elasticloadbalancing:CreateLoadBalancer",
      "elasticloadbalancing:RegisterTargets",
      "ec2:DescribeSubnets",
      "ec2:CreateSecurityGroup",
    ]) {
      assert.ok(actions.includes(action), action);
    }
  });

  it("puts the subnets in the zones the spec pins, by name", async () => {
    const pinned = plan({
      meshID: "demo",
      clusters: { east: { cloud: "aws", region: "us-east-1", zones: ["us-east-1b", "us-east-1d"] } },
    });
    const { engine } = await runOffline(() => new EksCluster("east", { plan: pinned, clusterId: "east" }));
    const zones = engine
      .ofType("aws:ec2/subnet:Subnet")
      .map((r) => [r.name, r.inputs.availabilityZone, r.inputs.availabilityZoneId])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    assert.deepEqual(zones, [
      ["east-us-east-1b-private-subnet", "us-east-1b", undefined],
      ["east-us-east-1b-public-subnet", "us-east-1b", undefined],
      ["east-us-east-1d-private-subnet", "us-east-1d", undefined],
      ["east-us-east-1d-public-subnet", "us-east-1d", undefined],
    ]);
    assert.equal(engine.calls.filter((c) => c.token.endsWith("getAvailabilityZones")).length, 0);
  });

  it("carves the public subnets from the node range's fourth quarter, clear of the plan's subnets", async () => {
    const { engine } = await run;
    const c = mesh.clusters.west!;
    const node = parseCidr(c.cidrs.node);
    const expected = publicSubnetCidrs(c);
    assert.equal(expected.length, 3);
    c.subnets.forEach((s, i) => {
      const subnet = engine.get("aws:ec2/subnet:Subnet", `west-${s.zone}-public-subnet`);
      assert.equal(subnet.inputs.cidrBlock, expected[i]);
      assert.equal(subnet.inputs.availabilityZoneId, `usw2-az${i + 1}`);
      assert.equal(subnet.inputs.mapPublicIpOnLaunch, true);
      assert.equal((subnet.inputs.tags as Record<string, string>)["kubernetes.io/role/elb"], "1");
      assert.equal(
        (subnet.inputs.tags as Record<string, string>)["kubernetes.io/cluster/demo-west"],
        "shared",
      );
      const range = parseCidr(expected[i]!);
      assert.equal(range.prefix, node.prefix + 4);
      assert.ok(
        range.first >= node.first + ((node.last - node.first + 1n) * 3n) / 4n && range.last <= node.last,
      );
      for (const planned of c.subnets)
        assert.ok(!overlaps(range, parseCidr(planned.cidr)), `${expected[i]} overlaps ${planned.cidr}`);
    });
    // With a /16 node range: x.y.192.0/20, x.y.208.0/20, x.y.224.0/20.
    const [a, b] = c.cidrs.node.split(".");
    assert.deepEqual(expected, [`${a}.${b}.192.0/20`, `${a}.${b}.208.0/20`, `${a}.${b}.224.0/20`]);
  });

  it("routes public subnets to the internet gateway and private subnets through one NAT gateway", async () => {
    const { engine } = await run;
    const igw = engine.get("aws:ec2/internetGateway:InternetGateway", "east-igw");
    const nat = engine.get("aws:ec2/natGateway:NatGateway", "east-nat");
    const publicRt = engine.get("aws:ec2/routeTable:RouteTable", "east-public-rt");
    const privateRt = engine.get("aws:ec2/routeTable:RouteTable", "east-private-rt");
    const gateways = [igw, nat];
    assert.deepEqual(Object.keys((publicRt.inputs.routes as object[])[0]!).sort(), [
      "cidrBlock",
      "gatewayId",
    ]);
    assert.deepEqual(Object.keys((privateRt.inputs.routes as object[])[0]!).sort(), [
      "cidrBlock",
      "natGatewayId",
    ]);
    assert.equal((publicRt.inputs.routes as { cidrBlock: string }[])[0]!.cidrBlock, "0.0.0.0/0");
    assert.equal((privateRt.inputs.routes as { cidrBlock: string }[])[0]!.cidrBlock, "0.0.0.0/0");
    assert.deepEqual(dependsDirectlyOn(publicRt, gateways), ["east-igw"]);
    assert.deepEqual(dependsDirectlyOn(privateRt, gateways), ["east-nat"]);
    const subnets = engine.ofType("aws:ec2/subnet:Subnet");
    assert.deepEqual(dependsDirectlyOn(nat, subnets), ["east-us-east-1a-public-subnet"]);
    for (const zone of mesh.clusters.east!.zones) {
      for (const kind of ["public", "private"]) {
        const rta = engine.get(
          "aws:ec2/routeTableAssociation:RouteTableAssociation",
          `east-${zone}-${kind}-rta`,
        );
        assert.deepEqual(dependsDirectlyOn(rta, subnets), [`east-${zone}-${kind}-subnet`]);
        assert.deepEqual(dependsDirectlyOn(rta, [publicRt, privateRt]), [`east-${kind}-rt`]);
      }
    }
  });

  it("creates the EKS cluster with the plan's name and service range, in the private subnets, creator as admin", async () => {
    const { engine } = await run;
    const eks = engine.get("aws:eks/cluster:Cluster", "west-eks");
    assert.equal(eks.inputs.name, "demo-west");
    assert.deepEqual(eks.inputs.kubernetesNetworkConfig, {
      ipFamily: "ipv4",
      serviceIpv4Cidr: mesh.clusters.west!.cidrs.service,
    });
    assert.deepEqual(eks.inputs.accessConfig, {
      authenticationMode: "API_AND_CONFIG_MAP",
      bootstrapClusterCreatorAdminPermissions: true,
    });
    const vpcConfig = eks.inputs.vpcConfig as Record<string, unknown>;
    assert.equal((vpcConfig.subnetIds as unknown[]).length, 3);
    assert.deepEqual(
      dependsDirectlyOn(eks, engine.ofType("aws:ec2/subnet:Subnet")),
      mesh.clusters.west!.zones.map((z) => `west-${z}-private-subnet`),
    );
    assert.equal(vpcConfig.endpointPublicAccess, true);
    assert.deepEqual(vpcConfig.publicAccessCidrs, ["0.0.0.0/0"]);
    assert.equal(eks.inputs.roleArn, engine.get("aws:iam/role:Role", "west-cluster-role").outputs.arn);
    assert.ok(
      engine.dependsOn(
        eks,
        engine.get(
          "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
          "west-cluster-role-amazoneksclusterpolicy",
        ),
      ),
    );
    // An extra admin through an access entry and the cluster-admin access policy.
    const association = engine.get(
      "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
      "west-role-platform-admin-access-policy",
    );
    assert.equal(
      association.inputs.policyArn,
      "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
    );
    assert.equal(association.inputs.principalArn, "arn:aws:iam::123456789012:role/platform-admin");
    assert.deepEqual(association.inputs.accessScope, { type: "cluster" });
    assert.ok(
      engine.dependsOn(
        association,
        engine.get("aws:eks/accessEntry:AccessEntry", "west-role-platform-admin-access-entry"),
      ),
    );
    assert.equal(engine.ofType("aws:eks/accessEntry:AccessEntry").length, 1);
  });

  it("gives the roles EKS's managed policies and their service trust", async () => {
    const { engine } = await run;
    const attached = (role: string): unknown[] =>
      engine
        .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        .filter((r) => r.name.startsWith(`east-${role}-role-`))
        .map((r) => r.inputs.policyArn)
        .sort();
    assert.deepEqual(attached("cluster"), ["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"]);
    assert.deepEqual(attached("node"), [
      "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
      "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
      "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    ]);
    const trust = (role: string): unknown =>
      JSON.parse(engine.get("aws:iam/role:Role", `east-${role}-role`).inputs.assumeRolePolicy as string)
        .Statement[0].Principal;
    assert.deepEqual(trust("cluster"), { Service: "eks.amazonaws.com" });
    assert.deepEqual(trust("node"), { Service: "ec2.amazonaws.com" });
  });

  it("sizes the node group from the plan and spreads it over the private subnets of every zone", async () => {
    const { engine } = await run;
    for (const [id, count, type] of [
      ["east", 3, "m6i.large"],
      ["west", 4, "m6i.xlarge"],
    ] as const) {
      const ng = engine.get("aws:eks/nodeGroup:NodeGroup", `${id}-nodes`);
      assert.deepEqual(ng.inputs.scalingConfig, { desiredSize: count, minSize: count, maxSize: count });
      assert.deepEqual(ng.inputs.instanceTypes, [type]);
      assert.equal(ng.inputs.clusterName, `demo-${id}`);
      assert.equal(ng.inputs.nodeRoleArn, engine.get("aws:iam/role:Role", `${id}-node-role`).outputs.arn);
      assert.equal((ng.inputs.subnetIds as unknown[]).length, 3);
      assert.deepEqual(
        dependsDirectlyOn(ng, engine.ofType("aws:ec2/subnet:Subnet")),
        mesh.clusters[id]!.zones.map((z) => `${id}-${z}-private-subnet`),
      );
      // Nodes join only once they have their role, their NAT route and Istio's ports.
      for (const zone of mesh.clusters[id]!.zones) {
        assert.ok(
          engine.dependsOn(
            ng,
            engine.get("aws:ec2/routeTableAssociation:RouteTableAssociation", `${id}-${zone}-private-rta`),
          ),
        );
      }
      assert.ok(
        engine.dependsOn(
          ng,
          engine.get(
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
            `${id}-node-role-amazoneks_cni_policy`,
          ),
        ),
      );
      assert.ok(
        engine.dependsOn(
          ng,
          engine.get("aws:ec2/securityGroupRule:SecurityGroupRule", `${id}-istiod-webhook-ingress`),
        ),
      );
    }
  });

  it("opens 15017 from the control plane and the east-west gateway ports on the cluster security group", async () => {
    const { engine } = await runOffline(
      () =>
        new EksCluster("east", {
          plan: mesh,
          clusterId: "east",
          eastWestGatewaySourceCidrs: ["198.51.100.0/24"],
        }),
    );
    const sg = (engine.get("aws:eks/cluster:Cluster", "east-eks").outputs.vpcConfig as Record<string, string>)
      .clusterSecurityGroupId;
    assert.match(sg!, /^sg-/);
    const webhook = engine.get("aws:ec2/securityGroupRule:SecurityGroupRule", "east-istiod-webhook-ingress");
    assert.deepEqual(
      { ...webhook.inputs, description: undefined },
      {
        type: "ingress",
        securityGroupId: sg,
        self: true,
        protocol: "tcp",
        fromPort: 15017,
        toPort: 15017,
        description: undefined,
      },
    );
    // Only the ports the plan's gateway serves: cross-network traffic and its health port (no remote
    // uses this cluster's istiod, so 15012 and 15017 stay closed).
    const eastwest = engine
      .ofType("aws:ec2/securityGroupRule:SecurityGroupRule")
      .filter((r) => r.name.startsWith("east-eastwest-"))
      .map((r) => r.name)
      .sort();
    assert.deepEqual(eastwest, ["east-eastwest-15021-ingress", "east-eastwest-15443-ingress"]);
    for (const port of [15021, 15443]) {
      const rule = engine.get("aws:ec2/securityGroupRule:SecurityGroupRule", `east-eastwest-${port}-ingress`);
      assert.equal(rule.inputs.securityGroupId, sg);
      assert.deepEqual(rule.inputs.cidrBlocks, ["198.51.100.0/24"]);
      assert.deepEqual([rule.inputs.protocol, rule.inputs.fromPort, rule.inputs.toPort], ["tcp", port, port]);
    }
  });

  it("creates a Kubernetes provider for the cluster id, after the node group, with a secret exec kubeconfig", async () => {
    const { engine, east } = await run;
    const provider = engine.get("pulumi:providers:kubernetes", "east-k8s");
    assert.equal(provider.inputs.clusterIdentifier, "east");
    assert.ok(
      provider.secretPaths.includes("kubeconfig"),
      `secret paths: ${provider.secretPaths.join(", ")}`,
    );
    assert.ok(engine.dependsOn(provider, engine.get("aws:eks/nodeGroup:NodeGroup", "east-nodes")));
    assert.equal(await pulumi.isSecret(east.kubeconfig), true);

    const eks = engine.get("aws:eks/cluster:Cluster", "east-eks");
    const kubeconfig = parse(provider.inputs.kubeconfig as string);
    assert.equal(kubeconfig["current-context"], "demo-east");
    assert.equal(kubeconfig.clusters[0].cluster.server, eks.outputs.endpoint);
    assert.equal(
      kubeconfig.clusters[0].cluster["certificate-authority-data"],
      (eks.outputs.certificateAuthority as Record<string, string>).data,
    );
    assert.deepEqual(kubeconfig.users[0].user.exec.args, [
      "eks",
      "get-token",
      "--cluster-name",
      "demo-east",
      "--region",
      "us-east-1",
      "--output",
      "json",
    ]);
    assert.equal(kubeconfig.users[0].user.exec.command, "aws");
    assert.equal(kubeconfig.users[0].user.token, undefined);
  });

  it("passes the profile to the region's provider and to aws eks get-token", async () => {
    const { engine } = await runOffline(
      () => new EksCluster("east", { plan: mesh, clusterId: "east", profile: "demo" }),
    );
    assert.equal(engine.get("pulumi:providers:aws", "east-aws").inputs.profile, "demo");
    const kubeconfig = parse(
      engine.get("pulumi:providers:kubernetes", "east-k8s").inputs.kubeconfig as string,
    );
    assert.deepEqual(kubeconfig.users[0].user.exec.env, [{ name: "AWS_PROFILE", value: "demo" }]);
  });

  it("returns a handle with the cluster id, provider, endpoint, PEM CA and the node group as ready resource", async () => {
    const { engine, west } = await run;
    const eks = engine.get("aws:eks/cluster:Cluster", "west-eks");
    const handle = west.cluster;
    assert.equal(handle.id, "west");
    assert.equal(await valueOf(handle.endpoint), eks.outputs.endpoint);
    assert.match(
      await valueOf(handle.endpoint),
      /^https:\/\/[0-9A-F]+\.gr7\.us-west-2\.eks\.amazonaws\.com$/,
    );
    const ca = await valueOf(handle.certificateAuthority);
    assert.match(ca, /^-----BEGIN CERTIFICATE-----\n/);
    assert.equal(
      Buffer.from(ca).toString("base64"),
      (eks.outputs.certificateAuthority as Record<string, string>).data,
    );
    assert.deepEqual(handle.readyResources, [west.nodeGroup]);
    // The network pieces a WireGuard gateway needs, by zone.
    assert.deepEqual(Object.keys(west.privateSubnets), ["us-west-2a", "us-west-2b", "us-west-2c"]);
    assert.equal(
      await valueOf(west.privateSubnets["us-west-2b"]!.urn),
      engine.get("aws:ec2/subnet:Subnet", "west-us-west-2b-private-subnet").urn,
    );
    assert.equal(
      await valueOf(west.publicSubnets["us-west-2c"]!.urn),
      engine.get("aws:ec2/subnet:Subnet", "west-us-west-2c-public-subnet").urn,
    );
    assert.equal(
      await valueOf(west.routeTables.private.urn),
      engine.get("aws:ec2/routeTable:RouteTable", "west-private-rt").urn,
    );
    assert.equal(
      await valueOf(handle.provider.urn),
      engine.get("pulumi:providers:kubernetes", "west-k8s").urn,
    );
  });

  it("registers the same graph in preview, with the kubeconfig still secret", async () => {
    const { engine: preview, result } = await runOffline(
      () => new EksCluster("east", { plan: mesh, clusterId: "east" }),
      {
        preview: true,
      },
    );
    const { engine } = await run;
    const graph = (e: OfflineEngine): string[] =>
      e.resources
        .filter((r) => r.name.startsWith("east"))
        .map((r) => `${r.type} ${r.name}`)
        .sort();
    assert.deepEqual(graph(preview), graph(engine));
    // In a preview the kubeconfig (built from the cluster's endpoint) is unknown: nothing to leak.
    assert.equal(
      preview.get("pulumi:providers:kubernetes", "east-k8s").inputs.kubeconfig,
      pulumi.runtime.unknownValue,
    );
    assert.equal(await pulumi.isSecret(result.kubeconfig), true);
  });

  describe("validation", () => {
    const invalid = (args: ConstructorParameters<typeof EksCluster>[1], message: string): Promise<void> =>
      assertRejectsInputs(() => new EksCluster("bad", args), message);

    it("rejects an unknown cluster id, suggesting the closest one, and registers nothing", async () => {
      await invalid(
        { plan: mesh, clusterId: "eest" },
        "EksCluster: 1 invalid input; nothing was created:\n" +
          '  - clusterId: is not a cluster of the plan; got "eest", expected one of "central", "east", "west". ' +
          'Use the key of an aws cluster in the spec\'s clusters. Did you mean "east"?',
      );
    });

    it("rejects a cluster of another cloud", async () => {
      await invalid(
        { plan: mesh, clusterId: "central" },
        "EksCluster: 1 invalid input; nothing was created:\n" +
          '  - clusterId: names a gcp cluster; got "central", expected a cluster with cloud "aws". Provision it with GkeCluster.',
      );
    });

    it("rejects an assumed-role session as an admin principal", async () => {
      await invalid(
        {
          plan: mesh,
          clusterId: "east",
          adminPrincipalArns: ["arn:aws:sts::123456789012:assumed-role/admin/me"],
        },
        "EksCluster: 1 invalid input; nothing was created:\n" +
          '  - adminPrincipalArns: holds something that is not an IAM role or user ARN; got "arn:aws:sts::123456789012:assumed-role/admin/me", ' +
          "expected arn:aws:iam::<account>:role/<name> or arn:aws:iam::<account>:user/<name>. " +
          "Use the role's ARN, not an assumed-role session ARN (arn:aws:sts::…:assumed-role/…).",
      );
    });

    it("rejects a node range too small for a public subnet per zone", async () => {
      const small = plan({
        clusters: { east: { cloud: "aws", region: "us-east-1", cidrs: { node: "10.200.0.0/26" } } },
      });
      const c = small.clusters.east!;
      await invalid(
        { plan: small, clusterId: "east" },
        "EksCluster: 1 invalid input; nothing was created:\n" +
          `  - plan.clusters.east.cidrs.node: leaves no room for a private and a public subnet per zone; got "${c.cidrs.node}", ` +
          "expected a node range of /24 or larger (quarters 0–2 private, quarter 3 public). Give the cluster a larger node range (the default is a /16).",
      );
    });
  });
});
