import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { awsBootScript, bootPrelude, gcpBootScript } from "../../lib/clusters/gateway-boot";

/** Runs a script with bash in a scratch directory; the console is a file there. */
function run(lines: readonly string[]): { status: number | null; console: string; dir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "isthmus-boot-"));
  const script = path.join(dir, "boot.sh");
  writeFileSync(script, lines.join("\n"));
  const consoleFile = path.join(dir, "console");
  writeFileSync(consoleFile, "");
  const result = spawnSync("bash", [script], {
    cwd: dir,
    env: { ...process.env, ISTHMUS_CONSOLE: consoleFile, ISTHMUS_RETRY_DELAY: "0" },
    encoding: "utf8",
  });
  return { status: result.status, console: readFileSync(consoleFile, "utf8"), dir };
}

describe("WireGuard gateway boot scripts", () => {
  it("retry a step that fails at first (no network yet) until it succeeds", () => {
    const { status, console, dir } = run([
      ...bootPrelude("test"),
      // Fails twice, then succeeds: a network that comes up late.
      'flaky() { n=$(cat tries 2>/dev/null || echo 0); echo $((n + 1)) > tries; [ "$n" -ge 2 ]; }',
      "retry flaky",
      'report "done"',
    ]);
    try {
      assert.equal(status, 0);
      assert.equal(readFileSync(path.join(dir, "tries"), "utf8").trim(), "3");
      assert.equal(
        console,
        "isthmus-wireguard: retrying (1): flaky\nisthmus-wireguard: retrying (2): flaky\nisthmus-wireguard: done\n",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("report a step that keeps failing on the console, and stop there", () => {
    const { status, console, dir } = run([...bootPrelude("test"), "retry false", 'report "never"']);
    try {
      assert.equal(status, 1);
      const lines = console.trim().split("\n");
      assert.equal(lines.length, 10, "nine retries, then the failure");
      assert.equal(lines[8], "isthmus-wireguard: retrying (9): false");
      assert.equal(lines[9], "isthmus-wireguard: FAILED after 10 tries: false");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("report a step that fails without retries with its line and command", () => {
    const { status, console, dir } = run([
      ...bootPrelude("test"),
      "mkdir /proc/isthmus-cannot",
      'report "never"',
    ]);
    try {
      assert.notEqual(status, 0);
      assert.equal(console, "isthmus-wireguard: FAILED at line 17 (exit 1): mkdir /proc/isthmus-cannot\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("are valid bash, wait for apt's lock and snapd, retry the config fetch and clamp MSS on the tunnel", () => {
    const aws = awsBootScript("us-east-1", "/isthmus/demo/east/wireguard/wg0.conf", 3);
    const gcp = gcpBootScript("projects/1/secrets/demo-central-wireguard/versions/2");
    for (const script of [aws, gcp]) {
      assert.equal(spawnSync("bash", ["-n"], { input: script }).status, 0);
      assert.match(script, /retry apt-get -o DPkg::Lock::Timeout=300 update -q/);
      assert.match(script, /retry fetch_config\n/);
      assert.ok(
        script.includes(
          "ExecStartPost=/bin/sh -c 'iptables -t mangle -C FORWARD -o wg0 -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu 2>/dev/null || " +
            "iptables -t mangle -A FORWARD -o wg0 -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu'",
        ),
        "the MSS clamp comes up with wg-quick@wg0, reboots included",
      );
      assert.match(script, /report "up"\n$/);
      assert.doesNotMatch(script, /PrivateKey/);
    }
    assert.match(aws, /retry snap wait system seed\.loaded\n/);
    assert.ok(aws.indexOf("snap wait system seed.loaded") < aws.indexOf("snap install aws-cli"));
  });
});
