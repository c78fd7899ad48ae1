/**
 * Region alias names carry traffic in a flat mesh, for real: the wireguard-two-region example's mesh
 * with helloworld running in both regions, every part real except the kubelet and the nodes:
 * - the WireGuard tunnel isthmus's wg-quick configs describe, between two network namespaces
 *   (test/e2e/netns.ts), each standing in for one cluster's VPC: its pod address and its DNS address;
 * - one real control plane per cluster (etcd, kube-apiserver, kube-controller-manager, whose
 *   endpoint-slice controller publishes the pods' addresses) holding the objects `isthmus synth`
 *   writes for the service: its Namespace, Service, headless twin, ServiceAccount and Deployment;
 * - a real CoreDNS (the version of the alias DNS image isthmus deploys) in each namespace at the
 *   plan's DNS address, serving the Corefile of synth's `coredns` ConfigMap, reading its control plane;
 * - a real HTTP server at each region's pod address, playing helloworld's container there.
 * A caller in region1 resolves `helloworld.sample.svc.cluster.region2` through its own CoreDNS, which
 * forwards the zone over the tunnel to region2's, and its request is delivered. The Service's
 * ClusterIP, which region2's CoreDNS gives for the cluster-domain name, is not: no kube-proxy exists
 * where the tunnel ends, as on the WireGuard endpoint VM of a real VPC.
 *
 * Test adaptations of the generated Corefile, and only these: a `kubeconfig` line in the kubernetes
 * block (CoreDNS runs outside a Pod, so it has no in-cluster service-account token); the control plane
 * is reached through a management link of the test's own, not through the tunnel.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, connect, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { synthSpec } from "../../lib/cli/synth-command";
import type { MeshPlan } from "../../lib/core/mesh-plan";
import { resolvePlan } from "../../lib/core/resolve";
import type { MeshSpec } from "../../lib/core/spec";
import { must, NamespaceTunnel, tunnelUnavailable, type Run, type TunnelEnd } from "../e2e/netns";
import { startControlPlane, waitFor, type ControlPlane } from "./support/control-plane";
import { readSynthFolder, type KubeObject } from "./support/gitops";
import { FakeNode } from "./support/kubelet";
import { tool } from "./support/tools";

const MESH = parse(
  readFileSync(join(__dirname, "../../examples/wireguard-two-region/mesh.yaml"), "utf8"),
) as MeshSpec;
const DOCUMENT = {
  mesh: MESH,
  services: [
    {
      name: "helloworld",
      namespace: "sample",
      image: "docker.io/istio/examples-helloworld-v1:1.0",
      ports: [{ name: "http", port: 5000 }],
    },
  ],
};
/** The management links between the test's namespace and each cluster's (never routed by the tunnel). */
const MANAGEMENT: Record<string, { here: string; there: string }> = {
  region1: { here: "198.19.254.1", there: "198.19.254.2" },
  region2: { here: "198.19.254.5", there: "198.19.254.6" },
};

/** A TCP relay on `host:port` to the control plane on loopback, for the CoreDNS of a namespace. */
function relay(host: string, target: URL): Promise<Server> {
  const server = createServer((socket) => {
    const upstream = connect(Number(target.port), target.hostname);
    socket.pipe(upstream).pipe(socket);
    socket.on("error", () => upstream.destroy());
    upstream.on("error", () => socket.destroy());
  });
  return new Promise((resolve) => server.listen(0, host, () => resolve(server)));
}

/** A Node.js script run inside a namespace: argv[1..] are its arguments. */
const RESOLVE =
  "const [,server,name,type]=process.argv;" +
  "const r=new (require('node:dns').promises.Resolver)({timeout:1500,tries:2});r.setServers([server]);" +
  "r.resolve(name,type).then(a=>console.log(JSON.stringify(a)),e=>{console.log(JSON.stringify(e.code));process.exit(3)})";
const GET =
  "const [,server,from,url]=process.argv;const dns=require('node:dns');" +
  "const r=new dns.Resolver({timeout:1500,tries:2});r.setServers([server]);" +
  "const lookup=(h,o,cb)=>r.resolve4(h,(e,a)=>e?cb(e):o&&o.all?cb(null,a.map(x=>({address:x,family:4}))):cb(null,a[0],4));" +
  "require('node:http').get(url,{lookup,localAddress:from,timeout:4000},res=>{let b='';res.on('data',d=>b+=d);" +
  "res.on('end',()=>console.log(res.statusCode+' '+b))}).on('timeout',function(){console.log('timeout');this.destroy();process.exit(4)})" +
  ".on('error',e=>{console.log(e.code);process.exit(5)})";
const CONNECT =
  "const [,from,host,port]=process.argv;const s=require('node:net').connect({host,port:+port,localAddress:from,timeout:3000});" +
  "s.on('connect',()=>{console.log('connected');process.exit(0)});s.on('timeout',()=>{console.log('timeout');process.exit(4)});" +
  "s.on('error',e=>{console.log(e.code);process.exit(5)})";

describe("real: a region alias name carries traffic over the WireGuard tunnel", function () {
  this.timeout(300_000);
  const plan: MeshPlan = resolvePlan(MESH);
  const ids = ["region1", "region2"] as const;
  const clusters: Record<string, ControlPlane> = {};
  const relays: Server[] = [];
  const nodes: FakeNode[] = [];
  let tunnel: NamespaceTunnel;
  let work: string;
  let objects: Record<string, KubeObject[]>;

  const end = (id: string): TunnelEnd => (id === "region1" ? tunnel.a : tunnel.b);
  const node = (id: string, script: string, args: readonly string[]): Promise<Run> =>
    tunnel.exec(end(id), [process.execPath, "-e", script, ...args], 15_000);
  const resolve = async (id: string, name: string, type = "A"): Promise<unknown> => {
    const r = await node(id, RESOLVE, [end(id).dns, name, type]);
    return JSON.parse(r.stdout.trim() || "null");
  };

  before(async () => {
    const reason = tunnelUnavailable();
    if (reason !== undefined) throw new Error(`the tunnel cannot be built here: ${reason}`);
    work = mkdtempSync(join(tmpdir(), "isthmus-real-alias-"));
    synthSpec(DOCUMENT, work);
    objects = Object.fromEntries(ids.map((id) => [id, readSynthFolder(work, id, () => "").objects]));
    tunnel = await NamespaceTunnel.up({ plan, a: "region1", b: "region2" });
    for (const id of ids) {
      const link = MANAGEMENT[id]!;
      const here = `isthmus-m${id.slice(-1)}-${process.pid % 10000}`;
      await must(["ip", "link", "add", here, "type", "veth", "peer", "name", "mgmt", "netns", end(id).ns]);
      await must(["ip", "addr", "add", `${link.here}/30`, "dev", here]);
      await must(["ip", "link", "set", here, "up"]);
      await must(["ip", "-n", end(id).ns, "addr", "add", `${link.there}/30`, "dev", "mgmt"]);
      await must(["ip", "-n", end(id).ns, "link", "set", "mgmt", "up"]);
    }
    await Promise.all(
      ids.map(async (id) => {
        clusters[id] = await startControlPlane({ name: id, serviceCidr: plan.clusters[id]!.cidrs.service });
      }),
    );
    for (const id of ids) {
      const cluster = clusters[id]!;
      const pod = end(id).pod;
      const fake = new FakeNode(cluster.kube, {
        name: `${id}-node`,
        region: plan.clusters[id]!.region,
        zone: `${plan.clusters[id]!.region}a`,
        podPrefix: `${pod.split(".").slice(0, 2).join(".")}.`,
        nodeIp: plan.clusters[id]!.cidrs.node.replace(/0\/\d+$/, "9"),
        podIpFor: (ns, name) => (ns === "sample" && name.startsWith("helloworld-") ? pod : undefined),
      });
      await fake.start();
      nodes.push(fake);
      // The service's objects as synth wrote them (the mesh's other objects need Istio's CRDs).
      const service = objects[id]!.filter(
        (o) => o.metadata.namespace === "sample" || o.metadata.name === "sample",
      );
      cluster.kubectl(["apply", "-f", "-"], service.map((o) => stringify(o)).join("---\n"));

      // CoreDNS at the plan's DNS address, with the Corefile of synth's coredns ConfigMap.
      const link = MANAGEMENT[id]!;
      const proxy = await relay(link.here, new URL(cluster.server));
      relays.push(proxy);
      const kubeconfig = parse(cluster.kubeconfig) as {
        clusters: { cluster: Record<string, unknown> }[];
      };
      const address = proxy.address() as { port: number };
      kubeconfig.clusters[0]!.cluster.server = `https://${link.here}:${address.port}`;
      kubeconfig.clusters[0]!.cluster["tls-server-name"] = "127.0.0.1";
      const kubeconfigFile = tunnel.path(`${id}.kubeconfig`);
      writeFileSync(kubeconfigFile, stringify(kubeconfig), { mode: 0o600 });
      const configMap = objects[id]!.find((o) => o.kind === "ConfigMap" && o.metadata.name === "coredns")!;
      const corefile = (configMap.data as { Corefile: string }).Corefile.replace(
        /^( *)kubernetes .*\{$/m,
        (line, indent: string) => `${line}\n${indent}    kubeconfig ${kubeconfigFile}`,
      );
      const corefileFile = tunnel.path(`${id}.Corefile`);
      writeFileSync(corefileFile, corefile, { mode: 0o600 });
      tunnel.start(end(id), [tool("coredns"), "-conf", corefileFile]);
    }
    // helloworld's container: an HTTP server at each region's pod address.
    for (const id of ids) {
      const server =
        `require('node:http').createServer((q,s)=>s.end('helloworld in ${id}, Host '+q.headers.host))` +
        `.listen(5000,'${end(id).pod}')`;
      tunnel.start(end(id), [process.execPath, "-e", server]);
    }
    for (const id of ids) {
      await waitFor(`${id} publishes helloworld's pod in its headless twin's EndpointSlice`, 120_000, () =>
        clusters[id]!.kubectl([
          "get",
          "endpointslices",
          "-n",
          "sample",
          "-l",
          "kubernetes.io/service-name=helloworld-alias",
          "-o",
          "jsonpath={.items[*].endpoints[*].addresses[*]}",
        ]).includes(end(id).pod),
      );
    }
    await waitFor("both CoreDNS answer for their cluster domain", 60_000, async () => {
      const answers = await Promise.all(
        ids.map((id) => resolve(id, `kubernetes.default.svc.${plan.clusterDomain}`)),
      );
      return answers.every(Array.isArray);
    });
  });

  after(async () => {
    for (const n of nodes) n.stop();
    for (const r of relays) r.close();
    await tunnel?.down();
    await Promise.all(Object.values(clusters).map((c) => c.stop()));
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("synth writes the headless twin beside the Service in both clusters", () => {
    for (const id of ids) {
      const twin = objects[id]!.find((o) => o.kind === "Service" && o.metadata.name === "helloworld-alias");
      assert.deepEqual(twin?.spec, {
        clusterIP: "None",
        selector: { app: "helloworld" },
        ports: [{ name: "http", port: 5000, targetPort: 5000, protocol: "TCP" }],
      });
    }
  });

  it("region1 resolves region2's alias name, over the tunnel, to the pod address", async () => {
    assert.deepEqual(await resolve("region1", "helloworld.sample.svc.cluster.region2"), [end("region2").pod]);
  });

  it("delivers region1's request for http://helloworld.sample.svc.cluster.region2:5000", async () => {
    const url = "http://helloworld.sample.svc.cluster.region2:5000/hello";
    const r = await node("region1", GET, [end("region1").dns, end("region1").pod, url]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(
      r.stdout.trim(),
      "200 helloworld in region2, Host helloworld.sample.svc.cluster.region2:5000",
    );
  });

  it("gives the container port and an alias-zone name in SRV records", async () => {
    assert.deepEqual(await resolve("region1", "_http._tcp.helloworld.sample.svc.cluster.region2", "SRV"), [
      {
        name: `${end("region2").pod.replace(/\./g, "-")}.helloworld.sample.svc.cluster.region2`,
        port: 5000,
        priority: 0,
        weight: 100,
      },
    ]);
  });

  it("does not deliver to the ClusterIP, which region2's cluster-domain name gives", async () => {
    const clusterIp = clusters.region2!.kubectl([
      "get",
      "service",
      "-n",
      "sample",
      "helloworld",
      "-o",
      "jsonpath={.spec.clusterIP}",
    ]);
    assert.deepEqual(await resolve("region2", `helloworld.sample.svc.${plan.clusterDomain}`), [clusterIp]);
    const r = await node("region1", CONNECT, [end("region1").pod, clusterIp, "5000"]);
    assert.notEqual(r.code, 0, `a connection to the ClusterIP ${clusterIp} across the tunnel was accepted`);
  });

  it("answers NXDOMAIN for a Service without a twin rather than a ClusterIP", async () => {
    assert.equal(await resolve("region1", "kubernetes.default.svc.cluster.region2"), "ENOTFOUND");
    assert.equal(await resolve("region1", "nothing.sample.svc.cluster.region2"), "ENOTFOUND");
  });

  it("pins the region: each alias zone answers with that region's pod, its own zone locally", async () => {
    for (const caller of ids) {
      for (const id of ids) {
        assert.deepEqual(
          await resolve(caller, `helloworld.sample.svc.cluster.${id}`),
          [end(id).pod],
          `${caller} → ${id}`,
        );
      }
    }
    const url = "http://helloworld.sample.svc.cluster.region1:5000/";
    const back = await node("region2", GET, [end("region2").dns, end("region2").pod, url]);
    assert.equal(
      back.stdout.trim(),
      "200 helloworld in region1, Host helloworld.sample.svc.cluster.region1:5000",
    );
  });
});
