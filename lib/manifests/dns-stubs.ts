/**
 * DNS forwarding stubs of one cluster as cdk8s objects: the cluster's DNS reachable from the other
 * regions at the plan's `wireguard.gateways[id].dnsAddress` (an internal load balancer, routed over
 * the tunnel like every node address), and the forwarding config of the cluster's own DNS.
 *
 * Two flavours, as the plan decides (`clusters.<id>.dnsStubs.flavor`):
 * - `coredns` (EKS, existing clusters): the `coredns` ConfigMap in `kube-system` gets the Corefile
 *   of `renderCorefile` (the cluster domain and the region alias zone, then one forward block per
 *   other region); the load balancer selects the CoreDNS pods (`k8s-app: kube-dns`).
 * - `kube-dns` (GKE): kube-dns cannot serve a second zone, so a small CoreDNS (`isthmus-dns`) serves
 *   the Corefile behind the load balancer, and the `kube-dns` ConfigMap's `stubDomains` sends every
 *   alias zone (this region's too) to the DNS addresses (`renderKubeDnsStubDomains`).
 *
 * The same objects `isthmus synth` writes and the `DnsStubs` component applies; nothing here is a
 * secret. The component applies the two existing ConfigMaps (`coredns`, `kube-dns`) as server-side
 * apply patches (see `lib/components/dns-stubs.ts`).
 */
import { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import { DNS_PORT, renderCorefile, renderKubeDnsStubDomains } from "../core/dns";
import { AWS_CROSS_ZONE, AWS_LOAD_BALANCER_ATTRIBUTES } from "../core/east-west-gateway";
import type { ClusterPlan, DnsFlavor, DnsStubsPlan, MeshPlan } from "../core/mesh-plan";
import type { ClusterChart } from "./cluster-chart";
import type { KubernetesObject } from "../core/kubernetes-object";

/** The namespace of every DNS object: the cluster DNS's own. */
export const DNS_NAMESPACE = "kube-system";

/** The load balancer in front of the cluster's DNS, at the plan's DNS address. */
export const DNS_SERVICE_NAME = "isthmus-dns";

/** The name (and `k8s-app` label) of the alias CoreDNS on kube-dns clusters (GKE). */
export const ALIAS_DNS_NAME = "isthmus-dns";

/**
 * The CoreDNS image of the alias DNS on kube-dns clusters.
 * @see https://github.com/coredns/coredns/releases
 */
export const ALIAS_DNS_IMAGE = "registry.k8s.io/coredns/coredns:v1.11.3";

export type { DnsFlavor } from "../core/mesh-plan";

/** Props of {@link DnsStubs}. */
export interface DnsStubsProps {
  /**
   * On AWS: the subnet the internal NLB takes the DNS address in (an id, or a `Name` tag value). It
   * must be the plan's first node subnet, which holds the address.
   * @default - the plan's first node subnet (`clusters.<id>.dnsStubs.subnet`), which `EksCluster` creates
   */
  readonly awsSubnet?: string;
}

/** The DNS stubs of one cluster's chart. */
export class DnsStubs extends Construct {
  /** The address the other regions forward this cluster's alias zone to. */
  readonly address: string;
  /** Which DNS the cluster runs. */
  readonly flavor: DnsFlavor;
  /** The objects added to the chart. */
  readonly objects: readonly ApiObject[];

  /** @throws Error when the plan has no DNS stubs (`dns.stubs: false`, or `gateways` mode) */
  constructor(chart: ClusterChart, id: string, props: DnsStubsProps = {}) {
    super(chart, id);
    const { plan, cluster } = chart;
    const stubs = cluster.dnsStubs;
    if (stubs === undefined) {
      throw new Error(
        `dns.stubs: is off for this mesh; got ${JSON.stringify(plan.dns.stubs)} in ${JSON.stringify(plan.networkMode)} mode, expected true in "wireguard" mode. DNS stubs need the tunnel's routes.`,
      );
    }
    this.address = stubs.address;
    this.flavor = stubs.flavor;
    const objects = [dnsService(cluster, stubs, props)];
    if (this.flavor === "coredns") {
      objects.push(configMap("coredns", { Corefile: renderCorefile(plan, cluster.id) }));
    } else {
      objects.push(configMap("kube-dns", { stubDomains: renderKubeDnsStubDomains(plan, cluster.id) }));
      objects.push(...aliasDns(plan, cluster));
    }
    this.objects = objects.map((o) => new ApiObject(this, `${o.kind.toLowerCase()}-${o.metadata.name}`, o));
  }
}

/** The cloud's annotations for an internal load balancer pinned to `address`. */
function loadBalancerSettings(
  cluster: ClusterPlan,
  stubs: DnsStubsPlan,
  props: DnsStubsProps,
): { annotations: Record<string, string>; loadBalancerIP?: string } {
  if (cluster.cloud === "aws") {
    // The AWS Load Balancer Controller: an internal NLB with one fixed address in one subnet.
    const subnet = props.awsSubnet ?? stubs.subnet;
    return {
      annotations: {
        ...(subnet === undefined ? {} : { "service.beta.kubernetes.io/aws-load-balancer-subnets": subnet }),
        "service.beta.kubernetes.io/aws-load-balancer-type": "external",
        "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
        "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
        "service.beta.kubernetes.io/aws-load-balancer-private-ipv4-addresses": stubs.address,
        [AWS_LOAD_BALANCER_ATTRIBUTES]: AWS_CROSS_ZONE,
      },
    };
  }
  if (cluster.cloud === "gcp") {
    return {
      annotations: { "networking.gke.io/load-balancer-type": "Internal" },
      loadBalancerIP: stubs.address,
    };
  }
  // Existing clusters: whatever implements LoadBalancer Services (MetalLB, a cloud's controller)
  // is asked for the address through the (deprecated, widely honoured) loadBalancerIP field.
  return { annotations: {}, loadBalancerIP: stubs.address };
}

function dnsService(cluster: ClusterPlan, stubs: DnsStubsPlan, props: DnsStubsProps): KubernetesObject {
  const { annotations, loadBalancerIP } = loadBalancerSettings(cluster, stubs, props);
  const selector = stubs.flavor === "kube-dns" ? { "k8s-app": ALIAS_DNS_NAME } : { "k8s-app": "kube-dns" };
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: DNS_SERVICE_NAME,
      namespace: DNS_NAMESPACE,
      annotations: { ...annotations, "isthmus.dev/dns-zone": cluster.dnsZone },
    },
    spec: {
      type: "LoadBalancer",
      ...(loadBalancerIP === undefined ? {} : { loadBalancerIP }),
      selector,
      ports: [
        { name: "dns", protocol: "UDP", port: DNS_PORT, targetPort: DNS_PORT },
        { name: "dns-tcp", protocol: "TCP", port: DNS_PORT, targetPort: DNS_PORT },
      ],
      // Only the other regions' ranges (over the tunnel) and this cluster's own.
      loadBalancerSourceRanges: [...stubs.sourceRanges],
    },
  };
}

function configMap(name: string, data: Record<string, string>): KubernetesObject {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: DNS_NAMESPACE }, data };
}

/** A CoreDNS serving the Corefile (the cluster domain and its alias) on a kube-dns cluster. */
function aliasDns(plan: MeshPlan, cluster: ClusterPlan): KubernetesObject[] {
  const labels = { "k8s-app": ALIAS_DNS_NAME };
  const meta = { name: ALIAS_DNS_NAME, namespace: DNS_NAMESPACE, labels };
  return [
    { apiVersion: "v1", kind: "ServiceAccount", metadata: meta },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: ALIAS_DNS_NAME, labels },
      rules: [
        {
          apiGroups: [""],
          resources: ["endpoints", "services", "pods", "namespaces"],
          verbs: ["list", "watch"],
        },
        { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["list", "watch"] },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: ALIAS_DNS_NAME, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: ALIAS_DNS_NAME },
      subjects: [{ kind: "ServiceAccount", name: ALIAS_DNS_NAME, namespace: DNS_NAMESPACE }],
    },
    configMap(ALIAS_DNS_NAME, { Corefile: renderCorefile(plan, cluster.id) }),
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: meta,
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: ALIAS_DNS_NAME,
            // The node's resolver, not the cluster DNS: `forward . /etc/resolv.conf` must not loop.
            dnsPolicy: "Default",
            priorityClassName: "system-cluster-critical",
            containers: [
              {
                name: "coredns",
                image: ALIAS_DNS_IMAGE,
                args: ["-conf", "/etc/coredns/Corefile"],
                ports: [
                  { name: "dns", containerPort: DNS_PORT, protocol: "UDP" },
                  { name: "dns-tcp", containerPort: DNS_PORT, protocol: "TCP" },
                  { name: "metrics", containerPort: 9153, protocol: "TCP" },
                ],
                livenessProbe: { httpGet: { path: "/health", port: 8080 }, initialDelaySeconds: 60 },
                readinessProbe: { httpGet: { path: "/ready", port: 8181 } },
                resources: { requests: { cpu: "100m", memory: "70Mi" }, limits: { memory: "170Mi" } },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { add: ["NET_BIND_SERVICE"], drop: ["ALL"] },
                },
                volumeMounts: [{ name: "config", mountPath: "/etc/coredns", readOnly: true }],
              },
            ],
            volumes: [{ name: "config", configMap: { name: ALIAS_DNS_NAME } }],
          },
        },
      },
    },
  ];
}
