/** One operation on one stack of a fleet, its engine output as lines prefixed with the stack's name. */
import type { OutputMap } from "@pulumi/pulumi/automation";
import type { FleetOperation } from "./automation";

/** A writer of an operation's output that passes each non-empty line on as `[stack] line`. */
export function lineWriter(
  stack: string,
  onLine: ((line: string) => void) | undefined,
): (text: string) => void {
  return (text) => {
    for (const line of text.split("\n")) if (line.trim() !== "") onLine?.(`[${stack}] ${line}`);
  };
}

/** What both drivers' stacks (LocalWorkspace's and RemoteWorkspace's) do. */
interface OperableStack {
  preview(opts: { onOutput: (text: string) => void }): Promise<unknown>;
  up(opts: { onOutput: (text: string) => void }): Promise<{ outputs: OutputMap }>;
  destroy(opts: { onOutput: (text: string) => void }): Promise<unknown>;
}

/** Runs `operation` on a stack; the outputs of an `up`, nothing otherwise. */
export async function runOperation(
  stack: OperableStack,
  operation: FleetOperation,
  stackName: string,
  onLine: ((line: string) => void) | undefined,
): Promise<OutputMap | undefined> {
  const onOutput = lineWriter(stackName, onLine);
  if (operation === "up") return (await stack.up({ onOutput })).outputs;
  await (operation === "preview" ? stack.preview({ onOutput }) : stack.destroy({ onOutput }));
  return undefined;
}
