/**
 * Stack traces (nearly) off during offline runs.
 *
 * The SDK captures `new Error().stack` for every promise it makes (`runtime/debuggable.js`, kept to
 * report leaked promises) and the whole stack of every resource it constructs (`Resource.callsites`,
 * for source positions in the engine's requests). Offline, nobody reads either, and capturing and
 * formatting them is most of a large plan's CPU time and garbage.
 */
import * as pulumi from "@pulumi/pulumi";

type Callsites = () => unknown[];
type Prepare = (error: Error, sites: NodeJS.CallSite[]) => unknown;
const resourceClass = pulumi.Resource as unknown as { callsites: Callsites };
const errorClass = Error as unknown as { prepareStackTrace?: Prepare };

/** The SDK's per-promise stack, which only its leak report reads. */
const PROMISE_STACK = /[\\/]@pulumi[\\/]pulumi[\\/]runtime[\\/]debuggable\.js$/;

/**
 * Sets `Error.stackTraceLimit` to `limit` until the returned function is called, which restores it
 * exactly. With a limit above 0 (errors raised by the program keep their first frames), the SDK's
 * per-promise stacks are still left unformatted.
 */
export function stackTracesOff(limit = 0): () => void {
  const savedLimit = Error.stackTraceLimit;
  const savedPrepare = errorClass.prepareStackTrace;
  const sourceMaps = process.sourceMapsEnabled;
  const callsites = resourceClass.callsites;
  Error.stackTraceLimit = limit;
  process.setSourceMapsEnabled(false);
  // Source positions are metadata the engine shows in `pulumi up`; no resource depends on them.
  resourceClass.callsites = () => [];
  if (limit > 0) {
    errorClass.prepareStackTrace = (error, sites) => {
      if (PROMISE_STACK.test(sites[0]?.getFileName() ?? "")) return "";
      if (savedPrepare !== undefined) return savedPrepare(error, sites);
      return [String(error), ...sites.map((site) => `    at ${String(site)}`)].join("\n");
    };
  }
  return () => {
    Error.stackTraceLimit = savedLimit;
    errorClass.prepareStackTrace = savedPrepare;
    process.setSourceMapsEnabled(sourceMaps);
    resourceClass.callsites = callsites;
  };
}
