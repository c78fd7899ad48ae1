/**
 * A real istiod (pilot-discovery) run as a plain process against a local control plane, the way its
 * Deployment runs it: its cluster's kubeconfig in place of the in-cluster one, `POD_NAMESPACE`,
 * `CLUSTER_ID`, the `cacerts` Secret's files at `./etc/cacerts` (where the chart mounts the Secret),
 * and the mesh config from the `istio` ConfigMap the chart rendered (no mesh file: istiod watches the
 * ConfigMap). Every port on 127.0.0.1 (or the address given); `/debug/*` is read over `--httpAddr`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, logTail, waitFor, type ControlPlane } from "./control-plane";
import { tool } from "./tools";

/** Options of {@link startIstiod}. */
export interface IstiodOptions {
  readonly cluster: ControlPlane;
  /** The cluster id (`CLUSTER_ID`, `global.multiCluster.clusterName`). */
  readonly clusterId: string;
  /** The `cacerts` Secret's data, by file name. */
  readonly cacerts: Readonly<Record<string, string>>;
  /**
   * The address its webhook server (`--httpsAddr`, port 15017) listens on.
   * @default "127.0.0.1"
   */
  readonly webhookAddress?: string;
  /**
   * Its HTTP (debug) address; the Pod's address and port 8080 lets the API server's Pod proxy reach it.
   * @default - a free port on 127.0.0.1
   */
  readonly httpAddr?: string;
}

/** A running istiod. */
export interface Istiod {
  readonly httpAddr: string;
  readonly dir: string;
  /** GET a debug endpoint (`/debug/clusterz` …), parsed JSON. */
  debug<T = unknown>(path: string): Promise<T>;
  /** The last lines of istiod's log. */
  log(lines?: number): string;
  stop(): Promise<void>;
}

/** Starts istiod and waits until it reports ready (`/ready` on its HTTP port). */
export async function startIstiod(options: IstiodOptions): Promise<Istiod> {
  const dir = mkdtempSync(join(tmpdir(), `isthmus-real-istiod-${options.clusterId}-`));
  mkdirSync(join(dir, "etc", "cacerts"), { recursive: true, mode: 0o700 });
  for (const [file, text] of Object.entries(options.cacerts)) {
    writeFileSync(join(dir, "etc", "cacerts", file), text, { mode: 0o600 });
  }
  const [http, grpc, secureGrpc, monitoring] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const httpAddr = options.httpAddr ?? `127.0.0.1:${http}`;
  const log = openSync(join(dir, "istiod.log"), "a");
  const child: ChildProcess = spawn(
    tool("pilot-discovery"),
    [
      "discovery",
      `--kubeconfig=${options.cluster.kubeconfigFile}`,
      `--httpAddr=${httpAddr}`,
      `--grpcAddr=127.0.0.1:${grpc}`,
      `--secureGRPCAddr=127.0.0.1:${secureGrpc}`,
      `--httpsAddr=${options.webhookAddress ?? "127.0.0.1"}:15017`,
      `--monitoringAddr=127.0.0.1:${monitoring}`,
      "--domain=cluster.local",
      "--log_output_level=default:info",
    ],
    {
      cwd: dir,
      stdio: ["ignore", log, log],
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: dir,
        POD_NAMESPACE: "istio-system",
        POD_NAME: `istiod-${options.clusterId}`,
        CLUSTER_ID: options.clusterId,
        REVISION: "default",
        PILOT_CERT_PROVIDER: "istiod",
        ISTIOD_CUSTOM_HOST: "",
        KUBECONFIG: options.cluster.kubeconfigFile,
      },
    },
  );
  child.on("error", () => undefined);
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const get = (path: string): Promise<{ status: number; text: string }> =>
    new Promise((resolve, reject) => {
      const req = request(`http://${httpAddr}${path}`, { timeout: 10_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }),
        );
      });
      req.on("timeout", () => req.destroy(new Error(`GET ${path}: timed out`)));
      req.on("error", reject);
      req.end();
    });
  const istiod: Istiod = {
    httpAddr,
    dir,
    async debug<T>(path: string): Promise<T> {
      const res = await get(path);
      if (res.status !== 200)
        throw new Error(`istiod ${options.clusterId} ${path}: ${res.status} ${res.text.slice(0, 200)}`);
      return JSON.parse(res.text) as T;
    },
    log: (lines = 30) => logTail(dir, "istiod", lines),
    stop,
  };
  try {
    await waitFor(
      `istiod ${options.clusterId} ready`,
      120_000,
      async () => {
        if (child.exitCode !== null) throw new Error(`istiod exited with ${child.exitCode}`);
        return (await get("/ready")).status === 200;
      },
      () => istiod.log(),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return istiod;
}
