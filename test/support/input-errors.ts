/**
 * Argument checks of components: a component given bad arguments throws Pulumi's
 * `InputPropertiesError` with every problem, before it registers anything.
 */
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { runOffline } from "../../lib/testing/offline-engine";
import type { RecordedResource } from "../../lib/testing/recorded-resource";

/**
 * Runs `create` in an offline Pulumi program, asserts that it threw an `InputPropertiesError`, and
 * returns its message with every resource the program registered.
 */
export async function inputRefusal(
  create: () => unknown,
): Promise<{ message: string; resources: readonly RecordedResource[] }> {
  let error: unknown;
  const { engine } = await runOffline(() => {
    try {
      create();
    } catch (e) {
      error = e;
    }
  });
  assert.ok(pulumi.InputPropertiesError.isInstance(error), `not an InputPropertiesError: ${String(error)}`);
  return { message: (error as Error).message, resources: engine.resources };
}

/**
 * Runs `create` in an offline Pulumi program and asserts that it threw an `InputPropertiesError`
 * whose message is exactly `message`, and that nothing at all was registered.
 */
export async function assertRejectsInputs(create: () => unknown, message: string): Promise<void> {
  const { message: got, resources } = await inputRefusal(create);
  assert.equal(got, message);
  assert.deepEqual(resources, []);
}
