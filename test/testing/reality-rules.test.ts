import * as assert from "node:assert/strict";
import * as gcpCompute from "@pulumi/gcp/compute";
import * as gcpProjects from "@pulumi/gcp/projects";
import { Provider as GcpProvider } from "@pulumi/gcp/provider";
import * as k8s from "@pulumi/kubernetes";
import { runOffline, type OfflineEngineOptions } from "../../lib/testing/offline-engine";

const EKS_KUBECONFIG =
  "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://0123456789ABCDEF.gr7.us-east-1.eks.amazonaws.com\n";

function eksProvider(): k8s.Provider {
  return new k8s.Provider("eks", { kubeconfig: EKS_KUBECONFIG, clusterIdentifier: "east" });
}

function controller(provider: k8s.Provider): k8s.helm.v3.Release {
  return new k8s.helm.v3.Release(
    "lbc",
    {
      name: "aws-load-balancer-controller",
      chart: "aws-load-balancer-controller",
      namespace: "kube-system",
      values: {},
    },
    { provider },
  );
}

const NLB_ANNOTATIONS = { "service.beta.kubernetes.io/aws-load-balancer-type": "external" };

function nlbService(provider: k8s.Provider, dependsOn: k8s.helm.v3.Release[] = []): k8s.core.v1.Service {
  return new k8s.core.v1.Service(
    "gw",
    {
      metadata: { name: "gw", namespace: "istio-system", annotations: NLB_ANNOTATIONS },
      spec: { type: "LoadBalancer", ports: [{ port: 15443 }] },
    },
    { provider, dependsOn },
  );
}

const SERVICE_TIMEOUT =
  "failed to register new resource gw [kubernetes:core/v1:Service]: resource istio-system/gw was successfully created, " +
  "but the Kubernetes API server reported that it failed to fully initialize or become live: 'gw' timed out waiting to be Ready: " +
  "Service was not allocated an IP address; does your cloud provider support this? [offline engine: ";
const FIX =
  ". Install the controller in the same program (EksCluster does) and make this depend on it, or declare it with " +
  "OfflineEngineOptions.alreadyInPlace.awsLoadBalancerControllers.]";

async function refusedWith(program: () => unknown, options: OfflineEngineOptions = {}): Promise<string> {
  let message = "";
  await assert.rejects(runOffline(program, options), (e: Error) => {
    message = e.message;
    return true;
  });
  return message;
}

describe("offline engine: the plan fails where the cloud would", () => {
  describe("(a) AWS load balancers need the AWS Load Balancer Controller", () => {
    it("fails an NLB Service in an EKS cluster without the controller, as the provider's Service await does", async () => {
      assert.equal(
        await refusedWith(() => nlbService(eksProvider())),
        SERVICE_TIMEOUT +
          "no aws-load-balancer-controller release runs in cluster east, and EKS's built-in cloud provider ignores a Service " +
          "annotated service.beta.kubernetes.io/aws-load-balancer-type: external" +
          FIX,
      );
    });

    it("fails it when the controller runs but the Service does not depend on it", async () => {
      assert.equal(
        await refusedWith(async () => {
          const provider = eksProvider();
          // Registered first, but not a dependency.
          await new Promise((resolve) => controller(provider).urn.apply(resolve));
          return nlbService(provider);
        }),
        SERVICE_TIMEOUT +
          "the aws-load-balancer-controller release of cluster east is not among its dependencies, so it may be created " +
          "before the controller runs (and destroyed after it, orphaning the load balancer)" +
          FIX,
      );
    });

    it("gives it an address once it depends on the controller, or the controller is declared in place", async () => {
      const { engine } = await runOffline(() => {
        const provider = eksProvider();
        return nlbService(provider, [controller(provider)]);
      });
      const status = engine.get("kubernetes:core/v1:Service", "gw").outputs.status as {
        loadBalancer: { ingress: { hostname: string }[] };
      };
      assert.match(status.loadBalancer.ingress[0]!.hostname, /\.elb\.us-east-1\.amazonaws\.com$/);
      await runOffline(() => nlbService(eksProvider()), {
        alreadyInPlace: { awsLoadBalancerControllers: ["east"] },
      });
    });

    it("fails a Helm release whose chart renders such a Service, as Helm's wait does", async () => {
      const message = await refusedWith(
        () =>
          new k8s.helm.v3.Release(
            "eastwest",
            {
              name: "istio-eastwestgateway",
              chart: "gateway",
              namespace: "istio-system",
              values: { service: { type: "LoadBalancer", annotations: NLB_ANNOTATIONS } },
            },
            { provider: eksProvider() },
          ),
      );
      assert.equal(
        message.split(" [offline engine: ")[0],
        'failed to register new resource eastwest [kubernetes:helm.sh/v3:Release]: Helm release "istio-system/istio-eastwestgateway" ' +
          "was created, but failed to initialize completely. Use Helm CLI to investigate: failed to become available within allocated " +
          "timeout. Error: Helm Release istio-system/istio-eastwestgateway: context deadline exceeded (Helm's wait: Service does not " +
          "have load balancer ingress IP address: istio-system/istio-eastwestgateway)",
      );
    });
  });

  describe("(b) kube-apiserver refuses webhooks on ExternalName Services", () => {
    const webhookConfig = (provider: k8s.Provider, serviceType: "ExternalName" | "ClusterIP") => {
      const service = new k8s.core.v1.Service(
        "hook-svc",
        {
          metadata: { name: "hook", namespace: "system" },
          spec:
            serviceType === "ExternalName"
              ? { type: "ExternalName", externalName: "hook.example.com" }
              : { type: "ClusterIP", ports: [{ port: 443 }] },
        },
        { provider },
      );
      return new k8s.admissionregistration.v1.MutatingWebhookConfiguration(
        "hook",
        {
          metadata: { name: "hook" },
          webhooks: [
            {
              name: "hook.example.com",
              admissionReviewVersions: ["v1"],
              sideEffects: "None",
              clientConfig: { service: { name: "hook", namespace: "system", path: "/mutate" } },
            },
          ],
        },
        { provider, dependsOn: [service] },
      );
    };

    it("refuses a webhook configuration whose service is ExternalName, and accepts a ClusterIP one", async () => {
      assert.equal(
        await refusedWith(() => webhookConfig(eksProvider(), "ExternalName")),
        "failed to register new resource hook [kubernetes:admissionregistration.k8s.io/v1:MutatingWebhookConfiguration]: " +
          'failed calling webhook "hook.example.com": failed to call webhook: Post "https://hook.system.svc:443/mutate?timeout=10s": ' +
          'unsupported service type "ExternalName" [offline engine: kube-apiserver refuses every call of this webhook: ' +
          "the Service system/hook it calls is of type ExternalName.]",
      );
      await runOffline(() => webhookConfig(eksProvider(), "ClusterIP"));
    });

    const remoteIstiod = (address: string) =>
      new k8s.helm.v3.Release(
        "remote-istiod",
        {
          name: "istiod",
          chart: "istiod",
          namespace: "istio-system",
          values: {
            profile: "remote",
            global: { remotePilotAddress: address },
            istiodRemote: { injectionPath: "/inject/cluster/west/net/network-west" },
          },
        },
        { provider: eksProvider() },
      );

    it("refuses a remote istiod whose remotePilotAddress is a host name (the chart renders istiod as ExternalName)", async () => {
      assert.equal(
        await refusedWith(() => remoteIstiod("k8s-abc.elb.us-east-1.amazonaws.com")),
        "failed to register new resource remote-istiod [kubernetes:helm.sh/v3:Release]: " +
          'failed calling webhook "namespace.sidecar-injector.istio.io": failed to call webhook: ' +
          'Post "https://istiod.istio-system.svc:443/inject/cluster/west/net/network-west?timeout=10s": unsupported service type "ExternalName" ' +
          '[offline engine: kube-apiserver refuses every call of this webhook: global.remotePilotAddress "k8s-abc.elb.us-east-1.amazonaws.com" ' +
          "is not an IPv4 address, so the istiod chart renders the Service istio-system/istiod as ExternalName and its injection webhook " +
          "calls it. Give the remote an IP (a static-IP load balancer).]",
      );
      await runOffline(() => remoteIstiod("54.1.2.3"));
    });
  });

  describe("(c) Google Cloud APIs must be enabled", () => {
    const network = async (enable: boolean, dependOnIt: boolean) => {
      const provider = new GcpProvider("gcp", { project: "demo-project", region: "us-east1" });
      const api = enable
        ? new gcpProjects.Service(
            "compute-api",
            { service: "compute.googleapis.com", disableOnDestroy: false },
            { provider },
          )
        : undefined;
      // Registered first, whether or not the network depends on it.
      if (api !== undefined) await new Promise((resolve) => api.urn.apply(resolve));
      return new gcpCompute.Network(
        "net",
        { autoCreateSubnetworks: false },
        { provider, dependsOn: dependOnIt && api ? [api] : [] },
      );
    };
    const DISABLED =
      "failed to register new resource net [gcp:compute/network:Network]: Error creating Network: googleapi: Error 403: " +
      "Compute Engine API has not been used in project demo-project before or it is disabled. Enable it by visiting " +
      "https://console.developers.google.com/apis/api/compute.googleapis.com/overview?project=demo-project then retry. " +
      "If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry., accessNotConfigured [offline engine: ";

    it("fails a resource of an API nothing enables, as Google's API does", async () => {
      assert.equal(
        await refusedWith(() => network(false, false)),
        DISABLED +
          "nothing in the program enables compute.googleapis.com in project demo-project, and a new project has it disabled. " +
          "Enable it with gcp.projects.Service (GkeCluster does) and depend on it, or declare it with OfflineEngineOptions.alreadyInPlace.gcpApis.]",
      );
    });

    it("fails it when the API is enabled but the resource does not depend on it", async () => {
      assert.match(
        await refusedWith(() => network(true, false)),
        /\[offline engine: the gcp\.projects\.Service that enables compute\.googleapis\.com is not among its dependencies, so it may be created first\./,
      );
    });

    it("creates it once it depends on the enabled API, or the API is declared enabled", async () => {
      await runOffline(() => network(true, true));
      await runOffline(() => network(false, false), {
        alreadyInPlace: { gcpApis: ["compute.googleapis.com"] },
      });
      await runOffline(() => network(false, false), {
        alreadyInPlace: { gcpApis: ["demo-project/compute.googleapis.com"] },
      });
    });
  });
});
