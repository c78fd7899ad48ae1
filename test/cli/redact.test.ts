import { strict as assert } from "node:assert";
import { generateKeyPairSync } from "node:crypto";
import { looksSecret, REDACTED, redactPaths, scrub } from "../../lib/cli/redact";

describe("redaction", () => {
  const pem = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({
    type: "pkcs8",
    format: "pem",
  }) as string;
  const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({
    type: "pkcs1",
    format: "pem",
  }) as string;
  const wgKey = Buffer.alloc(32, 9).toString("base64");

  it("recognises key material in every form isthmus handles", () => {
    for (const text of [
      pem,
      rsa,
      Buffer.from(pem).toString("base64"),
      Buffer.from(rsa).toString("base64"),
      Buffer.from(`x${pem}`).toString("base64"),
      `[Interface]\nPrivateKey = ${wgKey}\n`,
      `[Peer]\nPresharedKey = ${wgKey}\n`,
      "users:\n- name: a\n  user:\n    token: eyJhbGciOiJSUzI1NiJ9.abcdefghijklmnop.qrstuvwxyz",
      JSON.stringify({ users: [{ user: { token: "s3cr3t-token-0123456789abcdef" } }] }),
    ]) {
      assert.ok(looksSecret(text), text.slice(0, 60));
    }
  });

  it("leaves certificates, public keys and placeholders alone", () => {
    for (const text of [
      "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
      "PublicKey = " + wgKey,
      "PrivateKey = ${WIREGUARD_REGION1_PRIVATE_KEY}",
      "istio-reader-service-account-istio-remote-secret-token",
    ]) {
      assert.ok(!looksSecret(text), text);
    }
  });

  it("replaces marked paths and scrubs the rest", () => {
    const value = { a: { b: "plain", c: "x" }, list: [pem, "ok"] };
    assert.deepEqual(redactPaths(value, ["a.c"]), { a: { b: "plain", c: REDACTED }, list: [REDACTED, "ok"] });
    assert.deepEqual(scrub(value), { a: { b: "plain", c: "x" }, list: [REDACTED, "ok"] });
    assert.equal(redactPaths(value, ["(root)"]), REDACTED);
  });
});
