/**
 * The offline engine's monitor: Pulumi's mock monitor recording every registration, read and call,
 * delaying each by the engine's latency for its type, and refusing what the real system would refuse.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- the SDK's MockMonitor types its gRPC requests as `any` */
import type * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { OfflineRefusal, refusal, type RealityView } from "./reality-rules";
import type { RecordedCall, RecordedResource } from "./recorded-resource";

/** What the monitor needs of its engine. */
export interface MonitorHost {
  readonly options: {
    readonly preview?: boolean;
    readonly latency?: (type: string) => number;
    readonly stackOutputs?: Readonly<Record<string, unknown>>;
  };
  readonly reality: RealityView;
}

/** The type token of a StackReference (read from the engine like a resource). */
export const STACK_REFERENCE = "pulumi:pulumi:StackReference";

export type MutableRecord = { -readonly [K in keyof RecordedResource]: RecordedResource[K] };

export const SIG = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";

/** A recording, delaying mock monitor. */
export class RecordingMonitor extends MockMonitor {
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
    private readonly engine: MonitorHost,
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
      this.refusals.push(new OfflineRefusal(message));
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
        record.outputs = unwrap(
          resp.getProperties()?.toJavaScript() ?? {},
          "",
          record.outputSecretPaths,
        ) as Record<string, unknown>;
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
export function unwrap(value: unknown, path: string, secrets: string[]): unknown {
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

export function sameObject(record: RecordedResource, id: string | undefined): boolean {
  if (id === undefined) return false;
  const metadata = record.inputs.metadata as { name?: string; namespace?: string } | undefined;
  const name = metadata?.name;
  const namespace = metadata?.namespace;
  return id === `${namespace}/${name}` || id === name;
}
