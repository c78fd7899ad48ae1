/**
 * A fleet as an ordinary Pulumi program: `export = fleetProgram(fleet)` in the project's main runs the
 * stack `pulumi up -s <stack>` selects, so every stack also runs with the Pulumi CLI and in Pulumi
 * Deployments (one deployment per stack); `isthmus plan` finds the fleet on the exported function.
 */
import * as pulumi from "@pulumi/pulumi";
import { fleetContext } from "./automation";
import { stackGraph, type Fleet } from "./fleet";

/** The program of every stack of a fleet, with the fleet attached for `isthmus plan`. */
export type FleetProgram = (() => Promise<Record<string, unknown>>) & { readonly fleet: Fleet };

/**
 * The Pulumi program of a fleet's project: it runs the stack named like the selected stack.
 * @throws Error (when run) if the project or the stack is not the fleet's
 */
export function fleetProgram(fleet: Fleet): FleetProgram {
  stackGraph(fleet);
  const run = async (): Promise<Record<string, unknown>> => {
    const project = pulumi.getProject();
    const names = fleet.stacks.map((s) => s.name);
    if (project !== fleet.project) {
      throw new Error(
        `project: is not the fleet's project; got "${project}", expected "${fleet.project}". Name the project in Pulumi.yaml like the fleet, or the fleet like the project: StackReferences name it.`,
      );
    }
    const stack = fleet.stacks.find((s) => s.name === pulumi.getStack());
    if (stack === undefined) {
      throw new Error(
        `stack: is not a stack of fleet ${fleet.project}; got "${pulumi.getStack()}", expected one of ${names.join(", ")}. Select one: pulumi stack select <name>.`,
      );
    }
    return stack.program(fleetContext(fleet, stack));
  };
  return Object.assign(run, { fleet });
}

/** Whether a module's export is a {@link fleetProgram}. */
export function isFleetProgram(exported: unknown): exported is FleetProgram {
  if (typeof exported !== "function") return false;
  const fleet = (exported as unknown as { fleet?: { project?: unknown; stacks?: unknown } }).fleet;
  return typeof fleet?.project === "string" && Array.isArray(fleet.stacks);
}
