// isthmus: the public API. This file only re-exports.
export * from "./core";
export * from "./testing";
