/**
 * The shapes of the parts of a mesh document besides the mesh: failover policies, traffic splits,
 * services and east-west gateway options. Checked before their semantic rules, which then only see
 * values of the right types.
 */
import { any, bool, list, map, num, obj, oneOf, opt, req, str, type Shape } from "./shape";

const OUTLIER_DETECTION = obj({
  consecutive5xxErrors: opt(num),
  consecutiveGatewayErrors: opt(num),
  interval: opt(str),
  baseEjectionTime: opt(str),
  maxEjectionPercent: opt(num),
  minHealthPercent: opt(num),
});

/** The shape of a {@link FailoverPolicySpec}. */
export const FAILOVER_POLICY_SHAPE: Shape = obj({
  host: req(str, "", "Name the service's host, e.g. helloworld.sample.svc.cluster.local."),
  name: opt(str),
  namespace: opt(str),
  failover: opt(list(obj({ from: req(str, ""), to: req(str, "") }))),
  failoverPriority: opt(list(str)),
  distribute: opt(
    list(
      obj({
        from: req(str, "", "Name the clients' locality, e.g. us-east-1/*."),
        to: req(
          map(num, "locality"),
          {},
          "Give the upstream localities with their weights, e.g. to: { us-east-1/*: 80, us-west-2/*: 20 }.",
        ),
      }),
    ),
  ),
  outlierDetection: opt(OUTLIER_DETECTION),
});

/** The shape of a {@link TrafficSplitSpec}. */
export const TRAFFIC_SPLIT_SHAPE: Shape = obj({
  host: req(str, "", "Name the service's host, e.g. helloworld.sample.svc.cluster.local."),
  weights: req(
    map(num, "cluster"),
    {},
    "Give each cluster its share in percent, e.g. weights: { region1: 90, region2: 10 }.",
  ),
  protocol: opt(oneOf("http", "tcp")),
  name: opt(str),
  namespace: opt(str),
});

const ENV = map(str, "variable");

/** The shape of a {@link MeshServiceSpec}. */
export const MESH_SERVICE_SHAPE: Shape = obj({
  name: req(str, "", "Name the service, e.g. helloworld."),
  namespace: req(str, "", "Name its namespace, e.g. sample."),
  image: req(str, "", "Name its container image, e.g. docker.io/istio/examples-helloworld-v1:1.0."),
  ports: req(
    list(obj({ name: req(str, ""), port: req(num, 0), targetPort: opt(num), appProtocol: opt(str) })),
    [],
    "List its ports, e.g. ports: [{ name: http, port: 5000 }].",
  ),
  replicas: opt(num),
  version: opt(str),
  env: opt(ENV),
  clusters: opt(map(obj({ tag: opt(str), replicas: opt(num), version: opt(str), env: opt(ENV) }), "cluster")),
  createNamespace: opt(bool),
});

/** The shape of {@link EastWestGatewayOptions}. */
export const EAST_WEST_GATEWAY_OPTIONS_SHAPE: Shape = obj({
  exposure: opt(oneOf("internal", "internet-facing")),
  sourceRanges: opt(list(str)),
  replicas: opt(num),
});

/** The shape of a document's top level; the parts are checked entry by entry. */
export const DOCUMENT_SHAPE: Shape = obj({
  mesh: req(any, undefined, "Put the mesh spec under mesh:, or write it at the top of the file."),
  eastWestGateways: opt(map(any, "cluster")),
  failoverPolicies: opt(list(any)),
  trafficSplits: opt(list(any)),
  services: opt(list(any)),
});

/** Fields people carry over from elsewhere, with the reason they do not work here. */
export const MISPLACED_IN_DOCUMENTS: Readonly<Record<string, string>> = {
  "outlierDetection.consecutiveErrors":
    "Istio removed consecutiveErrors from outlierDetection (it counted 502, 503 and 504 only). Use consecutive5xxErrors for every 5xx, or consecutiveGatewayErrors for 502, 503 and 504",
};
