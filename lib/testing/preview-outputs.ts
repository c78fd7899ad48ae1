/**
 * Preview outputs: what `pulumi preview` knows of a resource about to be created.
 */
import * as pulumi from "@pulumi/pulumi";

/**
 * What a preview knows of a resource about to be created: its inputs. Everything the provider would
 * compute (an endpoint, an address, a token, an id) is unknown, as in `pulumi preview`.
 */
export function previewOutputs(
  inputs: Record<string, unknown>,
  state: Record<string, unknown>,
): pulumi.runtime.MockResourceResult {
  return { id: undefined, state: knownInputsOnly(inputs, state) };
}

/** `state` with every value that is not an input (at any depth) replaced by the unknown marker. */
function knownInputsOnly(
  inputs: Record<string, unknown>,
  state: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...inputs };
  for (const [key, value] of Object.entries(state)) {
    const input = inputs[key];
    if (!(key in inputs)) out[key] = pulumi.runtime.unknownValue;
    else if (isObject(input) && isObject(value)) out[key] = knownInputsOnly(input, value);
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
