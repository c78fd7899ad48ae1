/**
 * The one builder of a Helm release: a pinned chart from its repository, into a namespace that
 * already exists (isthmus creates namespaces itself, with their labels), through an explicit provider.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/** A pinned chart and where its release goes. */
export interface HelmChartRelease {
  /** The Helm release name. */
  readonly release: string;
  /** The chart's name in its repository. */
  readonly chart: string;
  /** The pinned chart version. */
  readonly version: string;
  /** The chart repository URL. */
  readonly repository: string;
  /** The namespace the release is installed in. */
  readonly namespace: string;
}

/** A Helm release of a pinned chart, with `values`; `opts` must name the cluster's provider. */
export function helmRelease(
  name: string,
  chart: HelmChartRelease,
  values: pulumi.Input<object>,
  opts: pulumi.CustomResourceOptions & { readonly provider: k8s.Provider },
): k8s.helm.v3.Release {
  return new k8s.helm.v3.Release(
    name,
    {
      name: chart.release,
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
