/**
 * Endpoint discovery: what lets a primary's istiod read another cluster's API server.
 *
 * Facts read from istio/istio 1.30.3:
 * - The reader identity already comes with the charts: `base` creates the ServiceAccount
 *   `istio-reader-service-account` in istio-system (`templates/reader-serviceaccount.yaml`,
 *   `global.enableReaderRBAC`, default true), and `istiod` creates the read-only ClusterRole and its
 *   ClusterRoleBinding `istio-reader-clusterrole[-<revision>]-<release namespace>`
 *   (`templates/reader-clusterrole.yaml`, also with `profile: remote`, where it adds the webhook and
 *   ConfigMap rights the managing primary needs). isthmus adds only the token Secret.
 * - `istioctl create-remote-secret` (`istioctl/pkg/multicluster/remote_secret.go`): on Kubernetes ≥ 1.24
 *   it creates a Secret `<sa>-istio-remote-secret-token` of type `kubernetes.io/service-account-token`
 *   annotated `kubernetes.io/service-account.name: <sa>`, waits for the controller to fill `token` and
 *   `ca.crt`, and writes a kubeconfig with one cluster, one context and one user, all named after the
 *   cluster, `current-context` set, bearer-token auth.
 * - The remote secret: name `istio-remote-secret-<cluster>`, label `istio/multiCluster: "true"`
 *   (`pkg/kube/multicluster/secretcontroller.go` watches that label), annotation
 *   `networking.istio.io/cluster: <cluster>` (`istioctl/pkg/multicluster/options.go`), data key `<cluster>`.
 * - istiod sanitizes these kubeconfigs (`pkg/kube/util.go` `sanitizeKubeConfig`): `exec`, auth providers
 *   other than `oidc`, `tokenFile`, `clientKey` and `clientCertificate` files are rejected.
 */
import { stringify } from "yaml";
import type { DiscoveryPair, MeshTopology } from "./mesh-plan";
import type { KubernetesObject } from "./kubernetes-object";

/** The read-only ServiceAccount the `base` chart creates in istio-system. */
export const READER_SERVICE_ACCOUNT = "istio-reader-service-account";
/** The token Secret of the reader, named as `istioctl create-remote-secret` names it. */
export const READER_TOKEN_SECRET = `${READER_SERVICE_ACCOUNT}-istio-remote-secret-token`;
/** The label istiod's secret controller selects remote secrets by. */
export const MULTICLUSTER_SECRET_LABEL = "istio/multiCluster";
/** The annotation naming the cluster a remote secret is for. */
export const CLUSTER_ANNOTATION = "networking.istio.io/cluster";
/** The annotation binding a token Secret to its ServiceAccount. */
export const SERVICE_ACCOUNT_NAME_ANNOTATION = "kubernetes.io/service-account.name";

/**
 * The reader ClusterRole (and ClusterRoleBinding) the `istiod` chart creates in every cluster:
 * `istio-reader-clusterrole-<namespace>`, or `istio-reader-clusterrole-<revision>-<namespace>`.
 */
export function readerClusterRoleName(plan: MeshTopology): string {
  const revision = plan.istio.revision === undefined ? "" : `-${plan.istio.revision}`;
  return `istio-reader-clusterrole${revision}-${plan.istio.namespace}`;
}

/**
 * The reader's token Secret, created in every cluster whose API a primary reads. It carries no key
 * material when created: the token controller fills `token` and `ca.crt`, which must be read back
 * (as secrets) before the kubeconfig is built.
 */
export function readerTokenSecret(plan: MeshTopology): KubernetesObject {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: READER_TOKEN_SECRET,
      namespace: plan.istio.namespace,
      annotations: { [SERVICE_ACCOUNT_NAME_ANNOTATION]: READER_SERVICE_ACCOUNT },
    },
    type: "kubernetes.io/service-account-token",
  };
}

/** The clusters whose API some primary reads: the targets of the plan's discovery pairs, sorted. */
export function discoveryTargets(plan: MeshTopology): string[] {
  return [...new Set(plan.discovery.map((pair) => pair.target))].sort();
}

/** What a remote secret's kubeconfig is made of. */
export interface RemoteKubeconfigInput {
  /** The id of the cluster the kubeconfig reaches (cluster, context and user name). */
  readonly clusterId: string;
  /** The API server URL, `https://…`. */
  readonly server: string;
  /** The API server's CA certificate, PEM. */
  readonly caPem: string;
  /** The reader's service-account token (a secret). */
  readonly token: string;
  /**
   * The server name to verify the API server's certificate against, when it differs from the URL's host.
   * @default - the host of `server`
   */
  readonly tlsServerName?: string;
}

/**
 * The kubeconfig of a remote secret: one cluster, one context, one user, all named after the cluster,
 * bearer-token auth (never `exec` or an auth provider, which istiod rejects). The result holds the
 * token: callers wrap it as a secret.
 * @throws Error on a malformed input; messages never contain the token
 */
export function remoteSecretKubeconfig(input: RemoteKubeconfigInput): string {
  const { clusterId, server, caPem, token } = input;
  if (!/^https:\/\/[^\s/]+/.test(server)) {
    throw new Error(
      `remoteSecretKubeconfig: server: is not an https URL; got ${JSON.stringify(server)}, expected https://<host>[:port]. ` +
        "Use the API endpoint other clusters reach.",
    );
  }
  if (!/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(caPem)) {
    throw new Error(
      `remoteSecretKubeconfig: caPem: is not a PEM certificate; got ${caPem.length} characters, expected a ` +
        "-----BEGIN CERTIFICATE----- block. Pass the cluster CA as PEM (decode base64 first).",
    );
  }
  if (token.trim() === "" || /\s/.test(token.trim())) {
    throw new Error(
      `remoteSecretKubeconfig: token: is not a bearer token; got ${token.length} characters, expected one ` +
        "word without whitespace. Read the token back from the filled token Secret.",
    );
  }
  const cluster: Record<string, string> = {
    server,
    "certificate-authority-data": Buffer.from(caPem.replace(/\r\n/g, "\n").trim() + "\n").toString("base64"),
  };
  if (input.tlsServerName !== undefined) cluster["tls-server-name"] = input.tlsServerName;
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: clusterId, cluster }],
    contexts: [{ name: clusterId, context: { cluster: clusterId, user: clusterId } }],
    users: [{ name: clusterId, user: { token: token.trim() } }],
    "current-context": clusterId,
    preferences: {},
  });
}

/** A remote secret without its value: where it goes and under which key the kubeconfig sits. */
export interface RemoteSecretManifest {
  /** `v1` */
  readonly apiVersion: "v1";
  /** `Secret` */
  readonly kind: "Secret";
  /** Where the secret goes and how istiod finds it. */
  readonly metadata: {
    /** `istio-remote-secret-<target>` */
    readonly name: string;
    /** istiod's namespace in the reader. */
    readonly namespace: string;
    /** `istio/multiCluster: "true"`, which istiod's secret controller selects. */
    readonly labels: { readonly [MULTICLUSTER_SECRET_LABEL]: "true" };
    /** `networking.istio.io/cluster: <target>` */
    readonly annotations: { readonly [CLUSTER_ANNOTATION]: string };
  };
  /** `Opaque`, as `istioctl create-remote-secret` writes it. */
  readonly type: "Opaque";
  /** The data key holding the kubeconfig: the target's cluster id. */
  readonly dataKey: string;
}

/**
 * The remote secret a reader (a primary) holds for a target cluster, without its value: the caller puts
 * the kubeconfig from {@link remoteSecretKubeconfig} under `stringData[dataKey]`, as a secret.
 */
export function remoteSecretManifest(plan: MeshTopology, pair: DiscoveryPair): RemoteSecretManifest {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: pair.secretName,
      namespace: plan.istio.namespace,
      labels: { [MULTICLUSTER_SECRET_LABEL]: "true" },
      annotations: { [CLUSTER_ANNOTATION]: pair.target },
    },
    type: "Opaque",
    dataKey: pair.target,
  };
}
