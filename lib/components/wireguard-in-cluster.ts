/**
 * The WireGuard gateway in the cluster, for clusters isthmus does not provision: a `hostNetwork` pod
 * with NET_ADMIN pinned to one labelled node, its wg-quick file in a Secret, a UDP load balancer as
 * its endpoint (see `lib/manifests/wireguard-gateway.ts`). Kubernetes only: no cloud SDK.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import {
  WIREGUARD_CONFIG_KEY,
  WIREGUARD_GATEWAY_NAME,
  WIREGUARD_NAMESPACE,
  WIREGUARD_SECRET_NAME,
  WireGuardGateway as WireGuardGatewayManifest,
  type WireGuardGatewayProps,
} from "../manifests/wireguard-gateway";
import type { MeshCluster } from "../base/mesh-cluster";
import type { WireGuardEndpointContext } from "../base/wireguard-endpoint";
import { applyObjects, objectKey } from "./kubernetes-objects";
import { renderCluster } from "./render-cluster";

/** The in-cluster gateway; returns its load balancer's address. */
export function inClusterGateway(
  ctx: WireGuardEndpointContext,
  cluster: MeshCluster,
  props: WireGuardGatewayProps,
): pulumi.Output<string> {
  const { name, plan, clusterId } = ctx;
  const provider = cluster.provider;
  const objects = renderCluster(
    plan,
    clusterId,
    (chart) => new WireGuardGatewayManifest(chart, "wireguard", props),
  );
  const secretObject = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: WIREGUARD_SECRET_NAME, namespace: WIREGUARD_NAMESPACE },
  };
  const secret = new k8s.core.v1.Secret(
    `${name}-${objectKey(secretObject)}`,
    {
      metadata: secretObject.metadata,
      type: "Opaque",
      stringData: { [WIREGUARD_CONFIG_KEY]: ctx.config },
    },
    { parent: ctx.parent, provider },
  );
  const isService = (o: { kind: string }): boolean => o.kind === "Service";
  applyObjects(
    objects.filter((o) => !isService(o)),
    {
      provider,
      parent: ctx.parent,
      namePrefix: name,
      dependsOn: [secret, ...(cluster.readyResources ?? [])],
    },
  );
  const serviceObject = objects.find(isService)!;
  const service = new k8s.core.v1.Service(
    `${name}-${objectKey(serviceObject)}`,
    serviceObject as unknown as k8s.core.v1.ServiceArgs,
    {
      parent: ctx.parent,
      provider,
      dependsOn: [...(cluster.readyResources ?? []), ...(cluster.loadBalancerReady ?? [])],
    },
  );
  return service.status.apply((status) => {
    const ingress = status?.loadBalancer?.ingress?.[0];
    const address = ingress?.ip ?? ingress?.hostname;
    if (!address)
      throw new Error(`${name}: the load balancer of ${WIREGUARD_GATEWAY_NAME} has no address yet`);
    return address;
  });
}
