/**
 * Region alias names that carry traffic in a flat (`wireguard`) mesh.
 *
 * The tunnel routes pod ranges end to end: a pod address of one region is reachable from every
 * other (EKS's VPC CNI and GKE's VPC-native alias ranges make pod addresses routable in the VPC the
 * WireGuard endpoint forwards into). A Service's ClusterIP is not: it exists only in the rules the
 * kube-proxy of that cluster's nodes programs, and a packet for it that crosses the tunnel lands on
 * a WireGuard endpoint that is not a node, where nothing translates it, and goes nowhere. So a
 * region alias name must answer with pod addresses, never with a ClusterIP.
 *
 * How isthmus does it:
 * - every Service that should be reachable by alias name gets a **headless twin**
 *   (`<name>-alias`, `clusterIP: None`, the same selector, its ports at the container ports): the
 *   cluster's own DNS then publishes the ready pods' addresses for the twin, as it does for any
 *   headless Service;
 * - the cluster's CoreDNS **rewrites** every `svc` name of its alias zone to the twin's name in the
 *   cluster domain (`web.sample.svc.cluster.region2` → `web-alias.sample.svc.cluster.local`) and the
 *   answer's names back, so a resolver sees answers for the name it asked. A Service without a twin
 *   gets NXDOMAIN for its alias name, rather than a ClusterIP that would black-hole its traffic.
 *
 * Callers connect to the container port: nothing translates ports on the way to a pod address. SRV
 * records (`_http._tcp.web.sample.svc.cluster.region2`) give it.
 *
 * Pure: no Pulumi, no cdk8s.
 * @see https://github.com/coredns/coredns/blob/v1.11.3/plugin/rewrite/README.md (regex name and answer rewrites)
 * @see https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#a-aaaa-records (headless Services resolve to their pods)
 */
import type { KubernetesObject } from "./kubernetes-object";
import type { MeshTopology } from "./mesh-plan";
import { clusterOf } from "./cluster-of";

/** What a Service's headless twin appends to its name. */
export const ALIAS_TWIN_SUFFIX = "-alias";

/** The label on a headless twin naming the Service it stands for. */
export const ALIAS_OF_LABEL = "isthmus.dev/alias-of";

/** The longest Service name that still has a twin: a Service name is a DNS-1035 label of at most 63. */
export const MAX_ALIASED_NAME_LENGTH = 63 - ALIAS_TWIN_SUFFIX.length;

/** Whether the mesh serves alias names over the tunnel: `wireguard` mode with `dns.stubs`. */
export function servesAliasNames(plan: MeshTopology): boolean {
  return plan.dns.stubs && plan.wireguard !== undefined;
}

/** The headless twin's name of a Service. */
export function aliasTwinName(serviceName: string): string {
  return `${serviceName}${ALIAS_TWIN_SUFFIX}`;
}

/** A port of a Service, as far as its twin reads it. */
interface ServicePort {
  readonly name?: string;
  readonly port: number;
  readonly targetPort?: number | string;
  readonly protocol?: string;
  readonly appProtocol?: string;
}

/**
 * The headless twin of a Service, which makes its region alias name answer with the addresses of its
 * ready pods. Ports are the container ports (the Service's `targetPort`, or its `port` when
 * `targetPort` is absent): a caller across the tunnel reaches the pod directly.
 *
 * Use it for a Service of your own that callers in other regions should reach by its alias name;
 * `MeshService` and `isthmus synth` add the twin of every service of the mesh document.
 *
 * @throws Error when the Service has no selector (a twin selects the same pods), a named
 *   `targetPort` (the twin needs its number), or a name too long for the suffix
 */
export function aliasTwinOf(service: KubernetesObject): KubernetesObject {
  const name = service.metadata.name;
  const spec = (service.spec ?? {}) as { selector?: Record<string, string>; ports?: ServicePort[] };
  const where = `Service ${service.metadata.namespace ?? "default"}/${name}`;
  if (service.kind !== "Service") {
    throw new Error(`aliasTwinOf: expects a Service; got kind ${JSON.stringify(service.kind)}.`);
  }
  if (name.length > MAX_ALIASED_NAME_LENGTH) {
    throw new Error(
      `aliasTwinOf: ${where}: name is ${name.length} characters; expected at most ${MAX_ALIASED_NAME_LENGTH}, so that ${JSON.stringify(aliasTwinName(name))} is a valid Service name. Shorten the Service name.`,
    );
  }
  if (spec.selector === undefined || Object.keys(spec.selector).length === 0) {
    throw new Error(
      `aliasTwinOf: ${where}: has no selector; expected one, which the twin copies to select the same pods.`,
    );
  }
  const ports = (spec.ports ?? []).map((p) => {
    const target = p.targetPort ?? p.port;
    if (typeof target !== "number") {
      throw new Error(
        `aliasTwinOf: ${where}: port ${p.name ?? p.port} has the named targetPort ${JSON.stringify(target)}; expected a number, the container port callers across the tunnel connect to.`,
      );
    }
    return {
      ...(p.name === undefined ? {} : { name: p.name }),
      port: target,
      targetPort: target,
      protocol: p.protocol ?? "TCP",
      ...(p.appProtocol === undefined ? {} : { appProtocol: p.appProtocol }),
    };
  });
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: aliasTwinName(name),
      ...(service.metadata.namespace === undefined ? {} : { namespace: service.metadata.namespace }),
      labels: { ...(service.metadata.labels ?? {}), [ALIAS_OF_LABEL]: name },
    },
    spec: { clusterIP: "None", selector: { ...spec.selector }, ports },
  };
}

/** A regular expression matching `text` literally. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The CoreDNS `rewrite` rule of a cluster's Corefile: every `svc` name of its alias zone (Service,
 * SRV and per-endpoint names) to the headless twin's name in the cluster domain, and the answers'
 * names and the names they point at (SRV targets) back. Empty when the mesh serves no alias names.
 */
export function aliasRewriteLines(plan: MeshTopology, clusterId: string): string[] {
  const cluster = clusterOf(plan, clusterId);
  if (!servesAliasNames(plan)) return [];
  const zone = literal(cluster.dnsZone);
  const domain = literal(plan.clusterDomain);
  const label = "([a-z0-9]([-a-z0-9]*[a-z0-9])?)";
  const suffix = literal(ALIAS_TWIN_SUFFIX);
  // Owner names (answer name) and the names records point at (answer value: SRV targets).
  const back = `^(.*\\.)?${label}${suffix}\\.${label}\\.svc\\.${domain}\\.$ {1}{2}.{4}.svc.${cluster.dnsZone}.`;
  return [
    `    # ${cluster.dnsZone} names answer with pod addresses (the tunnel routes pods, not ClusterIPs):`,
    `    # <service>.<namespace>.svc.${cluster.dnsZone} is the headless twin <service>${ALIAS_TWIN_SUFFIX}.`,
    "    rewrite stop {",
    `        name regex ^(.*\\.)?${label}\\.${label}\\.svc\\.${zone}\\.$ {1}{2}${ALIAS_TWIN_SUFFIX}.{4}.svc.${plan.clusterDomain}.`,
    `        answer name ${back}`,
    `        answer value ${back}`,
    "    }",
  ];
}
