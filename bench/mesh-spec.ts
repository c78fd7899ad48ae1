/** The generated mesh specs the bench plans: `size` existing clusters `c0000`… in one of the two models. */
import type { MeshSpec } from "../lib/core";

export function benchMeshSpec(
  size: number,
  model: "multi-primary" | "primary-remote",
  slots?: number,
): MeshSpec {
  const ids = Array.from({ length: size }, (_, i) => `c${String(i).padStart(4, "0")}`);
  const space =
    slots ?? (size > 32 ? [128, 256, 512, 1024, 2048, 4096].find((n) => n >= size * 2) : undefined);
  return {
    meshID: "bench",
    ...(space === undefined ? {} : { allocation: { slots: space } }),
    ...(model === "primary-remote" ? { controlPlane: { model, primaries: [ids[0]!] } } : {}),
    clusters: Object.fromEntries(
      ids.map((id, i) => [id, { cloud: "existing" as const, region: `dc${i % 16}` }]),
    ),
  };
}
