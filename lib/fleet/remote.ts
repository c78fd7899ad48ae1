/**
 * The fleet driver on Pulumi Deployments: each stack runs remotely through the Automation API's
 * `RemoteWorkspace` (`RemoteWorkspace.createOrSelectStack` with the fleet project's Git source), in
 * the dependency order and with the concurrency bound {@link runFleet} gives every workspace.
 *
 * A remote stack has no inline program: Deployments clone the repository and run the project at
 * `projectPath`, whose main must be `fleetProgram(fleet)` (it runs the stack Deployments selected).
 * Its stack config comes from the repository's `Pulumi.<stack>.yaml` or the stack's deployment
 * settings, not from this driver. Not run against Pulumi Cloud here (no account on the machine that
 * built it): what is tested is what it passes to `RemoteWorkspace`, in which order, how many at once.
 */
import {
  RemoteWorkspace,
  type OutputMap,
  type RemoteGitProgramArgs,
  type RemoteStack,
  type RemoteWorkspaceOptions,
} from "@pulumi/pulumi/automation";
import type { FleetWorkspace } from "./automation";
import { stackReferenceName } from "./fleet";
import { runOperation } from "./output-lines";

/** What the driver calls on a remote stack. */
export type RemoteFleetStack = Pick<RemoteStack, "preview" | "up" | "destroy">;

/** Options of {@link remoteWorkspace}. */
export interface RemoteWorkspaceFleetOptions {
  /**
   * The Git source of the fleet's project, as `RemoteWorkspace` takes it (`url`, `projectPath`,
   * `branch` or `commitHash`, `auth`); the stack name is the fleet's fully qualified one,
   * `<organization>/<project>/<stack>`.
   */
  readonly source: Omit<RemoteGitProgramArgs, "stackName">;
  /**
   * Remote workspace options for every stack (`envVars`, `preRunCommands`, `inheritSettings`,
   * `executorImage`, `skipInstallDependencies`).
   * @default {}
   */
  readonly workspace?: RemoteWorkspaceOptions;
  /**
   * Receives each stack's engine output, line by line, prefixed with the stack name.
   * @default - discarded
   */
  readonly onOutput?: (line: string) => void;
  /**
   * Opens a remote stack.
   * @default - `RemoteWorkspace.createOrSelectStack`
   */
  readonly createOrSelectStack?: (
    args: RemoteGitProgramArgs,
    opts?: RemoteWorkspaceOptions,
  ) => Promise<RemoteFleetStack>;
}

/**
 * A {@link FleetWorkspace} on Pulumi Deployments: one `RemoteWorkspace` stack per fleet stack.
 * @throws Error (from `run`, before anything is opened) when the fleet names no organization: Pulumi
 * Cloud needs the real one in every stack name and StackReference
 */
export function remoteWorkspace(options: RemoteWorkspaceFleetOptions): FleetWorkspace {
  const open = options.createOrSelectStack ?? ((a, o) => RemoteWorkspace.createOrSelectStack(a, o));
  return {
    async run(fleet, stack, operation): Promise<OutputMap | undefined> {
      if (fleet.organization === undefined) {
        throw new Error(
          `organization: is not set on fleet ${fleet.project}; got undefined, expected your Pulumi Cloud organization. Set organization in meshFleet (or the Fleet): Deployments run stacks by their fully qualified name, and the StackReferences name the same organization.`,
        );
      }
      const s = await open(
        { ...options.source, stackName: stackReferenceName(fleet, stack.name) },
        options.workspace ?? {},
      );
      return runOperation(s, operation, stack.name, options.onOutput);
    },
  };
}
