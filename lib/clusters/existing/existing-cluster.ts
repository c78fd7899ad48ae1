/**
 * `ExistingCluster`: adopts a cluster isthmus does not provision and returns it as a
 * {@link MeshCluster}. Two ways in:
 * - a kubeconfig (a secret): isthmus creates the cluster's Kubernetes provider, and reads the API
 *   endpoint and CA of its context unless they are given;
 * - a Kubernetes provider the program already has, with the endpoint and CA other clusters' istiod
 *   use (create that provider with `clusterIdentifier: <cluster id>`, so that isthmus can tell which
 *   cluster each object lives in).
 *
 * The plan's cluster usually has cloud `existing`; a cluster adopted from AWS or Google Cloud may
 * keep its cloud (`aws`, `gcp`) so that the plan uses that cloud's region spelling and underlay MTU.
 * Nothing else of the cloud is touched.
 *
 * What an adopted cluster must provide (isthmus cannot create it, and checks what it can):
 * - **a LoadBalancer implementation** for the east-west gateway (and, in WireGuard mode, the DNS
 *   stub): a cloud's controller, MetalLB… A cluster kept at cloud `aws` gets the AWS Load Balancer
 *   Controller's annotations, which EKS's built-in cloud provider ignores: install the controller, and
 *   pass its release as `loadBalancerReady` when the same program manages it;
 * - **an API server the other clusters' istiod reach** at `endpoint` over https (checked: an https
 *   URL, not a loopback address; its CA a PEM certificate);
 * - **nodes labelled `topology.kubernetes.io/region` (and `/zone`)** with the spec's region: Istio's
 *   locality, and so failover, comes from these labels (not checked: a program cannot list nodes);
 * - in WireGuard mode, non-overlapping, routable pod and service ranges equal to the spec's `cidrs`.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterPlan, MeshPlan } from "../../core/mesh-plan";
import { throwIfProblems } from "../../base/input-errors";
import { kubeconfigServer } from "../kubeconfig";
import type { MeshCluster } from "../../base/mesh-cluster";
import { plannedCluster } from "../planned-cluster";

/** The adapter's type token. */
export const EXISTING_CLUSTER_TYPE = "isthmus:clusters:ExistingCluster";

/** Arguments of {@link ExistingCluster}: a kubeconfig, or a provider with the endpoint and CA. */
export interface ExistingClusterArgs {
  /** The mesh plan (`planMesh(spec)`). */
  readonly plan: MeshPlan;
  /** The id of the cluster in the plan. */
  readonly clusterId: string;
  /**
   * The kubeconfig's contents, as a secret (`config.requireSecret("kubeconfig")`,
   * `pulumi.secret(fs.readFileSync(path, "utf8"))`): a kubeconfig holds credentials. Exec-plugin
   * kubeconfigs are fine here; istiod's remote secrets are built from the endpoint and CA instead.
   * @default - none: give either `kubeconfig` or `provider`
   */
  readonly kubeconfig?: pulumi.Input<string>;
  /**
   * The kubeconfig context to use.
   * @default - the kubeconfig's current-context
   */
  readonly context?: string;
  /**
   * A Kubernetes provider for the cluster, created with `clusterIdentifier` set to the cluster id.
   * Requires `endpoint` and `certificateAuthority`.
   * @default - none: give either `kubeconfig` or `provider`
   */
  readonly provider?: k8s.Provider;
  /**
   * The API server URL (`https://…`) as the other clusters' istiod reach it, when it differs from
   * the kubeconfig's server (a tunnel, a loopback address of a local cluster).
   * @default - the server of the kubeconfig's context; required with `provider`
   */
  readonly endpoint?: pulumi.Input<string>;
  /**
   * The API server's CA certificate, PEM.
   * @default - the decoded certificate-authority-data of the kubeconfig's context; required with `provider`
   */
  readonly certificateAuthority?: pulumi.Input<string>;
  /**
   * Resources that must exist before workloads can be scheduled in the cluster.
   * @default []
   */
  readonly readyResources?: readonly pulumi.Resource[];
  /**
   * What the cluster's LoadBalancer Services wait for, when the same program manages it (the AWS Load
   * Balancer Controller's release on an adopted EKS cluster).
   * @default - none: the cluster's LoadBalancer implementation runs already
   */
  readonly loadBalancerReady?: readonly pulumi.Resource[];
  /**
   * The cluster's public egress addresses (its NAT IPs), so that the other clusters' internet-facing
   * east-west gateways admit only them.
   * @default - unknown: the other gateways admit any source
   */
  readonly egressAddresses?: readonly pulumi.Input<string>[];
}

/** A cluster of the mesh that isthmus adopts rather than provisions. */
export class ExistingCluster extends pulumi.ComponentResource {
  /** The handle the mesh components take. */
  declare readonly cluster: MeshCluster;

  constructor(name: string, args: ExistingClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    const c = checkedCluster(args);
    super(EXISTING_CLUSTER_TYPE, name, {}, opts);

    let provider: k8s.Provider;
    let endpoint: pulumi.Input<string>;
    let certificateAuthority: pulumi.Input<string>;
    if (args.kubeconfig !== undefined) {
      const kubeconfig = pulumi.secret(args.kubeconfig);
      provider = new k8s.Provider(
        `${name}-k8s`,
        {
          kubeconfig,
          ...(args.context === undefined ? {} : { context: args.context }),
          clusterIdentifier: c.id,
        },
        { parent: this },
      );
      // The endpoint and CA are not credentials: read them out of the secret and publish them plainly.
      const server = pulumi.unsecret(
        kubeconfig.apply((text) => kubeconfigServer(text, "kubeconfig", args.context)),
      );
      endpoint =
        args.endpoint ??
        server.apply((s) => {
          // True for clusters on one host (local control planes, kind): accepted, and said.
          if (isLoopback(s.server)) {
            void pulumi.log.warn(
              `kubeconfig: context "${s.context}" points at a loopback address (${s.server}): only an istiod on the ` +
                "same host reaches it. If the other clusters' istiod runs elsewhere, pass the address it reaches with `endpoint`.",
              this,
            );
          }
          return s.server;
        });
      certificateAuthority = args.certificateAuthority ?? server.apply((s) => s.certificateAuthority);
    } else {
      provider = args.provider!;
      endpoint = args.endpoint!;
      certificateAuthority = args.certificateAuthority!;
    }

    this.cluster = {
      id: c.id,
      provider,
      endpoint,
      certificateAuthority,
      ...(args.readyResources === undefined ? {} : { readyResources: [...args.readyResources] }),
      ...(args.loadBalancerReady === undefined ? {} : { loadBalancerReady: [...args.loadBalancerReady] }),
      ...(args.egressAddresses === undefined ? {} : { egressAddresses: [...args.egressAddresses] }),
    };
    this.registerOutputs({ endpoint, certificateAuthority });
  }
}

/** Whether a URL's host is a loopback address (`localhost`, 127.0.0.0/8, ::1). */
function isLoopback(url: string): boolean {
  const host = /^https:\/\/(\[[^\]]+\]|[^:/]+)/.exec(url)?.[1] ?? "";
  return host === "localhost" || /^127\./.test(host) || host === "[::1]";
}

/** Validates the arguments and returns the planned cluster; throws before anything is registered. */
function checkedCluster(args: ExistingClusterArgs): ClusterPlan {
  const { cluster: c, problems } = plannedCluster(args.plan, args.clusterId);
  if (args.kubeconfig === undefined && args.provider === undefined) {
    problems.push({
      path: "kubeconfig",
      problem: "is missing, and so is provider",
      received: undefined,
      expected: "a kubeconfig (secret), or a Kubernetes provider with endpoint and certificateAuthority",
      fix: 'Pass kubeconfig: config.requireSecret("kubeconfig"), or an existing provider.',
    });
  }
  if (args.kubeconfig !== undefined && args.provider !== undefined) {
    problems.push({
      path: "provider",
      problem: "is given together with kubeconfig",
      received: "a Kubernetes provider",
      expected: "either kubeconfig or provider",
      fix: "Drop one: with kubeconfig, isthmus creates the provider itself.",
    });
  }
  if (typeof args.kubeconfig === "string") {
    problems.push({
      path: "kubeconfig",
      problem: "is not secret",
      received: `a plain string of ${args.kubeconfig.length} characters (not shown)`,
      expected: "a secret Output",
      fix: 'A kubeconfig holds credentials: wrap it, pulumi.secret(fs.readFileSync(path, "utf8")), or use config.requireSecret("kubeconfig").',
    });
  }
  if (args.provider !== undefined && args.kubeconfig === undefined) {
    for (const key of ["endpoint", "certificateAuthority"] as const) {
      if (args[key] === undefined) {
        problems.push({
          path: key,
          problem: "is missing",
          received: undefined,
          expected:
            key === "endpoint" ? "the API server URL, https://…" : "the API server's CA certificate, PEM",
          fix: "With provider, isthmus cannot read the cluster's API address; pass it (the other clusters' istiod use it).",
        });
      }
    }
  }
  if (typeof args.endpoint === "string" && !/^https:\/\/[^/\s]+/.test(args.endpoint)) {
    problems.push({
      path: "endpoint",
      problem: "is not an https URL",
      received: args.endpoint,
      expected: "https://<host>[:port]",
      fix: "Use the API server URL from the kubeconfig's clusters[].cluster.server.",
    });
  }
  if (
    typeof args.certificateAuthority === "string" &&
    !args.certificateAuthority.includes("-----BEGIN CERTIFICATE-----")
  ) {
    const base64Pem = Buffer.from(args.certificateAuthority, "base64")
      .toString("utf8")
      .includes("-----BEGIN CERTIFICATE-----");
    problems.push({
      path: "certificateAuthority",
      problem: "is not a PEM certificate",
      received: `${args.certificateAuthority.slice(0, 20)}…`,
      expected: "-----BEGIN CERTIFICATE-----…",
      fix: base64Pem
        ? 'It is base64 (certificate-authority-data): decode it, Buffer.from(data, "base64").toString().'
        : "Pass the API server's CA certificate in PEM form.",
    });
  }
  throwIfProblems("ExistingCluster", problems);
  return c!;
}
