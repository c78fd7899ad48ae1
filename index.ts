/**
 * The root Pulumi program and stack template: runs one of the examples, chosen by config
 * `example` (default: the two-region demo). `pulumi up` here deploys it; `npm run demo` plans it
 * offline.
 */
import * as pulumi from "@pulumi/pulumi";

const EXAMPLES = [
  "aws-two-region",
  "gcp-two-region",
  "aws-gcp",
  "existing-clusters",
  "wireguard-two-region",
  "primary-remote",
  "core-edge",
] as const;
const example = new pulumi.Config().get("example") ?? "aws-two-region";
if (!(EXAMPLES as readonly string[]).includes(example)) {
  throw new pulumi.InputPropertiesError({
    message: `config example: unknown example "${example}"; expected one of ${EXAMPLES.join(", ")}.`,
    errors: [{ propertyPath: "example", reason: `expected one of ${EXAMPLES.join(", ")}` }],
  });
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export = require(`./examples/${example}`);
