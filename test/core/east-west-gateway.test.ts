import assert from "node:assert/strict";
import {
  chartHasNetworkGatewayPorts,
  crossNetworkGateway,
  eastWestGatewayExposure,
  eastWestGatewayObjects,
  eastWestGatewayPeers,
  eastWestGatewayPlan,
  exposesIstiod,
  gatewayValuesProblems,
  istiodExposure,
  needsEastWestGateway,
  validateEastWestGatewayOptions,
} from "../../lib/core/east-west-gateway";
import { plan } from "../../lib/core/plan";
import { formatProblem } from "../../lib/core/problems";
import { clusters, primaryRemote, twoRegion } from "../support/plans";

describe("core/east-west-gateway", () => {
  describe("eastWestGatewayPlan", () => {
    it("releases the gateway chart as istio-eastwestgateway for the cluster's network", () => {
      const gw = eastWestGatewayPlan(twoRegion, "region1");
      assert.equal(gw.release, "istio-eastwestgateway");
      assert.equal(gw.namespace, "istio-system");
      assert.deepEqual(gw.chart, {
        name: "gateway",
        repository: "https://istio-release.storage.googleapis.com/charts",
        version: "1.30.3",
      });
      assert.equal(gw.values.networkGateway, "network-region1");
      assert.equal(gw.values.labels.istio, "eastwestgateway");
    });

    it("leaves the network label to the chart (networkGateway sets it; a second one would repeat the key)", () => {
      const gw = eastWestGatewayPlan(twoRegion, "region2");
      assert.equal(gw.values.networkGateway, "network-region2");
      assert.equal("topology.istio.io/network" in gw.values.labels, false);
    });

    it("publishes the chart's four network gateway ports", () => {
      const gw = eastWestGatewayPlan(twoRegion, "region1");
      assert.deepEqual(gw.values.networkGatewayPorts, {
        "status-port": { port: 15021, targetPort: 15021 },
        tls: { port: 15443, targetPort: 15443 },
        "tls-istiod": { port: 15012, targetPort: 15012 },
        "tls-webhook": { port: 15017, targetPort: 15017 },
      });
    });

    it("omits networkGatewayPorts for charts older than 1.30, whose schema forbids it", () => {
      const old = plan({ istio: { version: "1.29.2" }, clusters });
      assert.equal(eastWestGatewayPlan(old, "region1").values.networkGatewayPorts, undefined);
      assert.equal(chartHasNetworkGatewayPorts("1.29.9"), false);
      assert.equal(chartHasNetworkGatewayPorts("1.30.0"), true);
      assert.equal(chartHasNetworkGatewayPorts("2.0.0"), true);
    });

    it("sets the revision when the plan has one", () => {
      const rev = plan({ istio: { revision: "1-30" }, clusters });
      assert.equal(eastWestGatewayPlan(rev, "region1").values.revision, "1-30");
      assert.equal("revision" in eastWestGatewayPlan(twoRegion, "region1").values, false);
    });

    it("runs two gateway pods by default, at least two under the chart's autoscaler, with a PodDisruptionBudget", () => {
      const values = eastWestGatewayPlan(twoRegion, "region1").values;
      assert.equal(values.replicaCount, 2);
      assert.deepEqual(values.autoscaling, { minReplicas: 2 });
      assert.deepEqual(values.podDisruptionBudget, { minAvailable: 1 });
      assert.equal(eastWestGatewayPlan(twoRegion, "region1", { replicas: 3 }).values.replicaCount, 3);
      assert.throws(
        () => eastWestGatewayPlan(twoRegion, "region1", { replicas: 1 }),
        (e: Error) =>
          e.message ===
          "eastWestGateways.region1.replicas: leaves the gateway without a spare pod; got 1, expected an integer of at least 2. " +
            "Run two or more east-west gateway pods, so that a node drain never cuts the cluster off the mesh.",
      );
    });

    it("annotates an internet-facing AWS NLB across clouds, with cross-zone load balancing on", () => {
      const gw = eastWestGatewayPlan(twoRegion, "region1");
      assert.equal(gw.exposure, "internet-facing");
      assert.deepEqual(gw.values.service, {
        type: "LoadBalancer",
        annotations: {
          "service.beta.kubernetes.io/aws-load-balancer-type": "external",
          "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
          "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
          "service.beta.kubernetes.io/aws-load-balancer-attributes": "load_balancing.cross_zone.enabled=true",
        },
      });
    });

    it("uses GKE's default external load balancer when internet-facing", () => {
      const gw = eastWestGatewayPlan(twoRegion, "region2");
      assert.deepEqual(gw.values.service.annotations, {});
    });

    it("keeps same-region peers internet-facing unless they declare a private network: separate VPCs have no private path", () => {
      const apart = plan({
        clusters: {
          a: { cloud: "gcp", region: "us-east1" },
          b: { cloud: "gcp", region: "us-east1", zones: ["us-east1-c"] },
        },
      });
      const gw = eastWestGatewayPlan(apart, "a");
      assert.equal(gw.exposure, "internet-facing");
      assert.equal(
        gw.exposureReason,
        "b shares no declared privateNetwork with it (separate VPCs have no private path); set clusters.<id>.privateNetwork on both to declare peering",
      );
      assert.deepEqual(gw.values.service.annotations, {});
    });

    it("makes same-cloud, same-region peers of one declared private network internal, restricted to the peers' node and pod ranges", () => {
      const gcp = plan({
        clusters: {
          a: { cloud: "gcp", region: "us-east1", privateNetwork: "shared-vpc" },
          b: { cloud: "gcp", region: "us-east1", zones: ["us-east1-c"], privateNetwork: "shared-vpc" },
        },
      });
      const gw = eastWestGatewayPlan(gcp, "a");
      assert.equal(gw.exposure, "internal");
      assert.equal(gw.exposureReason, "every peer shares the private network shared-vpc in gcp us-east1");
      assert.deepEqual(gw.values.service.annotations, { "networking.gke.io/load-balancer-type": "Internal" });
      assert.deepEqual(
        gw.values.service.loadBalancerSourceRanges,
        [gcp.clusters.b!.cidrs.node, gcp.clusters.b!.cidrs.pod].sort(),
      );
    });

    it("goes internet-facing as soon as one peer is in another region of the same cloud", () => {
      const aws = plan({
        clusters: { a: { cloud: "aws", region: "us-east-1" }, b: { cloud: "aws", region: "us-west-2" } },
      });
      assert.equal(eastWestGatewayExposure(aws, "a"), "internet-facing");
      const gw = eastWestGatewayPlan(aws, "a");
      assert.equal(
        gw.exposureReason,
        "b runs in aws us-west-2; set clusters.<id>.privateNetwork on both to declare peering",
      );
      assert.equal(
        gw.values.service.annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"],
        "internet-facing",
      );
      assert.equal(gw.values.service.loadBalancerSourceRanges, undefined);
    });

    it("takes explicit exposure and source ranges", () => {
      const gw = eastWestGatewayPlan(twoRegion, "region1", {
        exposure: "internal",
        sourceRanges: ["203.0.113.7/32"],
      });
      assert.equal(
        gw.values.service.annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"],
        "internal",
      );
      assert.deepEqual(gw.values.service.loadBalancerSourceRanges, ["203.0.113.7/32"]);
    });

    it("rejects malformed options with exact messages", () => {
      const got = validateEastWestGatewayOptions(
        twoRegion,
        "region1",
        { exposure: "public" as never, sourceRanges: ["203.0.113.7"] },
        "eastWestGateways.region1",
      ).map(formatProblem);
      assert.deepEqual(got, [
        'eastWestGateways.region1.exposure: is not a load balancer exposure; got "public", expected "internal" or "internet-facing". Pick one, or leave it out to let isthmus choose from the topology.',
        'eastWestGateways.region1.sourceRanges[0]: is not an IPv4 CIDR (a.b.c.d/n); got "203.0.113.7", expected an IPv4 network in CIDR notation such as 203.0.113.7/32. Write the network address followed by the prefix length.',
      ]);
      assert.throws(
        () => eastWestGatewayPlan(twoRegion, "region1", { sourceRanges: ["nope"] }),
        /sourceRanges\[0\]/,
      );
      assert.throws(
        () => eastWestGatewayPlan(twoRegion, "regoin1"),
        /^Error: clusterId: is not a cluster of the mesh; got "regoin1", expected one of region1, region2\. Use the id of a cluster of the mesh\. Did you mean "region1"\?$/,
      );
    });

    it("opens 15443 in gateways mode, 15012 and 15017 only where istiod is exposed", () => {
      assert.deepEqual(
        eastWestGatewayPlan(twoRegion, "region1").ports.map((p) => p.port),
        [15021, 15443],
      );
      assert.deepEqual(
        eastWestGatewayPlan(primaryRemote, "region1").ports.map((p) => p.port),
        [15021, 15443, 15012, 15017],
      );
      assert.deepEqual(
        eastWestGatewayPlan(primaryRemote, "region2").ports.map((p) => p.port),
        [15021, 15443],
      );
    });
  });

  describe("who needs a gateway", () => {
    const wgPrimaryRemote = plan({
      networkMode: "wireguard",
      controlPlane: { model: "primary-remote", primaries: ["region1"] },
      clusters,
    });
    const wgMulti = plan({ networkMode: "wireguard", clusters });

    it("every cluster in gateways mode", () => {
      assert.equal(needsEastWestGateway(twoRegion, "region1"), true);
      assert.equal(needsEastWestGateway(primaryRemote, "region2"), true);
    });

    it("in wireguard mode, only primaries that expose istiod, internal behind the tunnel", () => {
      assert.equal(needsEastWestGateway(wgMulti, "region1"), false);
      assert.equal(needsEastWestGateway(wgPrimaryRemote, "region1"), true);
      assert.equal(needsEastWestGateway(wgPrimaryRemote, "region2"), false);
      const gw = eastWestGatewayPlan(wgPrimaryRemote, "region1");
      assert.equal(gw.exposure, "internal");
      assert.equal(gw.crossNetwork, false);
      assert.deepEqual(
        gw.values.service.loadBalancerSourceRanges,
        [...wgPrimaryRemote.wireguard!.gateways.region2!.localCidrs].sort(),
      );
      assert.deepEqual(
        eastWestGatewayObjects(wgPrimaryRemote, wgPrimaryRemote.clusters.region1!.eastWestGateway!).map(
          (o) => o.kind,
        ),
        ["Gateway", "VirtualService"],
      );
      assert.throws(() => eastWestGatewayPlan(wgMulti, "region1"), /region1: needs no east-west gateway/);
      assert.equal(wgMulti.clusters.region1!.eastWestGateway, undefined);
    });

    it("peers: other networks, plus the remotes of a primary", () => {
      assert.deepEqual(eastWestGatewayPeers(twoRegion, "region1"), ["region2"]);
      assert.deepEqual(eastWestGatewayPeers(wgPrimaryRemote, "region1"), ["region2"]);
      assert.deepEqual(eastWestGatewayPeers(wgPrimaryRemote, "region2"), []);
      assert.equal(exposesIstiod(primaryRemote, "region1"), true);
      assert.equal(exposesIstiod(primaryRemote, "region2"), false);
      assert.equal(exposesIstiod(twoRegion, "region1"), false);
    });
  });

  describe("Istio objects", () => {
    it("cross-network Gateway: 15443, TLS, AUTO_PASSTHROUGH, *.local", () => {
      assert.deepEqual(crossNetworkGateway(twoRegion), {
        apiVersion: "networking.istio.io/v1",
        kind: "Gateway",
        metadata: { name: "cross-network-gateway", namespace: "istio-system" },
        spec: {
          selector: { istio: "eastwestgateway" },
          servers: [
            {
              port: { number: 15443, name: "tls", protocol: "TLS" },
              tls: { mode: "AUTO_PASSTHROUGH" },
              hosts: ["*.local"],
            },
          ],
        },
      });
    });

    it("derives the hosts from the cluster domain", () => {
      const custom = plan({ clusterDomain: "mesh.internal", clusters });
      const spec = crossNetworkGateway(custom).spec as { servers: { hosts: string[] }[] };
      assert.deepEqual(spec.servers[0]!.hosts, ["*.internal"]);
    });

    it("exposes istiod on 15012 and 15017 with PASSTHROUGH, routed to istiod's 15012 and 443", () => {
      const [gateway, vs] = istiodExposure(primaryRemote);
      assert.deepEqual(gateway!.spec, {
        selector: { istio: "eastwestgateway" },
        servers: [
          {
            port: { name: "tls-istiod", number: 15012, protocol: "TLS" },
            tls: { mode: "PASSTHROUGH" },
            hosts: ["*"],
          },
          {
            port: { name: "tls-webhook", number: 15017, protocol: "TLS" },
            tls: { mode: "PASSTHROUGH" },
            hosts: ["*"],
          },
        ],
      });
      assert.deepEqual(vs!.metadata, { name: "istiod-vs", namespace: "istio-system" });
      assert.deepEqual(vs!.spec, {
        hosts: ["*"],
        gateways: ["istiod-gateway"],
        tls: [
          {
            match: [{ port: 15012, sniHosts: ["*"] }],
            route: [
              { destination: { host: "istiod.istio-system.svc.cluster.local", port: { number: 15012 } } },
            ],
          },
          {
            match: [{ port: 15017, sniHosts: ["*"] }],
            route: [
              { destination: { host: "istiod.istio-system.svc.cluster.local", port: { number: 443 } } },
            ],
          },
        ],
      });
    });

    it("with a revision, routes only that revision's istiod", () => {
      const rev = plan({
        istio: { revision: "1-30" },
        controlPlane: { model: "primary-remote", primaries: ["region1"] },
        clusters,
      });
      const vs = istiodExposure(rev)[1]!;
      assert.equal(vs.metadata.name, "istiod-vs-1-30");
      const tls = (
        vs.spec as { tls: { match: { sniHosts: string[] }[]; route: { destination: { host: string } }[] }[] }
      ).tls;
      assert.deepEqual(tls[0]!.match[0]!.sniHosts, [
        "istiod-1-30.istio-system.svc",
        "istiod-1-30.istio-system.svc.cluster.local",
      ]);
      assert.equal(tls[0]!.route[0]!.destination.host, "istiod-1-30.istio-system.svc.cluster.local");
    });

    it("per cluster: cross-network Gateway everywhere, istiod exposure on the primary only", () => {
      const kinds = (p: typeof twoRegion, id: string) =>
        eastWestGatewayObjects(p, p.clusters[id]!.eastWestGateway!).map(
          (o) => `${o.kind}/${o.metadata.name}`,
        );
      assert.deepEqual(kinds(twoRegion, "region1"), ["Gateway/cross-network-gateway"]);
      assert.deepEqual(kinds(primaryRemote, "region1"), [
        "Gateway/cross-network-gateway",
        "Gateway/istiod-gateway",
        "VirtualService/istiod-vs",
      ]);
      assert.deepEqual(kinds(primaryRemote, "region2"), ["Gateway/cross-network-gateway"]);
    });
  });

  describe("gatewayValuesProblems (the chart's values schema)", () => {
    it("accepts the values isthmus writes, for every cluster of both plans", () => {
      for (const p of [twoRegion, primaryRemote]) {
        for (const id of Object.keys(p.clusters)) {
          assert.deepEqual(gatewayValuesProblems(eastWestGatewayPlan(p, id).values, "values"), []);
        }
      }
    });

    it("rejects an unknown top-level key, with a did-you-mean", () => {
      const values = { ...eastWestGatewayPlan(twoRegion, "region1").values, networkGatway: "x" };
      assert.deepEqual(gatewayValuesProblems(values, "values").map(formatProblem), [
        'values.networkGatway: is not a value of the gateway chart (its schema allows no other top-level keys); got "x", expected a key of the chart\'s values.schema.json. Remove it or use one of the chart\'s values. Did you mean "networkGateway"?',
      ]);
    });

    it("rejects wrong types, at the top level and inside service and networkGatewayPorts", () => {
      const got = gatewayValuesProblems(
        {
          networkGateway: 7,
          replicaCount: "2",
          service: { annotations: [], loadBalancerSourceRanges: "10.0.0.0/8" },
          annotations: { a: true },
          networkGatewayPorts: { tls: { targetPort: 15443 } },
        },
        "values",
      ).map(formatProblem);
      assert.deepEqual(got, [
        "values.networkGateway: is an integer; got 7, expected a string. Give it the type the gateway chart's values schema declares.",
        'values.replicaCount: is a string; got "2", expected an integer or null. Give it the type the gateway chart\'s values schema declares.',
        "values.service.annotations: is an array; got [], expected an object. Give it the type the gateway chart's values schema declares.",
        'values.service.loadBalancerSourceRanges: is a string; got "10.0.0.0/8", expected an array. Give it the type the gateway chart\'s values schema declares.',
        "values.annotations.a: is a boolean; got true, expected a string or an integer. Give it the type the gateway chart's values schema declares.",
        "values.networkGatewayPorts.tls.port: is missing; got nothing, expected an integer. Give it the type the gateway chart's values schema declares.",
      ]);
    });
  });
});
