/**
 * Fleets beyond one stack: a mesh split into stacks joined by StackReferences (`meshFleet`), run in
 * dependency order with bounded parallelism on Pulumi's Automation API (`runFleet`: locally, or on
 * Pulumi Deployments with `remoteWorkspace`), planned offline (`planFleet`). This file only re-exports.
 * @module isthmus/fleet
 */
export {
  stackGraph,
  renderStackGraph,
  stackReferenceName,
  fleetProblems,
  type Fleet,
  type FleetStack,
  type FleetContext,
  type StackGraph,
} from "./fleet";
export { runInOrder, type StackOutcome } from "./schedule";
export {
  runFleet,
  automationWorkspace,
  fleetContext,
  type FleetOperation,
  type FleetWorkspace,
  type RunFleetOptions,
  type FleetRunResult,
  type FleetStackResult,
  type AutomationWorkspaceOptions,
} from "./automation";
export { planFleet, type PlanFleetOptions, type FleetPlan, type FleetStackPlan } from "./offline";
export {
  meshFleet,
  type MeshFleetArgs,
  type MeshFleet,
  type ProvisionedCluster,
  type FleetTrust,
} from "./mesh-fleet";
export { remoteWorkspace, type RemoteWorkspaceFleetOptions, type RemoteFleetStack } from "./remote";
export { fleetProgram, isFleetProgram, type FleetProgram } from "./program";
