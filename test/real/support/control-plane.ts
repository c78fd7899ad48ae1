/**
 * One real Kubernetes control plane on loopback: its own etcd, kube-apiserver and
 * kube-controller-manager, its own CA and service-account keys, in a private 0700 directory that is
 * removed on stop. No kubelet and no kube-proxy run; `FakeNode` (kubelet.ts) plays the kubelet and a
 * cloud's load-balancer controller where a test needs Pods Ready or a LoadBalancer address.
 *
 * Authentication: a static bearer token for the admin (group `system:masters`), RBAC authorization,
 * so a service-account token is held to its roles as in a real cluster. The controller manager runs
 * the controllers a real one runs for what isthmus creates: the service-account token controller
 * (fills `kubernetes.io/service-account-token` Secrets), service accounts, namespaces (deletion),
 * garbage collection, deployments, replica sets and endpoint slices. The node lifecycle controller is
 * off: there is no kubelet to heartbeat.
 *
 * Every server listens on 127.0.0.1. `--enable-aggregator-routing` makes the API server call
 * webhooks at an endpoint address of their Service (a kube-proxy would otherwise turn the ClusterIP
 * into one): with a Pod address that a process of the test really listens on, webhooks are served.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addressAt } from "../../../lib/core/cidr";
import { KubeClient } from "./kube-client";
import { tool } from "./tools";

/** Options of {@link startControlPlane}. */
export interface ControlPlaneOptions {
  /** A short name, used in directory names and messages. */
  readonly name: string;
  /**
   * The Service ClusterIP range.
   * @default "10.96.0.0/16"
   */
  readonly serviceCidr?: string;
}

/** A running control plane. */
export interface ControlPlane {
  readonly name: string;
  /** `https://127.0.0.1:<port>` */
  readonly server: string;
  /** The cluster CA, PEM (the API server's serving certificate chains to it). */
  readonly caPem: string;
  /** An admin kubeconfig file (bearer token), inside the private directory. */
  readonly kubeconfigFile: string;
  /** The admin kubeconfig's text. It holds the admin token: never log it. */
  readonly kubeconfig: string;
  /** An admin client. */
  readonly kube: KubeClient;
  /** The private working directory. */
  readonly dir: string;
  /** Runs kubectl as the admin; returns stdout, throws with stderr on failure. */
  kubectl(args: readonly string[], input?: string): string;
  /** Stops every process and removes the directory. */
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

function openssl(dir: string, args: readonly string[]): void {
  const result = spawnSync("openssl", args, { cwd: dir, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr}`);
}

/** The cluster CA, the API server's serving certificate and the service-account key pair. */
function makePki(dir: string, serviceIp: string): void {
  openssl(
    dir,
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt"].concat([
      "-days",
      "2",
      "-subj",
      "/CN=isthmus-real-ca",
    ]),
  );
  writeFileSync(
    join(dir, "apiserver.ext"),
    [
      "basicConstraints=CA:FALSE",
      "keyUsage=digitalSignature,keyEncipherment",
      "extendedKeyUsage=serverAuth",
      `subjectAltName=IP:127.0.0.1,IP:${serviceIp},DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc`,
      "",
    ].join("\n"),
  );
  openssl(
    dir,
    ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "apiserver.key", "-out", "apiserver.csr"].concat([
      "-subj",
      "/CN=kube-apiserver",
    ]),
  );
  openssl(
    dir,
    ["x509", "-req", "-in", "apiserver.csr", "-CA", "ca.crt", "-CAkey", "ca.key"].concat([
      "-CAcreateserial",
      "-out",
      "apiserver.crt",
      "-days",
      "2",
      "-extfile",
      "apiserver.ext",
    ]),
  );
  openssl(dir, ["genrsa", "-out", "sa.key", "2048"]);
  openssl(dir, ["rsa", "-in", "sa.key", "-pubout", "-out", "sa.pub"]);
}

/** An admin kubeconfig with a bearer token. */
export function tokenKubeconfig(name: string, server: string, caPem: string, token: string): string {
  const ca = Buffer.from(caPem).toString("base64");
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    `- name: ${name}`,
    `  cluster: {server: "${server}", certificate-authority-data: ${ca}}`,
    "users:",
    `- name: ${name}-admin`,
    `  user: {token: ${token}}`,
    "contexts:",
    `- name: ${name}`,
    `  context: {cluster: ${name}, user: ${name}-admin}`,
    `current-context: ${name}`,
    "",
  ].join("\n");
}

function startProcess(dir: string, name: string, argv: readonly string[]): ChildProcess {
  const log = openSync(join(dir, `${name}.log`), "a");
  const child = spawn(argv[0]!, argv.slice(1), { cwd: dir, stdio: ["ignore", log, log] });
  child.on("error", () => undefined);
  return child;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

/** The last lines of a process log, for a failure message. */
export function logTail(dir: string, name: string, lines = 15): string {
  try {
    return readFileSync(join(dir, `${name}.log`), "utf8")
      .trim()
      .split("\n")
      .slice(-lines)
      .join("\n");
  } catch {
    return "(no log)";
  }
}

/** Starts a control plane and waits until it serves and its controllers run (about 7 s here). */
export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const dir = mkdtempSync(join(tmpdir(), `isthmus-real-${options.name}-`));
  const serviceCidr = options.serviceCidr ?? "10.96.0.0/16";
  // The `kubernetes` Service takes the range's first host address, as kube-apiserver assigns it.
  makePki(dir, addressAt(serviceCidr, 1));
  const token = randomBytes(24).toString("hex");
  writeFileSync(join(dir, "tokens.csv"), `${token},isthmus-admin,isthmus-admin,"system:masters"\n`, {
    mode: 0o600,
  });
  const [etcdClient, etcdPeer, securePort] = [await freePort(), await freePort(), await freePort()];
  const server = `https://127.0.0.1:${securePort}`;
  const caPem = readFileSync(join(dir, "ca.crt"), "utf8");
  const kubeconfig = tokenKubeconfig(options.name, server, caPem, token);
  const kubeconfigFile = join(dir, "admin.kubeconfig");
  writeFileSync(kubeconfigFile, kubeconfig, { mode: 0o600 });

  const processes: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    for (const child of processes.reverse()) await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    processes.push(
      startProcess(dir, "etcd", [
        tool("etcd"),
        "--name=default",
        `--data-dir=${join(dir, "etcd")}`,
        `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
        `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
        `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-cluster=default=http://127.0.0.1:${etcdPeer}`,
        "--unsafe-no-fsync",
        "--log-level=warn",
      ]),
    );
    processes.push(
      startProcess(dir, "kube-apiserver", [
        tool("kube-apiserver"),
        `--etcd-servers=http://127.0.0.1:${etcdClient}`,
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        `--secure-port=${securePort}`,
        "--tls-cert-file=apiserver.crt",
        "--tls-private-key-file=apiserver.key",
        "--client-ca-file=ca.crt",
        "--token-auth-file=tokens.csv",
        "--authorization-mode=RBAC",
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        "--service-account-key-file=sa.pub",
        "--service-account-signing-key-file=sa.key",
        `--service-cluster-ip-range=${serviceCidr}`,
        // Endpoints may not hold loopback addresses: no reconciler for the `kubernetes` Service.
        "--endpoint-reconciler-type=none",
        "--enable-aggregator-routing=true",
        "--allow-privileged=true",
        "--profiling=false",
      ]),
    );
    const kube = new KubeClient(server, caPem, token);
    await waitFor(
      `${options.name}: kube-apiserver /readyz`,
      60_000,
      async () => (await kube.raw("GET", "/readyz")).status === 200,
      () => logTail(dir, "kube-apiserver"),
    );
    writeFileSync(join(dir, "kcm.kubeconfig"), kubeconfig, { mode: 0o600 });
    processes.push(
      startProcess(dir, "kube-controller-manager", [
        tool("kube-controller-manager"),
        "--kubeconfig=kcm.kubeconfig",
        "--authentication-skip-lookup=true",
        "--secure-port=0",
        "--leader-elect=false",
        "--use-service-account-credentials=false",
        "--service-account-private-key-file=sa.key",
        "--root-ca-file=ca.crt",
        "--controllers=serviceaccount-token-controller,serviceaccount-controller,namespace-controller,garbage-collector-controller,deployment-controller,replicaset-controller,endpointslice-controller,endpoints-controller",
        "--concurrent-deployment-syncs=2",
      ]),
    );
    // The service-account controller creates `default` in every namespace once it runs.
    await waitFor(
      `${options.name}: kube-controller-manager`,
      60_000,
      async () =>
        (await kube.raw("GET", "/api/v1/namespaces/default/serviceaccounts/default")).status === 200,
      () => logTail(dir, "kube-controller-manager"),
    );
    return {
      name: options.name,
      server,
      caPem,
      kubeconfig,
      kubeconfigFile,
      kube,
      dir,
      kubectl: (args, input) => kubectl(kubeconfigFile, args, input),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Runs kubectl with a kubeconfig; returns stdout, throws with stderr (never the kubeconfig) on failure. */
export function kubectl(kubeconfigFile: string, args: readonly string[], input?: string): string {
  const result = spawnSync(tool("kubectl"), ["--kubeconfig", kubeconfigFile, ...args], {
    encoding: "utf8",
    ...(input === undefined ? {} : { input }),
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`kubectl ${args.join(" ")}: exit ${result.status}: ${result.stderr.trim()}`);
  }
  return result.stdout;
}

/** Polls `check` every 250 ms until it is true, or throws after `timeoutMs` with `detail()`. */
export async function waitFor(
  what: string,
  timeoutMs: number,
  check: () => Promise<boolean> | boolean,
  detail: () => string = () => "",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const why = last instanceof Error ? ` (last error: ${last.message})` : "";
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}\n${detail()}`);
}
