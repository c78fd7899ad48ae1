/**
 * The parts of a cluster that only a kubelet or a cloud provide, played by the test exactly where the
 * real component would act, and nowhere else:
 * - a Node object with the region and zone labels a cloud's nodes carry (Istio reads locality there);
 * - the kubelet: every unscheduled Pod is bound to that Node (a `Binding`, as the scheduler writes
 *   it), then reported Running and Ready with an address from the node's pod range (status
 *   subresource, as the kubelet writes it);
 * - the cloud's service controller: a `LoadBalancer` Service gets `status.loadBalancer.ingress`
 *   (an IP from 198.18.0.0/15, or a hostname for a cloud that publishes hostnames).
 * The product's awaits (Helm's wait, the Kubernetes provider's) stay on: they see what they would see
 * in a real cluster once its nodes and load balancers are up.
 */
import type { KubeClient } from "./kube-client";

/** Options of {@link FakeNode}. */
export interface FakeNodeOptions {
  readonly name: string;
  /** `topology.kubernetes.io/region` */
  readonly region: string;
  /** `topology.kubernetes.io/zone` */
  readonly zone: string;
  /** The node's pod range, an IPv4 /16 or /24 prefix such as "10.12." from which Pod IPs are handed out. */
  readonly podPrefix: string;
  /** The node's own address. */
  readonly nodeIp: string;
  /** A fixed address for some Pods (e.g. one a test's process listens on), by `namespace/name-prefix`. */
  readonly podIpFor?: (namespace: string, name: string) => string | undefined;
  /**
   * What the kubelet does before it reports a Pod Running: start the process it stands for (a real
   * istiod with the Secret its Pod mounts). Called once per Pod; the Pod stays Pending until it resolves.
   */
  readonly beforeRunning?: (namespace: string, name: string) => Promise<void>;
  /** What a LoadBalancer Service gets: an IP (default) or a hostname. */
  readonly loadBalancer?: (
    namespace: string,
    name: string,
    n: number,
  ) => { ip: string } | { hostname: string };
}

interface Pod {
  metadata: { name: string; namespace: string; deletionTimestamp?: string };
  spec: { nodeName?: string; containers: { name: string; image?: string }[] };
  status?: { phase?: string };
}

interface Service {
  metadata: { name: string; namespace: string };
  spec: { type?: string };
  status?: { loadBalancer?: { ingress?: unknown[] } };
}

/** A node that runs every Pod it is given, and the cloud's load-balancer controller. */
export class FakeNode {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private nextPod = 10;
  private nextLb = 0;
  /**
   * API errors the loop met, other than a Pod or Service gone or changed between the list and the
   * write (404, 409: the next pass sees the new state, as a kubelet would). Tests assert it stays empty.
   */
  readonly errors: string[] = [];

  constructor(
    private readonly kube: KubeClient,
    private readonly options: FakeNodeOptions,
  ) {}

  /** Creates the Node and starts the loop (every 300 ms). */
  async start(): Promise<void> {
    const { name, region, zone, nodeIp } = this.options;
    await this.kube.call("POST", "/api/v1/nodes", {
      apiVersion: "v1",
      kind: "Node",
      metadata: {
        name,
        labels: {
          "kubernetes.io/hostname": name,
          "kubernetes.io/os": "linux",
          "kubernetes.io/arch": "amd64",
          "topology.kubernetes.io/region": region,
          "topology.kubernetes.io/zone": zone,
        },
      },
    });
    const now = new Date().toISOString();
    await this.kube.call(
      "PATCH",
      `/api/v1/nodes/${name}/status`,
      {
        status: {
          addresses: [{ type: "InternalIP", address: nodeIp }],
          conditions: [
            {
              type: "Ready",
              status: "True",
              reason: "KubeletReady",
              lastHeartbeatTime: now,
              lastTransitionTime: now,
            },
          ],
          capacity: { cpu: "64", memory: "256Gi", pods: "500" },
          allocatable: { cpu: "64", memory: "256Gi", pods: "500" },
        },
      },
      "application/merge-patch+json",
    );
    this.timer = setInterval(() => void this.tick(), 300);
  }

  /** Stops the loop. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (const pod of await this.kube.list<Pod>("/api/v1/pods")) await this.runPod(pod);
      for (const service of await this.kube.list<Service>("/api/v1/services"))
        await this.serveLoadBalancer(service);
    } catch (error) {
      const message = (error as Error).message;
      if (!/: (404|409) /.test(message)) this.errors.push(message);
    } finally {
      this.running = false;
    }
  }

  private async runPod(pod: Pod): Promise<void> {
    const { namespace, name } = pod.metadata;
    if (pod.metadata.deletionTimestamp !== undefined) {
      // The kubelet confirms a deletion once the containers stopped.
      await this.kube.raw("DELETE", `/api/v1/namespaces/${namespace}/pods/${name}`, {
        gracePeriodSeconds: 0,
      });
      return;
    }
    if (pod.spec.nodeName === undefined) {
      await this.kube.call("POST", `/api/v1/namespaces/${namespace}/pods/${name}/binding`, {
        apiVersion: "v1",
        kind: "Binding",
        metadata: { name, namespace },
        target: { apiVersion: "v1", kind: "Node", name: this.options.name },
      });
      return;
    }
    if (pod.spec.nodeName !== this.options.name || pod.status?.phase === "Running") return;
    await this.options.beforeRunning?.(namespace, name);
    const now = new Date().toISOString();
    const podIp =
      this.options.podIpFor?.(namespace, name) ??
      `${this.options.podPrefix}${Math.floor(this.nextPod / 250)}.${(this.nextPod++ % 250) + 2}`;
    const condition = (type: string) => ({ type, status: "True", lastTransitionTime: now });
    await this.kube.call(
      "PATCH",
      `/api/v1/namespaces/${namespace}/pods/${name}/status`,
      {
        status: {
          phase: "Running",
          hostIP: this.options.nodeIp,
          podIP: podIp,
          podIPs: [{ ip: podIp }],
          startTime: now,
          conditions: ["PodScheduled", "Initialized", "ContainersReady", "Ready"].map(condition),
          containerStatuses: pod.spec.containers.map((c) => ({
            name: c.name,
            image: c.image ?? "",
            imageID: "",
            ready: true,
            started: true,
            restartCount: 0,
            state: { running: { startedAt: now } },
          })),
        },
      },
      "application/merge-patch+json",
    );
  }

  private async serveLoadBalancer(service: Service): Promise<void> {
    if (service.spec.type !== "LoadBalancer" || (service.status?.loadBalancer?.ingress ?? []).length > 0)
      return;
    const { namespace, name } = service.metadata;
    const n = this.nextLb++;
    const ingress = this.options.loadBalancer?.(namespace, name, n) ?? {
      ip: `198.19.${this.options.nodeIp.split(".")[3]}.${n + 10}`,
    };
    await this.kube.call(
      "PATCH",
      `/api/v1/namespaces/${namespace}/services/${name}/status`,
      {
        status: { loadBalancer: { ingress: [ingress] } },
      },
      "application/merge-patch+json",
    );
  }
}
