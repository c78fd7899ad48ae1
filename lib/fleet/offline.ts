/**
 * A fleet planned offline: every stack through the offline engine, in dependency order, each
 * `StackReference` fed from the outputs the upstream stacks' plans produced (secrets stay secret).
 * Stacks run one after the other: the Pulumi SDK's mock runtime is one per process.
 */
import * as pulumi from "@pulumi/pulumi";
import { runOffline, type OfflineEngine, type StackOutputs } from "../testing/offline-engine";
import { countByType } from "../testing/recorded-resource";
import { fleetContext } from "./automation";
import { renderStackGraph, stackGraph, stackReferenceName, type Fleet, type StackGraph } from "./fleet";

/** Options of {@link planFleet}. */
export interface PlanFleetOptions {
  /**
   * Plan every stack as a preview.
   * @default false
   */
  readonly preview?: boolean;
  /**
   * Stack config per stack name, keys as `<namespace>:<key>`, values as `pulumi config` stores them.
   * @default {}
   */
  readonly config?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /**
   * Called after each stack's plan with its offline engine (what it registered), before the next
   * stack replaces the runtime.
   * @default - nothing
   */
  readonly onStack?: (stack: string, engine: OfflineEngine) => void | Promise<void>;
}

/** One stack's plan. */
export interface FleetStackPlan {
  /** How many resources it registers. */
  readonly resources: number;
  /** Resources by type, most first. */
  readonly byType: readonly (readonly [string, number])[];
  /** Its outputs, `{ value, secret }`; what downstream stacks' references were fed. */
  readonly outputs: StackOutputs;
}

/** A fleet's offline plan. */
export interface FleetPlan {
  readonly graph: StackGraph;
  /** Per stack, its plan. */
  readonly stacks: Readonly<Record<string, FleetStackPlan>>;
  /** The stack graph and per-stack counts, secrets never shown. */
  readonly report: string;
}

/** Plans every stack of a fleet offline, upstream first. */
export async function planFleet(fleet: Fleet, options: PlanFleetOptions = {}): Promise<FleetPlan> {
  const graph = stackGraph(fleet);
  const byName = new Map(fleet.stacks.map((s) => [s.name, s]));
  const outputs: Record<string, StackOutputs> = {};
  const stacks: Record<string, FleetStackPlan> = {};
  for (const name of graph.levels.flat()) {
    const stack = byName.get(name)!;
    const stackOutputs = Object.fromEntries(
      graph.dependsOn[name]!.map((d) => [stackReferenceName(fleet, d), outputs[d]!]),
    );
    let run: Awaited<ReturnType<typeof runOffline<Record<string, unknown>>>>;
    try {
      run = await runOffline(() => stack.program(fleetContext(fleet, stack)), {
        project: fleet.project,
        stack: name,
        preview: options.preview ?? false,
        config: options.config?.[name] ?? {},
        stackOutputs,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`fleet ${fleet.project}, stack ${name}: ${message}`, { cause: error });
    }
    outputs[name] = await resolveStackOutputs(run.result);
    stacks[name] = {
      resources: run.engine.resources.length,
      byType: countByType(run.engine.resources),
      outputs: outputs[name],
    };
    await options.onStack?.(name, run.engine);
  }
  return { graph, stacks, report: fleetReport(fleet, graph, stacks) };
}

/** Stack outputs as the engine stores them: each value resolved, with whether it is secret. */
async function resolveStackOutputs(exported: Record<string, unknown>): Promise<StackOutputs> {
  const out: Record<string, { value: unknown; secret: boolean }> = {};
  for (const [key, value] of Object.entries(exported ?? {})) {
    const output = pulumi.output(value) as pulumi.Output<unknown>;
    const secret = await pulumi.isSecret(output);
    const known = await (output as unknown as { isKnown: Promise<boolean> }).isKnown;
    const resolved = known
      ? await new Promise<unknown>((resolve) => output.apply(resolve))
      : pulumi.runtime.unknownValue;
    out[key] = { value: resolved, secret };
  }
  return out;
}

function fleetReport(fleet: Fleet, graph: StackGraph, stacks: Record<string, FleetStackPlan>): string {
  const total = Object.values(stacks).reduce((n, s) => n + s.resources, 0);
  const names = graph.levels.flat();
  const width = Math.max(...names.map((n) => n.length));
  return [
    `Offline plan of fleet ${fleet.project}: ${names.length} stacks, ${total} resources`,
    "",
    "Stack graph (each stack reads the outputs of those after ←):",
    renderStackGraph(graph),
    "",
    "Resources and outputs per stack (secret outputs marked):",
    ...names.map((n) => {
      const s = stacks[n]!;
      const outs = Object.entries(s.outputs).map(([k, o]) => (o.secret ? `${k} [secret]` : k));
      return `  ${n.padEnd(width)}  ${String(s.resources).padStart(6)}  ${outs.join(", ")}`;
    }),
  ].join("\n");
}
