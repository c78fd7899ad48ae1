/**
 * The fleet driver: Pulumi's Automation API (`@pulumi/pulumi/automation`) runs each stack; isthmus
 * only orders the stacks and bounds how many run at once.
 *
 * Every stack gets its own `LocalWorkspace` over an inline program (`LocalWorkspace.createOrSelectStack`
 * with `{ projectName, stackName, program }`): each workspace has its own directory, so parallel
 * `createOrSelectStack` calls never race on a shared `workspace.json` (pulumi/pulumi#8186), and the
 * Node.js SDK keeps each inline program's runtime state apart (AsyncLocalStorage, pulumi/pulumi#10568),
 * so several stacks update in one process. Where the state lives, how secrets are encrypted and which
 * CLI runs are the workspace options' business (a local backend, Pulumi Cloud, a passphrase, a KMS key).
 */
import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace, type LocalWorkspaceOptions, type OutputMap } from "@pulumi/pulumi/automation";
import { stackGraph, stackReferenceName, type Fleet, type FleetContext, type FleetStack } from "./fleet";
import { runOperation } from "./output-lines";
import { runInOrder, type StackOutcome } from "./schedule";

/** What the driver does to every stack. */
export type FleetOperation = "preview" | "up" | "destroy";

/** Runs one operation on one stack: the Automation API by default, a fake in tests. */
export interface FleetWorkspace {
  /**
   * Runs `operation` on `stack`, and resolves with its outputs after an `up` (secrets stay secret:
   * `{ value, secret }` as the Automation API returns them).
   */
  run(fleet: Fleet, stack: FleetStack, operation: FleetOperation): Promise<OutputMap | undefined>;
}

/** Options of {@link runFleet}. */
export interface RunFleetOptions {
  /**
   * How many stacks may run at once.
   * @default 4
   */
  readonly concurrency?: number;
  /**
   * What runs a stack.
   * @default - {@link automationWorkspace}() with the environment's backend (`PULUMI_BACKEND_URL`, `pulumi login`)
   */
  readonly workspace?: FleetWorkspace;
}

/** One stack's result. */
export type FleetStackResult = StackOutcome & {
  /** The outputs after an `up`. */
  readonly outputs?: OutputMap;
};

/** What {@link runFleet} did. */
export interface FleetRunResult {
  /** Whether every stack succeeded. */
  readonly ok: boolean;
  /** Per stack, how its run ended. */
  readonly stacks: Readonly<Record<string, FleetStackResult>>;
}

/**
 * Runs `preview`, `up` or `destroy` on every stack of a fleet: `preview` and `up` in dependency order,
 * `destroy` in reverse; independent stacks in parallel, at most `concurrency` at a time. A stack whose
 * prerequisite failed is skipped. A preview of a stack reads its upstream stacks' outputs for real (as
 * `pulumi preview` does), so on a fleet never deployed only the stacks without upstream preview.
 */
export async function runFleet(
  fleet: Fleet,
  operation: FleetOperation,
  options: RunFleetOptions = {},
): Promise<FleetRunResult> {
  const graph = stackGraph(fleet);
  const workspace = options.workspace ?? automationWorkspace();
  const byName = new Map(fleet.stacks.map((s) => [s.name, s]));
  const outputs: Record<string, OutputMap> = {};
  const outcomes = await runInOrder(
    graph,
    operation === "destroy" ? "reverse" : "forward",
    options.concurrency ?? 4,
    async (name) => {
      const result = await workspace.run(fleet, byName.get(name)!, operation);
      if (result !== undefined) outputs[name] = result;
    },
  );
  const stacks = Object.fromEntries(
    Object.entries(outcomes).map(([name, o]) => [
      name,
      outputs[name] === undefined ? o : { ...o, outputs: outputs[name] },
    ]),
  );
  return { ok: Object.values(outcomes).every((o) => o.status === "succeeded"), stacks };
}

/** The context a stack's program runs with: one StackReference per upstream stack it reads. */
export function fleetContext(fleet: Fleet, stack: FleetStack): FleetContext {
  const refs = new Map<string, pulumi.StackReference>();
  return {
    stack: stack.name,
    ref: (name) => {
      if (!(stack.dependsOn ?? []).includes(name)) {
        throw new Error(
          `stacks.${stack.name}.dependsOn: does not name "${name}", which the program reads; got ${JSON.stringify(stack.dependsOn ?? [])}, expected it to include "${name}". Add "${name}" to dependsOn, so that it runs first.`,
        );
      }
      let ref = refs.get(name);
      if (ref === undefined) {
        ref = new pulumi.StackReference(stackReferenceName(fleet, name));
        refs.set(name, ref);
      }
      return ref;
    },
  };
}

/** Options of {@link automationWorkspace}. */
export interface AutomationWorkspaceOptions {
  /**
   * Workspace options for every stack (`envVars` such as `PULUMI_BACKEND_URL` and
   * `PULUMI_CONFIG_PASSPHRASE`, `pulumiCommand`, `secretsProvider`, `pulumiHome`).
   * @default {}
   */
  readonly workspace?: LocalWorkspaceOptions;
  /**
   * Stack config per stack name, set before each run (`{ "aws:region": { value: "us-east-1" } }`).
   * @default {}
   */
  readonly config?: Readonly<Record<string, Readonly<Record<string, { value: string; secret?: boolean }>>>>;
  /**
   * Receives each stack's engine output, line by line, prefixed with the stack name.
   * @default - discarded
   */
  readonly onOutput?: (line: string) => void;
}

/** A {@link FleetWorkspace} on Pulumi's Automation API: one LocalWorkspace per stack, inline programs. */
export function automationWorkspace(options: AutomationWorkspaceOptions = {}): FleetWorkspace {
  return {
    async run(fleet, stack, operation) {
      const program = async (): Promise<Record<string, unknown>> => stack.program(fleetContext(fleet, stack));
      const s = await LocalWorkspace.createOrSelectStack(
        { projectName: fleet.project, stackName: stack.name, program },
        options.workspace ?? {},
      );
      const config = options.config?.[stack.name];
      if (config !== undefined) await s.setAllConfig({ ...config });
      return runOperation(s, operation, stack.name, options.onOutput);
    },
  };
}
