/**
 * Bad input never crashes and never slips through (issue 12): one regression per class, with the
 * exact messages. Fuzz properties live in test/fuzz.
 */
import { strict as assert } from "node:assert";
import { validateMeshDocument } from "../../lib/core/mesh-document";
import { formatProblem } from "../../lib/core/problems";

const messages = (input: unknown): string[] => validateMeshDocument(input).map(formatProblem);
const two = { east: { cloud: "aws", region: "us-east-1" }, west: { cloud: "aws", region: "us-west-2" } };
const H = "helloworld.sample.svc.cluster.local";
let deep: unknown = [];
for (let i = 0; i < 100_000; i++) deep = [deep];

describe("bad input", () => {
  it("a spec without clusters names clusters, once", () => {
    assert.deepEqual(
      messages({ meshID: "mesh1", networkMode: "gateways", controlPlane: { model: "multi-primary" } }),
      [
        "clusters: is required; got nothing, expected a map of cluster id to cluster. Add at least one cluster under clusters, keyed by a stable id: clusters: { region1: { cloud: aws, region: us-east-1 } }.",
      ],
    );
  });

  it("an empty file says it is empty", () => {
    assert.deepEqual(messages(null), [
      "(document): is empty; got nothing, expected a mesh spec (clusters: …), or a document with mesh: and optional failoverPolicies, trafficSplits, services, eastWestGateways. Write the mesh spec at the top of the file, starting with clusters: { region1: { cloud: aws, region: us-east-1 } }.",
    ]);
  });

  it("an Output as the spec is named as one", () => {
    assert.deepEqual(messages({ __pulumiOutput: true, toString: () => "x" }), [
      "(document): is a pulumi.Output where plain data is required; got a pulumi.Output, expected a mesh spec (clusters: …), or an object with mesh and optional failoverPolicies, trafficSplits, services, eastWestGateways. Pass plain data here; this field decides which resources exist, so it must be known before deployment.",
    ]);
  });

  it("a hub topology without hub names the hub, not its DNS echoes", () => {
    assert.deepEqual(
      messages({
        networkMode: "wireguard",
        wireguard: { topology: "hub" },
        clusters: {
          a: { cloud: "aws", region: "us-east-1" },
          b: { cloud: "aws", region: "us-west-2" },
          c: { cloud: "aws", region: "eu-west-1" },
        },
      }),
      [
        "wireguard.hub: is missing with topology hub; got nothing, expected one of a, b, c. Name the cluster every other region links to.",
      ],
    );
  });

  it("prototype-named keys are ordinary keys", () => {
    assert.deepEqual(
      messages(
        JSON.parse(
          '{"clusters":{"__proto__":{"cloud":"aws","region":"us-east-1"},"b":{"cloud":"aws","region":"us-west-2","toString":1}},"valueOf":2}',
        ),
      ),
      [
        "clusters.b.toString: is not a known field; got 1, expected one of the fields cloud, region, zones, network, cidrs, dnsZone, privateNetwork, slot, underlayIpFamily, controlPlaneCluster, nodes. Remove it or correct its name.",
        "valueOf: is not a known field; got 2, expected one of the fields meshID, trustDomain, clusterDomain, networkMode, controlPlane, istio, dns, wireguard, allocation, clusters. Remove it or correct its name.",
        "clusters.__proto__: has an id that is not a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit); got \"__proto__\", expected a DNS-1123 label of at most 32 characters. Rename the key to a short lower-case id such as region1 (ids name every child resource).",
      ],
    );
  });

  it("a split towards a prototype-named cluster is refused", () => {
    assert.deepEqual(
      messages({
        mesh: { clusters: two },
        trafficSplits: [{ host: H, weights: { constructor: 50, east: 50 } }],
      }),
      [
        'trafficSplits[0].weights.constructor: is not a cluster of the mesh; got "constructor", expected one of east, west. Use the id of a cluster of the mesh.',
      ],
    );
  });

  it("wrong types in every part, checked even when the mesh has problems", () => {
    assert.deepEqual(
      messages({
        mesh: { meshID: "BAD", clusters: two },
        failoverPolicies: [
          null,
          { host: H, failover: { from: "us-east-1" } },
          {
            host: H,
            failoverPriority: "x",
            distribute: [{ from: "us-east-1" }],
            outlierDetection: "5xx",
            failOver: [],
          },
        ],
        trafficSplits: [null],
        services: [
          { name: "s", namespace: "n", image: "i", ports: [null], clusters: null, env: null, replica: 3 },
        ],
        eastWestGateways: { east: null, west: { sourceRanges: "1.2.3.4/32" } },
      }),
      [
        "mesh.meshID: is not a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit); got \"BAD\", expected a DNS-1123 label of at most 63 characters. Use a short lower-case name such as mesh1.",
        "failoverPolicies[0]: has the wrong type; got null, expected an object. Write an object here.",
        'failoverPolicies[1].failover: has the wrong type; got {"from":"us-east-1"}, expected a list. Write a list here.',
        'failoverPolicies[2].failoverPriority: has the wrong type; got "x", expected a list. Write a list here.',
        "failoverPolicies[2].distribute[0].to: is required; got nothing, expected a map of locality id to locality. Give the upstream localities with their weights, e.g. to: { us-east-1/*: 80, us-west-2/*: 20 }.",
        'failoverPolicies[2].outlierDetection: has the wrong type; got "5xx", expected an object. Write an object here.',
        'failoverPolicies[2].failOver: is not a known field; got [], expected one of the fields host, name, namespace, failover, failoverPriority, distribute, outlierDetection. Remove it or correct its name. Did you mean "failover"?',
        "trafficSplits[0]: has the wrong type; got null, expected an object. Write an object here.",
        "services[0].ports[0]: has the wrong type; got null, expected an object. Write an object here.",
        'services[0].replica: is not a known field; got 3, expected one of the fields name, namespace, image, ports, replicas, version, env, clusters, createNamespace. Remove it or correct its name. Did you mean "replicas"?',
        "eastWestGateways.east: has the wrong type; got null, expected an object. Write an object here.",
        'eastWestGateways.west.sourceRanges: has the wrong type; got "1.2.3.4/32", expected a list. Write a list here.',
        'failoverPolicies[2]: has the same name (or host) as another one; got "helloworld", expected a name unique among them (it names the child resources). Give each a distinct name.',
      ],
    );
  });

  it("huge input is bounded: a 100 KB string where a map belongs", () => {
    assert.deepEqual(messages({ clusters: "x".repeat(100_000) }), [
      'clusters: has the wrong type; got "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"... (100000 characters), expected a map of cluster id to cluster. Write a map of cluster id to cluster here.',
    ]);
  });

  it("huge input is bounded: a 100 KB id", () => {
    assert.deepEqual(
      messages({ clusters: { ["a".repeat(100_000)]: { cloud: "aws", region: "us-east-1" } } }),
      [
        'clusters["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…(100000 characters)"]: has a key of 100000 characters, over the limit of 253; got "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"... (100000 characters), expected a cluster id of at most 253 characters. Use a short id.',
      ],
    );
  });

  it("huge input is bounded: 5,000 zones", () => {
    assert.deepEqual(
      messages({
        clusters: {
          a: { cloud: "aws", region: "us-east-1", zones: Array.from({ length: 5000 }, (_, i) => "z" + i) },
        },
      }),
      [
        "clusters.a.zones: has 5000 items, over the limit of 1000; got nothing, expected at most 1000 items. Check that this is the intended value; no mesh needs this many.",
      ],
    );
  });

  it("huge input is bounded: 500 bad zones, ten listed", () => {
    assert.deepEqual(
      messages({
        clusters: {
          a: { cloud: "aws", region: "us-east-1", zones: Array.from({ length: 500 }, (_, i) => "z" + i) },
        },
      }),
      [
        'clusters.a.zones: lists 500 zones; got ["z0","z1","z2","z3","z4","z5","z6","z7","z8","z9","z10","z11","z12","z13","z..., expected 1 to 3 zones. Keep at most 3 zones; the node range is cut into one subnet per zone.',
        'clusters.a.zones[0]: is not a zone of us-east-1; got "z0", expected one of us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f. Use a zone of the cluster\'s own region.',
        'clusters.a.zones[1]: is not a zone of us-east-1; got "z1", expected one of us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f. Use a zone of the cluster\'s own region.',
        'clusters.a.zones[2]: is not a zone of us-east-1; got "z2", expected one of us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f. Use a zone of the cluster\'s own region.',
        'clusters.a.zones[3]: is not a zone of us-east-1; got "z3", expected one of us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f. Use a zone of the cluster\'s own region.',
        'clusters.a.zones[4]: is not a zone of us-east-1; got "z4", expected one of us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f. Use a zone of the cluster\'s own region.',
        'clusters.a.zones[5]: is not a zone of us-east-1; got "z5", expected one of us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f. Use a zone of the cluster\'s own region.',
        'clusters.a.zones[6]: is not a zone of us-east-1; got "z6", expected one of us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f. Use a zone of the cluster\'s own region.',
        'clusters.a.zones[7]: is not a zone of us-east-1; got "z7", expected one of us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f. Use a zone of the cluster\'s own region.',
        'clusters.a.zones[8]: is not a zone of us-east-1; got "z8", expected one of us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f. Use a zone of the cluster\'s own region.',
        'clusters.a.zones[9]: is not a zone of us-east-1; got "z9", expected one of us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f. Use a zone of the cluster\'s own region.',
        "clusters.a.zones: has 490 more problems not listed here; got nothing, expected at most 10 problems per path and 100 in all are listed. Fix the problems above and run again to see the rest of the entries of clusters.a.zones.",
      ],
    );
  });

  it("huge input is bounded: a 100,000-deep list", () => {
    assert.deepEqual(messages({ clusters: { a: { cloud: "aws", region: "us-east-1", zones: [deep] } } }), [
      "clusters.a.zones[0]: has the wrong type; got [[[[[[[[[[...]]]]]]]]]], expected a string. Write a string here.",
    ]);
  });

  it("gateway options in wireguard mode and Istio's removed consecutiveErrors", () => {
    assert.deepEqual(
      messages({
        mesh: { networkMode: "wireguard", clusters: two },
        eastWestGateways: { east: { replicas: 3 } },
        failoverPolicies: [{ host: H, outlierDetection: { consecutiveErrors: 5 } }],
      }),
      [
        "failoverPolicies[0].outlierDetection.consecutiveErrors: does not belong here; got 5, expected one of the fields consecutive5xxErrors, consecutiveGatewayErrors, interval, baseEjectionTime, maxEjectionPercent, minHealthPercent. Istio removed consecutiveErrors from outlierDetection (it counted 502, 503 and 504 only). Use consecutive5xxErrors for every 5xx, or consecutiveGatewayErrors for 502, 503 and 504.",
        'eastWestGateways.east: is set in wireguard mode for a cluster that runs no east-west gateway (clusters reach each other over the tunnel); got {"replicas":3}, expected options only for a primary that exposes istiod to remotes, or mesh.networkMode: "gateways". Remove these options, or switch the mesh to gateways mode.',
      ],
    );
  });

  it("splits and failover only where the service runs", () => {
    assert.deepEqual(
      messages({
        mesh: { clusters: { ...two, eu: { cloud: "aws", region: "eu-west-1" } } },
        services: [
          {
            name: "helloworld",
            namespace: "sample",
            image: "i",
            ports: [{ name: "http", port: 80 }],
            clusters: { east: {}, west: {} },
          },
        ],
        trafficSplits: [{ host: H, weights: { east: 50, eu: 50 } }],
        failoverPolicies: [{ host: H, failover: [{ from: "us-east-1", to: "eu-west-1" }] }],
      }),
      [
        "trafficSplits[0].weights.eu: sends 50% of the requests to cluster eu, where the service does not run (services[0].clusters); got 50, expected weights for the clusters it runs in: east, west. Give eu weight 0 or remove it, or deploy the service there (add eu to services[0].clusters).",
        'failoverPolicies[0].failover[0].to: fails over to eu-west-1, where the service does not run (services[0].clusters); got "eu-west-1", expected a region it runs in: us-east-1, us-west-2. Fail over to a region the service runs in, or deploy it to a cluster in eu-west-1.',
      ],
    );
  });

  it("semantic rules: Istio releases, zones, the network label, existing clusters' ranges", () => {
    assert.deepEqual(
      messages({
        meshID: "m".repeat(60),
        networkMode: "wireguard",
        istio: { version: "1.30.99" },
        clusters: {
          east: { cloud: "aws", region: "us-east-1", zones: ["us-east-1z"] },
          c: { cloud: "gcp", region: "us-east1", zones: ["us-east1-a"] },
          lab: { cloud: "existing", region: "dc1" },
        },
      }),
      [
        'istio.version: is not an Istio release whose charts isthmus knows; got "1.30.99", expected a release from 1.27.0 to 1.30.4 (newest patches 1.27.9, 1.28.6, 1.29.2, 1.30.4). Use a released patch of 1.30, such as 1.30.4.',
        'meshID: gives the wireguard-mode network label "network-mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm" of 68 characters, over the limit of 63 (topology.istio.io/network is a label value); got "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm", expected a meshID of at most 55 characters. Shorten the meshID, or set the same short network on every cluster.',
        'clusters.east.zones[0]: is not a zone of us-east-1; got "us-east-1z", expected one of us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f. Use a zone of the cluster\'s own region. Did you mean "us-east-1a"?',
        'clusters.c: gives the GKE cluster name "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm-c" of 62 characters, over the limit of 40; got "c", expected meshID and id together at most 39 characters. Shorten the cluster id or the meshID.',
        'clusters.c.zones[0]: is not a zone of us-east1; got "us-east1-a", expected one of us-east1-b, us-east1-c, us-east1-d. Use a zone of the cluster\'s own region. Did you mean "us-east1-b"?',
        "clusters.lab: declares no node, pod, service range for an existing cluster in wireguard mode, which routes every cluster's ranges; got nothing, expected cidrs.node, cidrs.pod and cidrs.service as the cluster really uses them. Set the cluster's real node, pod and service ranges (isthmus can not invent the ranges of a cluster it adopts), or use gateways mode.",
      ],
    );
  });
});
