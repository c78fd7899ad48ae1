/**
 * What the offline engine keeps of each resource registration.
 */

/** One resource, as the program registered it. */
export interface RecordedResource {
  /** The resource's URN. */
  readonly urn: string;
  /** The type token, e.g. `kubernetes:core/v1:Namespace` or `isthmus:mesh:MultiClusterMesh`. */
  readonly type: string;
  /** The logical name. */
  readonly name: string;
  /** A custom resource (managed by a provider) or a component. */
  readonly custom: boolean;
  /** The parent's URN, if any. */
  readonly parent?: string;
  /** The provider reference (`<provider urn>::<id>`), for custom resources with an explicit provider. */
  readonly provider?: string;
  /** The inputs, with secrets unwrapped (see {@link secretPaths}). */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** The state the engine returned (realistic outputs per type). */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** URNs this resource depends on: `dependsOn` plus the resources behind its input Outputs. */
  readonly dependencies: readonly string[];
  /** Paths of the inputs that were marked secret (`data`, `data.token`, `[2]`…). */
  readonly secretPaths: readonly string[];
  /** Paths of the outputs that are secret (component outputs wrapped in `pulumi.secret`, secret state). */
  readonly outputSecretPaths: readonly string[];
  /** A resource read (`.get(...)`) rather than created. */
  readonly read: boolean;
}

/** One provider function call. */
export interface RecordedCall {
  readonly token: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly provider?: string;
}

/** Resource counts by type, most numerous first, then by type name. */
export function countByType(resources: readonly RecordedResource[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
