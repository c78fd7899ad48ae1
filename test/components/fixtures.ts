/**
 * Shared fixtures for component tests: cluster handles that need no cloud.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { MeshCluster } from "../../lib/base/mesh-cluster";
import type { MeshSpec } from "../../lib/core";
import {
  AWS_LOAD_BALANCER_CONTROLLER_VERSION,
  EKS_CHARTS_REPOSITORY,
} from "../../lib/clusters/aws/aws-load-balancer-controller";
import { fakePem } from "../../lib/testing/mock-outputs";

/**
 * A handle for an existing cluster with a kubeconfig that points at an EKS-looking endpoint, with
 * the AWS Load Balancer Controller released in it (as EksCluster does), which its load balancers
 * wait for, and Elastic IPs for a gateway that exposes istiod.
 */
export function testCluster(id: string, region = "us-east-1"): MeshCluster {
  const server = `https://${id.toUpperCase()}0123456789ABCDEF.gr7.${region}.eks.amazonaws.com`;
  const kubeconfig = `apiVersion: v1\nkind: Config\nclusters:\n- name: ${id}\n  cluster:\n    server: ${server}\n`;
  const provider = new k8s.Provider(`${id}-k8s`, {
    kubeconfig: pulumi.secret(kubeconfig),
    clusterIdentifier: id,
  });
  const controller = new k8s.helm.v3.Release(
    `${id}-lb-controller`,
    {
      name: "aws-load-balancer-controller",
      chart: "aws-load-balancer-controller",
      version: AWS_LOAD_BALANCER_CONTROLLER_VERSION,
      namespace: "kube-system",
      repositoryOpts: { repo: EKS_CHARTS_REPOSITORY },
      values: { clusterName: id, region },
    },
    { provider },
  );
  return {
    id,
    provider,
    endpoint: server,
    certificateAuthority: fakePem("CERTIFICATE", id),
    loadBalancerReady: [controller],
    egressAddresses: [egressAddress(id)],
    // Elastic IPs for an NLB that exposes istiod (used only where the plan asks for static addresses).
    gatewayStaticAddresses: {
      allocationIds: ["a", "b", "c"].map((z) => `eipalloc-${id}${z}`),
      publicIps: [1, 2, 3].map((n) => `54.0.${id.length}.${n}`),
      subnetIds: ["a", "b", "c"].map((z) => `subnet-${id}${z}`),
    },
  };
}

/** A documentation address (203.0.113.0/24) per cluster id, as its NAT gateway's public IP. */
export function egressAddress(id: string): string {
  const sum = [...id].reduce((n, ch) => n + ch.charCodeAt(0), 0);
  return `203.0.113.${(sum % 200) + 1}`;
}

/** Handles for every cluster of a spec. */
export function testClusters(spec: MeshSpec): Record<string, MeshCluster> {
  return Object.fromEntries(
    Object.entries(spec.clusters).map(([id, c]) => [
      id,
      testCluster(id, c.cloud === "aws" ? c.region : "us-east-1"),
    ]),
  );
}

/** Two AWS regions, multi-primary, gateways mode. */
export const TWO_REGIONS: MeshSpec = {
  clusters: {
    region1: { cloud: "aws", region: "us-east-1" },
    region2: { cloud: "aws", region: "us-west-2" },
  },
};

/** Three clusters, one primary. */
export const PRIMARY_REMOTE: MeshSpec = {
  controlPlane: { model: "primary-remote", primaries: ["east"] },
  clusters: {
    east: { cloud: "aws", region: "us-east-1" },
    west: { cloud: "aws", region: "us-west-2" },
    europe: { cloud: "aws", region: "eu-west-1" },
  },
};

/** Three clusters, all primaries. */
export const THREE_PRIMARIES: MeshSpec = {
  clusters: { ...PRIMARY_REMOTE.clusters },
};
