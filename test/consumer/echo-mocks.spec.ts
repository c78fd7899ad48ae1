// A user's unit test, written the way Pulumi's docs teach: mocha + ts-node, outputs echo inputs.
import * as pulumi from "@pulumi/pulumi";

const registered: string[] = [];
pulumi.runtime.setMocks(
  {
    newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: any } {
      registered.push(`${args.type} ${args.name}`);
      return { id: args.inputs.name + "_id", state: args.inputs };
    },
    call(args: pulumi.runtime.MockCallArgs) {
      return args.inputs;
    },
  },
  "project",
  "stack",
  false, // Sets the flag `dryRun`, which indicates if pulumi is running in preview mode.
);

describe("the mesh program", function () {
  this.timeout(60_000);

  it("registers its resources", async function () {
    const program = await import("../index");
    // Wait until the program's last output resolves and no registration is left.
    await new Promise<void>((resolve) => program.clusterStatus.apply(() => resolve()));
    for (let last = -1; last !== registered.length;) {
      last = registered.length;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    console.log(`REGISTERED ${JSON.stringify(registered)}`);
  });
});
