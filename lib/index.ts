// isthmus: the public API. This file only re-exports.
export * from "./core";
export * from "./components";
export * from "./clusters";
export * from "./testing";
export * as manifests from "./manifests";
