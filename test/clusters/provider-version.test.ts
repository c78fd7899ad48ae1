import * as assert from "node:assert/strict";
import { providerVersionProblem, requireProviderMajor } from "../../lib/clusters/provider-version";

describe("cloud provider SDK versions", () => {
  it("refuses an SDK older than the peer range, saying what to install", () => {
    assert.equal(
      providerVersionProblem("@pulumi/aws", "6.66.0", 7),
      "@pulumi/aws 6.66.0 is installed; isthmus needs @pulumi/aws 7.x or later (its peer dependency). Upgrade it: npm install @pulumi/aws@^7",
    );
  });

  it("accepts the tested majors and later ones", () => {
    assert.equal(providerVersionProblem("@pulumi/aws", "7.48.0", 7), undefined);
    assert.equal(providerVersionProblem("@pulumi/gcp", "10.0.0", 9), undefined);
  });

  it("passes for the SDKs installed here", () => {
    requireProviderMajor("@pulumi/aws", 7);
    requireProviderMajor("@pulumi/gcp", 9);
  });
});
