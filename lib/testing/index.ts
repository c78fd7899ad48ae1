export * from "./offline-engine";
export * from "./recorded-resource";
export { mockOutputs, MOCK_CALLS, OFFLINE_NOW } from "./mock-outputs";
export * from "./reality-rules";
