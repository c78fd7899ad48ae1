/**
 * The offline engine: Pulumi's mock runtime with a recording monitor.
 *
 * It evaluates a Pulumi program without credentials or a Pulumi CLI and keeps, for every resource,
 * its type, name, parent, provider, inputs (with secret paths), outputs and dependencies. Outputs are
 * realistic per type ({@link mockOutputs}); unknown provider functions are refused, so a program
 * never silently works offline on a value it would not get for real. `isthmus plan`, isthmus's own
 * tests and users' tests all run on it.
 *
 * A latency per resource type makes registrations take time the way `pulumi up` does: the mock
 * runtime waits on real input and `dependsOn` edges, so the wall time of a run is the critical path
 * of the stack graph (the bench's simulated deploy time).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- the SDK's MockMonitor types its gRPC requests as `any` */
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import * as settingsModule from "@pulumi/pulumi/runtime/settings";
import * as stateModule from "@pulumi/pulumi/runtime/state";
import { MOCK_CALLS, mockOutputs } from "./mock-outputs";
import { refusal, type AlreadyInPlace, type RealityView } from "./reality-rules";
import type { RecordedCall, RecordedResource } from "./recorded-resource";

/** Options of an offline run. */
export interface OfflineEngineOptions {
  /**
   * The Pulumi project name.
   * @default "isthmus"
   */
  readonly project?: string;
  /**
   * The stack name.
   * @default "offline"
   */
  readonly stack?: string;
  /**
   * Evaluate as a preview (`pulumi preview`) rather than an update.
   * @default false
   */
  readonly preview?: boolean;
  /**
   * Stack configuration, keys as `<namespace>:<key>` (`isthmus:mesh`, `aws:region`), values as
   * strings (objects JSON-encoded), exactly as `pulumi config` stores them.
   * @default {}
   */
  readonly config?: Readonly<Record<string, string>>;
  /**
   * Milliseconds each registration of a type takes, to simulate deploy time.
   * @default - no delay
   */
  readonly latency?: (type: string) => number;
  /**
   * Extra provider functions to answer, by token; they take precedence over the built-in ones.
   * @default {}
   */
  readonly calls?: Readonly<Record<string, (inputs: Record<string, unknown>) => Record<string, unknown>>>;
  /**
   * Keep source-mapped stack traces on during the run (slower: the SDK captures a stack per
   * resource and promise).
   * @default false
   */
  readonly sourceMaps?: boolean;
  /**
   * Prerequisites that exist outside the program (a controller already installed, APIs already
   * enabled), so that the engine's rules of what a real deployment needs do not refuse what depends on
   * them (see `reality-rules.ts`).
   * @default {}
   */
  readonly alreadyInPlace?: AlreadyInPlace;
  /**
   * The outputs of the stacks the program's `StackReference`s name (`<organization>/<project>/<stack>`),
   * each output `{ value, secret }` as the Automation API returns them. A reference to a stack missing
   * here fails, as it does against a backend that has no such stack.
   * @default {}
   */
  readonly stackOutputs?: Readonly<Record<string, StackOutputs>>;
}

/** One stack's outputs, as the Automation API returns them. */
export type StackOutputs = Readonly<Record<string, { readonly value: unknown; readonly secret?: boolean }>>;

// SDK internals the mock runtime itself uses; marked @internal, so not in the SDK's typings.
const settings = settingsModule as unknown as {
  setMockOptions(monitor: unknown, project?: string, stack?: string, preview?: boolean): void;
  waitForRPCs(): Promise<void>;
};
const state = stateModule as unknown as { getStore(): Record<string, unknown> };
type MutableRecord = { -readonly [K in keyof RecordedResource]: RecordedResource[K] };

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";

/** A recording, delaying mock monitor. */
class RecordingMonitor extends MockMonitor {
  readonly records: MutableRecord[] = [];
  /** Records by URN, and the latest record by `<type> <name>`: lookups stay O(1) in big stacks. */
  readonly byUrn = new Map<string, MutableRecord>();
  readonly latest = new Map<string, MutableRecord>();
  readonly callsMade: RecordedCall[] = [];
  /** Registrations refused as the real system would refuse them, in order. */
  readonly refusals: Error[] = [];
  /** Resolves at the first refusal: what depends on a refused resource never settles its RPCs. */
  readonly refused: Promise<void>;
  private signalRefusal!: () => void;
  inFlight = 0;
  changes = 0;

  constructor(
    mocks: pulumi.runtime.Mocks,
    private readonly engine: OfflineEngine,
  ) {
    super(mocks);
    this.refused = new Promise((resolve) => (this.signalRefusal = resolve));
  }

  // The SDK types the request as `any`.
  override async registerResource(req: any, callback: (err: any, resp?: any) => void): Promise<void> {
    const urn = this.urnOf(req.getParent(), req.getType(), req.getName());
    const raw = req.getObject()?.toJavaScript() ?? {};
    const secretPaths: string[] = [];
    const inputs = unwrap(raw, "", secretPaths) as Record<string, unknown>;
    // Outputs the resource declares secret (a Secret's data and stringData) are secret in state too.
    for (const key of req.getAdditionalsecretoutputsList() as string[]) {
      if (inputs[key] !== undefined && !secretPaths.includes(key)) secretPaths.push(key);
    }
    const dependencies = new Set<string>(req.getDependenciesList());
    req.getPropertydependenciesMap().forEach((deps: any) => {
      for (const dep of deps.getUrnsList()) dependencies.add(dep);
    });
    dependencies.delete(urn);
    const record = {
      urn,
      type: req.getType() as string,
      name: req.getName() as string,
      custom: req.getCustom() as boolean,
      ...(req.getParent() ? { parent: req.getParent() as string } : {}),
      ...(req.getProvider() ? { provider: req.getProvider() as string } : {}),
      inputs,
      outputs: {} as Record<string, unknown>,
      dependencies: [...dependencies].sort(),
      secretPaths,
      outputSecretPaths: [] as string[],
      read: false,
    };
    this.remember(record);
    this.inFlight++;
    this.changes++;
    const done = (err: any, resp?: any): void => {
      this.inFlight--;
      this.changes++;
      if (!err && resp) {
        record.outputs = unwrap(
          resp.getObject()?.toJavaScript() ?? {},
          "",
          record.outputSecretPaths,
        ) as Record<string, unknown>;
      }
      callback(err, resp);
    };
    await this.delay(record.type);
    // What the real system would refuse fails here too, with its message.
    const refused = refusal(record, this.engine.reality);
    if (refused !== undefined) {
      const message = `failed to register new resource ${record.name} [${record.type}]: ${refused}`;
      this.refusals.push(new Error(message));
      this.signalRefusal();
      done(Object.assign(new Error(refused), { details: refused }));
      return;
    }
    await super.registerResource(req, done);
  }

  override async readResource(req: any, callback: (err: any, resp?: any) => void): Promise<void> {
    const urn = this.urnOf(req.getParent(), req.getType(), req.getName());
    const record = {
      urn,
      type: req.getType() as string,
      name: req.getName() as string,
      custom: true,
      ...(req.getParent() ? { parent: req.getParent() as string } : {}),
      ...(req.getProvider() ? { provider: req.getProvider() as string } : {}),
      inputs: { id: req.getId() as string },
      outputs: {} as Record<string, unknown>,
      dependencies: [...new Set<string>(req.getDependenciesList())].sort(),
      secretPaths: [] as string[],
      outputSecretPaths: [] as string[],
      read: true,
    };
    this.remember(record);
    this.inFlight++;
    this.changes++;
    await this.delay(record.type);
    const planned = this.engine.options.preview
      ? this.plannedObject(record.type, record.inputs.id)
      : undefined;
    if (
      record.type === STACK_REFERENCE &&
      this.engine.options.stackOutputs?.[record.inputs.id] === undefined
    ) {
      this.inFlight--;
      this.changes++;
      const message = `unknown stack "${record.inputs.id}": no stack of that name has outputs; give its outputs in OfflineEngineOptions.stackOutputs (a fleet plans its upstream stacks first)`;
      callback(Object.assign(new Error(message), { details: message }));
      return;
    }
    if (planned !== undefined) {
      // As in a real preview: the object is only planned, so there is nothing to read yet.
      this.inFlight--;
      this.changes++;
      const message = `resource '${record.inputs.id}' does not exist: ${planned.name} is only planned in this preview; read it with an id that is unknown until it is created`;
      callback(Object.assign(new Error(message), { details: message }));
      return;
    }
    await super.readResource(req, (err: any, resp?: any) => {
      this.inFlight--;
      this.changes++;
      if (!err && resp)
        record.outputs = unwrap(resp.getProperties()?.toJavaScript() ?? {}, "", []) as Record<
          string,
          unknown
        >;
      callback(err, resp);
    });
  }

  override async invoke(req: any, callback: (err: any, resp?: any) => void): Promise<void> {
    this.inFlight++;
    this.changes++;
    await super.invoke(req, (err: any, resp?: any) => {
      this.inFlight--;
      this.changes++;
      callback(err, resp);
    });
  }

  override registerResourceOutputs(req: any, callback: (err: any, resp?: any) => void): void {
    const record = this.byUrn.get(req.getUrn());
    if (record !== undefined) {
      const secrets: string[] = [];
      record.outputs = unwrap(req.getOutputs()?.toJavaScript() ?? {}, "", secrets) as Record<string, unknown>;
      record.outputSecretPaths = secrets;
    }
    super.registerResourceOutputs(req, callback);
  }

  /** What the SDK's program runner calls when the program is done (`pulumi up` through the runner). */
  signalAndWaitForShutdown(_req: unknown, callback: (err: unknown, resp?: unknown) => void): void {
    callback(null, {});
  }

  private remember(record: MutableRecord): void {
    this.records.push(record);
    this.byUrn.set(record.urn, record);
    this.latest.set(`${record.type} ${record.name}`, record);
  }

  /** A resource this run creates that a read of `type` and `id` (`<namespace>/<name>`) would find. */
  private plannedObject(type: string, id: string): MutableRecord | undefined {
    return this.records.find((r) => r.type === type && !r.read && sameObject(r, id));
  }

  /** The URN the mock monitor gives a registration (its own `newUrn` is private). */
  private urnOf(parent: string, type: string, name: string): string {
    return (
      MockMonitor.prototype as unknown as { newUrn(p: string, t: string, n: string): string }
    ).newUrn.call(this, parent, type, name);
  }

  private async delay(type: string): Promise<void> {
    const ms = this.engine.options.latency?.(type) ?? 0;
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  }
}

/** Unwraps the wire form of inputs: secrets (recording their paths) and resource references. */
function unwrap(value: unknown, path: string, secrets: string[]): unknown {
  if (Array.isArray(value)) return value.map((v, i) => unwrap(v, `${path}[${i}]`, secrets));
  if (typeof value !== "object" || value === null) return value;
  const obj = value as Record<string, unknown>;
  if (obj[SIG] === SECRET_SIG) {
    secrets.push(path === "" ? "(root)" : path);
    return unwrap(obj.value, path, []);
  }
  if (obj[SIG] === RESOURCE_SIG) return { urn: obj.urn, ...(obj.id === undefined ? {} : { id: obj.id }) };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = unwrap(v, path === "" ? k : `${path}.${k}`, secrets);
  return out;
}

/** A running offline evaluation: configure it, run a program, then read what it registered. */
export class OfflineEngine {
  readonly options: OfflineEngineOptions;
  private readonly monitor: RecordingMonitor;

  private constructor(options: OfflineEngineOptions) {
    this.options = options;
    const mocks: pulumi.runtime.Mocks = {
      newResource: (args) => this.outputsFor(args),
      call: (args) => this.answer(args),
    };
    this.monitor = new RecordingMonitor(mocks, this);
  }

  /** Installs a fresh offline engine as Pulumi's runtime (replacing any previous one). */
  static async start(options: OfflineEngineOptions = {}): Promise<OfflineEngine> {
    const engine = new OfflineEngine(options);
    const project = options.project ?? "isthmus";
    const stack = options.stack ?? "offline";
    const preview = options.preview ?? false;
    settings.setMockOptions(engine.monitor, project, stack, preview);
    // What pulumi.runtime.setMocks enables, for our own monitor.
    const store = state.getStore();
    store.supportsSecrets = true;
    store.supportsResourceReferences = true;
    store.supportsOutputValues = false;
    store.supportsDeletedWith = true;
    store.supportsAliasSpecs = true;
    pulumi.runtime.setAllConfig({ ...(options.config ?? {}) }, []);
    return engine;
  }

  /** Every resource registered so far, in registration order. */
  get resources(): readonly RecordedResource[] {
    return this.monitor.records;
  }

  /** Registrations the engine refused as the real system would (see `reality-rules.ts`), in order. */
  get refusals(): readonly Error[] {
    return this.monitor.refusals;
  }

  /** Every provider function called so far. */
  get calls(): readonly RecordedCall[] {
    return this.monitor.callsMade;
  }

  /** The resources of one type. */
  ofType(type: string): RecordedResource[] {
    return this.monitor.records.filter((r) => r.type === type);
  }

  /** The resource of a type and name; throws when there is none. */
  get(type: string, name: string): RecordedResource {
    const found = this.monitor.records.find((r) => r.type === type && r.name === name);
    if (found === undefined) {
      const names = this.ofType(type).map((r) => r.name);
      throw new Error(
        `no ${type} named ${name} was registered; ${type} names: ${names.join(", ") || "none"}`,
      );
    }
    return found;
  }

  /** The resource with this URN. */
  byUrn(urn: string): RecordedResource | undefined {
    return this.monitor.byUrn.get(urn);
  }

  /** The resource behind a provider reference (`<urn>::<id>`). */
  providerOf(resource: RecordedResource): RecordedResource | undefined {
    if (resource.provider === undefined) return undefined;
    return this.byUrn(resource.provider.split("::").slice(0, -1).join("::"));
  }

  /**
   * The cluster a Kubernetes resource lives in: its provider's `clusterIdentifier` (isthmus sets it
   * to the cluster id); `undefined` for anything else.
   */
  clusterOf(resource: RecordedResource): string | undefined {
    const provider = this.providerOf(resource);
    if (provider === undefined || provider.type !== "pulumi:providers:kubernetes") return undefined;
    const id = provider.inputs.clusterIdentifier;
    return typeof id === "string" ? id : undefined;
  }

  /** The view of the records the rules of what a real deployment needs read. */
  get reality(): RealityView {
    return {
      resources: this.monitor.records,
      alreadyInPlace: this.options.alreadyInPlace ?? {},
      dependsOn: (a, b) => this.dependsOn(a, b),
      clusterOf: (r) => this.clusterOf(r),
      cloudOf: (r) => this.cloudOf(r),
      providerOf: (r) => this.providerOf(r),
    };
  }

  /**
   * The cloud behind a Kubernetes resource's provider: from its kubeconfig (an EKS or GKE endpoint)
   * or, when that is unknown (a preview), from the cluster adapter the provider belongs to.
   */
  cloudOf(resource: RecordedResource): "aws" | "gcp" | undefined {
    const fromKubeconfig = this.kubernetesCloud(resource)?.cloud;
    if (fromKubeconfig !== undefined) return fromKubeconfig;
    const provider = this.providerOf(resource);
    const adapter = provider?.parent === undefined ? undefined : this.byUrn(provider.parent)?.type;
    if (adapter === "isthmus:clusters:EksCluster") return "aws";
    if (adapter === "isthmus:clusters:GkeCluster") return "gcp";
    return undefined;
  }

  /** Whether `resource` depends on `other`, directly or through its dependencies or parents. */
  dependsOn(resource: RecordedResource, other: RecordedResource): boolean {
    const seen = new Set<string>();
    const stack = [...resource.dependencies];
    while (stack.length > 0) {
      const urn = stack.pop()!;
      if (urn === other.urn) return true;
      if (seen.has(urn)) continue;
      seen.add(urn);
      const dep = this.byUrn(urn);
      if (dep === undefined) continue;
      stack.push(...dep.dependencies);
      // A dependency on a component is a dependency on all of its children.
      if (!dep.custom) stack.push(...this.monitor.records.filter((r) => r.parent === urn).map((r) => r.urn));
    }
    return false;
  }

  /** Waits until every registration, read and call the program started has finished. */
  async settle(): Promise<void> {
    for (;;) {
      await Promise.race([settings.waitForRPCs(), this.monitor.refused]);
      const before = this.monitor.changes;
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (this.monitor.inFlight === 0 && before === this.monitor.changes) return;
      if (this.monitor.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  private outputsFor(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    if (args.type === STACK_REFERENCE) return stackReferenceState(args.id ?? "", this.options.stackOutputs);
    const record = this.monitor.latest.get(`${args.type} ${args.name}`);
    const urn = record?.urn ?? `${args.type}::${args.name}`;
    const provider = record === undefined ? undefined : this.providerOf(record);
    const region = provider?.inputs.region;
    const cluster = record === undefined ? undefined : this.kubernetesCloud(record);
    const { id, state } = mockOutputs(args.type, {
      urn,
      name: args.name,
      inputs: (args.id ? { ...(record?.inputs ?? {}), id: args.id } : args.inputs) as Record<string, unknown>,
      ...(typeof region === "string" ? { region } : {}),
      ...(cluster ?? {}),
      ...(record?.read ? { read: true } : {}),
    });
    if (record?.read && args.type === "kubernetes:core/v1:Secret") {
      // A read-back token Secret: the controller has filled it in.
      const written = this.monitor.records.find(
        (r) => r.type === args.type && !r.read && r.inputs.metadata !== undefined && sameObject(r, args.id),
      );
      if (written !== undefined) {
        return {
          id: args.id || id,
          state: mockOutputs(args.type, { urn: written.urn, name: written.name, inputs: written.inputs })
            .state,
        };
      }
    }
    if (this.options.preview && !record?.read)
      return previewOutputs(args.inputs as Record<string, unknown>, state);
    return { id: args.id || id, state };
  }

  /** The cloud and region behind a Kubernetes resource's provider, for load balancer outputs. */
  private kubernetesCloud(record: RecordedResource): { cloud?: "aws" | "gcp"; region?: string } | undefined {
    const provider = this.providerOf(record);
    if (provider?.type !== "pulumi:providers:kubernetes") return undefined;
    const kubeconfig = JSON.stringify(provider.inputs.kubeconfig ?? "");
    const eks = /\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.eks\.amazonaws\.com/.exec(kubeconfig);
    if (eks) return { cloud: "aws", region: eks[1]! };
    if (/gke_|container\.googleapis|gke-gcloud-auth-plugin/.test(kubeconfig)) return { cloud: "gcp" };
    return undefined;
  }

  private answer(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    const inputs = (args.inputs ?? {}) as Record<string, unknown>;
    this.monitor.callsMade.push({
      token: args.token,
      inputs,
      ...(args.provider ? { provider: args.provider } : {}),
    });
    const custom = this.options.calls?.[args.token];
    if (custom !== undefined) return custom(inputs);
    const builtin = MOCK_CALLS[args.token];
    if (builtin === undefined) {
      const message =
        `offline engine: no mock for the function ${args.token}; a real deployment would call the provider here. ` +
        `Answer it with OfflineEngineOptions.calls["${args.token}"].`;
      // The SDK rebuilds invoke errors from their gRPC `details`.
      throw Object.assign(new Error(message), { details: message });
    }
    const provider = args.provider
      ? this.byUrn(args.provider.split("::").slice(0, -1).join("::"))
      : undefined;
    const region = provider?.inputs.region;
    return builtin(inputs, typeof region === "string" ? region : undefined);
  }
}

/**
 * What a preview knows of a resource about to be created: its inputs. Everything the provider would
 * compute (an endpoint, an address, a token, an id) is unknown, as in `pulumi preview`.
 */
function previewOutputs(
  inputs: Record<string, unknown>,
  state: Record<string, unknown>,
): pulumi.runtime.MockResourceResult {
  return { id: undefined, state: knownInputsOnly(inputs, state) };
}

/** `state` with every value that is not an input (at any depth) replaced by the unknown marker. */
function knownInputsOnly(
  inputs: Record<string, unknown>,
  state: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...inputs };
  for (const [key, value] of Object.entries(state)) {
    const input = inputs[key];
    if (!(key in inputs)) out[key] = pulumi.runtime.unknownValue;
    else if (isObject(input) && isObject(value)) out[key] = knownInputsOnly(input, value);
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function sameObject(record: RecordedResource, id: string | undefined): boolean {
  if (id === undefined) return false;
  const metadata = record.inputs.metadata as { name?: string; namespace?: string } | undefined;
  const name = metadata?.name;
  const namespace = metadata?.namespace;
  return id === `${namespace}/${name}` || id === name;
}

const STACK_REFERENCE = "pulumi:pulumi:StackReference";

/**
 * A StackReference's state as the engine reads it: every output, the whole map secret when one of them
 * is, and the names of the secret ones (which `getOutput` keeps secret).
 */
function stackReferenceState(
  name: string,
  stacks: Readonly<Record<string, StackOutputs>> | undefined,
): pulumi.runtime.MockResourceResult {
  const outputs = stacks?.[name] ?? {};
  const values = Object.fromEntries(Object.entries(outputs).map(([k, o]) => [k, o.value]));
  const secretOutputNames = Object.keys(outputs).filter((k) => outputs[k]!.secret === true);
  return {
    id: name,
    state: {
      name,
      outputs: secretOutputNames.length > 0 ? { [SIG]: SECRET_SIG, value: values } : values,
      secretOutputNames,
    },
  };
}

/** The result of {@link runOffline}. */
export interface OfflineRun<T> {
  readonly engine: OfflineEngine;
  /** What the program returned. */
  readonly result: T;
}

/**
 * Runs a Pulumi program offline and waits until everything it registered has settled. Errors the
 * program raises (synchronously or inside an apply) reject the returned promise.
 */
export async function runOffline<T>(
  program: () => T | Promise<T>,
  options: OfflineEngineOptions = {},
): Promise<OfflineRun<T>> {
  const engine = await OfflineEngine.start(options);
  // The SDK captures a stack trace for every promise and resource; mapped through source maps
  // (which tsx turns on) that dominates the run. Positions stay correct to the line without them.
  const sourceMaps = process.sourceMapsEnabled;
  if (!(options.sourceMaps ?? false)) process.setSourceMapsEnabled(false);
  const leaked: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    leaked.push(reason);
  };
  process.on("unhandledRejection", onRejection);
  try {
    const result = await program();
    await engine.settle();
    // The first refusal, as the SDK reports it; what depends on the refused resource never settles.
    if (engine.refusals.length > 0) throw engine.refusals[0];
    if (leaked.length > 0) throw leaked[0];
    return { engine, result };
  } finally {
    process.off("unhandledRejection", onRejection);
    process.setSourceMapsEnabled(sourceMaps);
  }
}
