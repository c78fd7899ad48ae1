import * as assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { cli, isthmus, ROOT, type Run } from "../support/cli";

const FIXTURES = path.join("test", "cli", "fixtures");

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

  it("validate: suggests the intended name of a typo'd field", async () => {
    const file = path.join(FIXTURES, "typo.yaml");
    const { status, stderr } = await cli("validate", file);
    assert.equal(status, 1);
    assert.equal(
      stderr,
      `${file}: 1 problem:\n` +
        `  - netwrokMode: is not a known field; got "gateways", expected one of the fields meshID, trustDomain, ` +
        `clusterDomain, networkMode, controlPlane, istio, dns, wireguard, allocation, clusters. Remove it or correct its name. ` +
        `Did you mean "networkMode"?\n`,
    );
  });

  it("validate: accepts a valid spec and exits 0", async () => {
    const file = path.join(FIXTURES, "two-regions.yaml");
    const { status, stdout, stderr } = await cli("validate", file);
    assert.equal(stderr, "");
    assert.equal(stdout, `${file}: valid\n`);
    assert.equal(status, 0);
  });

  it("synth: writes each cluster's manifests and Helm values, without key material", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "isthmus-synth-"));
    try {
      const { status, stdout, stderr } = await cli(
        "synth",
        path.join(FIXTURES, "document.yaml"),
        "--out",
        out,
      );
      assert.equal(stderr, "");
      assert.equal(status, 0);
      // Each cluster's folder holds its objects only; Helm values are apart, in _helm/<cluster>/.
      assert.deepEqual(readdirSync(out).sort(), ["_helm", "plan.json", "region1", "region2"]);
      for (const cluster of ["region1", "region2"]) {
        assert.deepEqual(readdirSync(path.join(out, cluster)), ["manifests.yaml"]);
        assert.deepEqual(readdirSync(path.join(out, "_helm", cluster)).sort(), [
          "istio-base.values.yaml",
          "istio-eastwestgateway.values.yaml",
          "istiod.values.yaml",
        ]);
        for (const name of [
          `${cluster}/manifests.yaml`,
          `_helm/${cluster}/istio-base.values.yaml`,
          `_helm/${cluster}/istiod.values.yaml`,
          `_helm/${cluster}/istio-eastwestgateway.values.yaml`,
        ]) {
          assert.ok(stdout.includes(`  ${name}\n`), `stdout does not list ${name}`);
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
      const header = readFileSync(path.join(out, "_helm", "region1", "istiod.values.yaml"), "utf8").split(
        "\n",
      )[0];
      assert.equal(
        header,
        "# helm upgrade --install istiod istiod --repo https://istio-release.storage.googleapis.com/charts --version 1.30.3 --namespace istio-system --create-namespace --values istiod.values.yaml",
      );
      const istiod = parse(readFileSync(path.join(out, "_helm", "region2", "istiod.values.yaml"), "utf8"));
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
      }
      // The one Secret written is the reader's token request: no data, the token controller fills it.
      for (const cluster of ["region1", "region2"]) {
        const secrets = parseAllDocuments(readFileSync(path.join(out, cluster, "manifests.yaml"), "utf8"))
          .map((d) => d.toJS() as Record<string, unknown>)
          .filter((o) => o.kind === "Secret");
        assert.deepEqual(secrets, [
          {
            apiVersion: "v1",
            kind: "Secret",
            metadata: {
              name: "istio-reader-service-account-istio-remote-secret-token",
              namespace: "istio-system",
              annotations: { "kubernetes.io/service-account.name": "istio-reader-service-account" },
            },
            type: "kubernetes.io/service-account-token",
          },
        ]);
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
      /^isthmus: unknown command "frobnicate"\. Expected plan, validate, synth, trust or verify\.\nusage:/,
    );
  });

  it("plan: refuses a directory without Pulumi.yaml with a clear message and no stack trace", async () => {
    const { status, stdout, stderr } = await cli("plan", FIXTURES);
    assert.equal(status, 1);
    assert.equal(stdout, "");
    assert.equal(
      stderr,
      `isthmus: ${FIXTURES}: no Pulumi.yaml; expected a Pulumi program directory. Pass the directory that holds Pulumi.yaml.\n`,
    );
  });
});

describe("isthmus (command line): help, version and user mistakes", () => {
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(path.join(tmpdir(), "isthmus-cli-"));
    writeFileSync(path.join(tmp, "bad.yaml"), "config:\n  region1: [unclosed\n");
    writeFileSync(path.join(tmp, "list.yaml"), "- a\n- b\n");
    mkdirSync(path.join(tmp, "bad-project"));
    writeFileSync(path.join(tmp, "bad-project", "Pulumi.yaml"), "name: x\nruntime: nodejs\nmain: [\n");
    mkdirSync(path.join(tmp, "thrower"));
    writeFileSync(
      path.join(tmp, "thrower", "Pulumi.yaml"),
      "name: thrower\nruntime: nodejs\nmain: index.ts\n",
    );
    writeFileSync(
      path.join(tmp, "thrower", "index.ts"),
      'throw new Error("region must be us-east-1 or us-west-2");\n',
    );
    mkdirSync(path.join(tmp, "empty"));
    writeFileSync(path.join(tmp, "empty", "Pulumi.yaml"), "name: empty\nruntime: nodejs\nmain: index.ts\n");
    writeFileSync(path.join(tmp, "empty", "index.ts"), "export const x = 1;\n");
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  /** One message on stderr, nothing on stdout, no stack trace. */
  async function mistake(
    args: string[],
    status: number,
    message: string,
    via: (...args: string[]) => Run | Promise<Run> = cli,
  ): Promise<void> {
    const run = await via(...args);
    assert.equal(run.stderr, `${message}\n`);
    assert.equal(run.status, status, run.stderr);
    assert.equal(run.stdout, "");
    assert.doesNotMatch(run.stderr, STACK_FRAME);
  }

  for (const command of ["plan", "validate", "synth"]) {
    it(`${command} --help prints the command's usage and exits 0`, async () => {
      const run = await cli(command, "--help");
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, new RegExp(`^usage: isthmus ${command} `));
      assert.match(run.stdout, /--help, -h +Show this help\./);
      assert.equal(run.stderr, "");
    });
  }

  it("--version prints the package version", async () => {
    const run = await cli("--version");
    assert.equal(run.status, 0);
    const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    assert.equal(run.stdout, `${manifest.version}\n`);
  });

  it("suggests the command meant", async () => {
    const run = await cli("validat");
    assert.equal(run.status, 2);
    assert.match(
      run.stderr,
      /^isthmus: unknown command "validat"; did you mean "validate"\? Expected plan, validate, synth, trust or verify\.\n/,
    );
    const flag = await cli("--verison");
    assert.equal(flag.status, 2);
    assert.match(flag.stderr, /^isthmus: unknown option "--verison"; did you mean "--version"\? /);
  });

  it("an unknown flag: exit 2, naming it and the flag meant", async () => {
    await mistake(
      ["plan", "--outt", "x"],
      2,
      'isthmus plan: unknown option --outt; did you mean --out? Run "isthmus plan --help" for usage.',
    );
  });

  it("a flag without its value: exit 2", async () => {
    await mistake(
      ["plan", "--out"],
      2,
      'isthmus plan: --out needs a value (dir). Run "isthmus plan --help" for usage.',
    );
    await mistake(
      ["synth", "spec.yaml", "--out", "--config"],
      2,
      'isthmus synth: --out needs a value (dir). Run "isthmus synth --help" for usage.',
    );
  });

  it("a missing argument or an extra one: exit 2", async () => {
    await mistake(
      ["validate"],
      2,
      'isthmus validate: missing spec-file. Run "isthmus validate --help" for usage.',
    );
    await mistake(
      ["synth", "spec.yaml"],
      2,
      'isthmus synth: missing --out <dir>. Run "isthmus synth --help" for usage.',
    );
    await mistake(
      ["plan", ".", "extra"],
      2,
      'isthmus plan: unexpected argument "extra". Run "isthmus plan --help" for usage.',
    );
  });

  it("a YAML error in the stack config file, the spec file or Pulumi.yaml: exit 1, naming the file", async () => {
    const bad = path.join(tmp, "bad.yaml");
    const yamlError =
      "is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 3, column 1";
    await mistake(["plan", ".", "--config", bad], 1, `isthmus: ${bad}: ${yamlError}`);
    await mistake(["validate", bad], 1, `isthmus: ${bad}: ${yamlError}`);
    await mistake(["synth", bad, "--out", path.join(tmp, "out")], 1, `isthmus: ${bad}: ${yamlError}`);
    const project = path.join(tmp, "bad-project", "Pulumi.yaml");
    await mistake(
      ["plan", path.join(tmp, "bad-project")],
      1,
      `isthmus: ${project}: is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 4, column 1`,
    );
  });

  it("a stack config file that is not a config mapping, or does not exist: exit 1", async () => {
    const list = path.join(tmp, "list.yaml");
    await mistake(
      ["plan", ".", "--config", list],
      1,
      `isthmus: ${list}: is not a YAML mapping; expected a stack config file (config: <key>: <value>).`,
    );
    const none = path.join(tmp, "none.yaml");
    await mistake(["plan", ".", "--config", none], 1, `isthmus: ${none}: no such stack config file.`);
  });

  it("missing stack config (Pulumi's ConfigMissingError): exit 1, naming the key", async () => {
    await mistake(
      ["plan", "examples/existing-clusters"],
      1,
      "isthmus: examples/existing-clusters/index.ts: missing required configuration variable 'isthmus-existing-clusters:region1'; " +
        'add "isthmus-existing-clusters:region1: <value>" under config: in a stack config file and pass it with --config <file>.',
    );
  });

  it("a program that throws its own error: exit 1, naming the program", async () => {
    const program = path.join(tmp, "thrower", "index.ts");
    await mistake(
      ["plan", path.join(tmp, "thrower")],
      1,
      `isthmus: ${program}: the program failed: region must be us-east-1 or us-west-2`,
      isthmus,
    );
  });

  it("a program that registers nothing: exit 1", async () => {
    const program = path.join(tmp, "empty", "index.ts");
    await mistake(
      ["plan", path.join(tmp, "empty")],
      1,
      `isthmus: ${program}: the program registered no resources; expected a program that creates a mesh. Check that Pulumi.yaml's main names the program.`,
    );
  });

  it("--preview says so first, and plan.json shows unknowns readably, never Pulumi's internal marker", async () => {
    const out = path.join(tmp, "preview");
    const run = isthmus("plan", ".", "--preview", "--out", out);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(
      run.stdout.split("\n")[0],
      "First preview: what `pulumi preview` shows for a new stack. Values the clouds compute (endpoints, addresses, ids, keys) are [unknown until apply].",
    );
    const plan = readFileSync(path.join(out, "plan.json"), "utf8");
    assert.doesNotMatch(plan, /04da6b54-80e4-46f7-96ec-b56ff0331ba9/);
    assert.match(plan, /\[unknown until apply\]/);
    for (const cluster of ["region1", "region2"])
      for (const file of readdirSync(path.join(out, cluster)))
        assert.doesNotMatch(readFileSync(path.join(out, cluster, file), "utf8"), /04da6b54/, file);
    const normal = await cli("plan", ".");
    assert.match(normal.stdout, /^Offline plan of /);
  });
});
