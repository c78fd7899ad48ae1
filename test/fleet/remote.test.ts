import { strict as assert } from "node:assert";
import type { RemoteGitProgramArgs, RemoteWorkspaceOptions, UpResult } from "@pulumi/pulumi/automation";
import {
  remoteWorkspace,
  runFleet,
  type Fleet,
  type FleetStack,
  type RemoteFleetStack,
} from "../../lib/fleet";

const stack = (name: string, dependsOn: string[] = []): FleetStack => ({
  name,
  dependsOn,
  program: () => ({}),
});

/** trust → two cores → an edge of each: the shape of a mesh fleet. */
const FLEET: Fleet = {
  project: "retail",
  organization: "acme",
  stacks: [
    stack("edge-b", ["core-b"]),
    stack("edge-a", ["core-a"]),
    stack("core-a", ["trust"]),
    stack("core-b", ["trust"]),
    stack("trust"),
  ],
};

const SOURCE = {
  url: "https://github.com/acme/retail-mesh.git",
  projectPath: "fleet",
  branch: "refs/heads/main",
  auth: { personalAccessToken: "ghp_not-a-token" },
};
const WORKSPACE: RemoteWorkspaceOptions = {
  envVars: { PULUMI_CONFIG_PASSPHRASE: { secret: "pass" } },
  preRunCommands: ["npm ci"],
};

/** Stands in for `RemoteWorkspace.createOrSelectStack`: records what it is given and each operation, on a logical clock. */
class RecordingDeployments {
  readonly opened: { args: RemoteGitProgramArgs; opts: RemoteWorkspaceOptions | undefined }[] = [];
  readonly events: string[] = [];
  running = 0;
  maxRunning = 0;
  readonly open = async (
    args: RemoteGitProgramArgs,
    opts?: RemoteWorkspaceOptions,
  ): Promise<RemoteFleetStack> => {
    this.opened.push({ args, opts });
    const name = args.stackName.split("/")[2]!;
    const op = async (kind: string, onOutput?: (out: string) => void): Promise<void> => {
      this.events.push(`${kind} ${name}`);
      this.running++;
      this.maxRunning = Math.max(this.maxRunning, this.running);
      onOutput?.(`${kind} of ${name}\n\n`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      this.running--;
      this.events.push(`done ${name}`);
    };
    return {
      preview: async (o) => (await op("preview", o?.onOutput), {}) as never,
      up: async (o) => {
        await op("up", o?.onOutput);
        return { outputs: { stack: { value: name, secret: false } } } as unknown as UpResult;
      },
      destroy: async (o) => (await op("destroy", o?.onOutput), {}) as never,
    };
  };
}

describe("remoteWorkspace: the fleet on Pulumi Deployments (RemoteWorkspace stood in for; not run against Pulumi Cloud)", () => {
  it("opens each stack by its fully qualified name from the fleet's Git source, with the workspace options", async () => {
    const deployments = new RecordingDeployments();
    const lines: string[] = [];
    const result = await runFleet(FLEET, "up", {
      concurrency: 2,
      workspace: remoteWorkspace({
        source: SOURCE,
        workspace: WORKSPACE,
        onOutput: (l) => lines.push(l),
        createOrSelectStack: deployments.open,
      }),
    });
    assert.equal(result.ok, true);
    assert.deepEqual(
      deployments.opened.map((o) => o.args),
      ["trust", "core-a", "core-b", "edge-a", "edge-b"].map((s) => ({
        ...SOURCE,
        stackName: `acme/retail/${s}`,
      })),
    );
    for (const o of deployments.opened) assert.equal(o.opts, WORKSPACE);
    assert.deepEqual(result.stacks["edge-b"], {
      status: "succeeded",
      outputs: { stack: { value: "edge-b", secret: false } },
    });
    assert.deepEqual(lines.slice(0, 1), ["[trust] up of trust"]);
  });

  it("runs up in dependency order, at most `concurrency` at once; destroy in reverse", async () => {
    const up = new RecordingDeployments();
    await runFleet(FLEET, "up", {
      concurrency: 2,
      workspace: remoteWorkspace({ source: SOURCE, createOrSelectStack: up.open }),
    });
    assert.equal(up.maxRunning, 2);
    assert.deepEqual(up.events.slice(0, 4), ["up trust", "done trust", "up core-a", "up core-b"]);
    const down = new RecordingDeployments();
    await runFleet(FLEET, "destroy", {
      concurrency: 1,
      workspace: remoteWorkspace({ source: SOURCE, createOrSelectStack: down.open }),
    });
    assert.equal(down.maxRunning, 1);
    assert.deepEqual(
      down.events.filter((e) => e.startsWith("destroy")),
      ["edge-a", "edge-b", "core-a", "core-b", "trust"].map((s) => `destroy ${s}`),
    );
    const preview = new RecordingDeployments();
    await runFleet(FLEET, "preview", {
      concurrency: 8,
      workspace: remoteWorkspace({ source: SOURCE, createOrSelectStack: preview.open }),
    });
    assert.equal(preview.maxRunning, 2);
    assert.equal(preview.events.filter((e) => e.startsWith("preview")).length, 5);
  });

  it("refuses a fleet without an organization before opening any stack", async () => {
    const deployments = new RecordingDeployments();
    const result = await runFleet({ ...FLEET, organization: undefined }, "up", {
      workspace: remoteWorkspace({ source: SOURCE, createOrSelectStack: deployments.open }),
    });
    assert.equal(result.ok, false);
    const trust = result.stacks.trust!;
    assert.equal(trust.status, "failed");
    assert.equal(
      trust.status === "failed" ? trust.error.message : "",
      "organization: is not set on fleet retail; got undefined, expected your Pulumi Cloud organization. Set organization in meshFleet (or the Fleet): Deployments run stacks by their fully qualified name, and the StackReferences name the same organization.",
    );
    assert.deepEqual(result.stacks["core-a"], { status: "skipped", because: ["trust"] });
    assert.equal(deployments.opened.length, 0);
  });
});
