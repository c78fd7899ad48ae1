import assert from "node:assert/strict";
import fc from "fast-check";
import {
  configClusters,
  DEFAULT_OUTLIER_DETECTION,
  failoverDestinationRule,
  hostNamespace,
  type FailoverPolicySpec,
} from "../../lib/core/failover";
import { validateFailoverPolicy } from "../../lib/core/failover-validation";
import { plan } from "../../lib/core/plan";
import { formatProblem } from "../../lib/core/problems";
import { primaryRemote, twoRegion } from "../support/plans";

const HOST = "helloworld.sample.svc.cluster.local";

function messages(spec: Partial<FailoverPolicySpec>): string[] {
  return validateFailoverPolicy(twoRegion, { host: HOST, ...spec }, "failover.helloworld").map(formatProblem);
}

describe("core/failover", () => {
  describe("valid policies", () => {
    const valid: [string, Partial<FailoverPolicySpec>][] = [
      ["nearest-locality failover (no settings)", {}],
      [
        "ordered region failover both ways",
        {
          failover: [
            { from: "us-east-1", to: "us-east1" },
            { from: "us-east1", to: "us-east-1" },
          ],
        },
      ],
      [
        "failover with a non-topology priority label",
        {
          failover: [{ from: "us-east-1", to: "us-east1" }],
          failoverPriority: ["topology.istio.io/network"],
        },
      ],
      [
        "priorities alone may use region and zone labels",
        { failoverPriority: ["topology.kubernetes.io/region", "topology.kubernetes.io/zone"] },
      ],
      ["priority with a value override", { failoverPriority: ["topology.istio.io/network=network-region1"] }],
      [
        "distribute summing to 100",
        { distribute: [{ from: "us-east-1/*", to: { "us-east-1/*": 80, "us-east1/*": 20 } }] },
      ],
      [
        "distribute with zones of the mesh",
        {
          distribute: [
            { from: "us-east-1/us-east-1a", to: { "us-east-1/us-east-1a": 60, "us-east1/us-east1-b": 40 } },
          ],
        },
      ],
      [
        "outlier overrides",
        {
          outlierDetection: {
            consecutive5xxErrors: 1,
            interval: "1s",
            baseEjectionTime: "1m",
            maxEjectionPercent: 50,
          },
        },
      ],
      ["wildcard host", { host: "*.sample.svc.cluster.local" }],
    ];
    for (const [name, spec] of valid) {
      it(`accepts ${name}`, () => assert.deepEqual(messages(spec), []));
    }
  });

  describe("Istio's rules, each rejected with its message", () => {
    const cases: [string, Partial<FailoverPolicySpec>, string[]][] = [
      [
        "distribute and failover together",
        {
          distribute: [{ from: "us-east-1", to: { "us-east-1": 100 } }],
          failover: [{ from: "us-east-1", to: "us-east1" }],
        },
        [
          `failover.helloworld: can not simultaneously specify 'distribute' and 'failover'; got ["distribute","failover"], expected either distribute or failover. Keep failover to move traffic only when a region fails, or distribute to share it all the time.`,
        ],
      ],
      [
        "a weight of 0",
        { distribute: [{ from: "us-east-1", to: { "us-east-1": 0, "us-east1": 100 } }] },
        [
          'failover.helloworld.distribute[0].to["us-east-1"]: locality weight must be in range [1, 100]; got 0, expected an integer from 1 to 100. Give every upstream locality a whole-number share of the traffic.',
        ],
      ],
      [
        "a weight over 100",
        { distribute: [{ from: "us-east-1", to: { "us-east1": 101 } }] },
        [
          'failover.helloworld.distribute[0].to["us-east1"]: locality weight must be in range [1, 100]; got 101, expected an integer from 1 to 100. Give every upstream locality a whole-number share of the traffic.',
        ],
      ],
      [
        "weights under 100",
        { distribute: [{ from: "us-east-1", to: { "us-east-1": 50, "us-east1": 40 } }] },
        [
          'failover.helloworld.distribute[0].to: total locality weight 90 != 100; got {"us-east-1":50,"us-east1":40}, expected weights summing to 100. Adjust the weights so that they add up to 100.',
        ],
      ],
      [
        "weights over 100, checked per from",
        {
          distribute: [
            { from: "us-east-1", to: { "us-east-1": 100 } },
            { from: "us-east1", to: { "us-east-1": 60, "us-east1": 60 } },
          ],
        },
        [
          'failover.helloworld.distribute[1].to: total locality weight 120 != 100; got {"us-east-1":60,"us-east1":60}, expected weights summing to 100. Adjust the weights so that they add up to 100.',
        ],
      ],
      [
        "failover from = to",
        { failover: [{ from: "us-east-1", to: "us-east-1" }] },
        [
          'failover.helloworld.failover[0]: locality lb failover settings must specify different regions; got {"from":"us-east-1","to":"us-east-1"}, expected two different regions. Fail over to another region.',
        ],
      ],
      [
        "a zone in failover from",
        { failover: [{ from: "us-east-1/us-east-1a", to: "us-east1" }] },
        [
          'failover.helloworld.failover[0].from: locality lb failover only specify region; got "us-east-1/us-east-1a", expected a region, without zone. Write the region only (us-east-1).',
        ],
      ],
      [
        "a zone in failover to",
        { failover: [{ from: "us-east-1", to: "us-east1/us-east1-b" }] },
        [
          'failover.helloworld.failover[0].to: locality lb failover only specify region; got "us-east1/us-east1-b", expected a region, without zone. Write the region only (us-east1).',
        ],
      ],
      [
        "a wildcard in failover from",
        { failover: [{ from: "*", to: "us-east1" }] },
        [
          `failover.helloworld.failover[0].from: locality lb failover region should not contain '*' wildcard; got "*", expected a region of the mesh. Name one region per failover entry.`,
        ],
      ],
      [
        "a wildcard in failover to",
        { failover: [{ from: "us-east-1", to: "us-*" }] },
        [
          `failover.helloworld.failover[0].to: locality lb failover region should not contain '*' wildcard; got "us-*", expected a region of the mesh. Name one region per failover entry.`,
        ],
      ],
      [
        "failover with the region label in failoverPriority",
        {
          failover: [{ from: "us-east-1", to: "us-east1" }],
          failoverPriority: ["topology.kubernetes.io/region"],
        },
        [
          `failover.helloworld.failoverPriority[0]: can not simultaneously set 'failover' and topology label 'topology.kubernetes.io/region' in 'failover_priority'; got "topology.kubernetes.io/region", expected labels other than topology.kubernetes.io/region, topology.kubernetes.io/zone and topology.istio.io/subzone. Let failover order the regions and keep other labels (e.g. topology.istio.io/network) in failoverPriority.`,
        ],
      ],
      [
        "failover with the zone label (with a value) in failoverPriority",
        {
          failover: [{ from: "us-east-1", to: "us-east1" }],
          failoverPriority: ["topology.istio.io/network", "topology.kubernetes.io/zone=us-east-1a"],
        },
        [
          `failover.helloworld.failoverPriority[1]: can not simultaneously set 'failover' and topology label 'topology.kubernetes.io/zone' in 'failover_priority'; got "topology.kubernetes.io/zone=us-east-1a", expected labels other than topology.kubernetes.io/region, topology.kubernetes.io/zone and topology.istio.io/subzone. Let failover order the regions and keep other labels (e.g. topology.istio.io/network) in failoverPriority.`,
        ],
      ],
      [
        "failover with the subzone label in failoverPriority",
        {
          failover: [{ from: "us-east-1", to: "us-east1" }],
          failoverPriority: ["topology.istio.io/subzone"],
        },
        [
          `failover.helloworld.failoverPriority[0]: can not simultaneously set 'failover' and topology label 'topology.istio.io/subzone' in 'failover_priority'; got "topology.istio.io/subzone", expected labels other than topology.kubernetes.io/region, topology.kubernetes.io/zone and topology.istio.io/subzone. Let failover order the regions and keep other labels (e.g. topology.istio.io/network) in failoverPriority.`,
        ],
      ],
      [
        "two wildcards in a locality",
        { distribute: [{ from: "us-*/*", to: { "us-east1": 100 } }] },
        [
          `failover.helloworld.distribute: locality us-*/* wildcard '*' number can not exceed 1 and must be in the end; got "us-*/*", expected at most one '*', at the end. Keep a single trailing '*'.`,
        ],
      ],
      [
        "a wildcard that is not at the end",
        { distribute: [{ from: "us-east-1", to: { "*/us-east1-b": 100 } }] },
        [
          `failover.helloworld.distribute[0].to: locality */us-east1-b wildcard '*' number can not exceed 1 and must be in the end; got "*/us-east1-b", expected at most one '*', at the end. Keep a single trailing '*'.`,
        ],
      ],
      [
        "an empty zone",
        { distribute: [{ from: "us-east-1//a", to: { "us-east1": 100 } }] },
        [
          `failover.helloworld.distribute: locality us-east-1//a must not contain empty region/zone/subzone info; got "us-east-1//a", expected region, region/zone or region/zone/subzone. Remove the empty part.`,
        ],
      ],
      [
        "overlapping sources",
        {
          distribute: [
            { from: "us-east-1", to: { "us-east-1": 100 } },
            { from: "us-east-1/us-east-1a", to: { "us-east1": 100 } },
          ],
        },
        [
          `failover.helloworld.distribute: locality us-east-1/us-east-1a overlap with previous specified ones; got "us-east-1/us-east-1a", expected localities that do not cover each other. Remove the locality that an earlier one already covers.`,
        ],
      ],
      [
        "a source after '*'",
        {
          distribute: [
            { from: "*", to: { "us-east-1": 100 } },
            { from: "us-east1", to: { "us-east1": 100 } },
          ],
        },
        [
          `failover.helloworld.distribute: locality us-east1 overlap with previous specified ones; got "us-east1", expected localities that do not cover each other. Remove the locality that an earlier one already covers.`,
        ],
      ],
      [
        "a maxEjectionPercent over 100",
        { outlierDetection: { maxEjectionPercent: 120 } },
        [
          "failover.helloworld.outlierDetection.maxEjectionPercent: percentage 120 is not in range 0..100; got 120, expected a whole number from 0 to 100. Give a percentage.",
        ],
      ],
      [
        "an interval under 1ms",
        { outlierDetection: { interval: "500us" } },
        [
          'failover.helloworld.outlierDetection.interval: duration must be greater than 1ms; got "500us", expected a duration of whole milliseconds, at least 1ms, such as 10s or 1m30s. Write a number followed by h, m, s or ms.',
        ],
      ],
      [
        "a baseEjectionTime finer than ms",
        { outlierDetection: { baseEjectionTime: "1500us" } },
        [
          'failover.helloworld.outlierDetection.baseEjectionTime: only durations to ms precision are supported; got "1500us", expected a duration of whole milliseconds, at least 1ms, such as 10s or 1m30s. Write a number followed by h, m, s or ms.',
        ],
      ],
    ];
    for (const [name, spec, expected] of cases) {
      it(`rejects ${name}`, () => assert.deepEqual(messages(spec), expected));
    }
  });

  describe("isthmus' checks against the mesh", () => {
    it("rejects a region no cluster runs in, with a did-you-mean", () => {
      assert.deepEqual(messages({ failover: [{ from: "us-east1", to: "us-east-2" }] }), [
        'failover.helloworld.failover[0].to: is not a region of any cluster in the mesh; got "us-east-2", expected one of us-east-1, us-east1. Use the region as the nodes\' topology.kubernetes.io/region label spells it. Did you mean "us-east-1"?',
      ]);
    });

    it("tells AWS and GCP spellings apart", () => {
      const aws = plan({
        clusters: { a: { cloud: "aws", region: "us-east-1" }, b: { cloud: "aws", region: "us-west-2" } },
      });
      const got = validateFailoverPolicy(
        aws,
        { host: HOST, failover: [{ from: "us-east1", to: "us-west-2" }] },
        "p",
      ).map(formatProblem);
      assert.deepEqual(got, [
        `p.failover[0].from: is not a region of any cluster in the mesh; got "us-east1", expected one of us-east-1, us-west-2. Use the region as the nodes' topology.kubernetes.io/region label spells it. "us-east1" is spelled like a GCP region; the mesh's cluster in that region is on an AWS, which spells it "us-east-1".`,
      ]);
    });

    it("rejects a zone no cluster of the region spreads over", () => {
      assert.deepEqual(
        messages({ distribute: [{ from: "us-east-1", to: { "us-east1/us-east1-a": 100 } }] }),
        [
          `failover.helloworld.distribute[0].to["us-east1/us-east1-a"]: names a zone that no cluster in us-east1 spreads over; got "us-east1/us-east1-a", expected one of us-east1/us-east1-b, us-east1/us-east1-c, us-east1/us-east1-d. Use a zone as the nodes' topology.kubernetes.io/zone label spells it. Did you mean "us-east1-b"?`,
        ],
      );
    });

    it("rejects distribute together with failoverPriority (Istio would ignore the priorities)", () => {
      assert.deepEqual(
        messages({
          distribute: [{ from: "us-east-1", to: { "us-east-1": 100 } }],
          failoverPriority: ["topology.istio.io/network"],
        }),
        [
          `failover.helloworld: sets 'distribute' and 'failoverPriority'; Istio ignores failoverPriority when distribute is set; got ["distribute","failoverPriority"], expected either distribute or failoverPriority. Remove one of them.`,
        ],
      );
    });

    it("rejects a second failover entry for the same from region (Istio reads the first only)", () => {
      assert.deepEqual(
        messages({
          failover: [
            { from: "us-east-1", to: "us-east1" },
            { from: "us-east-1", to: "us-east1" },
          ],
        }),
        [
          'failover.helloworld.failover[1].from: repeats a region; Istio uses only the first failover entry of a from region; got "us-east-1", expected each from region once. Keep one failover entry per from region.',
        ],
      );
    });

    it("rejects outlier detection that ejects nothing", () => {
      assert.deepEqual(messages({ outlierDetection: { consecutive5xxErrors: 0 } }), [
        `failover.helloworld.outlierDetection: ejects no endpoint: consecutive5xxErrors and consecutiveGatewayErrors are both 0, so failover never happens; got {"consecutive5xxErrors":0}, expected consecutive5xxErrors or consecutiveGatewayErrors above 0. Leave consecutive5xxErrors at its default (5) or set consecutiveGatewayErrors.`,
      ]);
      assert.deepEqual(
        messages({ outlierDetection: { consecutive5xxErrors: 0, consecutiveGatewayErrors: 3 } }),
        [],
      );
    });

    it("rejects a priority that is not a label key", () => {
      assert.deepEqual(messages({ failoverPriority: ["not a label"] }), [
        'failover.helloworld.failoverPriority[0]: is not a label key; got "not a label", expected a label key such as topology.istio.io/network, optionally followed by =<value>. Write a Kubernetes label key.',
      ]);
    });

    it("requires a fully qualified host in the mesh's cluster domain", () => {
      assert.deepEqual(messages({ host: "helloworld" }), [
        'failover.helloworld.host: is a short name, which Istio resolves in the rule\'s own namespace; got "helloworld", expected a fully qualified service host such as helloworld.sample.svc.cluster.local. Write the full name: helloworld.<namespace>.svc.cluster.local.',
      ]);
      assert.deepEqual(messages({ host: "Hello_World.sample" }), [
        'failover.helloworld.host: is not a DNS name: the part "Hello_World" is not a DNS-1123 label (lower-case letters, digits and \'-\', starting and ending with a letter or digit); got "Hello_World.sample", expected a fully qualified service host such as helloworld.sample.svc.cluster.local. Use the service\'s DNS name (lower case, dots between labels).',
      ]);
      assert.deepEqual(messages({ host: "helloworld.sample.svc.cluster.region1" }), [
        "failover.helloworld.host: names a service in the domain cluster.region1, not the mesh's cluster domain cluster.local; got \"helloworld.sample.svc.cluster.region1\", expected a fully qualified service host such as helloworld.sample.svc.cluster.local. cluster.region1 is region1's DNS alias zone, which Istio does not know; write helloworld.sample.svc.cluster.local.",
      ]);
    });

    it("reports every problem at once", () => {
      const got = messages({
        host: "x",
        failover: [{ from: "us-east-1", to: "us-east-1" }],
        distribute: [{ from: "us-east-1", to: { "us-east-1": 100 } }],
        outlierDetection: { maxEjectionPercent: -1 },
      });
      assert.equal(got.length, 4);
    });
  });

  describe("properties", () => {
    it("distribute weights are accepted exactly when each is a whole 1–100 and they sum to 100", () => {
      fc.assert(
        fc.property(fc.integer({ min: -5, max: 110 }), fc.integer({ min: -5, max: 110 }), (a, b) => {
          const got = messages({
            distribute: [{ from: "us-east-1", to: { "us-east-1": a, "us-east1": b } }],
          });
          const valid = a >= 1 && a <= 100 && b >= 1 && b <= 100 && a + b === 100;
          assert.equal(got.length === 0, valid, `${a} + ${b}: ${got.join(" | ")}`);
        }),
      );
    });

    it("failover between any two distinct mesh regions is accepted, and rendered as given", () => {
      const regions = ["us-east-1", "us-east1"];
      fc.assert(
        fc.property(fc.constantFrom(...regions), (from) => {
          const to = regions.find((r) => r !== from)!;
          assert.deepEqual(messages({ failover: [{ from, to }] }), []);
          const rule = failoverDestinationRule(twoRegion, { host: HOST, failover: [{ from, to }] });
          assert.deepEqual(rule.spec.trafficPolicy.loadBalancer.localityLbSetting.failover, [{ from, to }]);
          assert.ok(rule.spec.trafficPolicy.outlierDetection);
        }),
      );
    });
  });

  describe("failoverDestinationRule", () => {
    it("renders failover with outlier detection defaults, in the host's namespace", () => {
      const rule = failoverDestinationRule(twoRegion, {
        host: HOST,
        failover: [{ from: "us-east-1", to: "us-east1" }],
        failoverPriority: ["topology.istio.io/network"],
      });
      assert.deepEqual(rule, {
        apiVersion: "networking.istio.io/v1",
        kind: "DestinationRule",
        metadata: { name: "helloworld-failover", namespace: "sample" },
        spec: {
          host: HOST,
          trafficPolicy: {
            loadBalancer: {
              localityLbSetting: {
                enabled: true,
                failover: [{ from: "us-east-1", to: "us-east1" }],
                failoverPriority: ["topology.istio.io/network"],
              },
            },
            outlierDetection: {
              consecutive5xxErrors: 5,
              interval: "10s",
              baseEjectionTime: "30s",
              maxEjectionPercent: 100,
            },
          },
        },
      });
    });

    it("always carries outlier detection, overridable field by field", () => {
      const plain = failoverDestinationRule(twoRegion, { host: HOST });
      assert.deepEqual(plain.spec.trafficPolicy.outlierDetection, { ...DEFAULT_OUTLIER_DETECTION });
      const tuned = failoverDestinationRule(twoRegion, {
        host: HOST,
        outlierDetection: { consecutive5xxErrors: 1, interval: "1s" },
      });
      assert.deepEqual(tuned.spec.trafficPolicy.outlierDetection, {
        consecutive5xxErrors: 1,
        interval: "1s",
        baseEjectionTime: "30s",
        maxEjectionPercent: 100,
      });
    });

    it("puts hosts outside the cluster domain in istiod's namespace, named after the host", () => {
      const rule = failoverDestinationRule(twoRegion, { host: "api.example.com" });
      assert.deepEqual(rule.metadata, { name: "api-example-com-failover", namespace: "istio-system" });
      assert.equal(hostNamespace(twoRegion, "*.sample.svc.cluster.local"), undefined);
    });

    it("honours name and namespace overrides", () => {
      const rule = failoverDestinationRule(twoRegion, { host: HOST, name: "hw", namespace: "ops" });
      assert.deepEqual(rule.metadata, { name: "hw", namespace: "ops" });
    });

    it("is placed in every primary only", () => {
      assert.deepEqual(configClusters(twoRegion), ["region1", "region2"]);
      assert.deepEqual(configClusters(primaryRemote), ["region1"]);
    });
  });
});
