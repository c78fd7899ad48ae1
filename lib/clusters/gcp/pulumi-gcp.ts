/**
 * The parts of `@pulumi/gcp` the GKE adapter uses, each from its own module: `import * as gcp from
 * "./pulumi-gcp"` reads as `@pulumi/gcp` does (`gcp.container.Cluster`, `gcp.Provider`).
 *
 * Why not `@pulumi/gcp` itself: its index requires every one of its service modules when it loads,
 * and its declarations reference all of them, so a program that type-checks against `isthmus/gcp`
 * would parse ~39 MB of declarations for the few modules used here. From their own modules
 * (`@pulumi/gcp/compute`, … — the package has no `exports` map, so each path is public) it loads and
 * type-checks those alone. The classes are the same: the package's index re-exports these modules.
 */
export * as compute from "@pulumi/gcp/compute";
export * as container from "@pulumi/gcp/container";
export * as projects from "@pulumi/gcp/projects";
export * as secretmanager from "@pulumi/gcp/secretmanager";
export * as serviceaccount from "@pulumi/gcp/serviceaccount";
export { Provider, type ProviderArgs } from "@pulumi/gcp/provider";
