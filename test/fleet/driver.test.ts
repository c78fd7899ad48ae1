import { strict as assert } from "node:assert";
import type { OutputMap } from "@pulumi/pulumi/automation";
import {
  fleetProblems,
  renderStackGraph,
  runFleet,
  stackGraph,
  type Fleet,
  type FleetOperation,
  type FleetStack,
  type FleetWorkspace,
} from "../../lib/fleet";
import { formatProblem } from "../../lib/core";

const stack = (name: string, dependsOn: string[] = []): FleetStack => ({
  name,
  dependsOn,
  program: () => ({}),
});

/** trust → two regions → four edges → wiring: the shape of a mesh fleet. */
const FLEET: Fleet = {
  project: "demo",
  stacks: [
    stack("wiring", ["region-a", "region-b", "edge-a1", "edge-a2", "edge-b1", "edge-b2"]),
    stack("edge-a1", ["region-a"]),
    stack("edge-a2", ["region-a"]),
    stack("edge-b1", ["region-b"]),
    stack("edge-b2", ["region-b"]),
    stack("region-a", ["trust"]),
    stack("region-b", ["trust"]),
    stack("trust"),
  ],
};

/**
 * A workspace that records every run: when it started and ended (on a logical clock), and how many
 * ran at once. Each run takes `ms` of real time, so overlapping runs really overlap.
 */
class RecordingWorkspace implements FleetWorkspace {
  readonly events: string[] = [];
  readonly started = new Map<string, number>();
  readonly ended = new Map<string, number>();
  running = 0;
  maxRunning = 0;
  private clock = 0;
  constructor(
    private readonly ms: number,
    private readonly failing: readonly string[] = [],
  ) {}
  async run(_fleet: Fleet, s: FleetStack, operation: FleetOperation): Promise<OutputMap | undefined> {
    this.started.set(s.name, this.clock++);
    this.events.push(`start ${s.name}`);
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    await new Promise((resolve) => setTimeout(resolve, this.ms));
    this.running--;
    this.ended.set(s.name, this.clock++);
    this.events.push(`end ${s.name}`);
    if (this.failing.includes(s.name)) throw new Error(`${s.name} failed`);
    return operation === "up" ? { name: { value: s.name, secret: false } } : undefined;
  }
}

describe("fleet stack graph", () => {
  it("orders the stacks by level, whatever order they are given in", () => {
    const graph = stackGraph(FLEET);
    assert.deepEqual(graph.levels, [
      ["trust"],
      ["region-a", "region-b"],
      ["edge-a1", "edge-a2", "edge-b1", "edge-b2"],
      ["wiring"],
    ]);
    assert.deepEqual(graph.dependents.trust, ["region-a", "region-b"]);
    assert.equal(
      renderStackGraph(graph),
      [
        "level 0:",
        "  trust",
        "level 1:",
        "  region-a ← trust",
        "  region-b ← trust",
        "level 2:",
        "  edge-a1 ← region-a",
        "  edge-a2 ← region-a",
        "  edge-b1 ← region-b",
        "  edge-b2 ← region-b",
        "level 3:",
        "  wiring ← edge-a1, edge-a2, edge-b1, edge-b2, region-a, region-b",
      ].join("\n"),
    );
  });

  it("reports unknown and self dependencies, repeated and malformed names, all at once", () => {
    const fleet: Fleet = {
      project: "demo",
      stacks: [stack("trust"), stack("trust"), stack("Region_A", ["trus"]), stack("b", ["b"])],
    };
    assert.deepEqual(fleetProblems(fleet).map(formatProblem), [
      'stacks[1].name: repeats stacks[0].name; got "trust", expected a name no other stack has. Give every stack its own name.',
      "stacks[2].name: is not a DNS-1123 label; got \"Region_A\", expected lower-case letters, digits and '-', at most 63. Name the stack like a cluster id, e.g. core-us.",
      'stacks.Region_A.dependsOn[0]: is not a stack of this fleet; got "trus", expected one of trust, b. Name a stack of the fleet. Did you mean "trust"?',
      'stacks.b.dependsOn[0]: is the stack itself; got "b", expected another stack. Remove it: a stack cannot read its own outputs.',
    ]);
  });

  it("refuses a cycle, naming it", () => {
    const fleet: Fleet = {
      project: "demo",
      stacks: [stack("a", ["c"]), stack("b", ["a"]), stack("c", ["b"])],
    };
    assert.throws(
      () => stackGraph(fleet),
      (e: Error) =>
        e.message ===
        'fleet demo: 1 problem:\n  - stacks.a.dependsOn: closes a cycle a → c → b → a; got ["c"], expected a graph without cycles. Move what both stacks need into a third stack they both depend on.',
    );
  });
});

describe("fleet driver (fake workspace: ordering and the concurrency bound, offline)", () => {
  it("runs up in dependency order, at most `concurrency` stacks at once, and returns each stack's outputs", async () => {
    const ws = new RecordingWorkspace(30);
    const result = await runFleet(FLEET, "up", { concurrency: 2, workspace: ws });
    assert.equal(result.ok, true);
    assert.equal(ws.maxRunning, 2);
    const graph = stackGraph(FLEET);
    for (const [name, deps] of Object.entries(graph.dependsOn)) {
      for (const d of deps)
        assert.ok(ws.ended.get(d)! < ws.started.get(name)!, `${name} started before ${d} ended`);
    }
    assert.deepEqual(result.stacks["edge-b2"], {
      status: "succeeded",
      outputs: { name: { value: "edge-b2", secret: false } },
    });
    // The four edges are independent: two of them run side by side.
    assert.deepEqual(ws.events.slice(0, 6), [
      "start trust",
      "end trust",
      "start region-a",
      "start region-b",
      "end region-a",
      "start edge-a1",
    ]);
  });

  it("runs the four edges all at once when the bound allows, and one at a time with concurrency 1", async () => {
    const wide = new RecordingWorkspace(30);
    await runFleet(FLEET, "preview", { concurrency: 8, workspace: wide });
    assert.equal(wide.maxRunning, 4);
    const serial = new RecordingWorkspace(5);
    await runFleet(FLEET, "preview", { concurrency: 1, workspace: serial });
    assert.equal(serial.maxRunning, 1);
    assert.deepEqual(
      serial.events.filter((e) => e.startsWith("start")),
      ["trust", "region-a", "region-b", "edge-a1", "edge-a2", "edge-b1", "edge-b2", "wiring"].map(
        (n) => `start ${n}`,
      ),
    );
  });

  it("destroys in reverse order: a stack goes only after every stack that reads it", async () => {
    const ws = new RecordingWorkspace(10);
    const result = await runFleet(FLEET, "destroy", { concurrency: 3, workspace: ws });
    assert.equal(result.ok, true);
    const graph = stackGraph(FLEET);
    for (const [name, readers] of Object.entries(graph.dependents)) {
      for (const r of readers)
        assert.ok(ws.ended.get(r)! < ws.started.get(name)!, `${name} destroyed before ${r}`);
    }
    assert.equal(ws.events[0], "start wiring");
    assert.equal(ws.events.at(-1), "end trust");
    assert.equal(ws.maxRunning, 3);
  });

  it("skips what depends on a failed stack, and still runs the independent ones", async () => {
    const ws = new RecordingWorkspace(5, ["region-a"]);
    const result = await runFleet(FLEET, "up", { concurrency: 4, workspace: ws });
    assert.equal(result.ok, false);
    assert.equal(result.stacks["region-a"]!.status, "failed");
    assert.deepEqual(result.stacks["edge-a1"], { status: "skipped", because: ["region-a"] });
    assert.deepEqual(result.stacks.wiring, {
      status: "skipped",
      because: ["edge-a1", "edge-a2", "region-a"],
    });
    assert.equal(result.stacks["edge-b1"]!.status, "succeeded");
    assert.ok(!ws.started.has("edge-a1") && !ws.started.has("wiring"));
  });

  it("refuses a concurrency that is not a positive integer", async () => {
    await assert.rejects(
      runFleet(FLEET, "up", { concurrency: 0, workspace: new RecordingWorkspace(1) }),
      (e: Error) =>
        e.message ===
        "concurrency: is not a positive integer; got 0, expected 1 or more. Pass how many stacks may run at once.",
    );
  });
});
