/**
 * `isthmus trust`: the GitOps path for what `isthmus synth` never writes, the key material. It issues
 * the mesh's root and one intermediate per primary (the profiles of the Pulumi path, `lib/core/trust`),
 * and builds each primary's remote secrets from the reader tokens it reads with the user's own
 * kubeconfigs, into a private directory (0700, files 0600) the user keeps out of git. It prints the
 * exact `kubectl` commands that create the Secrets from those files; it never prints a secret.
 *
 * Reruns keep what is there: the root, and each intermediate that still chains to it and is not
 * within its early-renewal window; Istio reloads a changed `cacerts`.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createPrivateKey, X509Certificate } from "node:crypto";
import * as path from "node:path";
import { stringify } from "yaml";
import { asMeshDocument, validateMeshDocument, type MeshDocument } from "../core/mesh-document";
import type { MeshPlan } from "../core/mesh-plan";
import { MeshSpecError, type SpecProblem } from "../core/problems";
import { READER_TOKEN_SECRET, remoteSecretKubeconfig, remoteSecretManifest } from "../core/remote-secret";
import { resolvePlan } from "../core/resolve";
import {
  CACERTS_SECRET,
  cacertsData,
  intermediateCaProfile,
  resolveMeshTrust,
  rootCaProfile,
  validateMeshTrustSpec,
} from "../core/trust";
import { UsageError } from "./args";
import { importRoot, issueIntermediate, issueRoot, type SigningCa } from "./ca-issuer";
import { clusterPairs, kubeconfigFiles, type CommandValues } from "./cluster-args";
import { KubeApi } from "./kube-api";
import { ProgramError } from "./program";

/** What `isthmus trust` wrote and what is left to do. */
export interface TrustResult {
  /** Files written or kept, relative to the directory, with their modes. */
  readonly files: readonly { readonly file: string; readonly mode: number; readonly kept: boolean }[];
  /** The commands that create the Secrets, in order. */
  readonly commands: readonly string[];
  /** Remote secrets not written, with what to do. */
  readonly pending: readonly string[];
}

const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;

/** Runs `isthmus trust` on a parsed document with its command-line options. */
export async function runTrust(input: unknown, values: CommandValues): Promise<TrustResult> {
  const out = values.out;
  if (typeof out !== "string") throw new UsageError("trust", "missing --out <dir>");
  const problems = validateMeshDocument(input);
  if (problems.length > 0) throw new MeshSpecError(problems);
  const plan = resolvePlan((asMeshDocument(input) as MeshDocument).mesh);
  const servers = Object.fromEntries(
    clusterPairs("trust", values, "server", "url", "region1=https://10.0.0.1"),
  );
  const named = [
    ...clusterPairs("trust", values, "kubeconfig", "file", "region1=~/.kube/east.yaml"),
    ...Object.entries(servers),
  ];
  for (const [id] of named) {
    if (plan.clusters[id] === undefined)
      throw new UsageError(
        "trust",
        `no cluster "${id}" in the mesh; expected one of ${Object.keys(plan.clusters).join(", ")}`,
      );
  }
  for (const [id, url] of Object.entries(servers)) {
    if (!/^https:\/\/\S+$/.test(url))
      throw new UsageError("trust", `--server ${id}=${url}: expected an https:// URL`);
  }
  const brought = await broughtRoot(values);
  const kubeconfigs = kubeconfigFiles("trust", values);

  const dir = new PrivateDir(out);
  const root = await signingRoot(dir, brought);
  const files = dir.files;
  const kubectl = (id: string): string =>
    kubeconfigs[id] === undefined
      ? `kubectl --context ${shellQuote(id)}`
      : `kubectl --kubeconfig ${shellQuote(path.resolve(kubeconfigs[id]!.file))}`;
  const commands: string[] = [];
  const ns = plan.istio.namespace;

  const trust = resolveMeshTrust({});
  for (const id of plan.controlPlane.primaries) {
    const profile = intermediateCaProfile(id, {}, ns);
    const certFile = `cacerts/${id}/${CACERTS_SECRET.keys.caCert}`;
    const keyFile = `cacerts/${id}/${CACERTS_SECRET.keys.caKey}`;
    let intermediate = { certPem: dir.read(certFile), keyPem: dir.read(keyFile) };
    const keep = stillGood(intermediate.certPem, root.certPem, trust.intermediateEarlyRenewalHours);
    if (!keep) intermediate = await issueIntermediate(profile, root);
    const data = cacertsData({
      intermediateCertPem: intermediate.certPem!,
      intermediateKeyPem: intermediate.keyPem!,
      signingRootCertPem: root.certPem,
    });
    const fromFiles = Object.keys(data).map(
      (key) => `--from-file=${shellQuote(path.join(dir.root, "cacerts", id, key))}`,
    );
    for (const [key, text] of Object.entries(data)) dir.write(`cacerts/${id}/${key}`, text, keep);
    commands.push(
      `${kubectl(id)} create namespace ${ns} --dry-run=client -o yaml | ${kubectl(id)} apply --server-side -f -`,
      `${kubectl(id)} create secret generic ${CACERTS_SECRET.name} -n ${ns} ${fromFiles.join(" ")} ` +
        `--dry-run=client -o yaml | ${kubectl(id)} apply --server-side -f -`,
    );
  }

  const pending: string[] = [];
  const tokens = new Map<string, { token: string; caPem: string } | undefined>();
  for (const pair of plan.discovery) {
    const target = kubeconfigs[pair.target];
    if (target === undefined) {
      pending.push(
        `${pair.reader}/${pair.secretName}: pass --kubeconfig ${pair.target}=<file> once ${pair.target}/manifests.yaml ` +
          `(which holds the reader token Secret) is applied there.`,
      );
      continue;
    }
    const api = KubeApi.fromKubeconfig(target.text, target.file);
    if (!tokens.has(pair.target)) tokens.set(pair.target, await readerToken(api, plan));
    const token = tokens.get(pair.target);
    if (token === undefined) {
      pending.push(
        `${pair.reader}/${pair.secretName}: ${target.file}: Secret ${ns}/${READER_TOKEN_SECRET} has no token yet; ` +
          `apply ${pair.target}/manifests.yaml (which holds it) and rerun.`,
      );
      continue;
    }
    const kubeconfig = remoteSecretKubeconfig({
      clusterId: pair.target,
      server: servers[pair.target] ?? api.server,
      caPem: token.caPem,
      token: token.token,
    });
    const { dataKey, ...object } = remoteSecretManifest(plan, pair);
    const file = `remote-secrets/${pair.reader}/${pair.secretName}.yaml`;
    dir.write(file, stringify({ ...object, stringData: { [dataKey]: kubeconfig } }), false);
    commands.push(`${kubectl(pair.reader)} apply --server-side -f ${shellQuote(path.join(dir.root, file))}`);
  }
  return { files, commands, pending };
}

/** The report `isthmus trust` prints: file names, modes and commands; never a file's content. */
export function formatTrust(out: string, result: TrustResult): string {
  const lines = [
    `${out}/ (mode 0700; keep it out of git, e.g. in a secret store's working copy):`,
    ...result.files.map(
      (f) => `  ${(f.mode & 0o777).toString(8).padStart(4, "0")}  ${f.file}${f.kept ? "  (kept)" : ""}`,
    ),
    "",
    "Create the Secrets, before the istiod release (istiod reads cacerts when it starts). Server-side\n" +
      "apply keeps the keys out of the last-applied annotation:",
    ...result.commands.map((c) => `  ${c}`),
  ];
  if (result.pending.length > 0) lines.push("", "Not written yet:", ...result.pending.map((p) => `  ${p}`));
  return lines.join("\n");
}

/** The root given with --root-cert and --root-key, checked; `undefined` without them. */
async function broughtRoot(
  values: CommandValues,
): Promise<(SigningCa & { readonly certFile: string }) | undefined> {
  const certFile = values["root-cert"];
  const keyFile = values["root-key"];
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (typeof certFile !== "string" || typeof keyFile !== "string")
    throw new UsageError(
      "trust",
      `--root-cert and --root-key go together; got only --${certFile === undefined ? "root-key" : "root-cert"}`,
    );
  const read = (file: string, flag: string): string => {
    try {
      return readFileSync(file, "utf8");
    } catch {
      throw new ProgramError(`--${flag} ${file}: cannot be read.`);
    }
  };
  const certPem = read(certFile, "root-cert");
  const keyPem = read(keyFile, "root-key");
  const flags: Record<string, string> = {
    "trust.bringYourOwnRoot.certPem": `--root-cert ${certFile}`,
    "trust.bringYourOwnRoot.keyPem": `--root-key ${keyFile}`,
  };
  const problems = validateMeshTrustSpec({ bringYourOwnRoot: { certPem, keyPem } }).map((p): SpecProblem => ({
    ...p,
    path: flags[p.path] ?? p.path,
  }));
  if (problems.length > 0) throw new MeshSpecError(problems);
  try {
    return { ...(await importRoot(certPem, keyPem)), certFile };
  } catch (error) {
    throw new ProgramError(`--root-key ${keyFile}: ${(error as Error).message}.`);
  }
}

/** The root that signs: the one brought, else the one kept in the directory, else a new one. */
async function signingRoot(
  dir: PrivateDir,
  brought: (SigningCa & { readonly certFile: string }) | undefined,
): Promise<SigningCa> {
  if (brought !== undefined) {
    const generatedKey = dir.read("root-key.pem");
    if (generatedKey !== undefined && !isKeyOf(brought.certPem, generatedKey)) {
      throw new ProgramError(
        `${path.join(dir.root, "root-key.pem")}: holds the key of another root; got --root-cert ${brought.certFile}, ` +
          "expected the root this directory was made with. Use another --out: switching roots is a staged " +
          'rotation (README, "Trust and remote secrets").',
      );
    }
    dir.write("root-cert.pem", brought.certPem, dir.read("root-cert.pem") === brought.certPem);
    return brought;
  }
  const certPem = dir.read("root-cert.pem");
  const keyPem = dir.read("root-key.pem");
  if (certPem !== undefined && keyPem !== undefined) {
    dir.write("root-cert.pem", certPem, true);
    dir.write("root-key.pem", keyPem, true);
    try {
      return await importRoot(certPem, keyPem);
    } catch (error) {
      throw new ProgramError(`${path.join(dir.root, "root-key.pem")}: ${(error as Error).message}.`);
    }
  }
  const root = await issueRoot(rootCaProfile({}));
  dir.write("root-cert.pem", root.certPem, false);
  dir.write("root-key.pem", root.keyPem, false);
  return root;
}

/** Whether `keyPem` is the private key of `certPem`. */
function isKeyOf(certPem: string, keyPem: string): boolean {
  try {
    return new X509Certificate(certPem).checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}

/** Whether an intermediate was signed by `rootPem` and stays valid past the early-renewal window. */
function stillGood(certPem: string | undefined, rootPem: string, earlyRenewalHours: number): boolean {
  if (certPem === undefined) return false;
  try {
    const cert = new X509Certificate(certPem);
    const renewAt = new Date(cert.validTo).getTime() - earlyRenewalHours * 3_600_000;
    return cert.verify(new X509Certificate(rootPem).publicKey) && Date.now() < renewAt;
  } catch {
    return false;
  }
}

/** The reader's token and the cluster CA from its filled token Secret; `undefined` while unfilled. */
async function readerToken(
  api: KubeApi,
  plan: MeshPlan,
): Promise<{ token: string; caPem: string } | undefined> {
  const secret = await api.get<{ data?: Record<string, string> }>(
    `/api/v1/namespaces/${plan.istio.namespace}/secrets/${READER_TOKEN_SECRET}`,
  );
  const token = secret?.data?.token;
  const ca = secret?.data?.["ca.crt"];
  if (token === undefined || ca === undefined) return undefined;
  return {
    token: Buffer.from(token, "base64").toString("utf8"),
    caPem: Buffer.from(ca, "base64").toString("utf8"),
  };
}

/** A directory only its owner reads: created 0700, every file 0600 (modes fixed on files already there). */
class PrivateDir {
  readonly root: string;
  readonly files: { file: string; mode: number; kept: boolean }[] = [];

  constructor(dir: string) {
    this.root = path.resolve(dir);
    if (existsSync(this.root) && !statSync(this.root).isDirectory())
      throw new ProgramError(`--out ${dir}: is a file; expected a directory.`);
    this.mkdir(this.root);
  }

  read(relative: string): string | undefined {
    const file = path.join(this.root, relative);
    return existsSync(file) ? readFileSync(file, "utf8") : undefined;
  }

  write(relative: string, text: string, kept: boolean): void {
    const file = path.join(this.root, relative);
    this.mkdir(path.dirname(file));
    // Narrow an existing file first, so its new content is never readable by others.
    if (existsSync(file)) chmodSync(file, PRIVATE_FILE);
    writeFileSync(file, text, { mode: PRIVATE_FILE });
    this.files.push({ file: relative, mode: statSync(file).mode & 0o777, kept });
  }

  private mkdir(dir: string): void {
    if (dir !== this.root && !dir.startsWith(this.root + path.sep)) return;
    if (dir !== this.root) this.mkdir(path.dirname(dir));
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
    chmodSync(dir, PRIVATE_DIR);
  }
}

/** A word as the shell reads it. */
function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
