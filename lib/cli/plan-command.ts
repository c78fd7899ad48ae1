/**
 * `isthmus plan`: evaluates a Pulumi program with the offline engine and writes what it would create.
 */
import * as path from "node:path";
import { freshOutDir } from "./out-dir";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { runOffline, type OfflineEngine } from "../testing/offline-engine";
import type { RecordedResource } from "../testing/recorded-resource";
import { OfflineRefusal } from "../testing/reality-rules";
import type { Fleet } from "../fleet/fleet";
import type { FleetPlan } from "../fleet/offline";
import { isFleetProgram } from "../fleet/program";
import { planFleetProgram } from "./fleet-plan";
import { renderMermaid } from "./graph";
import { helmValuesPath, helmValuesText, type HelmReleaseFile } from "../core/helm-values-file";
import { MeshSpecError } from "../core/problems";
import { loadProgram, ProgramError } from "./program";
import { REDACTED, redactResource, scrub } from "./redact";
import { countByCluster, countByType, renderTree } from "./tree";

/** What a value unknown until deployment (in a preview) is shown as, never Pulumi's internal marker. */
export const UNKNOWN = "[unknown until apply]";

/** The first line of a preview's report. */
export const PREVIEW_HEADER =
  "First preview: what `pulumi preview` shows for a new stack. Values the clouds compute (endpoints, " +
  `addresses, ids, keys) are ${UNKNOWN}.`;

/** Options of {@link planProgram}. */
export interface PlanOptions {
  /**
   * A stack config file (`Pulumi.<stack>.yaml` format) to evaluate the program with.
   * @default - the project's config defaults from Pulumi.yaml
   */
  readonly configFile?: string;
  /**
   * Where to write the per-cluster manifests, plan.json and graph.md.
   * @default - nothing is written
   */
  readonly outDir?: string;
  /**
   * Evaluate as a preview.
   * @default false
   */
  readonly preview?: boolean;
}

/** What a plan produced. */
export interface PlanResult {
  readonly project: string;
  readonly resources: readonly RecordedResource[];
  /** The stack outputs, secrets replaced by `[secret]`. */
  readonly outputs: Record<string, unknown>;
  /** The mesh plans of every MultiClusterMesh in the program. */
  readonly meshPlans: Record<string, unknown>;
  /** The human-readable report (tree and counts). */
  readonly report: string;
  /** Files written, relative to outDir. */
  readonly files: readonly string[];
  /** For a fleet (a main exporting `fleetProgram(fleet)`): every stack's plan; resources then stay empty. */
  readonly fleet?: FleetPlan;
}

/** The frames an error raised during an offline plan keeps: its origin, past a native call or two. */
const PROGRAM_ERROR_FRAMES = 4;

/** Evaluates the program in `dir` offline. */
export async function planProgram(dir: string, options: PlanOptions = {}): Promise<PlanResult> {
  const program = loadProgram(dir, options.configFile);
  forgetProgramModules(dir);
  if (/\.[cm]?tsx?$/.test(program.main)) loadTypeScript();
  const label = displayPath(program.main);
  let run: Awaited<ReturnType<typeof runOffline<unknown>>>;
  let fleet: Fleet | undefined;
  try {
    run = await runOffline(
      async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const exported: unknown = require(program.main);
        if (isFleetProgram(exported)) {
          fleet = exported.fleet;
          return undefined;
        }
        const value = typeof exported === "function" ? await (exported as () => unknown)() : exported;
        return value;
      },
      {
        project: program.project,
        stack: "offline",
        config: program.config,
        preview: options.preview ?? false,
        // Enough frames to tell the program's own errors from isthmus's (see programFailure).
        stackTraceLimit: PROGRAM_ERROR_FRAMES,
      },
    );
  } catch (error) {
    throw programFailure(error, label, options.configFile);
  }
  if (fleet !== undefined) {
    const planned = await planFleetProgram(fleet, program.config, options).catch((error: unknown) => {
      throw programFailure(error, label, options.configFile);
    });
    return {
      project: program.project,
      resources: [],
      outputs: {},
      meshPlans: {},
      report: planned.report,
      files: planned.files,
      fleet: planned.plan,
    };
  }
  const { engine, result } = run;
  const outputs = await resolveOutputs(result);
  const resources = engine.resources;
  if (resources.length === 0) {
    throw new ProgramError(
      `${label}: the program registered no resources; expected a program that creates a mesh. Check that Pulumi.yaml's main names the program.`,
    );
  }
  const clusterOf = (r: RecordedResource): string | undefined => engine.clusterOf(r);
  const meshPlans = Object.fromEntries(
    resources.filter((r) => r.type === "isthmus:mesh:MultiClusterMesh").map((r) => [r.name, r.outputs.plan]),
  );

  const report = [
    ...(options.preview ? [PREVIEW_HEADER, ""] : []),
    `Offline plan of ${program.project} (${label})`,
    "",
    renderTree(resources, clusterOf),
    "",
    `${resources.length} resources by type:`,
    ...countByType(resources).map(([type, n]) => `  ${String(n).padStart(4)}  ${type}`),
    "",
    "Kubernetes resources by cluster:",
    ...countByCluster(resources, clusterOf).map(([c, n]) => `  ${String(n).padStart(4)}  ${c}`),
  ].join("\n");

  const files =
    options.outDir === undefined
      ? []
      : writePlan(options.outDir, program.project, engine, outputs, meshPlans);
  return { project: program.project, resources, outputs, meshPlans, report, files };
}

/**
 * What an error the program raised means for the user: their mistake (bad config, a spec problem, a
 * throw in their own code) becomes a {@link ProgramError} naming the program; anything raised inside
 * isthmus itself stays as it is, a bug.
 */
export function programFailure(error: unknown, label: string, configFile: string | undefined): unknown {
  if (!(error instanceof Error) || error instanceof ProgramError || error instanceof MeshSpecError)
    return error;
  if (pulumi.InputPropertiesError.isInstance(error)) return error;
  const message = error.message;
  // The plan fails where the cloud would: the program's doing, not a bug of isthmus.
  if (error instanceof OfflineRefusal) return new ProgramError(`${label}: ${message}`);
  const frame = firstOwnFrame(error);
  const where =
    configFile === undefined ? "a stack config file and pass it with --config <file>" : configFile;
  // Config errors are RunErrors; ConfigMissingError (not exported by the SDK) carries the key.
  const missing = /^Missing required configuration variable '([^']+)'/.exec(message)?.[1];
  if (pulumi.RunError.isInstance(error) && missing !== undefined) {
    return new ProgramError(
      `${label}: missing required configuration variable '${missing}'; add "${missing}: <value>" under config: in ${where}.`,
    );
  }
  if (pulumi.RunError.isInstance(error) || pulumi.ResourceError.isInstance(error)) {
    return new ProgramError(`${label}: ${message.split("\n")[0]}`);
  }
  if (frame !== undefined && !frame.startsWith(ISTHMUS_ROOT)) {
    const at = displayPath(frame);
    return new ProgramError(`${label}: the program failed: ${message}${at === label ? "" : ` (at ${at})`}`);
  }
  return error;
}

/** A path as the user named it: relative to the working directory when inside it. */
function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative === "" || relative.startsWith("..") ? file : relative;
}

/** isthmus's own code (lib/ in a checkout, dist/ when installed). */
const ISTHMUS_ROOT = path.resolve(__dirname, "..") + path.sep;

/** The file of the first stack frame outside node_modules and Node itself. */
function firstOwnFrame(error: Error): string | undefined {
  for (const line of (error.stack ?? "").split("\n").slice(1)) {
    const match = /\(?((?:file:\/\/)?\/[^():]+):\d+:\d+\)?\s*$/.exec(line);
    if (match === null) continue;
    const file = match[1]!.replace(/^file:\/\//, "");
    if (file.includes(`${path.sep}node_modules${path.sep}`)) continue;
    return file;
  }
  return undefined;
}

/**
 * Lets `require` load a TypeScript program, the way the Pulumi CLI does (Pulumi uses ts-node; isthmus
 * uses tsx, which needs no tsconfig). Only here: isthmus itself is compiled JavaScript and never
 * needs a TypeScript loader; when one is already active (tsx, ts-node) it is kept.
 */
function loadTypeScript(): void {
  if (require.extensions[".ts"] !== undefined) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require("tsx/cjs");
}

/**
 * Drops the program's own modules from Node's module cache, so that planning a program a second
 * time in one process evaluates it again: a cached module would return its old exports and register
 * nothing. Dependencies (`node_modules`) and isthmus itself stay cached; they register nothing when
 * loaded.
 */
function forgetProgramModules(dir: string): void {
  const root = path.resolve(dir) + path.sep;
  const isthmus = path.resolve(__dirname, "..") + path.sep;
  for (const file of Object.keys(require.cache)) {
    if (
      file.startsWith(root) &&
      !file.startsWith(isthmus) &&
      !file.includes(`${path.sep}node_modules${path.sep}`)
    ) {
      delete require.cache[file];
    }
  }
}

/** Stack outputs with secrets replaced. */
async function resolveOutputs(exported: unknown): Promise<Record<string, unknown>> {
  if (typeof exported !== "object" || exported === null) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(exported)) {
    if (key === "__esModule" || typeof value === "function") continue;
    const output = pulumi.output(value);
    const secret = await pulumi.isSecret(output);
    // In a preview many outputs are unknown, and an unknown output never applies.
    const known = await (output as unknown as { isKnown: Promise<boolean> }).isKnown;
    out[key] = secret
      ? REDACTED
      : known
        ? scrub(await new Promise((resolve) => output.apply(resolve)))
        : UNKNOWN;
  }
  return out;
}

function writePlan(
  outDir: string,
  project: string,
  engine: OfflineEngine,
  outputs: Record<string, unknown>,
  meshPlans: Record<string, unknown>,
): string[] {
  const { write, files } = freshOutDir(outDir);

  const redacted = engine.resources.map((r) => readableUnknowns(redactResource(r)) as RecordedResource);
  const used = new Set<string>();
  redacted.forEach((r, i) => {
    const original = engine.resources[i]!;
    // Objects only: a resource read back (a filled token, a load balancer) is not something to apply.
    if (!r.type.startsWith("kubernetes:") || r.read) return;
    const cluster = engine.clusterOf(original) ?? "_unassigned";
    const release = helmRelease(r);
    if (release !== undefined) {
      // Not a Kubernetes object: apart from the folder a GitOps tool applies.
      write(helmValuesPath(cluster, release.release), helmValuesText(release));
      return;
    }
    const name = manifestName(r);
    let file = `${cluster}/${name}.yaml`;
    for (let n = 2; used.has(file); n++) file = `${cluster}/${name}-${n}.yaml`;
    used.add(file);
    write(file, stringify(r.inputs));
  });

  const planJson = {
    project,
    meshPlans: readableUnknowns(scrub(meshPlans)),
    outputs: readableUnknowns(outputs),
    resources: redacted.map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.name,
      ...(r.parent ? { parent: r.parent } : {}),
      ...(r.provider ? { provider: r.provider.split("::").slice(0, -1).join("::") } : {}),
      cluster: engine.clusterOf(engine.byUrn(r.urn) ?? r),
      dependencies: r.dependencies,
      secretPaths: r.secretPaths,
      inputs: r.inputs,
    })),
  };
  write("plan.json", `${JSON.stringify(planJson, null, 2)}\n`);
  write("graph.md", renderMermaid(redacted, `Stack graph of ${project}`));
  return files.sort();
}

/** A copy of `value` where Pulumi's internal unknown marker reads {@link UNKNOWN}, at any depth. */
export function readableUnknowns(value: unknown): unknown {
  if (typeof value === "string") return value.split(pulumi.runtime.unknownValue).join(UNKNOWN);
  if (Array.isArray(value)) return value.map(readableUnknowns);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, readableUnknowns(v)]));
}

/** A Helm release's chart and values, or `undefined` for any other resource. */
function helmRelease(r: RecordedResource): HelmReleaseFile | undefined {
  if (r.type !== "kubernetes:helm.sh/v3:Release") return undefined;
  const inputs = r.inputs as Record<string, unknown>;
  return {
    release: String(inputs.name ?? r.name),
    namespace: String(inputs.namespace ?? "default"),
    chart: String(inputs.chart),
    version: String(inputs.version),
    repository: String((inputs.repositoryOpts as { repo?: string } | undefined)?.repo),
    values: inputs.values ?? {},
  };
}

/** A Kubernetes object's file name: `<kind>-<namespace>-<name>`. */
function manifestName(r: RecordedResource): string {
  const inputs = r.inputs as Record<string, unknown>;
  const metadata = (inputs.metadata ?? {}) as { name?: string; namespace?: string };
  const kind = String(inputs.kind ?? r.type.split(":").pop()).toLowerCase();
  return [kind, metadata.namespace, metadata.name ?? r.name].filter((x) => x !== undefined).join("-");
}
