/**
 * A minimal Kubernetes API client over node:https with a bearer token, for the few calls the real
 * stack's tests make in loops (the fake kubelet, waits). Everything else goes through real kubectl.
 */
import { request } from "node:https";

/** A response: status and parsed JSON body (or the raw text). */
export interface KubeResponse {
  readonly status: number;
  readonly body: unknown;
}

/** An API client for one server, one CA and one token. The token never appears in errors. */
export class KubeClient {
  constructor(
    readonly server: string,
    private readonly caPem: string,
    private readonly token: string,
  ) {}

  /** Any request; never throws on an HTTP status. */
  raw(method: string, path: string, body?: unknown, contentType = "application/json"): Promise<KubeResponse> {
    const url = new URL(path, this.server);
    const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          ca: this.caPem,
          headers: {
            authorization: `Bearer ${this.token}`,
            accept: "application/json",
            // Node sends no body framing for DELETE unless told its length: the server would see none.
            ...(payload === undefined
              ? {}
              : { "content-type": contentType, "content-length": Buffer.byteLength(payload) }),
          },
          timeout: 15_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // not JSON (readyz answers "ok")
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error(`${method} ${url.pathname}: timed out`)));
      req.on("error", reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** A request that must succeed (2xx); returns the body. */
  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    contentType?: string,
  ): Promise<T> {
    const res = await this.raw(method, path, body, contentType);
    if (res.status < 200 || res.status > 299) {
      const message =
        (res.body as { message?: string } | undefined)?.message ?? String(res.body).slice(0, 300);
      throw new Error(`${method} ${path}: ${res.status} ${message}`);
    }
    return res.body as T;
  }

  /** The items of a list. */
  async list<T = Record<string, unknown>>(path: string): Promise<T[]> {
    return (await this.call<{ items: T[] }>("GET", path)).items;
  }

  /** A merge patch. */
  patch(path: string, body: unknown): Promise<Record<string, unknown>> {
    return this.call("PATCH", path, body, "application/merge-patch+json");
  }
}
