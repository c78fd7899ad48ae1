/**
 * `isthmus verify`: checks live clusters against a mesh document's plan, after a real `pulumi up`
 * or a GitOps sync. One line per check, each naming its cluster and object:
 * - `istio-system` exists and carries the planned network label (`topology.istio.io/network`);
 * - every primary's `cacerts` chains to its root, every primary trusts the same root, and no
 *   certificate of it expires within `minValidityDays`;
 * - every remote secret of the plan is present (label `istio/multiCluster: "true"`, the target's id
 *   as data key) and its istiod reports the target `synced` (`/debug/clusterz` on istiod's debug
 *   port 8080, reached through `kubectl port-forward`: istiod answers debug requests unauthenticated
 *   only from localhost, so the API server's Pod proxy gets a 401);
 * - every east-west gateway Service has a load-balancer address;
 * - every failover and traffic-split object the document renders exists in its cluster.
 * Reads only (GET); never prints a credential or key.
 */
import { X509Certificate } from "node:crypto";
import { validateMeshDocument } from "../core/mesh-document";
import { MeshSpecError } from "../core/problems";
import { CACERTS_SECRET } from "../core/trust";
import { eastWestGatewayPlan, needsEastWestGateway } from "../core/east-west-gateway";
import { MULTICLUSTER_SECRET_LABEL } from "../core/remote-secret";
import { NETWORK_LABEL } from "../manifests/istio-installation";
import { renderMeshDocument, type MeshDocument } from "../manifests/mesh-document";
import { isPlainObject } from "../core/shape";
import { UsageError, type CommandSpec } from "./args";
import { clusterPairs, kubeconfigFiles } from "./cluster-args";
import { KubeApi } from "./kube-api";
import { ProgramError, readYamlFile } from "./program";

/** One check's outcome. */
export interface VerifyCheck {
  readonly ok: boolean;
  readonly cluster: string;
  /** `Kind namespace/name` */
  readonly object: string;
  readonly message: string;
}

/** Options of {@link verifyMesh}. */
export interface VerifyOptions {
  /**
   * A certificate expiring within this many days fails its check.
   * @default 30
   */
  readonly minValidityDays?: number;
  /**
   * The time the checks are made at.
   * @default - now
   */
  readonly now?: Date;
  /**
   * Per primary: the URL of its istiod's debug port as this machine reaches it, e.g.
   * `http://localhost:15080` after `kubectl port-forward -n istio-system deploy/istiod 15080:8080`.
   * @default - none: sync status is not read, and each remote secret's check says how to read it
   */
  readonly istiodDebugUrls?: Readonly<Record<string, string>>;
}

/** The policy kinds verify looks for, with their API paths. */
const POLICY_KINDS: Readonly<Record<string, string>> = {
  DestinationRule: "destinationrules",
  VirtualService: "virtualservices",
};

/** `ok   cluster object: message` or `FAIL cluster object: message` */
export function formatCheck(check: VerifyCheck): string {
  return `${check.ok ? "ok  " : "FAIL"} ${check.cluster} ${check.object}: ${check.message}`;
}

/** Verifies every cluster of a document; `apis` holds a client per cluster id. */
export async function verifyMesh(
  input: unknown,
  apis: Readonly<Record<string, KubeApi>>,
  options: VerifyOptions = {},
): Promise<VerifyCheck[]> {
  const problems = validateMeshDocument(input);
  if (problems.length > 0) throw new MeshSpecError(problems);
  const doc = input as MeshDocument;
  const rendered = renderMeshDocument(doc);
  const plan = rendered.plan;
  const now = options.now ?? new Date();
  const minValidityMs = (options.minValidityDays ?? 30) * 24 * 3600 * 1000;
  const checks: VerifyCheck[] = [];
  const roots = new Map<string, string>();

  for (const [id, cluster] of Object.entries(plan.clusters)) {
    const api = apis[id];
    const check = (ok: boolean, object: string, message: string): void => {
      checks.push({ ok, cluster: id, object, message });
    };
    if (api === undefined) {
      check(false, "(cluster)", "no kubeconfig given; pass --kubeconfig " + `${id}=FILE`);
      continue;
    }
    const ns = plan.istio.namespace;
    const namespace = await api.get<{ metadata: { labels?: Record<string, string> } }>(
      `/api/v1/namespaces/${ns}`,
    );
    const network = namespace?.metadata.labels?.[NETWORK_LABEL];
    check(
      namespace !== undefined && network === cluster.network,
      `Namespace ${ns}`,
      namespace === undefined
        ? "missing"
        : network === cluster.network
          ? `network label ${network}`
          : `network label is ${network === undefined ? "missing" : `"${network}"`}, planned "${cluster.network}"`,
    );

    if (cluster.role === "primary") {
      const secret = await api.get<{ data?: Record<string, string> }>(
        `/api/v1/namespaces/${ns}/secrets/${CACERTS_SECRET.name}`,
      );
      const result = checkCacerts(secret?.data, now, minValidityMs);
      if (result.root !== undefined) roots.set(id, result.root);
      check(result.ok, `Secret ${ns}/${CACERTS_SECRET.name}`, result.message);
    }

    for (const pair of plan.discovery.filter((p) => p.reader === id)) {
      const object = `Secret ${ns}/${pair.secretName}`;
      const secret = await api.get<{
        metadata: { labels?: Record<string, string> };
        data?: Record<string, string>;
      }>(`/api/v1/namespaces/${ns}/secrets/${pair.secretName}`);
      if (secret === undefined) {
        check(false, object, `missing: ${id}'s istiod cannot discover ${pair.target}`);
        continue;
      }
      if (secret.metadata.labels?.[MULTICLUSTER_SECRET_LABEL] !== "true") {
        check(false, object, `lacks the label ${MULTICLUSTER_SECRET_LABEL}: "true", so istiod ignores it`);
        continue;
      }
      if (secret.data?.[pair.target] === undefined) {
        const keys = Object.keys(secret.data ?? {}).join(", ") || "none";
        check(
          false,
          object,
          `has no data key "${pair.target}" (keys: ${keys}); istiod takes the key for the cluster id`,
        );
        continue;
      }
      const url = options.istiodDebugUrls?.[id];
      if (url === undefined) {
        check(
          false,
          object,
          `present, but its sync was not checked: run \`kubectl port-forward -n ${ns} deploy/istiod 15080:8080\` and pass --istiod ${id}=http://localhost:15080`,
        );
        continue;
      }
      const status = await istiodClusterStatus(url, pair.target);
      check(
        status === "synced",
        object,
        status === "synced"
          ? `istiod reports ${pair.target} synced`
          : `istiod reports ${pair.target} ${status}`,
      );
    }

    if (needsEastWestGateway(plan, id)) {
      const gateway = eastWestGatewayPlan(plan, id, doc.eastWestGateways?.[id] ?? {});
      const service = await api.get<{
        status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
      }>(`/api/v1/namespaces/${gateway.namespace}/services/${gateway.release}`);
      const ingress = service?.status?.loadBalancer?.ingress?.[0];
      const address = ingress?.ip ?? ingress?.hostname;
      check(
        address !== undefined,
        `Service ${gateway.namespace}/${gateway.release}`,
        service === undefined
          ? "missing"
          : address === undefined
            ? "has no load-balancer address yet"
            : `address ${address}`,
      );
    }

    for (const object of rendered.clusters[id]!.objects) {
      const plural = POLICY_KINDS[object.kind];
      if (plural === undefined) continue;
      const path = `/apis/${object.apiVersion}/namespaces/${object.metadata.namespace}/${plural}/${object.metadata.name}`;
      const found = await api.get(path);
      check(
        found !== undefined,
        `${object.kind} ${object.metadata.namespace}/${object.metadata.name}`,
        found === undefined ? "missing" : "present",
      );
    }
  }

  const distinct = new Set(roots.values());
  if (distinct.size > 1) {
    for (const [id] of roots) {
      checks.push({
        ok: false,
        cluster: id,
        object: `Secret ${plan.istio.namespace}/${CACERTS_SECRET.name}`,
        message: `the clusters trust ${distinct.size} different roots; workloads of different clusters will not trust each other`,
      });
    }
  }
  return checks;
}

/** Checks a `cacerts` Secret's data: present, parsable, chained, not near expiry. */
function checkCacerts(
  data: Record<string, string> | undefined,
  now: Date,
  minValidityMs: number,
): { ok: boolean; message: string; root?: string } {
  if (data === undefined)
    return { ok: false, message: "missing: istiod signs with a self-signed root of its own" };
  const read = (key: string): X509Certificate[] | undefined => {
    const text = data[key] === undefined ? undefined : Buffer.from(data[key], "base64").toString("utf8");
    if (text === undefined) return undefined;
    try {
      return (text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []).map(
        (pem) => new X509Certificate(pem),
      );
    } catch {
      return undefined;
    }
  };
  const ca = read(CACERTS_SECRET.keys.caCert)?.[0];
  const chain = read(CACERTS_SECRET.keys.certChain) ?? [];
  const roots = read(CACERTS_SECRET.keys.rootCert) ?? [];
  if (ca === undefined || roots.length === 0) {
    return {
      ok: false,
      message: `${CACERTS_SECRET.keys.caCert} or ${CACERTS_SECRET.keys.rootCert} is missing or unreadable`,
    };
  }
  const path = [ca, ...chain.filter((c) => c.fingerprint256 !== ca.fingerprint256)];
  const top = path[path.length - 1]!;
  const root = roots.find(
    (r) => top.fingerprint256 === r.fingerprint256 || (top.checkIssued(r) && top.verify(r.publicKey)),
  );
  const linked = path.every(
    (c, i) => i === path.length - 1 || (c.checkIssued(path[i + 1]!) && c.verify(path[i + 1]!.publicKey)),
  );
  if (root === undefined || !linked) {
    return {
      ok: false,
      message: `${CACERTS_SECRET.keys.caCert} does not chain to ${CACERTS_SECRET.keys.rootCert}; istiod refuses this bundle`,
    };
  }
  for (const cert of [ca, root]) {
    const left = new Date(cert.validTo).getTime() - now.getTime();
    if (left < minValidityMs) {
      const what = cert === ca ? "the intermediate" : "the root";
      return {
        ok: false,
        root: root.fingerprint256,
        message: `${what} expires ${new Date(cert.validTo).toISOString()}, within ${Math.round(minValidityMs / 86_400_000)} days`,
      };
    }
  }
  return {
    ok: true,
    root: root.fingerprint256,
    message: `chains to its root; the intermediate is valid until ${new Date(ca.validTo).toISOString()}`,
  };
}

/** The sync status istiod reports for `target` (`synced`, `syncing`, …, or `not listed`). */
async function istiodClusterStatus(debugUrl: string, target: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(new URL("/debug/clusterz", debugUrl), { signal: AbortSignal.timeout(15_000) });
  } catch (error) {
    return `unknown: ${debugUrl} cannot be reached (${(error as Error).message})`;
  }
  if (!response.ok) return `unknown: ${debugUrl}/debug/clusterz answered HTTP ${response.status}`;
  const clusters = (await response.json()) as { id: string; syncStatus: string }[];
  return clusters.find((c) => c.id === target)?.syncStatus ?? "not listed";
}

/** `isthmus verify`'s command line. */
export const VERIFY_COMMAND: CommandSpec = {
  name: "verify",
  summary:
    "Check live clusters against a mesh document's plan: network labels, cacerts, remote secrets synced\n" +
    "by istiod, east-west gateway addresses, failover and split objects. One line per check; exit 1 on\n" +
    "any failure. Reads only.",
  positionals: [
    {
      name: "document",
      required: true,
      description: "The mesh document (YAML or JSON), e.g. `pulumi stack output meshDocument --json`.",
    },
  ],
  options: {
    kubeconfig: {
      type: "string",
      value: "cluster=file",
      repeatable: true,
      description: "A cluster's kubeconfig (token, client certificate or exec plugin); once per cluster.",
    },
    kubeconfigs: {
      type: "string",
      value: "file",
      description:
        "A map of cluster id to kubeconfig text (`pulumi stack output kubeconfigs --show-secrets --json`).",
    },
    istiod: {
      type: "string",
      value: "cluster=url",
      repeatable: true,
      description:
        "A primary's istiod debug port as reached here, after `kubectl port-forward -n istio-system deploy/istiod 15080:8080`.",
    },
    "min-validity-days": {
      type: "string",
      value: "days",
      description: "Fail a certificate that expires within this many days (default 30).",
    },
  },
};

/** Parsed options of `isthmus verify`. */
export type VerifyArgs = Readonly<Record<string, string | boolean | readonly string[]>>;

/** Runs the checks of `isthmus verify` with its command-line options. */
export async function runVerify(document: unknown, values: VerifyArgs): Promise<VerifyCheck[]> {
  const apis: Record<string, KubeApi> = {};
  const map = values.kubeconfigs;
  if (typeof map === "string") {
    const kubeconfigs = readYamlFile(map, "kubeconfig map");
    if (!isPlainObject(kubeconfigs))
      throw new ProgramError(`${map}: is not a map of cluster id to kubeconfig.`);
    for (const [id, text] of Object.entries(kubeconfigs)) {
      if (typeof text !== "string") throw new ProgramError(`${map}: ${id}: is not a kubeconfig text.`);
      apis[id] = KubeApi.fromKubeconfig(text, `${map} (${id})`);
    }
  }
  for (const [id, { file, text }] of Object.entries(kubeconfigFiles("verify", values)))
    apis[id] = KubeApi.fromKubeconfig(text, file);
  const istiodDebugUrls: Record<string, string> = {};
  for (const [id, url] of clusterPairs("verify", values, "istiod", "url", "region1=http://localhost:15080")) {
    if (!/^https?:\/\/\S+$/.test(url))
      throw new UsageError("verify", `--istiod ${id}=${url}: expected an http:// URL`);
    istiodDebugUrls[id] = url;
  }
  const days = values["min-validity-days"];
  if (days !== undefined && (typeof days !== "string" || !/^\d+$/.test(days))) {
    throw new UsageError("verify", `--min-validity-days ${String(days)}: expected a whole number of days`);
  }
  return verifyMesh(document, apis, {
    istiodDebugUrls,
    ...(days === undefined ? {} : { minValidityDays: Number(days) }),
  });
}
