/**
 * The GitOps path of trust, for real: two real control planes set up from `isthmus synth`'s output
 * (Istio's charts through real Helm, each `manifests.yaml`, whose reader token Secret the real token
 * controller fills), then `isthmus trust` run as a user runs it, with the clusters' kubeconfigs. Its
 * files pass `openssl verify`; the commands it prints, run as printed, create `cacerts` and the remote
 * secrets; a real istiod started from that `cacerts` serves the plugged-in root (not a self-signed
 * one) and syncs the other cluster through the remote secret. Nothing secret reaches its output.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { stringify } from "yaml";
import { synthSpec } from "../../lib/cli/synth-command";
import { resolvePlan } from "../../lib/core/resolve";
import { startControlPlane, waitFor, type ControlPlane } from "./support/control-plane";
import { applyClusterOutput, readSynthFolder } from "./support/gitops";
import { startIstiod, type Istiod } from "./support/istiod";
import { DOCUMENT, filledReaderToken, SPEC } from "./support/two-clusters";
import { addLocalAddress, tool } from "./support/tools";

const ROOT = resolve(__dirname, "../..");
/** The address each istiod serves its webhooks on (two istiods cannot share 127.0.0.1:15017). */
const ISTIOD_IP: Record<string, string> = { east: "10.41.0.10", west: "10.42.0.10" };

/** Every file and directory under `dir`, relative, with its permission bits. */
function modes(dir: string, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    const relative = `${prefix}${name}`;
    out[relative] = (statSync(full).mode & 0o777).toString(8);
    if (statSync(full).isDirectory()) Object.assign(out, modes(full, `${relative}/`));
  }
  return out;
}

/** The root istiod publishes to every namespace (`istio-ca-root-cert`), here in `sample`. */
function publishedRoot(cluster: ControlPlane): string {
  return cluster.kubectl([
    "get",
    "configmap",
    "-n",
    "sample",
    "istio-ca-root-cert",
    "-o",
    "jsonpath={.data.root-cert\\.pem}",
  ]);
}

describe("real: isthmus trust makes the cacerts istiod plugs in and the remote secrets it syncs", function () {
  this.timeout(600_000);
  const plan = resolvePlan(SPEC);
  const clusters: Record<string, ControlPlane> = {};
  const istiods: Record<string, Istiod> = {};
  const tokens: Record<string, string> = {};
  let work: string;
  let trustDir: string;
  let run: { status: number | null; stdout: string; stderr: string };
  let early: { status: number | null; stdout: string; stderr: string };
  let documentFile: string;

  /** `isthmus trust` as a user runs it, with both clusters' kubeconfigs. */
  const trust = (out: string): { status: number | null; stdout: string; stderr: string } => {
    const result = spawnSync(
      process.execPath,
      [
        "bin/isthmus.js",
        "trust",
        documentFile,
        "--out",
        out,
        ...Object.entries(clusters).flatMap(([id, c]) => ["--kubeconfig", `${id}=${c.kubeconfigFile}`]),
      ],
      { cwd: ROOT, encoding: "utf8", timeout: 180_000 },
    );
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  before(async () => {
    work = mkdtempSync(join(tmpdir(), "isthmus-real-trust-"));
    trustDir = join(work, "private", "trust");
    synthSpec(DOCUMENT, join(work, "synth"));
    await Promise.all(
      Object.keys(plan.clusters).map(async (id) => {
        clusters[id] = await startControlPlane({ name: id, serviceCidr: plan.clusters[id]!.cidrs.service });
      }),
    );
    documentFile = join(work, "mesh.yaml");
    writeFileSync(documentFile, stringify(DOCUMENT));
    // Before synth's manifests are applied, no reader token exists yet.
    early = trust(join(work, "private", "early"));
    for (const [id, cluster] of Object.entries(clusters)) {
      applyClusterOutput(
        cluster,
        readSynthFolder(join(work, "synth"), id, () => "198.19.0.10"),
      );
      tokens[id] = await filledReaderToken(id, cluster);
    }
    run = trust(trustDir);
  });

  after(async () => {
    await Promise.all(Object.values(istiods).map((i) => i.stop()));
    await Promise.all(Object.values(clusters).map((c) => c.stop()));
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("before the token Secrets are filled: writes the CAs and says which remote secrets wait, and why", () => {
    assert.equal(early.stderr, "");
    assert.equal(early.status, 0);
    const lines = early.stdout.split("\n");
    assert.deepEqual(lines.slice(lines.indexOf("Not written yet:")), [
      "Not written yet:",
      `  east/istio-remote-secret-west: ${clusters.west!.kubeconfigFile}: Secret istio-system/istio-reader-service-account-istio-remote-secret-token has no token yet; apply west/manifests.yaml (which holds it) and rerun.`,
      `  west/istio-remote-secret-east: ${clusters.east!.kubeconfigFile}: Secret istio-system/istio-reader-service-account-istio-remote-secret-token has no token yet; apply east/manifests.yaml (which holds it) and rerun.`,
      "",
    ]);
    assert.equal(existsSync(join(work, "private", "early", "remote-secrets")), false);
  });

  it("writes every file 0600 in directories 0700, and prints no secret", () => {
    assert.equal(run.stderr, "");
    assert.equal(run.status, 0, run.stdout);
    const found = modes(trustDir);
    const expected: Record<string, string> = {
      "root-cert.pem": "600",
      "root-key.pem": "600",
      cacerts: "700",
      "remote-secrets": "700",
    };
    for (const id of ["east", "west"]) {
      expected[`cacerts/${id}`] = "700";
      for (const f of ["ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem"])
        expected[`cacerts/${id}/${f}`] = "600";
      expected[`remote-secrets/${id}`] = "700";
      expected[`remote-secrets/${id}/istio-remote-secret-${id === "east" ? "west" : "east"}.yaml`] = "600";
    }
    assert.deepEqual(found, expected);
    const output = run.stdout + run.stderr;
    assert.doesNotMatch(output, /PRIVATE KEY|BEGIN CERTIFICATE|token:/);
    for (const [id, token] of Object.entries(tokens)) {
      assert.ok(!output.includes(token), `${id}: the reader token is printed`);
      assert.ok(
        !output.includes(Buffer.from(token).toString("base64").slice(0, 40)),
        `${id}: the token, base64`,
      );
    }
    for (const cluster of Object.values(clusters)) {
      const admin = /token: (\S+)/.exec(cluster.kubeconfig)?.[1];
      assert.ok(admin !== undefined && !output.includes(admin), "the admin token is printed");
    }
  });

  it("issues intermediates that openssl verifies against the root", () => {
    for (const id of ["east", "west"]) {
      const cert = join(trustDir, "cacerts", id, "ca-cert.pem");
      const verify = spawnSync(
        "openssl",
        ["verify", "-x509_strict", "-CAfile", join(trustDir, "root-cert.pem"), cert],
        { encoding: "utf8" },
      );
      assert.equal(verify.stdout, `${cert}: OK\n`, verify.stderr);
      const chain = spawnSync(
        "openssl",
        [
          "verify",
          "-x509_strict",
          "-CAfile",
          join(trustDir, "cacerts", id, "root-cert.pem"),
          "-untrusted",
          join(trustDir, "cacerts", id, "cert-chain.pem"),
          cert,
        ],
        { encoding: "utf8" },
      );
      assert.equal(chain.stdout, `${cert}: OK\n`, chain.stderr);
    }
  });

  it("creates cacerts and the remote secrets with the commands it printed, run as printed", () => {
    const commands = run.stdout
      .split("\n")
      .filter((l) => l.startsWith("  kubectl "))
      .map((l) => l.trim());
    assert.equal(commands.length, 6, run.stdout);
    for (const command of commands) {
      const result = spawnSync("bash", ["-euo", "pipefail", "-c", command], {
        encoding: "utf8",
        env: { PATH: `${dirname(tool("kubectl"))}:${process.env.PATH ?? "/usr/bin:/bin"}`, HOME: work },
      });
      assert.equal(result.status, 0, `${command}: ${result.stderr}`);
      assert.doesNotMatch(result.stdout + result.stderr, /PRIVATE KEY|BEGIN CERTIFICATE/);
    }
    for (const [id, cluster] of Object.entries(clusters)) {
      const secret = JSON.parse(
        cluster.kubectl(["get", "secret", "-n", "istio-system", "cacerts", "-o", "json"]),
      ) as {
        data: Record<string, string>;
        metadata: { annotations?: Record<string, string> };
      };
      assert.deepEqual(Object.keys(secret.data).sort(), [
        "ca-cert.pem",
        "ca-key.pem",
        "cert-chain.pem",
        "root-cert.pem",
      ]);
      // Server-side apply: no last-applied annotation holding the key.
      assert.equal(
        secret.metadata.annotations?.["kubectl.kubernetes.io/last-applied-configuration"],
        undefined,
      );
      const other = id === "east" ? "west" : "east";
      assert.equal(
        cluster.kubectl([
          "get",
          "secret",
          "-n",
          "istio-system",
          `istio-remote-secret-${other}`,
          "-o",
          "jsonpath={.metadata.labels.istio/multiCluster}",
        ]),
        "true",
      );
    }
  });

  it("starts a real istiod from that cacerts: it serves the plugged-in root and syncs the other cluster", async () => {
    const rootPem = readFileSync(join(trustDir, "root-cert.pem"), "utf8");
    for (const [id, cluster] of Object.entries(clusters)) {
      const secret = JSON.parse(
        cluster.kubectl(["get", "secret", "-n", "istio-system", "cacerts", "-o", "json"]),
      ) as {
        data: Record<string, string>;
      };
      const cacerts = Object.fromEntries(
        Object.entries(secret.data).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]),
      );
      addLocalAddress(ISTIOD_IP[id]!);
      istiods[id] = await startIstiod({ cluster, clusterId: id, cacerts, webhookAddress: ISTIOD_IP[id]! });
    }
    for (const [id, cluster] of Object.entries(clusters)) {
      // istiod publishes its CA's root to every namespace; a self-signed istiod would publish its own.
      const published = (): string => publishedRoot(cluster);
      await waitFor(
        `${id}: istiod publishes istio-ca-root-cert`,
        60_000,
        () => {
          try {
            return published().length > 0;
          } catch {
            return false;
          }
        },
        () => istiods[id]!.log(),
      );
      assert.equal(published().trim(), rootPem.trim(), `${id}: istiod does not serve the plugged-in root`);
      const other = id === "east" ? "west" : "east";
      await waitFor(
        `${id} syncs ${other} through the remote secret isthmus trust wrote`,
        60_000,
        async () =>
          (await istiods[id]!.debug<{ id: string; syncStatus: string }[]>("/debug/clusterz")).some(
            (c) => c.id === other && c.syncStatus === "synced",
          ),
        () => istiods[id]!.log(),
      );
    }
  });

  it("a twin istiod started without cacerts self-signs: the root it publishes is not the mesh's", async () => {
    const rootPem = readFileSync(join(trustDir, "root-cert.pem"), "utf8");
    const cluster = clusters.east!;
    await istiods.east!.stop();
    delete istiods.east;
    istiods.east = await startIstiod({
      cluster,
      clusterId: "east",
      cacerts: {},
      webhookAddress: ISTIOD_IP.east!,
    });
    const published = (): string => publishedRoot(cluster);
    await waitFor(
      "east: the self-signed istiod publishes its own root",
      60_000,
      () => published().trim() !== rootPem.trim(),
      () => istiods.east!.log(),
    );
    assert.match(published(), /-----BEGIN CERTIFICATE-----/);
  });
});
