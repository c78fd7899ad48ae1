import { strict as assert } from "node:assert";
import { formatProblem, type MeshSpec, validateMeshSpec } from "../../lib/core";

const messages = (spec: unknown): string[] => validateMeshSpec(spec).map(formatProblem);

const twoRegions: MeshSpec = {
  clusters: {
    region1: { cloud: "aws", region: "us-east-1" },
    region2: { cloud: "aws", region: "us-west-2" },
  },
};

describe("validateMeshSpec", () => {
  it("accepts the two-region demo spec", () => {
    assert.deepEqual(messages(twoRegions), []);
  });

  it("reports ten seeded defects, each once, in one run", () => {
    const spec = {
      meshID: "Mesh_1", // 1: not a DNS label
      networkMode: "wireguard",
      controlPlane: { model: "primary-remote", primaries: ["regoin1"] }, // 2: unknown primary
      clusters: {
        region1: {
          cloud: "aws",
          region: "us-east1", // 3: GCP spelling on AWS
          cidrs: { pod: "10.0.0.1/16" }, // 4: host bits set
        },
        region2: {
          cloud: "gcp",
          region: "us-west1",
          cidrs: { pod: "10.200.0.0/14", service: "10.201.0.0/16" }, // 5: service inside pod range
          controlPlaneCluster: "region3", // 6: not a primary
        },
        region3: { cloud: "azure", region: "eastus" }, // 7: unknown cloud
        region4: { cloud: "aws", region: "eu-west-1", zones: ["eu-west-1a", "us-east-1b"] }, // 8: foreign zone
        region5: { cloud: "aws", region: "us-west-2", regoin: "dc2" }, // 9: typo'd field
      },
      wireguard: { mtu: 1500 }, // 10: no headroom for WireGuard
    };
    const got = messages(spec);
    assert.deepEqual(got, [
      `clusters.region3.cloud: is not an allowed value; got "azure", expected one of "aws", "gcp", "existing". Use one of the allowed values.`,
      `clusters.region5.regoin: is not a known field; got "dc2", expected one of the fields cloud, region, zones, network, cidrs, dnsZone, privateNetwork, slot, underlayIpFamily, controlPlaneCluster, nodes. Remove it or correct its name. Did you mean "region"?`,
      `meshID: is not a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit); got "Mesh_1", expected a DNS-1123 label of at most 63 characters. Use a short lower-case name such as mesh1.`,
      `clusters.region1.region: is not a region of aws; got "us-east1", expected an AWS region such as us-east-1. Use the region's name in AWS's spelling. "us-east1" is spelled like a GCP region; the AWS spelling is "us-east-1".`,
      `clusters.region1.cidrs.pod: has host bits set (the network of this range is 10.0.0.0/16); got "10.0.0.1/16", expected an IPv4 network in CIDR notation such as 10.0.0.0/16. Write the network address followed by the prefix length.`,
      `clusters.region4.zones[1]: is not a zone of eu-west-1; got "us-east-1b", expected one of eu-west-1a, eu-west-1b, eu-west-1c. Use a zone of the cluster's own region.`,
      `controlPlane.primaries[0]: is not a cluster of this mesh; got "regoin1", expected one of region1, region2, region3, region4, region5. Name a cluster from clusters. Did you mean "region1"?`,
      `clusters.region2.controlPlaneCluster: names a cluster that is not a primary; got "region3", expected a primary. Name a cluster listed in controlPlane.primaries.`,
      `clusters.region2.cidrs.service: overlaps clusters.region2.cidrs.pod (10.200.0.0/14); got "10.201.0.0/16", expected a range disjoint from the cluster's pod range. Give node, pod and service ranges that do not overlap.`,
      `wireguard.mtu: leaves less than 60 bytes (WireGuard over IPv4) under the smallest underlay MTU (1460): full-size packets would be black-holed where fragments are dropped; got 1500, expected an MTU from 1280 to 1400. Remove mtu to take underlay − overhead, or choose a value from 1280 to 1400.`,
    ]);
  });

  it("suggests the intended field for a typo, at any depth", () => {
    assert.deepEqual(messages({ ...twoRegions, netwrokMode: "gateways" }), [
      `netwrokMode: is not a known field; got "gateways", expected one of the fields meshID, trustDomain, clusterDomain, networkMode, controlPlane, istio, dns, wireguard, allocation, clusters. Remove it or correct its name. Did you mean "networkMode"?`,
    ]);
    const [nested] = messages({
      clusters: { region1: { cloud: "aws", region: "us-east-1", cidrs: { pods: "10.0.0.0/16" } } },
    });
    assert.equal(
      nested,
      `clusters.region1.cidrs.pods: is not a known field; got "10.0.0.0/16", expected one of the fields node, pod, service. Remove it or correct its name. Did you mean "pod"?`,
    );
  });

  it("ties a missing required field to its misspelling", () => {
    assert.deepEqual(messages({ clusters: { west: { cloud: "gcp", regoin: "us-west1" } } }), [
      `clusters.west.regoin: is not a known field; got "us-west1", expected one of the fields cloud, region, zones, network, cidrs, dnsZone, privateNetwork, slot, underlayIpFamily, controlPlaneCluster, nodes. Remove it or correct its name. Did you mean "region"?`,
      `clusters.west.region: is required; got nothing, expected a string. Set the cloud region, e.g. us-east-1 (AWS) or us-east1 (GCP). (Is "regoin" a misspelling of it?)`,
    ]);
  });

  it("explains why a per-cluster cluster domain is refused", () => {
    const [message] = messages({
      clusters: { region1: { cloud: "aws", region: "us-east-1", clusterDomain: "cluster.region1" } },
    });
    assert.match(message!, /^clusters\.region1\.clusterDomain: does not belong here; got "cluster\.region1"/);
    assert.match(message!, /istio\/istio#29692/);
    assert.match(message!, /set dnsZone for the region alias instead\.$/);
  });

  it("never throws on input of the wrong shape", () => {
    for (const input of [
      undefined,
      null,
      42,
      "mesh",
      [],
      { clusters: [] },
      { clusters: { a: null } },
      { clusters: { a: 3 } },
    ]) {
      const problems = validateMeshSpec(input);
      assert.ok(problems.length > 0, `expected problems for ${JSON.stringify(input)}`);
    }
    assert.deepEqual(messages(null), [
      `(spec): has the wrong type; got null, expected an object. Write an object here.`,
    ]);
    assert.deepEqual(messages({}), [
      `clusters: is required; got nothing, expected a map of cluster id to cluster. Add at least one cluster under clusters, keyed by a stable id: clusters: { region1: { cloud: aws, region: us-east-1 } }.`,
    ]);
  });

  it("refuses overlapping ranges where the mode routes them, and allows them across gateway networks", () => {
    const overlapping = {
      clusters: {
        a: { cloud: "aws", region: "us-east-1", cidrs: { pod: "10.50.0.0/16" } },
        b: { cloud: "aws", region: "us-west-2", cidrs: { pod: "10.50.0.0/16" } },
      },
    };
    assert.deepEqual(messages(overlapping), []);
    assert.deepEqual(messages({ ...overlapping, networkMode: "wireguard" }), [
      `clusters.b.cidrs.pod: overlaps clusters.a.cidrs.pod (10.50.0.0/16): wireguard mode routes pod, service and node ranges between clusters; got "10.50.0.0/16", expected a range disjoint from every range of the clusters it is routed to. Give each cluster its own ranges, or remove the explicit cidrs to take non-overlapping defaults.`,
    ]);
    const shared = {
      clusters: {
        a: { ...overlapping.clusters.a, network: "vpc1" },
        b: { ...overlapping.clusters.b, network: "vpc1" },
      },
    };
    assert.match(
      messages(shared)[0]!,
      /both clusters are on network vpc1, where pods reach each other directly/,
    );
  });

  it("refuses DNS stubs without a route", () => {
    assert.deepEqual(messages({ ...twoRegions, dns: { stubs: true } }), [
      `dns.stubs: asks for DNS forwarding stubs in gateways mode, where no route reaches the other clusters' DNS; got true, expected false, or networkMode: "wireguard". Remove dns.stubs (east-west gateways carry only mTLS traffic on 15443), or switch to networkMode: "wireguard".`,
    ]);
  });

  it("checks the primary-remote model", () => {
    const spec = {
      controlPlane: { model: "primary-remote" },
      clusters: twoRegions.clusters,
    };
    assert.deepEqual(messages(spec), [
      `controlPlane.primaries: names no primary; got nothing, expected at least one cluster id of region1, region2. List the clusters that run istiod, e.g. primaries: [region1].`,
    ]);
    const several = {
      controlPlane: { model: "primary-remote", primaries: ["a", "b"] },
      clusters: {
        a: { cloud: "aws", region: "us-east-1" },
        b: { cloud: "aws", region: "us-west-2" },
        c: { cloud: "aws", region: "eu-west-1" },
      },
    };
    assert.deepEqual(messages(several), [
      `clusters.c.controlPlaneCluster: is missing on a remote of a mesh with several primaries; got nothing, expected one of a, b. Name the primary whose istiod this remote uses.`,
    ]);
    assert.deepEqual(
      messages({ ...twoRegions, controlPlane: { model: "multi-primary", primaries: ["region1"] } }),
      [
        `controlPlane.primaries: is set in a multi-primary mesh, where every cluster is a primary; got ["region1"], expected no primaries list. Remove primaries, or set controlPlane.model: "primary-remote".`,
      ],
    );
  });

  it("checks names against Kubernetes, Helm and cloud limits", () => {
    const long = "a".repeat(30);
    assert.deepEqual(
      messages({
        meshID: "mesh-with-a-long-name",
        clusters: { [long]: { cloud: "gcp", region: "us-east1" } },
      }),
      [
        `clusters.${long}: gives the GKE cluster name "mesh-with-a-long-name-${long}" of 52 characters, over the limit of 40; got "${long}", expected meshID and id together at most 39 characters. Shorten the cluster id or the meshID.`,
      ],
    );
    assert.deepEqual(messages({ ...twoRegions, istio: { revision: "r".repeat(47) } }), [
      `istio.revision: is 47 characters long, over the limit of 46; got "${"r".repeat(47)}", expected a DNS-1123 label of at most 46 characters. Use a short label such as 1-30 (the istiod release is named istiod-<revision>, at most 53 characters).`,
    ]);
    assert.deepEqual(messages({ ...twoRegions, istio: { version: "1.30" } }), [
      `istio.version: is not a pinned Istio version; got "1.30", expected an exact chart version such as 1.30.3. Pin an exact version: ranges and tags make two clusters drift apart.`,
    ]);
  });

  it("refuses a region alias zone inside the cluster domain and duplicate zones", () => {
    const spec = {
      clusters: {
        a: { cloud: "aws", region: "us-east-1", dnsZone: "a.cluster.local" },
        b: { cloud: "aws", region: "us-west-2", dnsZone: "a.cluster.local" },
      },
    };
    assert.deepEqual(messages(spec), [
      `clusters.a.dnsZone: overlaps the mesh's cluster domain "cluster.local"; got "a.cluster.local", expected an alias zone outside the cluster domain. Region zones are aliases served beside the one cluster domain (istio/istio#29692); use a zone such as cluster.<id>.`,
      `clusters.b.dnsZone: is the same zone as clusters.a.dnsZone; got "a.cluster.local", expected a zone no other cluster serves. Give each cluster its own alias zone, such as cluster.<id>.`,
      `clusters.b.dnsZone: overlaps the mesh's cluster domain "cluster.local"; got "a.cluster.local", expected an alias zone outside the cluster domain. Region zones are aliases served beside the one cluster domain (istio/istio#29692); use a zone such as cluster.<id>.`,
    ]);
  });
});
