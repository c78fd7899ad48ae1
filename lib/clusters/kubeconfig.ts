/**
 * Kubeconfigs for the cluster adapters: building one that authenticates through an exec plugin
 * (`aws eks get-token`, `gke-gcloud-auth-plugin`) for Pulumi's Kubernetes provider, and reading the
 * API endpoint and CA out of one a user brings.
 *
 * The exec kubeconfigs carry no credential: the plugin fetches a short-lived token on every call.
 * They are for Pulumi only; istiod rejects exec kubeconfigs, so remote secrets are built from the
 * endpoint and CA plus a service-account token elsewhere.
 */
import { parse, stringify } from "yaml";

/** The client-go exec credential API every current plugin speaks. */
export const EXEC_API_VERSION = "client.authentication.k8s.io/v1beta1";

/** An exec credential plugin: a command that prints a token. */
export interface ExecPlugin {
  /** The command, looked up on `PATH` (`aws`, `gke-gcloud-auth-plugin`). */
  readonly command: string;
  /**
   * Its arguments.
   * @default []
   */
  readonly args?: readonly string[];
  /**
   * Environment variables for the command (`AWS_PROFILE`).
   * @default {}
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * What to print when the command is missing.
   * @default - nothing
   */
  readonly installHint?: string;
  /**
   * Pass the cluster's endpoint and CA to the plugin (`KUBERNETES_EXEC_INFO`).
   * @default false
   */
  readonly provideClusterInfo?: boolean;
}

/** What an exec kubeconfig is made of. */
export interface ExecKubeconfigArgs {
  /** The name of the cluster, user and context entries (one of each). */
  readonly name: string;
  /** The API server URL, `https://…`. */
  readonly server: string;
  /** The API server's CA certificate, base64 of the PEM (`certificate-authority-data`). */
  readonly certificateAuthorityData: string;
  /** The credential plugin. */
  readonly exec: ExecPlugin;
}

/** A kubeconfig (YAML) with one cluster, one context and one exec-plugin user. */
export function execKubeconfig(args: ExecKubeconfigArgs): string {
  const env = Object.entries(args.exec.env ?? {}).map(([name, value]) => ({ name, value }));
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: args.name,
        cluster: { server: args.server, "certificate-authority-data": args.certificateAuthorityData },
      },
    ],
    contexts: [{ name: args.name, context: { cluster: args.name, user: args.name } }],
    "current-context": args.name,
    preferences: {},
    users: [
      {
        name: args.name,
        user: {
          exec: {
            apiVersion: EXEC_API_VERSION,
            command: args.exec.command,
            args: [...(args.exec.args ?? [])],
            ...(env.length > 0 ? { env } : {}),
            interactiveMode: "Never",
            ...(args.exec.installHint === undefined ? {} : { installHint: args.exec.installHint }),
            ...(args.exec.provideClusterInfo ? { provideClusterInfo: true } : {}),
          },
        },
      },
    ],
  });
}

/** The API server of one kubeconfig context. */
export interface KubeconfigServer {
  /** The context read. */
  readonly context: string;
  /** Its cluster's `server`. */
  readonly server: string;
  /** Its cluster's CA, PEM (decoded from `certificate-authority-data`). */
  readonly certificateAuthority: string;
}

/**
 * Reads the server and CA of a context (the `current-context` unless named) from a kubeconfig.
 * @throws Error `<path>: <problem>; got …, expected …. <fix>` naming what is missing
 */
export function kubeconfigServer(kubeconfig: string, path: string, context?: string): KubeconfigServer {
  let doc: unknown;
  try {
    doc = parse(kubeconfig);
  } catch (e) {
    throw new Error(
      `${path}: is not valid YAML (${(e as Error).message.split("\n")[0]}); got a string of ${kubeconfig.length} characters, ` +
        "expected a kubeconfig. Pass the contents of the file, not its path.",
    );
  }
  const config = (typeof doc === "object" && doc !== null ? doc : {}) as Record<string, unknown>;
  const list = (key: string): Record<string, unknown>[] =>
    Array.isArray(config[key]) ? (config[key] as Record<string, unknown>[]) : [];
  const contexts = list("contexts");
  const names = contexts.map((c) => String(c.name));
  const wanted = context ?? (config["current-context"] as string | undefined);
  if (wanted === undefined || wanted === "") {
    throw new Error(
      `${path}: has no current-context; got contexts ${JSON.stringify(names)}, expected a current-context or the ` +
        "context argument. Name the context to use with `context`.",
    );
  }
  const entry = contexts.find((c) => c.name === wanted);
  if (entry === undefined) {
    throw new Error(
      `${path}: has no context "${wanted}"; got contexts ${JSON.stringify(names)}, expected one of them. ` +
        "Name an existing context with `context`.",
    );
  }
  const clusterName = (entry.context as Record<string, unknown> | undefined)?.cluster;
  const cluster = list("clusters").find((c) => c.name === clusterName)?.cluster as
    Record<string, unknown> | undefined;
  if (cluster === undefined) {
    throw new Error(
      `${path}: context "${wanted}" names the cluster ${JSON.stringify(clusterName)}, which is not in clusters; ` +
        `got clusters ${JSON.stringify(list("clusters").map((c) => c.name))}, expected it there. Fix the kubeconfig.`,
    );
  }
  const server = cluster.server;
  if (typeof server !== "string" || !server.startsWith("https://")) {
    throw new Error(
      `${path}: cluster "${String(clusterName)}" has no https server; got ${JSON.stringify(server)}, expected https://<host>[:port]. ` +
        "Fix the kubeconfig, or pass the endpoint the other clusters reach with `endpoint`.",
    );
  }
  const data = cluster["certificate-authority-data"];
  if (typeof data !== "string" || data === "") {
    throw new Error(
      `${path}: cluster "${String(clusterName)}" has no certificate-authority-data; got ` +
        `${cluster["certificate-authority"] === undefined ? "nothing" : "a certificate-authority file path"}, expected the CA inline. ` +
        "Inline it (`kubectl config view --raw --flatten`), or pass the PEM with `certificateAuthority`.",
    );
  }
  return { context: wanted, server, certificateAuthority: Buffer.from(data, "base64").toString("utf8") };
}
