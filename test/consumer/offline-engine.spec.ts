// A user's unit test with isthmus's offline engine: realistic outputs per resource type.
import { runOffline } from "isthmus/testing";

describe("the mesh program, offline", function () {
  this.timeout(60_000);

  it("registers its resources", async function () {
    const { engine } = await runOffline(() => import("../index"), {
      config: { "mesh-app:region1": "us-east-1", "mesh-app:region2": "us-west-2" },
    });
    const registered = engine.resources.map((r) => `${r.type} ${r.name}`);
    console.log(`REGISTERED ${JSON.stringify(registered)}`);
  });
});
