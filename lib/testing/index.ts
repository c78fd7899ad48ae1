/**
 * The offline engine: Pulumi's mock runtime with realistic outputs, for unit tests of programs that use isthmus. This file only re-exports.
 * @module isthmus/testing
 */
export {
  OfflineEngine,
  runOffline,
  type OfflineEngineOptions,
  type OfflineRun,
  type StackOutputs,
} from "./offline-engine";
export type { RecordedResource, RecordedCall } from "./recorded-resource";
export type { AlreadyInPlace } from "./reality-rules";
export { OfflineRefusal } from "./reality-rules";
