/**
 * The core-edge mesh (../mesh.ts) as a fleet: one project, one stack per part, joined by
 * StackReferences. The stacks (`isthmus plan examples/core-edge/fleet --config
 * examples/core-edge/Pulumi.offline.yaml` prints the graph):
 *
 *     trust                                   root CA, an intermediate per core
 *     primary-core-us, primary-core-eu        istiod, east-west gateway, reader token   ← trust
 *     remote-store-nyc, … (five)              one edge each: Istio's remote profile       ← its core
 *     discovery-core-us, discovery-core-eu    the remote secret of the other core         ← both cores
 *     discovery-remote-store-nyc, … (five)    the core's remote secret for that edge      ← core, edge
 *
 * Each stack is an ordinary stack of this project: `pulumi up -s primary-core-us` runs one (and so
 * does Pulumi Deployments); `runFleet` (docs/fleets.md) runs them all with the Automation API, in dependency order and in
 * parallel. Config per stack: `kubeconfigs` (secret object) with the clusters the stack touches.
 */
import { fleetProgram, meshFleet } from "../../../lib/fleet";
import { adopt, coreEdgeSpec } from "../mesh";

/** The fleet, built from the mesh spec of the stack's config. */
const fleet = meshFleet({
  project: "isthmus-core-edge-fleet",
  spec: coreEdgeSpec(),
  cluster: adopt,
  remotesPerStack: 1,
});

export = fleetProgram(fleet);
