import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { runOffline } from "../../lib/testing/offline-engine";

class Thing extends pulumi.CustomResource {
  constructor(name: string) {
    super("test:index:Thing", name, {});
  }
}

describe("offline runs without stack traces", () => {
  it("turn Error.stackTraceLimit to 0 and Resource.callsites off during the run, and restore both", async () => {
    const limit = Error.stackTraceLimit;
    const callsites = (pulumi.Resource as unknown as { callsites: unknown }).callsites;
    const seen = await runOffline(() => {
      new Thing("a");
      return {
        limit: Error.stackTraceLimit,
        stack: new Error("x").stack,
        frames: (pulumi.Resource as unknown as { callsites(): unknown[] }).callsites().length,
      };
    });
    assert.deepEqual(seen.result, { limit: 0, stack: "Error: x", frames: 0 });
    assert.equal(Error.stackTraceLimit, limit);
    assert.equal((pulumi.Resource as unknown as { callsites: unknown }).callsites, callsites);
    assert.ok((pulumi.Resource as unknown as { callsites(): unknown[] }).callsites().length > 0);
  });

  it("keep them on when asked, and restore the limit when the program throws", async () => {
    const on = await runOffline(() => Error.stackTraceLimit, { stackTraces: true });
    assert.equal(on.result, Error.stackTraceLimit);
    const limit = Error.stackTraceLimit;
    await assert.rejects(
      runOffline(() => {
        throw new Error("boom");
      }),
      /boom/,
    );
    assert.equal(Error.stackTraceLimit, limit);
  });
});
