/**
 * A Helm chart repository on loopback holding Istio's charts at the pinned version, as an
 * air-gapped site's mirror (Artifactory, Harbor, ChartMuseum) holds them: each chart packaged with
 * real `helm package --version`, indexed with `helm repo index`, served over HTTP.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { ISTIO_CHART_DIRS } from "./gitops";
import { istioChart, tool } from "./tools";

/** A running mirror. */
export interface ChartMirror {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Paths requested so far (index.yaml, chart archives). */
  readonly requests: string[];
  stop(): Promise<void>;
}

function helm(args: readonly string[]): void {
  const result = spawnSync(tool("helm"), args, { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`helm ${args.join(" ")}: ${result.stderr}`);
}

/** Packages Istio's charts at `version` and serves them on 127.0.0.1. */
export async function startChartMirror(version: string): Promise<ChartMirror> {
  const dir = mkdtempSync(join(tmpdir(), "isthmus-real-charts-"));
  for (const chart of Object.values(ISTIO_CHART_DIRS)) {
    helm([
      "package",
      istioChart(chart),
      "--version",
      version,
      "--app-version",
      version,
      "--destination",
      dir,
    ]);
  }
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const file = basename(new URL(req.url ?? "/", "http://x").pathname);
    requests.push(file);
    try {
      const body = readFileSync(join(dir, file));
      res.writeHead(200, {
        "content-type": file.endsWith(".yaml") ? "application/x-yaml" : "application/gzip",
      });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
  helm(["repo", "index", dir, "--url", url]);
  return {
    url,
    requests,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
