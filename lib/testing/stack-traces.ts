/**
 * Stack traces off during offline runs.
 *
 * The SDK captures `new Error().stack` for every promise it makes (`runtime/debuggable.js`, kept to
 * report leaked promises) and the whole stack of every resource it constructs (`Resource.callsites`,
 * for source positions in the engine's requests). Offline, nobody reads either, and formatting them
 * (through source maps, which tsx turns on) is most of a large plan's CPU time and garbage.
 */
import * as pulumi from "@pulumi/pulumi";

type Callsites = () => unknown[];
const resourceClass = pulumi.Resource as unknown as { callsites: Callsites };

/** Turns stack traces off until the returned function is called; it restores them exactly. */
export function stackTracesOff(): () => void {
  const limit = Error.stackTraceLimit;
  const sourceMaps = process.sourceMapsEnabled;
  const callsites = resourceClass.callsites;
  Error.stackTraceLimit = 0;
  process.setSourceMapsEnabled(false);
  // Source positions are metadata the engine shows in `pulumi up`; no resource depends on them.
  resourceClass.callsites = () => [];
  return () => {
    Error.stackTraceLimit = limit;
    process.setSourceMapsEnabled(sourceMaps);
    resourceClass.callsites = callsites;
  };
}
