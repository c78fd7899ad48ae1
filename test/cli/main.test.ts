import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse, parseAllDocuments } from "yaml";

const ROOT = path.resolve(__dirname, "../..");
const FIXTURES = path.join("test", "cli", "fixtures");

/** Runs the `isthmus` command as a user would, from the repository root. */
function isthmus(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ["bin/isthmus.js", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Lines that look like a JavaScript stack trace. */
const STACK_FRAME = /^\s+at .+[(:]\d+/m;

describe("isthmus (command line)", () => {
  it("validate: reports ten different defects, one line each, and exits 1", () => {
    const file = path.join(FIXTURES, "ten-defects.yaml");
    const { status, stdout, stderr } = isthmus("validate", file);
    assert.equal(status, 1);
    assert.equal(stdout, "");
    const lines = stderr.trimEnd().split("\n");
    assert.equal(lines[0], `${file}: 10 problems:`);
    const problems = lines.slice(1);
    assert.equal(problems.length, 10, stderr);
    // Each line is `  - <path>: <problem>; got <value>, expected <allowed>. <fix>`, one per seeded path.
    const paths = problems.map((line) => {
      assert.match(line, /^ {2}- [^:]+: .+; got .+, expected .+\. .+$/);
      return line.slice(4, line.indexOf(": "));
    });
    assert.deepEqual(paths.sort(), [
      "clusters.region1.cidrs.pod",
      "clusters.region1.region",
      "clusters.region2.cidrs.service",
      "clusters.region2.controlPlaneCluster",
      "clusters.region3.cloud",
      "clusters.region4.zones[1]",
      "clusters.region5.regoin",
      "controlPlane.primaries[0]",
      "meshID",
      "wireguard.mtu",
    ]);
    assert.doesNotMatch(stderr, STACK_FRAME);
  });

  it("validate: suggests the intended name of a typo'd field", () => {
    const file = path.join(FIXTURES, "typo.yaml");
    const { status, stderr } = isthmus("validate", file);
    assert.equal(status, 1);
    assert.equal(
      stderr,
      `${file}: 1 problem:\n` +
        `  - netwrokMode: is not a known field; got "gateways", expected one of the fields meshID, trustDomain, ` +
        `clusterDomain, networkMode, controlPlane, istio, dns, wireguard, clusters. Remove it or correct its name. ` +
        `Did you mean "networkMode"?\n`,
    );
  });

  it("validate: accepts a valid spec and exits 0", () => {
    const file = path.join(FIXTURES, "two-regions.yaml");
    const { status, stdout, stderr } = isthmus("validate", file);
    assert.equal(stderr, "");
    assert.equal(stdout, `${file}: valid\n`);
    assert.equal(status, 0);
  });

  it("synth: writes each cluster's manifests and Helm values, without key material", () => {
    const out = mkdtempSync(path.join(tmpdir(), "isthmus-synth-"));
    try {
      const { status, stdout, stderr } = isthmus("synth", path.join(FIXTURES, "document.yaml"), "--out", out);
      assert.equal(stderr, "");
      assert.equal(status, 0);
      const files = ["region1", "region2"].flatMap((c) =>
        readdirSync(path.join(out, c)).map((f) => `${c}/${f}`),
      );
      for (const cluster of ["region1", "region2"]) {
        for (const name of [
          "manifests.yaml",
          "istio-base.values.yaml",
          "istiod.values.yaml",
          "istio-eastwestgateway.values.yaml",
        ]) {
          assert.ok(
            files.includes(`${cluster}/${name}`),
            `${cluster}/${name} missing; got ${files.join(", ")}`,
          );
          assert.ok(stdout.includes(`  ${cluster}/${name}\n`), `stdout does not list ${cluster}/${name}`);
        }
      }
      // The manifests are what the document asked for, in the right cluster.
      const kinds = (cluster: string): string[] =>
        parseAllDocuments(readFileSync(path.join(out, cluster, "manifests.yaml"), "utf8")).map(
          (d) => `${String(d.get("kind"))}/${String(d.getIn(["metadata", "name"]))}`,
        );
      for (const cluster of ["region1", "region2"]) {
        assert.ok(kinds(cluster).includes("Gateway/cross-network-gateway"), kinds(cluster).join(", "));
        assert.ok(kinds(cluster).includes("DestinationRule/helloworld-failover"), kinds(cluster).join(", "));
        // Written in install order: one `kubectl apply -f manifests.yaml` creates each Namespace
        // before what lives in it (test/real applies it to a real API server).
        const order = kinds(cluster);
        assert.deepEqual(
          order.slice(0, 2).sort(),
          ["Namespace/istio-system", "Namespace/sample"],
          order.join(", "),
        );
        assert.ok(
          order.indexOf("DestinationRule/helloworld-failover") > order.indexOf("Deployment/helloworld"),
        );
      }
      const header = readFileSync(path.join(out, "region1", "istiod.values.yaml"), "utf8").split("\n")[0];
      assert.equal(
        header,
        "# helm upgrade --install istiod istiod --repo https://istio-release.storage.googleapis.com/charts --version 1.30.3 --namespace istio-system --values istiod.values.yaml",
      );
      const istiod = parse(readFileSync(path.join(out, "region2", "istiod.values.yaml"), "utf8"));
      assert.equal(istiod.global.multiCluster.clusterName, "region2");
      assert.equal(istiod.global.network, "network-region2");
      // No key material in any file written; Secrets are referenced, never written.
      const all = (dir: string): string[] =>
        readdirSync(dir).flatMap((f) => {
          const full = path.join(dir, f);
          return statSync(full).isDirectory() ? all(full) : [full];
        });
      for (const file of all(out)) {
        const text = readFileSync(file, "utf8");
        assert.doesNotMatch(text, /PRIVATE KEY|eyJ|token:\s*\S{20,}/, file);
        assert.doesNotMatch(text, /^kind: Secret$/m, `${file} writes a Secret`);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("exits 2 on an unknown command, with the usage", () => {
    const { status, stderr } = isthmus("frobnicate");
    assert.equal(status, 2);
    assert.match(
      stderr,
      /^isthmus: unknown command "frobnicate"; expected plan, validate or synth\.\nusage:\n/,
    );
  });

  it("plan: refuses a directory without Pulumi.yaml with a clear message and no stack trace", () => {
    const { status, stdout, stderr } = isthmus("plan", FIXTURES);
    assert.equal(status, 1);
    assert.equal(stdout, "");
    assert.equal(
      stderr,
      `isthmus: ${FIXTURES}: no Pulumi.yaml; expected a Pulumi program directory. Pass the directory that holds Pulumi.yaml.\n`,
    );
  });
});
