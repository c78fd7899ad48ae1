/**
 * Schema validation of synthesized objects with the models kubernetes-models and
 * @kubernetes-models/istio generate from the Kubernetes OpenAPI spec and Istio's CRDs (ESM-only
 * packages, hence the dynamic imports).
 */
import assert from "node:assert/strict";

/** A synthesized object, as far as validation looks into it. */
export interface TypedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly [field: string]: unknown;
}

type Model = new (data: unknown) => { validate(): void };

/** The model module of each API version the tests validate. */
const MODELS: Readonly<Record<string, () => Promise<unknown>>> = {
  v1: () => import("kubernetes-models/v1"),
  "apps/v1": () => import("kubernetes-models/apps/v1"),
  "rbac.authorization.k8s.io/v1": () => import("kubernetes-models/rbac.authorization.k8s.io/v1"),
  "networking.istio.io/v1": () => import("@kubernetes-models/istio/networking.istio.io/v1"),
  "security.istio.io/v1": () => import("@kubernetes-models/istio/security.istio.io/v1"),
};

/**
 * A validator for the objects a test renders: each object must be of one of `kinds`
 * (`"<apiVersion> <kind>"`, e.g. `"apps/v1 Deployment"`) and pass its model's `validate()`, which
 * throws on the first violation of the schema.
 */
export function schemaValidator(
  kinds: readonly string[],
): (objects: readonly TypedObject[]) => Promise<void> {
  return async (objects) => {
    for (const o of objects) {
      const key = `${o.apiVersion} ${o.kind}`;
      assert.ok(kinds.includes(key), `no schema for ${key}: this test expects only ${kinds.join(", ")}`);
      const loaded = (await MODELS[o.apiVersion]?.()) as Record<string, Model> | undefined;
      const Model = loaded?.[o.kind];
      assert.ok(Model, `no schema for ${key} in kubernetes-models`);
      new Model(o).validate();
    }
  };
}
