/**
 * Validation of the control plane: primaries, remotes and their istiod, pinned slots.
 */
import type { MeshPlan } from "./mesh-plan";
import { didYouMean, type SpecProblem } from "./problems";
import type { MeshSpec } from "./spec";

export function checkControlPlane(spec: MeshSpec, plan: MeshPlan, out: SpecProblem[]): void {
  const model = plan.controlPlane.model;
  const ids = Object.keys(spec.clusters);
  const given = spec.controlPlane?.primaries;
  if (model === "multi-primary") {
    if (given !== undefined) {
      out.push({
        path: "controlPlane.primaries",
        problem: "is set in a multi-primary mesh, where every cluster is a primary",
        received: given,
        expected: "no primaries list",
        fix: 'Remove primaries, or set controlPlane.model: "primary-remote".',
      });
    }
    for (const id of ids) {
      const cp = spec.clusters[id]!.controlPlaneCluster;
      if (cp !== undefined) {
        out.push({
          path: `clusters.${id}.controlPlaneCluster`,
          problem: "is set in a multi-primary mesh, where every cluster runs istiod",
          received: cp,
          expected: "no controlPlaneCluster",
          fix: 'Remove it, or set controlPlane.model: "primary-remote".',
        });
      }
    }
    return;
  }

  if (given === undefined || given.length === 0) {
    out.push({
      path: "controlPlane.primaries",
      problem: "names no primary",
      received: given,
      expected: `at least one cluster id of ${ids.join(", ")}`,
      fix: "List the clusters that run istiod, e.g. primaries: [region1].",
    });
  }
  (given ?? []).forEach((p, i) => {
    if (!ids.includes(p)) {
      out.push({
        path: `controlPlane.primaries[${i}]`,
        problem: "is not a cluster of this mesh",
        received: p,
        expected: `one of ${ids.join(", ")}`,
        fix: `Name a cluster from clusters.${didYouMean(p, ids)}`,
      });
    }
  });
  if (given !== undefined && new Set(given).size !== given.length) {
    out.push({
      path: "controlPlane.primaries",
      problem: "names a cluster twice",
      received: given,
      expected: "distinct cluster ids",
      fix: "Remove the repeated id.",
    });
  }
  const primaries = plan.controlPlane.primaries.filter((p) => ids.includes(p));
  for (const id of ids) {
    const cp = spec.clusters[id]!.controlPlaneCluster;
    const path = `clusters.${id}.controlPlaneCluster`;
    if (primaries.includes(id)) {
      if (cp !== undefined) {
        out.push({
          path,
          problem: "is set on a primary",
          received: cp,
          expected: "no controlPlaneCluster on a primary",
          fix: "Remove it: a primary runs its own istiod.",
        });
      }
      continue;
    }
    if (cp === undefined) {
      if (primaries.length > 1) {
        out.push({
          path,
          problem: "is missing on a remote of a mesh with several primaries",
          received: undefined,
          expected: `one of ${primaries.join(", ")}`,
          fix: "Name the primary whose istiod this remote uses.",
        });
      }
    } else if (!primaries.includes(cp)) {
      out.push({
        path,
        problem: ids.includes(cp) ? "names a cluster that is not a primary" : "names an unknown cluster",
        received: cp,
        expected: primaries.length > 0 ? `one of the primaries ${primaries.join(", ")}` : "a primary",
        fix: `Name a cluster listed in controlPlane.primaries.${didYouMean(cp, primaries)}`,
      });
    }
  }
}

export function checkSlots(spec: MeshSpec, out: SpecProblem[]): void {
  const owner = new Map<number, string>();
  for (const id of Object.keys(spec.clusters).sort()) {
    const slot = spec.clusters[id]!.slot;
    if (slot === undefined) continue;
    const other = owner.get(slot);
    if (other !== undefined) {
      out.push({
        path: `clusters.${id}.slot`,
        problem: `is clusters.${other}.slot too`,
        received: slot,
        expected: "a slot no other cluster pins",
        fix: "Pin each cluster to its own slot (plan.json shows the slots in use), or remove the pin.",
      });
    }
    owner.set(slot, id);
  }
}
