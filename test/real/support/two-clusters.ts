/**
 * The mesh the istiod tests set up from isthmus's output: two existing clusters, both primaries, in
 * two "regions", and one injected service.
 */
import { READER_TOKEN_SECRET } from "../../../lib/core/remote-secret";
import type { MeshSpec } from "../../../lib/core/spec";
import { waitFor, type ControlPlane } from "./control-plane";

/** Two existing clusters, `east` and `west`. */
export const SPEC: MeshSpec = {
  meshID: "demo",
  clusters: {
    east: { cloud: "existing", region: "dc-east" },
    west: { cloud: "existing", region: "dc-west" },
  },
};

/** {@link SPEC} with helloworld in `sample`. */
export const DOCUMENT = {
  mesh: SPEC,
  services: [
    {
      name: "helloworld",
      namespace: "sample",
      image: "docker.io/istio/examples-helloworld-v1:1.0",
      ports: [{ name: "http", port: 5000 }],
    },
  ],
};

/** The reader's token once the real token controller has filled synth's token Secret. */
export async function filledReaderToken(id: string, cluster: ControlPlane): Promise<string> {
  const token = (): string =>
    cluster.kubectl([
      "get",
      "secret",
      "-n",
      "istio-system",
      READER_TOKEN_SECRET,
      "-o",
      "jsonpath={.data.token}",
    ]);
  await waitFor(`${id}: the token controller fills ${READER_TOKEN_SECRET}`, 60_000, () => token().length > 0);
  return Buffer.from(token(), "base64").toString("utf8");
}
