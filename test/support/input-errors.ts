/**
 * Argument checks of components: a component given bad arguments throws Pulumi's
 * `InputPropertiesError` with every problem, before it registers anything.
 */
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { runOffline } from "../../lib/testing/offline-engine";

/**
 * Runs `create` in an offline Pulumi program and asserts that it threw an `InputPropertiesError`
 * whose message is exactly `message`, and that nothing at all was registered.
 */
export async function assertRejectsInputs(create: () => unknown, message: string): Promise<void> {
  let error: unknown;
  const { engine } = await runOffline(() => {
    try {
      create();
    } catch (e) {
      error = e;
    }
  });
  assert.ok(pulumi.InputPropertiesError.isInstance(error), `not an InputPropertiesError: ${String(error)}`);
  assert.equal((error as Error).message, message);
  assert.deepEqual(engine.resources, []);
}
