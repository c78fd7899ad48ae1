import { strict as assert } from "node:assert";
import { join } from "node:path";
import { ESLint } from "eslint";

const ROOT = join(__dirname, "..");
const RULE = "@typescript-eslint/no-restricted-imports";

/** The layer rule's messages for `code` as if it were the file at `filePath`, with the project's config. */
async function layerMessages(eslint: ESLint, filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, filePath) });
  return result!.messages.filter((m) => m.ruleId === RULE).map((m) => `${m.line}: ${m.message}`);
}

describe("the layer lint rule (eslint.config.mjs)", function () {
  this.timeout(60_000);
  // The project's config without type information: the layer rule reads import declarations only,
  // and loading the TypeScript project for the typed rules would parse ~1.1 M lines of declarations
  // (npm test runs those rules on the real files, on its one typecheck program).
  const eslint = new ESLint({
    cwd: ROOT,
    overrideConfig: {
      files: ["**/*.ts"],
      languageOptions: { parserOptions: { projectService: false, project: false } },
      rules: {
        "@typescript-eslint/no-floating-promises": "off",
        "@typescript-eslint/no-misused-promises": "off",
        "@pulumi/no-output-in-template-literal": "off",
        "@pulumi/no-output-instance-in-template-literal": "off",
      },
    },
  });

  it("refuses an import up from lib/core, and Pulumi in it", async () => {
    assert.deepEqual(
      await layerMessages(
        eslint,
        "lib/core/names.ts",
        'import { FlatNetwork } from "../components/flat-network";\n' +
          'import * as pulumi from "@pulumi/pulumi";\n' +
          'import { Chart } from "cdk8s";\n' +
          "export const used = [FlatNetwork, pulumi, Chart];\n",
      ),
      [
        "1: '../components/flat-network' import is restricted from being used by a pattern. lib/core is the bottom layer: it imports nothing else of lib/.",
        "2: '@pulumi/pulumi' import is restricted from being used by a pattern. lib/core is pure TypeScript: no @pulumi/*, cdk8s or constructs.",
        "3: 'cdk8s' import is restricted from being used by a pattern. lib/core is pure TypeScript: no @pulumi/*, cdk8s or constructs.",
      ],
    );
  });

  it("refuses a cloud SDK or an adapter in the mesh components, and lets them take the handle", async () => {
    assert.deepEqual(
      await layerMessages(
        eslint,
        "lib/components/flat-network.ts",
        'import * as aws from "@pulumi/aws";\n' +
          'import type { EksCluster } from "../clusters/aws/eks-cluster";\n' +
          'import type { MeshCluster } from "../base/mesh-cluster";\n' +
          "export type Used = [typeof aws, EksCluster, MeshCluster];\n",
      ),
      [
        "1: '@pulumi/aws' import is restricted from being used by a pattern. @pulumi/aws is imported under lib/clusters/aws only (and re-exported by lib/aws.ts).",
        "2: '../clusters/aws/eks-cluster' import is restricted from being used by a pattern. lib/components takes clusters as MeshCluster handles (lib/base): it imports no adapter.",
      ],
    );
  });

  it("keeps each cloud's adapter to its own cloud, and the adapters off the mesh components", async () => {
    assert.deepEqual(
      await layerMessages(
        eslint,
        "lib/clusters/gcp/gke-cluster.ts",
        'import { EKS_CLUSTER_TYPE } from "../aws/eks-cluster";\n' +
          'import * as aws from "@pulumi/aws";\n' +
          'import { FLAT_NETWORK_TYPE } from "../../components/flat-network";\n' +
          'import { main } from "../../cli/main";\n' +
          "export const used = [EKS_CLUSTER_TYPE, aws, FLAT_NETWORK_TYPE, main];\n",
      ),
      [
        "1: '../aws/eks-cluster' import is restricted from being used by a pattern. lib/clusters/gcp imports no other cloud's adapter: share code through lib/clusters.",
        "2: '@pulumi/aws' import is restricted from being used by a pattern. @pulumi/aws is imported under lib/clusters/aws only (and re-exported by lib/aws.ts).",
        "3: '../../components/flat-network' import is restricted from being used by a pattern. lib/clusters sits beside lib/components: share code through lib/base.",
        "4: '../../cli/main' import is restricted from being used by a pattern. Only bin/isthmus.js loads lib/cli.",
      ],
    );
  });

  it("has each adapter import its cloud's modules, never the package index that loads every service", async () => {
    for (const cloud of ["aws", "gcp"]) {
      assert.deepEqual(
        await layerMessages(
          eslint,
          `lib/clusters/${cloud}/wireguard-endpoint.ts`,
          `import * as ${cloud} from "@pulumi/${cloud}";\n` +
            `import * as compute from "@pulumi/${cloud}/${cloud === "aws" ? "ec2" : "compute"}";\n` +
            `import * as sdk from "./pulumi-${cloud}";\n` +
            `export const used = [${cloud}, compute, sdk];\n`,
        ),
        [
          `1: '@pulumi/${cloud}' import is restricted from being used by a pattern. Import @pulumi/${cloud}'s modules through ./pulumi-${cloud} (import * as ${cloud} from "./pulumi-${cloud}"): the package's index loads and declares every service of the cloud.`,
        ],
      );
    }
  });

  it("lets the isthmus entry point re-export an adapter's types, never its code", async () => {
    assert.deepEqual(
      await layerMessages(
        eslint,
        "lib/index.ts",
        'export type { AwsGatewayNetwork } from "./clusters/aws/wireguard-endpoint";\n' +
          'export { awsWireGuardEndpoint } from "./clusters/aws/wireguard-endpoint";\n',
      ),
      [
        "2: './clusters/aws/wireguard-endpoint' import is restricted from being used by a pattern. This entry point loads no cloud adapter: re-export its types only (`export type`).",
      ],
    );
  });
});
