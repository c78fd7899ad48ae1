/**
 * `isthmus plan` of a fleet (a project whose main exports `fleetProgram(fleet)`): every stack planned
 * offline in dependency order, the stack graph printed; `fleet.json` and `stack-graph.md` written.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { Fleet } from "../fleet/fleet";
import { planFleet, type FleetPlan } from "../fleet/offline";
import { readableUnknowns } from "./plan-command";
import { REDACTED, scrub } from "./redact";

/** What a fleet's plan produced. */
export interface FleetPlanOutput {
  readonly plan: FleetPlan;
  /** The report: the stack graph and per-stack counts. */
  readonly report: string;
  /** Files written, relative to outDir. */
  readonly files: readonly string[];
}

/** Plans a fleet with the same config for every stack, and writes its files when asked. */
export async function planFleetProgram(
  fleet: Fleet,
  config: Readonly<Record<string, string>>,
  options: { readonly preview?: boolean; readonly outDir?: string },
): Promise<FleetPlanOutput> {
  const plan = await planFleet(fleet, {
    ...(options.preview === undefined ? {} : { preview: options.preview }),
    config: Object.fromEntries(fleet.stacks.map((s) => [s.name, config])),
  });
  const files: string[] = [];
  if (options.outDir !== undefined) {
    rmSync(options.outDir, { recursive: true, force: true });
    mkdirSync(options.outDir, { recursive: true });
    const write = (name: string, text: string): void => {
      writeFileSync(path.join(options.outDir!, name), text);
      files.push(name);
    };
    const stacks = Object.fromEntries(
      Object.entries(plan.stacks).map(([name, s]) => [
        name,
        {
          dependsOn: plan.graph.dependsOn[name],
          resources: s.resources,
          byType: Object.fromEntries(s.byType),
          outputs: Object.fromEntries(
            Object.entries(s.outputs).map(([k, o]) => [
              k,
              o.secret ? REDACTED : readableUnknowns(scrub(o.value)),
            ]),
          ),
        },
      ]),
    );
    write(
      "fleet.json",
      `${JSON.stringify({ project: fleet.project, levels: plan.graph.levels, stacks }, null, 2)}\n`,
    );
    write("stack-graph.md", stackGraphMermaid(fleet.project, plan));
  }
  return { plan, report: plan.report, files: files.sort() };
}

/** The stack graph as a Mermaid flowchart, arrows from a stack to the stacks it reads. */
function stackGraphMermaid(project: string, plan: FleetPlan): string {
  const names = plan.graph.levels.flat();
  const id = (name: string): string => `s${names.indexOf(name)}`;
  const lines = ["flowchart LR"];
  for (const n of names)
    lines.push(`  ${id(n)}["${n}<br/><small>${plan.stacks[n]!.resources} resources</small>"]`);
  for (const n of names) for (const d of plan.graph.dependsOn[n]!) lines.push(`  ${id(n)} --> ${id(d)}`);
  return `# Stack graph of fleet ${project}\n\nArrows point from a stack to the stacks whose outputs it reads.\n\n\`\`\`mermaid\n${lines.join("\n")}\n\`\`\`\n`;
}
