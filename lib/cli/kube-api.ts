/**
 * A read-only Kubernetes API client for `isthmus verify`, from a kubeconfig's current context (or a
 * named one): bearer token, client certificate, or an exec credential plugin (`aws eks get-token`,
 * `gke-gcloud-auth-plugin`), spoken as client-go speaks it (`client.authentication.k8s.io`
 * ExecCredential on stdout). Hand-written on purpose: verify needs GET and nothing else, and the
 * Kubernetes client libraries for Node weigh more than all of isthmus. Credentials never appear in
 * an error message.
 */
import { spawnSync } from "node:child_process";
import { request } from "node:https";
import { parse } from "yaml";
import { kubeconfigServer } from "../clusters/kubeconfig";
import { ProgramError } from "./program";

interface NamedEntry<T> {
  readonly name: string;
  readonly [key: string]: unknown;
  readonly cluster?: T;
  readonly user?: T;
  readonly context?: T;
}

interface ClusterEntry {
  readonly "tls-server-name"?: string;
}

interface UserEntry {
  readonly token?: string;
  readonly "client-certificate-data"?: string;
  readonly "client-key-data"?: string;
  readonly exec?: { command: string; args?: string[]; env?: { name: string; value: string }[] };
}

interface Kubeconfig {
  readonly clusters?: NamedEntry<ClusterEntry>[];
  readonly users?: NamedEntry<UserEntry>[];
  readonly contexts?: NamedEntry<{ cluster: string; user: string }>[];
  readonly "current-context"?: string;
}

/** A GET-only client for one cluster. */
export class KubeApi {
  private constructor(
    readonly label: string,
    /** The API server URL, `https://…`. */
    readonly server: string,
    private readonly ca: string,
    private readonly servername: string | undefined,
    private readonly auth: { token?: string; cert?: string; key?: string },
  ) {}

  /** A client from a kubeconfig's text; `label` names it in messages (the file, never the content). */
  static fromKubeconfig(text: string, label: string, context?: string): KubeApi {
    // Server, CA and context as the cluster adapters read them (one reader, one set of messages).
    let target: ReturnType<typeof kubeconfigServer>;
    try {
      target = kubeconfigServer(text, label, context);
    } catch (error) {
      throw new ProgramError((error as Error).message);
    }
    const config = (parse(text) ?? {}) as Kubeconfig;
    const ctx = config.contexts?.find((c) => c.name === target.context)?.context;
    const user = config.users?.find((u) => u.name === ctx?.user)?.user ?? {};
    const cluster = config.clusters?.find((c) => c.name === ctx?.cluster)?.cluster;
    const decode = (b64: string | undefined): string | undefined =>
      b64 === undefined ? undefined : Buffer.from(b64, "base64").toString("utf8");
    const auth: { token?: string; cert?: string; key?: string } = {};
    if (user.token !== undefined) auth.token = user.token;
    const cert = decode(user["client-certificate-data"]);
    const key = decode(user["client-key-data"]);
    if (cert !== undefined && key !== undefined) Object.assign(auth, { cert, key });
    if (user.exec !== undefined) auth.token = execToken(user.exec, label);
    return new KubeApi(label, target.server, target.certificateAuthority, cluster?.["tls-server-name"], auth);
  }

  /** GET a path; `undefined` on 404; throws a ProgramError naming the cluster on any other failure. */
  async get<T = Record<string, unknown>>(path: string): Promise<T | undefined> {
    const res = await this.request(path);
    if (res.status === 404) return undefined;
    if (res.status !== 200) {
      throw new ProgramError(`${this.label}: GET ${path}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
    }
    try {
      return JSON.parse(res.text) as T;
    } catch {
      return res.text as unknown as T;
    }
  }

  private request(path: string): Promise<{ status: number; text: string }> {
    const url = new URL(path, this.server);
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method: "GET",
          ca: this.ca,
          ...(this.servername === undefined ? {} : { servername: this.servername }),
          ...(this.auth.cert === undefined ? {} : { cert: this.auth.cert, key: this.auth.key }),
          headers: {
            accept: "application/json",
            ...(this.auth.token === undefined ? {} : { authorization: `Bearer ${this.auth.token}` }),
          },
          timeout: 20_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }),
          );
        },
      );
      req.on("timeout", () => req.destroy(new Error("timed out")));
      req.on("error", (error) =>
        reject(new ProgramError(`${this.label}: cannot reach ${url.origin}: ${error.message}`)),
      );
      req.end();
    });
  }
}

/** Runs an exec credential plugin and returns its token. */
function execToken(exec: NonNullable<UserEntry["exec"]>, label: string): string {
  const env = { ...process.env, ...Object.fromEntries((exec.env ?? []).map((e) => [e.name, e.value])) };
  const result = spawnSync(exec.command, exec.args ?? [], { encoding: "utf8", env, timeout: 60_000 });
  if (result.error !== undefined || result.status !== 0) {
    throw new ProgramError(
      `${label}: the credential plugin "${exec.command}" failed${result.error ? ` (${result.error.message})` : ` with exit ${result.status}`}.`,
    );
  }
  try {
    const token = (JSON.parse(result.stdout) as { status?: { token?: string } }).status?.token;
    if (typeof token === "string" && token !== "") return token;
  } catch {
    // reported below
  }
  throw new ProgramError(
    `${label}: the credential plugin "${exec.command}" printed no ExecCredential token.`,
  );
}
