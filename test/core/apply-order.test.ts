/**
 * Install order: what a one-pass `kubectl apply` of a cluster's objects needs first comes first.
 */
import assert from "node:assert/strict";
import { INSTALL_ORDER, inInstallOrder, installRank } from "../../lib/core/apply-order";

describe("apply order", () => {
  it("puts Namespaces first, CRDs before custom resources, webhooks after workloads, unknown kinds last", () => {
    const objects = [
      "DestinationRule",
      "Deployment",
      "MutatingWebhookConfiguration",
      "Secret",
      "CustomResourceDefinition",
      "Namespace",
      "Service",
    ].map((kind) => ({ kind }));
    assert.deepEqual(
      inInstallOrder(objects).map((o) => o.kind),
      [
        "Namespace",
        "Secret",
        "CustomResourceDefinition",
        "Service",
        "Deployment",
        "MutatingWebhookConfiguration",
        "DestinationRule",
      ],
    );
  });

  it("keeps the relative order of objects of one kind and ranks every unknown kind alike", () => {
    const objects = [
      { kind: "Gateway", n: 1 },
      { kind: "Namespace", n: 2 },
      { kind: "VirtualService", n: 3 },
      { kind: "Namespace", n: 4 },
    ];
    assert.deepEqual(
      inInstallOrder(objects).map((o) => o.n),
      [2, 4, 1, 3],
    );
    assert.equal(installRank("Gateway"), INSTALL_ORDER.length);
    assert.equal(installRank("VirtualService"), installRank("Gateway"));
  });
});
