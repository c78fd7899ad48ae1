// ${DESCRIPTION}
//
// Two EKS clusters in two AWS regions, one multi-primary Istio mesh across them joined by east-west
// gateways, Istio's helloworld sample in both regions (v1 in the first, v2 in the second) and
// locality failover between them.
import * as pulumi from "@pulumi/pulumi";
import { MultiClusterMesh, planMesh, type MeshSpec } from "isthmus";
import { EksCluster } from "isthmus/aws";

const config = new pulumi.Config();
const spec: MeshSpec = {
  meshID: "demo",
  clusters: {
    region1: { cloud: "aws", region: config.get("region1") ?? "us-east-1" },
    region2: { cloud: "aws", region: config.get("region2") ?? "us-west-2" },
  },
};

const regions = Object.values(spec.clusters).map((c) => c.region);
// The document: the mesh and what runs in it (plain data; `isthmus synth` renders the same one).
const plan = planMesh({
  mesh: spec,
  services: [
    {
      name: "helloworld",
      namespace: "sample",
      image: "docker.io/istio/examples-helloworld-v1:1.0",
      ports: [{ name: "http", port: 5000 }],
      replicas: 2,
      // The sample answers with SERVICE_VERSION, so responses tell which region answered.
      env: { SERVICE_VERSION: "v1" },
      clusters: { region1: {}, region2: { version: "v2", env: { SERVICE_VERSION: "v2" } } },
    },
  ],
  failoverPolicies: [
    {
      host: "helloworld.sample.svc.cluster.local",
      failover: [
        { from: regions[0]!, to: regions[1]! },
        { from: regions[1]!, to: regions[0]! },
      ],
    },
  ],
});
const clusters = Object.fromEntries(
  Object.keys(plan.clusters).map((id) => [id, new EksCluster(`demo-${id}`, { plan, clusterId: id }).cluster]),
);
const mesh = new MultiClusterMesh("demo", { plan, clusters });

export const clusterStatus = mesh.clusterStatus;
export const certificateExpiry = mesh.certificateExpiry;
