/**
 * IstioInstallation: Istio in one cluster, in the right order.
 *
 * istio-system (with its network label) → `cacerts` (primaries) → the `base` release (CRDs) → the
 * `istiod` release (waits for cacerts, so istiod starts with the mesh's CA) → Istio custom resources
 * (the mesh-wide PeerAuthentication). Everything goes through the cluster's own provider; nothing
 * waits on another cluster except a remote, which needs its primary's east-west gateway address.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { MeshCluster } from "../base/mesh-cluster";
import {
  baseChart,
  baseValues,
  istiodChart,
  istiodValues,
  type ChartRef,
  type HelmValues,
} from "../core/istio-values";
import type { MeshPlan } from "../core/mesh-plan";
import { CACERTS_SECRET } from "../core/trust";
import { IstioInstallationManifest } from "../manifests/istio-installation";
import { didYouMean, type SpecProblem } from "../core/problems";
import { throwIfProblems } from "../base/input-errors";
import { applyObjects } from "./kubernetes-objects";
import { isIstioResource, renderCluster } from "./render-cluster";

/** Arguments of {@link IstioInstallation}. */
export interface IstioInstallationArgs {
  readonly plan: MeshPlan;
  /** Which cluster of the plan. */
  readonly clusterId: string;
  /** The cluster's handle (provider, readiness). */
  readonly cluster: MeshCluster;
  /**
   * The `cacerts` data (from {@link MeshTrust.cacerts}); required on primaries, where istiod runs.
   * @default - none: istiod would start with a self-signed CA of its own, which cannot join a mesh
   */
  readonly cacerts?: pulumi.Input<Record<string, string>>;
  /**
   * A remote's primary east-west gateway address (`global.remotePilotAddress`).
   * @default - none: required for remotes
   */
  readonly remotePilotAddress?: pulumi.Input<string>;
}

/** Istio's control plane (or remote profile) in one cluster. */
export class IstioInstallation extends pulumi.ComponentResource {
  /** The istio-system Namespace. */
  declare readonly namespace: pulumi.Resource;
  /** The `base` release (Istio's CRDs). */
  declare readonly base: k8s.helm.v3.Release;
  /** The `istiod` release (remote profile on remotes). */
  declare readonly istiod: k8s.helm.v3.Release;
  /** The istiod release's status (`deployed`, …). */
  declare readonly status: pulumi.Output<string>;

  constructor(name: string, args: IstioInstallationArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfProblems(`IstioInstallation ${name}`, installationProblems(args));
    super("isthmus:mesh:IstioInstallation", name, {}, opts);
    const { plan, clusterId, cluster } = args;
    const isPrimary = plan.clusters[clusterId]!.role === "primary";
    const provider = cluster.provider;
    const ready = [...(cluster.readyResources ?? [])];

    const objects = renderCluster(plan, clusterId, (chart) => new IstioInstallationManifest(chart, "istio"));
    const plain = applyObjects(
      objects.filter((o) => !isIstioResource(o)),
      { provider, parent: this, namePrefix: name, dependsOn: ready },
    );
    const namespace = plain[`namespace-${plan.istio.namespace}`];
    if (namespace === undefined)
      throw new Error(`IstioInstallation: the chart rendered no ${plan.istio.namespace} Namespace`);

    const istiodWaitsFor: pulumi.Resource[] = [namespace];
    if (isPrimary) {
      istiodWaitsFor.push(
        new k8s.core.v1.Secret(
          `${name}-cacerts`,
          {
            metadata: { name: CACERTS_SECRET.name, namespace: CACERTS_SECRET.namespace },
            type: "Opaque",
            stringData: pulumi.secret(args.cacerts!),
          },
          { parent: this, provider, dependsOn: [namespace] },
        ),
      );
    }

    const base = helmRelease(`${name}-base`, baseChart(plan), baseValues(plan, clusterId), {
      parent: this,
      provider,
      dependsOn: [namespace, ...ready],
    });
    const values = isPrimary
      ? istiodValues(plan, clusterId)
      : pulumi
          .output(args.remotePilotAddress!)
          .apply((address) => istiodValues(plan, clusterId, { remotePilotAddress: address }));
    const istiod = helmRelease(`${name}-istiod`, istiodChart(plan), values, {
      parent: this,
      provider,
      dependsOn: [base, ...istiodWaitsFor],
    });

    applyObjects(objects.filter(isIstioResource), {
      provider,
      parent: this,
      namePrefix: name,
      dependsOn: [base, istiod],
    });

    this.namespace = namespace;
    this.base = base;
    this.istiod = istiod;
    this.status = istiod.status.status;
    this.registerOutputs({ status: this.status });
  }
}

/** What an installation needs: a cluster of the plan, cacerts on a primary, an address on a remote. */
function installationProblems(args: IstioInstallationArgs): SpecProblem[] {
  const cluster = args.plan.clusters[args.clusterId];
  const ids = Object.keys(args.plan.clusters);
  if (cluster === undefined) {
    return [
      {
        path: "clusterId",
        problem: "is not a cluster of the plan",
        received: args.clusterId,
        expected: `one of ${ids.join(", ")}`,
        fix: `Use a key of the spec's clusters.${didYouMean(args.clusterId, ids)}`,
      },
    ];
  }
  if (cluster.role === "primary" && args.cacerts === undefined) {
    return [
      {
        path: "cacerts",
        problem: `is missing on the primary ${cluster.id}, whose istiod needs the mesh's intermediate CA`,
        received: undefined,
        expected: "the cluster's cacerts data",
        fix: `Pass cacerts: trust.cacerts("${cluster.id}") from a MeshTrust.`,
      },
    ];
  }
  if (cluster.role === "remote" && args.remotePilotAddress === undefined) {
    return [
      {
        path: "remotePilotAddress",
        problem: `is missing on the remote ${cluster.id}, which reaches its primary's istiod through it`,
        received: undefined,
        expected: `the address of ${cluster.controlPlaneCluster ?? "its primary"}'s east-west gateway`,
        fix: "Pass the primary EastWestGateway's address output.",
      },
    ];
  }
  return [];
}

/** A Helm release of one of Istio's charts, pinned, from Istio's repository. */
function helmRelease(
  name: string,
  chart: ChartRef,
  values: pulumi.Input<HelmValues>,
  opts: pulumi.CustomResourceOptions,
): k8s.helm.v3.Release {
  return new k8s.helm.v3.Release(
    name,
    {
      name: chart.releaseName,
      chart: chart.chart,
      version: chart.version,
      namespace: chart.namespace,
      repositoryOpts: { repo: chart.repository },
      values: values as pulumi.Input<Record<string, pulumi.Input<unknown>>>,
      createNamespace: false,
    },
    opts,
  );
}
