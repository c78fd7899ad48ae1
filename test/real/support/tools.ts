/**
 * Where the real local stack's tools are: built by test/real/build-tools.sh into a cache outside the
 * clone (`ISTHMUS_REAL_CACHE`, default ~/.cache/isthmus-real). A missing tool is a failure with the
 * command that builds it, never a skip: CI builds them before it runs these tests.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** The cache folder. */
export const REAL_CACHE = process.env.ISTHMUS_REAL_CACHE ?? join(homedir(), ".cache", "isthmus-real");

/** The tools, by binary name. */
export type RealTool =
  | "etcd"
  | "kube-apiserver"
  | "kube-controller-manager"
  | "kubectl"
  | "helm"
  | "pilot-discovery"
  | "pulumi"
  | "pulumi-language-nodejs"
  | "pulumi-resource-kubernetes"
  | "coredns";

/** The absolute path of a tool. */
export function tool(name: RealTool): string {
  const file = join(REAL_CACHE, "bin", name);
  if (!existsSync(file)) {
    throw new Error(`${name} is not built in ${REAL_CACHE}/bin; run: bash test/real/build-tools.sh`);
  }
  return file;
}

/** Istio's charts (the release-1.30 branch), unpacked by build-tools.sh. */
export function istioChart(name: string): string {
  const dir = join(REAL_CACHE, "charts", "istio", name);
  if (!existsSync(join(dir, "Chart.yaml"))) {
    throw new Error(
      `Istio chart ${name} is not in ${REAL_CACHE}/charts/istio; run: bash test/real/build-tools.sh`,
    );
  }
  return dir;
}

/**
 * Adds an address to the loopback interface of the tests' own network namespace (a Pod address a
 * process of the test serves on). Refused outside that namespace: never on the host.
 */
export function addLocalAddress(ip: string): void {
  if (process.env.ISTHMUS_REAL_NETNS === undefined) {
    throw new Error("this test adds addresses to its network namespace: run it with `npm run test:real`");
  }
  const result = spawnSync("ip", ["addr", "replace", `${ip}/32`, "dev", "lo"], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`ip addr replace ${ip}/32 dev lo: ${result.stderr}`);
}
