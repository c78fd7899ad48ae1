// Lint: typescript-eslint with type information (no floating promises) and Pulumi's own rules.
import tseslint from "typescript-eslint";
import pulumi from "@pulumi/eslint-plugin";

// The layers of lib/, imports pointing down only: core (pure) ← manifests (cdk8s) and base (the
// MeshCluster handle, input errors, the WireGuard endpoint contract) ← components (the mesh) and
// clusters (the cloud adapters, each cloud in its own folder) ← cli and the entry points. Each group
// of files lists what it must not import; a relative import is matched at any depth (`../x`, `../../x`).
const layer = (...dirs) => `^(\\.{1,2}/)+(${dirs.join("|")})(/|$)`;
const NO_CLI = { regex: layer("cli"), message: "Only bin/isthmus.js loads lib/cli." };
const NO_AWS = {
  regex: "^@pulumi/aws(/|$)",
  message: "@pulumi/aws is imported under lib/clusters/aws only (and re-exported by lib/aws.ts).",
};
const NO_GCP = {
  regex: "^@pulumi/gcp(/|$)",
  message: "@pulumi/gcp is imported under lib/clusters/gcp only (and re-exported by lib/gcp.ts).",
};
const NO_CLOUD_SDK = [NO_AWS, NO_GCP];
// A cloud SDK's index loads (and its declarations reference) every service of the cloud: the adapter
// imports the modules it uses, each from its own path, through one file (lib/clusters/<cloud>/pulumi-<cloud>.ts).
const sdkIndex = (cloud) => ({
  regex: `^@pulumi/${cloud}$`,
  message: `Import @pulumi/${cloud}'s modules through ./pulumi-${cloud} (import * as ${cloud} from "./pulumi-${cloud}"): the package's index loads and declares every service of the cloud.`,
});
const forbid = (...patterns) => ({ "@typescript-eslint/no-restricted-imports": ["error", { patterns }] });
const layers = [
  {
    files: ["lib/core/**/*.ts"],
    rules: forbid(
      {
        regex: layer("manifests", "components", "clusters", "cli", "testing", "base"),
        message: "lib/core is the bottom layer: it imports nothing else of lib/.",
      },
      {
        regex: "^(@pulumi/|cdk8s(/|$)|constructs(/|$))",
        message: "lib/core is pure TypeScript: no @pulumi/*, cdk8s or constructs.",
      },
    ),
  },
  {
    files: ["lib/manifests/**/*.ts"],
    rules: forbid(
      {
        regex: layer("components", "clusters", "cli", "testing", "base"),
        message: "lib/manifests renders plans with cdk8s: it imports lib/core only.",
      },
      { regex: "^@pulumi/", message: "lib/manifests is cdk8s only: no @pulumi/*." },
    ),
  },
  {
    files: ["lib/base/**/*.ts"],
    rules: forbid(
      {
        regex: layer("components", "clusters", "cli", "testing"),
        message: "lib/base sits under lib/components and lib/clusters: it imports neither.",
      },
      ...NO_CLOUD_SDK,
    ),
  },
  {
    files: ["lib/components/**/*.ts"],
    rules: forbid(
      {
        regex: layer("clusters", "testing"),
        message: "lib/components takes clusters as MeshCluster handles (lib/base): it imports no adapter.",
      },
      NO_CLI,
      ...NO_CLOUD_SDK,
    ),
  },
  {
    files: ["lib/clusters/*.ts"],
    rules: forbid(
      {
        regex: layer("components", "testing"),
        message: "lib/clusters sits beside lib/components: share code through lib/base.",
      },
      {
        regex: layer("aws", "gcp", "existing"),
        message: "Code shared by the adapters imports no one cloud's.",
      },
      NO_CLI,
      ...NO_CLOUD_SDK,
    ),
  },
  ...[
    ["aws", [NO_GCP, sdkIndex("aws")]],
    ["gcp", [NO_AWS, sdkIndex("gcp")]],
    ["existing", NO_CLOUD_SDK],
  ].map(([cloud, sdks]) => ({
    files: [`lib/clusters/${cloud}/**/*.ts`],
    rules: forbid(
      {
        regex: layer("components", "testing"),
        message: "lib/clusters sits beside lib/components: share code through lib/base.",
      },
      {
        regex: layer(
          ...["aws", "gcp", "existing"].filter((c) => c !== cloud).flatMap((c) => [c, `clusters/${c}`]),
        ),
        message: `lib/clusters/${cloud} imports no other cloud's adapter: share code through lib/clusters.`,
      },
      NO_CLI,
      ...sdks,
    ),
  })),
  { files: ["lib/testing/**/*.ts", "lib/cli/**/*.ts"], rules: forbid(NO_CLI, ...NO_CLOUD_SDK) },
  {
    files: ["lib/fleet/**/*.ts"],
    rules: forbid(
      {
        regex: layer("clusters"),
        message: "lib/fleet splits a mesh of MeshCluster handles (lib/base): it imports no adapter.",
      },
      NO_CLI,
      ...NO_CLOUD_SDK,
    ),
  },
  {
    files: ["lib/index.ts", "lib/existing.ts"],
    rules: forbid(
      {
        regex: layer("clusters/aws", "clusters/gcp"),
        allowTypeImports: true,
        message: "This entry point loads no cloud adapter: re-export its types only (`export type`).",
      },
      NO_CLI,
      ...NO_CLOUD_SDK,
    ),
  },
  { files: ["lib/aws.ts"], rules: forbid(NO_CLI, NO_GCP) },
  { files: ["lib/gcp.ts"], rules: forbid(NO_CLI, NO_AWS) },
];

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "out/",
      "dist/",
      ".tmp/",
      "templates/",
      "test/consumer/",
      "**/*.js",
      "**/*.mjs",
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "@pulumi": pulumi },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@pulumi/no-output-in-template-literal": "error",
      "@pulumi/no-output-instance-in-template-literal": "error",
    },
  },
  ...layers,
  {
    // Tests read recorded resources, which are untyped JSON.
    files: ["test/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
