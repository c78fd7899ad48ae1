/**
 * What the package costs an AWS-only user, measured side by side:
 * - `import_ms_ratio`: importing `isthmus` and `isthmus/aws` (compiled, dist/) in a fresh Node process
 *   ÷ importing `@pulumi/aws` alone in a fresh process, alternating, median of each (goal ≤ 1.2);
 * - the packed tarball's size and its unpacked size;
 * - the installed footprint over `@pulumi/aws` itself: every package an AWS-only program gets only
 *   because of isthmus (isthmus, its dependencies and its required peer @pulumi/kubernetes, with
 *   their dependency closure), in MB on disk.
 *
 * Needs `npm run build` first (dist/).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { median } from "./stats";

const ROOT = path.resolve(__dirname, "..");
const MODULES = path.join(ROOT, "node_modules");

function importMs(code: string): number {
  const script = `const t = performance.now(); ${code}; process.stdout.write(String(performance.now() - t));`;
  return Number(execFileSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" }));
}

/** Bytes on disk under a directory (files only). */
function bytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += bytes(full);
    else if (entry.isFile()) total += statSync(full).size;
  }
  return total;
}

/** The installed packages `names` pull in, themselves included (hoisted layout, as npm installs it). */
function closure(names: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...names];
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (seen.has(name) || !existsSync(path.join(MODULES, name, "package.json"))) continue;
    seen.add(name);
    const manifest = JSON.parse(readFileSync(path.join(MODULES, name, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    stack.push(...Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies }));
  }
  return seen;
}

export interface PackageFigures {
  readonly import_ms_ratio: number;
  readonly import_ms: { readonly isthmus_aws: number; readonly pulumi_aws: number };
  readonly packed_mb: number;
  readonly unpacked_mb: number;
  readonly installed_mb_over_aws: number;
  readonly installed_over_aws: readonly string[];
}

export function measurePackage(repeats = 5): PackageFigures {
  if (!existsSync(path.join(ROOT, "dist", "index.js"))) throw new Error("bench: run `npm run build` first");
  const isthmus: number[] = [];
  const aws: number[] = [];
  for (let i = 0; i < repeats; i++) {
    aws.push(importMs('require("@pulumi/aws")'));
    isthmus.push(importMs('require("./dist/index.js"); require("./dist/aws.js")'));
  }
  const pack = JSON.parse(
    execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts", "--silent"], {
      cwd: ROOT,
      encoding: "utf8",
    }),
  ) as { size: number; unpackedSize: number }[];
  const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
  };
  const user = closure(["@pulumi/aws", "@pulumi/pulumi"]);
  const added = [...closure([...Object.keys(manifest.dependencies), "@pulumi/kubernetes"])].filter(
    (name) => !user.has(name),
  );
  const addedBytes =
    added.reduce((sum, name) => sum + bytes(path.join(MODULES, name)), 0) + pack[0]!.unpackedSize;
  const mb = (n: number): number => Math.round((n / 2 ** 20) * 100) / 100;
  return {
    import_ms_ratio: Math.round((median(isthmus) / median(aws)) * 100) / 100,
    import_ms: { isthmus_aws: Math.round(median(isthmus)), pulumi_aws: Math.round(median(aws)) },
    packed_mb: mb(pack[0]!.size),
    unpacked_mb: mb(pack[0]!.unpackedSize),
    installed_mb_over_aws: mb(addedBytes),
    installed_over_aws: added.sort(),
  };
}

if (require.main === module) {
  // `npm run bench:package`: only these figures, merged into bench/results.json.
  const file = path.join(__dirname, "results.json");
  const results = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>) : {};
  const figures = measurePackage();
  Object.assign(results, { package: figures, import_ms_ratio: figures.import_ms_ratio });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  const { installed_over_aws: _list, ...shown } = figures;
  console.log(JSON.stringify(shown, null, 2));
}
