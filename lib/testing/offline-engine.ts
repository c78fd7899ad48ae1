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
import * as pulumi from "@pulumi/pulumi";
import * as settingsModule from "@pulumi/pulumi/runtime/settings";
import * as stateModule from "@pulumi/pulumi/runtime/state";
import { MOCK_CALLS, mockOutputs } from "./mock-outputs";
import { previewOutputs } from "./preview-outputs";
import type { AlreadyInPlace, RealityView } from "./reality-rules";
import type { RecordedCall, RecordedResource } from "./recorded-resource";
import { RecordingMonitor, sameObject, SECRET_SIG, SIG, STACK_REFERENCE } from "./recording-monitor";
import { stackTracesOff } from "./stack-traces";

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
   * Keep stack traces on during the run: errors raised inside the program keep their stacks, and
   * the SDK records a stack per promise and resource (slow: most of a large plan's CPU time). Off,
   * `Error.stackTraceLimit` is {@link OfflineEngineOptions.stackTraceLimit} for the run and
   * restored after it.
   * @default - off, unless `sourceMaps` is on or the environment sets `ISTHMUS_STACK_TRACES=1`
   */
  readonly stackTraces?: boolean;
  /**
   * With stack traces off, how many frames an error raised during the run keeps (enough to tell
   * where a program's own error came from; the SDK's per-promise stacks stay unformatted).
   * @default 0
   */
  readonly stackTraceLimit?: number;
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
  // The SDK captures a stack trace for every promise and resource; that dominates the run.
  const traces =
    options.stackTraces ?? (options.sourceMaps === true || process.env.ISTHMUS_STACK_TRACES === "1");
  const sourceMaps = process.sourceMapsEnabled;
  if (!(options.sourceMaps ?? false)) process.setSourceMapsEnabled(false);
  const restoreTraces = traces ? undefined : stackTracesOff(options.stackTraceLimit ?? 0);
  const leaked: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    leaked.push(reason);
  };
  process.on("unhandledRejection", onRejection);
  try {
    let result: T;
    try {
      result = await program();
    } catch (error) {
      // What the program registered before it threw still settles here, not in the next run.
      await engine.settle();
      throw error;
    }
    await engine.settle();
    // The first refusal, as the SDK reports it; what depends on the refused resource never settles.
    if (engine.refusals.length > 0) throw engine.refusals[0];
    if (leaked.length > 0) throw leaked[0];
    return { engine, result };
  } finally {
    process.off("unhandledRejection", onRejection);
    restoreTraces?.();
    process.setSourceMapsEnabled(sourceMaps);
  }
}
