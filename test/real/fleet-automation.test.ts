/**
 * The fleet driver on Pulumi's real Automation API: the real Pulumi CLI built by build-tools.sh, a
 * local backend in a temporary directory, passphrase secrets, no plugin downloads. Four stacks
 * (trust → two regions → wiring) of inline programs; each program waits a little, so that stacks that
 * run together really overlap, and reads its upstream stacks' outputs through real StackReferences.
 *
 * Proves: `up` in dependency order with two regions side by side (concurrency 2); StackReference
 * values and secrecy through the real engine, and the secret only as ciphertext in the state files
 * (trust's outputs, the StackReference's state in region-a); `preview` one at a time (concurrency 1); `destroy` in
 * reverse order, leaving every stack empty. How long the CLI takes per stack varies with the machine's
 * load, so the regions' programs meet (each waits for the other to start) rather than rely on timing.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace, PulumiCommand, type LocalWorkspaceOptions } from "@pulumi/pulumi/automation";
import {
  automationWorkspace,
  runFleet,
  type Fleet,
  type FleetOperation,
  type FleetWorkspace,
} from "../../lib/fleet";
import { REAL_CACHE, tool } from "./support/tools";

/** When each program ran (inline programs run in this process). */
const programRuns: { stack: string; start: number; end: number }[] = [];
/**
 * While set, each region's program waits (up to 3 minutes) until the other region's program has
 * started too: both must be in flight in this process at once, or the run fails.
 */
let rendezvous: { arrived: Set<string>; wake: (() => void)[] } | undefined;
const meet = async (stack: string): Promise<void> => {
  const r = rendezvous;
  if (r === undefined || !stack.startsWith("region-")) return;
  r.arrived.add(stack);
  if (r.arrived.size === 2) r.wake.splice(0).forEach((w) => w());
  else
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${stack}: the other region's program never ran alongside`)),
        180_000,
      );
      r.wake.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
};
const timed =
  (stack: string, body: () => Record<string, unknown>) => async (): Promise<Record<string, unknown>> => {
    const start = Date.now();
    await meet(stack);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const outputs = body();
    programRuns.push({ stack, start, end: Date.now() });
    return outputs;
  };

/** A secret trust exports and the regions read through their StackReference. */
const SECRET = "fleet-secret-k3y";

const FLEET: Fleet = {
  project: "isthmus-fleet-real",
  stacks: [
    { name: "trust", program: timed("trust", () => ({ root: "root-1", key: pulumi.secret(SECRET) })) },
    ...["region-a", "region-b"].map((name) => ({
      name,
      dependsOn: ["trust"],
      program: (ctx: Parameters<Fleet["stacks"][number]["program"]>[0]) =>
        timed(name, () => {
          const trust = ctx.ref("trust");
          return {
            address: pulumi.interpolate`${name}.${trust.getOutput("root")}`,
            keyLength: trust.getOutput("key").apply((k: string) => k.length),
          };
        })(),
    })),
    {
      name: "wiring",
      dependsOn: ["region-a", "region-b"],
      program: (ctx) =>
        timed("wiring", () => ({
          links: pulumi
            .all([ctx.ref("region-a").getOutput("address"), ctx.ref("region-b").getOutput("address")])
            .apply(([a, b]) => `${String(a)}<->${String(b)}`),
        }))(),
    },
  ],
};

/** The driver's view: when each stack's operation started and ended. */
class Timeline implements FleetWorkspace {
  readonly spans: { stack: string; start: number; end: number }[] = [];
  constructor(private readonly inner: FleetWorkspace) {}
  async run(fleet: Fleet, stack: Fleet["stacks"][number], operation: FleetOperation) {
    const start = Date.now();
    try {
      return await this.inner.run(fleet, stack, operation);
    } finally {
      this.spans.push({ stack: stack.name, start, end: Date.now() });
    }
  }
  span(stack: string): { start: number; end: number } {
    const s = this.spans.find((x) => x.stack === stack);
    assert.ok(s, `${stack} never ran`);
    return s;
  }
}

const overlap = (a: { start: number; end: number }, b: { start: number; end: number }): boolean =>
  a.start < b.end && b.start < a.end;

describe("fleet driver on the Automation API (real Pulumi CLI, local backend)", function () {
  this.timeout(600_000);
  let home: string;
  let options: LocalWorkspaceOptions;

  before(async () => {
    home = mkdtempSync(join(tmpdir(), "isthmus-real-fleet-"));
    mkdirSync(join(home, "state"));
    tool("pulumi");
    const pulumiCommand = await PulumiCommand.get({ root: REAL_CACHE, skipVersionCheck: true });
    options = {
      pulumiCommand,
      pulumiHome: join(home, ".pulumi"),
      secretsProvider: "passphrase",
      envVars: {
        PATH: [join(REAL_CACHE, "bin"), dirname(process.execPath), process.env.PATH ?? "/usr/bin:/bin"].join(
          ":",
        ),
        HOME: home,
        PULUMI_BACKEND_URL: `file://${join(home, "state")}`,
        PULUMI_CONFIG_PASSPHRASE: randomBytes(16).toString("hex"),
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        NO_COLOR: "1",
      },
    };
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  it("runs up in dependency order, the two regions side by side, wired by real StackReferences", async () => {
    const timeline = new Timeline(automationWorkspace({ workspace: options }));
    rendezvous = { arrived: new Set(), wake: [] };
    const result = await runFleet(FLEET, "up", { concurrency: 2, workspace: timeline }).finally(() => {
      rendezvous = undefined;
    });
    assert.equal(
      result.ok,
      true,
      JSON.stringify(result.stacks, (_k, v: unknown) => (v instanceof Error ? v.message : v)),
    );
    const [trust, a, b, wiring] = ["trust", "region-a", "region-b", "wiring"].map((s) => timeline.span(s));
    assert.ok(trust!.end <= a!.start && trust!.end <= b!.start, "a region started before trust was up");
    assert.ok(
      a!.end <= wiring!.start && b!.end <= wiring!.start,
      "wiring started before both regions were up",
    );
    assert.ok(overlap(a!, b!), `the regions ran one after the other: ${JSON.stringify(timeline.spans)}`);
    // The programs themselves overlapped in this process (parallel inline programs): each waited for
    // the other to start.
    const runs = (s: string) => programRuns.find((r) => r.stack === s)!;
    assert.ok(overlap(runs("region-a"), runs("region-b")), JSON.stringify(programRuns));

    assert.deepEqual(result.stacks.wiring!.outputs?.links, {
      value: "region-a.root-1<->region-b.root-1",
      secret: false,
    });
    assert.deepEqual(result.stacks["region-a"]!.outputs?.keyLength, { value: SECRET.length, secret: true });
    assert.equal(result.stacks.trust!.outputs?.key?.secret, true);
    // At rest in the backend (the local backend's state files; `exportStack` would decrypt), the
    // secret is ciphertext: in trust's outputs and in the StackReference's state through which
    // region-a read it — what the offline engine records as secret.
    for (const name of ["trust", "region-a"]) {
      const state = readFileSync(
        join(home, "state", ".pulumi", "stacks", FLEET.project, `${name}.json`),
        "utf8",
      );
      const at = state.indexOf(SECRET);
      assert.ok(
        at < 0,
        `${name}: the secret is in plain text in its state: …${state.slice(at - 200, at + 50)}`,
      );
      assert.match(state, /"ciphertext"/, name);
    }
    assert.match(
      readFileSync(join(home, "state", ".pulumi", "stacks", FLEET.project, "region-a.json"), "utf8"),
      /pulumi:pulumi:StackReference/,
    );
  });

  it("previews one stack at a time with concurrency 1, in dependency order", async () => {
    const timeline = new Timeline(automationWorkspace({ workspace: options }));
    const result = await runFleet(FLEET, "preview", { concurrency: 1, workspace: timeline });
    assert.equal(result.ok, true);
    const spans = [...timeline.spans].sort((x, y) => x.start - y.start);
    assert.deepEqual(
      spans.map((s) => s.stack),
      ["trust", "region-a", "region-b", "wiring"],
    );
    for (let i = 1; i < spans.length; i++)
      assert.ok(spans[i - 1]!.end <= spans[i]!.start, JSON.stringify(spans));
  });

  it("destroys in reverse order and leaves every stack empty", async () => {
    const timeline = new Timeline(automationWorkspace({ workspace: options }));
    const result = await runFleet(FLEET, "destroy", { concurrency: 2, workspace: timeline });
    assert.equal(result.ok, true);
    const [trust, a, b, wiring] = ["trust", "region-a", "region-b", "wiring"].map((s) => timeline.span(s));
    assert.ok(
      wiring!.end <= a!.start && wiring!.end <= b!.start,
      "a region went before the wiring that reads it",
    );
    assert.ok(a!.end <= trust!.start && b!.end <= trust!.start, "trust went before a region that reads it");
    assert.ok(
      overlap(a!, b!),
      `the regions were destroyed one after the other: ${JSON.stringify(timeline.spans)}`,
    );
    for (const s of FLEET.stacks) {
      const stack = await LocalWorkspace.selectStack(
        { projectName: FLEET.project, stackName: s.name, program: async () => ({}) },
        options,
      );
      const state = (await stack.exportStack()).deployment as { resources?: unknown[] };
      assert.deepEqual(state.resources ?? [], [], s.name);
    }
  });
});
