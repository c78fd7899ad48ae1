import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import * as debuggableModule from "@pulumi/pulumi/runtime/debuggable";
import { runOffline } from "../../lib/testing/offline-engine";

// Internal to the SDK (its per-promise stack), so not in its typings.
const debuggable = debuggableModule as unknown as {
  debuggablePromise(p: Promise<unknown>, ctx: string): unknown;
};

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

  it("keep the first frames of the program's own errors with a limit, and leave the SDK's promise stacks empty", async () => {
    const seen = await runOffline(
      () => {
        new Thing("b");
        const tracked = Promise.resolve(1);
        debuggable.debuggablePromise(tracked, "test");
        return {
          limit: Error.stackTraceLimit,
          // The message and 1–4 frames (as many as the stack has, up to the limit).
          own:
            Math.min(5, Math.max(2, new Error("x").stack!.split("\n").length)) ===
            new Error("y").stack!.split("\n").length,
          promise: (tracked as unknown as { _debugStackTrace: string })._debugStackTrace,
        };
      },
      { stackTraceLimit: 4 },
    );
    assert.deepEqual(seen.result, { limit: 4, own: true, promise: "" });
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
