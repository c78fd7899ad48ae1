/**
 * primary-remote whose AWS primary exposes istiod through an internal NLB (the peers share a declared
 * private network, or reach it over the WireGuard tunnel): the NLB takes fixed private addresses, one per node subnet, that `EksCluster`
 * reserves, and the remotes' `remotePilotAddress` is the first — an IP, so no remote webhook targets
 * an ExternalName `istiod` (the offline engine refuses that, as kube-apiserver does).
 */
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { planProgram, type PlanResult } from "../../../lib/cli/plan-command";
import type { MeshPlan } from "../../../lib/core/mesh-plan";

const EXAMPLES = path.resolve(__dirname, "../../../examples");
const RELEASE = "kubernetes:helm.sh/v3:Release";

/** An example planned with a whole mesh of its stack config: `mesh` lines under `<project>:mesh:`. */
async function planWithMesh(example: string, project: string, mesh: readonly string[]): Promise<PlanResult> {
  const dir = mkdtempSync(path.join(tmpdir(), "isthmus-internal-istiod-"));
  try {
    const configFile = path.join(dir, "Pulumi.offline.yaml");
    writeFileSync(
      configFile,
      ["config:", `  ${project}:mesh:`, ...mesh.map((l) => `    ${l}`), ""].join("\n"),
    );
    return await planProgram(path.join(EXAMPLES, example), { configFile });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const CASES = [
  {
    title: "two clusters of one region on a declared private network (gateways mode)",
    example: "primary-remote",
    project: "isthmus-primary-remote",
    mesh: [
      "meshID: demo",
      "controlPlane: { model: primary-remote, primaries: [primary] }",
      "clusters:",
      "  primary: { cloud: aws, region: us-east-1, privateNetwork: peered }",
      "  remote1: { cloud: aws, region: us-east-1, privateNetwork: peered }",
    ],
    release: "demo-primary-eastwest-release",
    remoteRelease: "demo-remote1-istiod",
  },
  {
    title: "two regions over WireGuard (the remote reaches istiod over the tunnel)",
    example: "wireguard-two-region",
    project: "isthmus-wireguard-two-region",
    mesh: [
      "meshID: demo",
      "networkMode: wireguard",
      "controlPlane: { model: primary-remote, primaries: [primary] }",
      "clusters:",
      "  primary: { cloud: aws, region: us-east-1 }",
      "  remote1: { cloud: aws, region: us-west-2 }",
    ],
    release: "demo-primary-eastwest-release",
    remoteRelease: "demo-remote1-istiod",
  },
] as const;

for (const c of CASES)
  describe(`EksCluster: an internal east-west gateway that exposes istiod to remotes: ${c.title}`, () => {
    let result: PlanResult;
    let plan: MeshPlan;
    before(async () => {
      result = await planWithMesh(c.example, c.project, c.mesh);
      plan = Object.values(result.meshPlans)[0] as MeshPlan;
    });

    it("plans fixed private addresses, one per node subnet, clear of the subnet's DNS stub address", () => {
      const gateway = plan.clusters.primary!.eastWestGateway!;
      assert.equal(gateway.exposure, "internal");
      assert.equal(gateway.staticAddresses, false);
      const subnets = plan.clusters.primary!.subnets;
      assert.deepEqual(
        gateway.privateAddresses,
        subnets.map((s) => {
          const [a, b, c] = s.cidr.split("/")[0]!.split(".").map(Number);
          const size = 2 ** (32 - Number(s.cidr.split("/")[1]));
          const last = c! * 256 + size - 1;
          return {
            zone: s.zone,
            subnet: s.name,
            address: `${a}.${b}.${Math.floor((last - 6) / 256)}.${(last - 6) % 256}`,
          };
        }),
      );
      // A remote runs a gateway only for cross-network traffic (gateways mode); it exposes no istiod.
      const remote = plan.clusters.remote1!.eastWestGateway;
      assert.equal(remote?.exposesIstiod ?? false, false);
      assert.equal(remote?.privateAddresses, undefined, "a remote's gateway address may float");
    });

    it("pins them on the NLB with its subnets, and reserves each in its subnet", () => {
      const addresses = plan.clusters.primary!.eastWestGateway!.privateAddresses!;
      const release = result.resources.find((r) => r.type === RELEASE && r.name === c.release)!;
      const annotations = (release.inputs.values as { service: { annotations: Record<string, string> } })
        .service.annotations;
      assert.equal(annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"], "internal");
      assert.equal(
        annotations["service.beta.kubernetes.io/aws-load-balancer-private-ipv4-addresses"],
        addresses.map((a) => a.address).join(","),
      );
      assert.equal(
        annotations["service.beta.kubernetes.io/aws-load-balancer-subnets"],
        addresses.map((a) => a.subnet).join(","),
      );
      const reservations = result.resources
        .filter((r) => r.type === "aws:ec2/subnetCidrReservation:SubnetCidrReservation")
        .map((r) => [r.name, r.inputs.cidrBlock, r.inputs.reservationType]);
      assert.deepEqual(
        reservations.filter(([name]) => String(name).includes("eastwest")),
        addresses.map((a) => [
          `demo-primary-${a.zone}-eastwest-address-reservation`,
          `${a.address}/32`,
          "explicit",
        ]),
      );
    });

    it("points the remote at the first address, an IP, and the remote's webhooks are accepted", () => {
      const istiod = result.resources.find((r) => r.type === RELEASE && r.name === c.remoteRelease)!;
      const values = istiod.inputs.values as { global: { remotePilotAddress: string } };
      assert.equal(
        values.global.remotePilotAddress,
        plan.clusters.primary!.eastWestGateway!.privateAddresses![0]!.address,
      );
    });
  });
