// isthmus/testing: the offline engine, for unit tests of programs that use isthmus.
export { OfflineEngine, runOffline, type OfflineEngineOptions, type OfflineRun } from "./offline-engine";
export type { RecordedResource, RecordedCall } from "./recorded-resource";
