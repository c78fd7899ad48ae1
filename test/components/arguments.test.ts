/**
 * Every component and adapter checks its own arguments first: one InputPropertiesError with every
 * problem, nothing registered (issue 12).
 */
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { EksCluster } from "../../lib/clusters/aws/eks-cluster";
import { ClusterReader } from "../../lib/components/cluster-reader";
import { EastWestGateway } from "../../lib/components/east-west-gateway";
import { MultiClusterMesh } from "../../lib/components/multi-cluster-mesh";
import { planMesh } from "../../lib/components/plan-mesh";
import { inputRefusal } from "../support/input-errors";
import { testCluster, TWO_REGIONS } from "./fixtures";

/** The message of what `create` threw, and the types registered by the component named "bad". */
async function refusal(create: () => unknown): Promise<{ message: string; registered: string[] }> {
  const { message, resources } = await inputRefusal(create);
  const registered = resources
    .filter((r) => r.name === "bad" || r.name.startsWith("bad-"))
    .map((r) => r.type);
  return { message, registered };
}

describe("component arguments", () => {
  it("EastWestGateway given another cluster's handle refuses it before installing through the wrong provider", async () => {
    const got = await refusal(() => {
      const plan = planMesh(TWO_REGIONS);
      return new EastWestGateway("bad", { plan, clusterId: "region1", cluster: testCluster("region2") });
    });
    assert.deepEqual(got, {
      message:
        'EastWestGateway bad: 1 invalid input; nothing was created:\n  - cluster.id: belongs to cluster region2, not region1; got "region2", expected "region1". Pass the handle of cluster region1: its provider is what installs into that cluster.',
      registered: [],
    });
  });

  it("ClusterReader with an unknown id and no handle registers nothing", async () => {
    const got = await refusal(
      () => new ClusterReader("bad", { plan: planMesh(TWO_REGIONS), clusterId: "regoin1" } as never),
    );
    assert.deepEqual(got, {
      message:
        'ClusterReader bad: 2 invalid inputs; nothing was created:\n  - clusterId: is not a cluster of the mesh; got "regoin1", expected one of region1, region2. Use the id of a cluster of the mesh. Did you mean "region1"?\n  - cluster: is required; got nothing, expected a MeshCluster handle (the .cluster of an EksCluster, GkeCluster or ExistingCluster). Pass cluster.',
      registered: [],
    });
  });

  it("every component given {} names what it takes", async () => {
    const got = await refusal(() => new ClusterReader("bad", {} as never));
    assert.deepEqual(got, {
      message:
        "ClusterReader bad: 3 invalid inputs; nothing was created:\n  - plan: is required; got nothing, expected the mesh plan from planMesh(spec), unaltered. Pass plan.\n  - clusterId: is required; got nothing, expected the id of a cluster of the plan. Pass clusterId.\n  - cluster: is required; got nothing, expected a MeshCluster handle (the .cluster of an EksCluster, GkeCluster or ExistingCluster). Pass cluster.",
      registered: [],
    });
  });

  it("EksCluster with kubernetesVersion latest and publicAccessCidrs everywhere registers nothing", async () => {
    const got = await refusal(
      () =>
        new EksCluster("bad", {
          plan: planMesh(TWO_REGIONS),
          clusterId: "region1",
          kubernetesVersion: "latest",
          publicAccessCidrs: ["everywhere"],
        }),
    );
    assert.deepEqual(got, {
      message:
        'EksCluster: 2 invalid inputs; nothing was created:\n  - kubernetesVersion: is not an EKS Kubernetes version; got "latest", expected a minor version such as 1.33 (EKS takes no patch, and no alias such as latest). Pin the minor version, or leave it out for the adapter\'s default.\n  - publicAccessCidrs[0]: is not an IPv4 CIDR (a.b.c.d/n); got "everywhere", expected an IPv4 network in CIDR notation such as 203.0.113.0/24 (0.0.0.0/0 for everywhere). Write the network address followed by the prefix length.',
      registered: [],
    });
  });

  it("MultiClusterMesh given an EksCluster instead of its .cluster names the component", async () => {
    const got = await refusal(() => {
      const plan = planMesh(TWO_REGIONS);
      const east = new EksCluster("east", { plan, clusterId: "region1" });
      return new MultiClusterMesh("bad", {
        plan,
        clusters: { region1: east as never, region2: testCluster("region2") },
      });
    });
    assert.deepEqual(got, {
      message:
        "MultiClusterMesh bad: 1 invalid input; nothing was created:\n  - clusters.region1: is an EksCluster resource, not its cluster handle; got an EksCluster resource, expected a MeshCluster handle (the .cluster of an EksCluster, GkeCluster or ExistingCluster). Pass the component's .cluster (e.g. clusters: { east: east.cluster }).",
      registered: [],
    });
  });

  it("MultiClusterMesh given an Output as its plan names it", async () => {
    const got = await refusal(
      () =>
        new MultiClusterMesh("bad", { plan: pulumi.output(planMesh(TWO_REGIONS)) as never, clusters: {} }),
    );
    assert.deepEqual(got, {
      message:
        "MultiClusterMesh bad: 1 invalid input; nothing was created:\n  - plan: is a pulumi.Output where plain data is required; got a pulumi.Output, expected the mesh plan from planMesh(spec), unaltered. Pass plain data here; this field decides which resources exist, so it must be known before deployment.",
      registered: [],
    });
  });
});
