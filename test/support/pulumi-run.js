// Runs a Pulumi program the way `pulumi up` runs it: through the Node SDK's own program runner
// (@pulumi/pulumi/cmd/run/run.js: entry point rule, ts-node when PULUMI_NODEJS_TYPESCRIPT=true,
// Stack resource), but against mocks instead of an engine.
//
//   node [nodeargs] pulumi-run.js --pwd <program dir> --project <name> --mocks echo|<offline engine module> <entry>
//
// Resolves @pulumi/pulumi from the program directory, as the language host does. Config comes in
// PULUMI_CONFIG, as from the language host. Prints one line `PULUMI-RUN {json}`: the registered
// resources (type and name), or the error the program raised.
"use strict";
const path = require("node:path");

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const [value] = args.splice(i, 2).slice(1);
  return value;
};
const pwd = path.resolve(option("pwd") ?? ".");
const mocks = option("mocks") ?? "echo";
const project = option("project") ?? "project";
const stack = option("stack") ?? "stack";
const entry = args[0] ?? ".";
const fromProgram = (id) => require.resolve(id, { paths: [pwd] });
const pulumi = require(fromProgram("@pulumi/pulumi"));

const registered = [];
let engine;
process.on("exit", (code) => {
  // The runner is done when nothing is left to wait for, or it exits on an error.
  if (engine !== undefined) for (const r of engine.resources) registered.push({ type: r.type, name: r.name });
  // The program's own modules the runner loaded (which entry point it chose).
  const loaded = Object.keys(require.cache).filter(
    (f) => f.startsWith(pwd + path.sep) && !f.includes(`${path.sep}node_modules${path.sep}`),
  );
  process.stdout.write(`PULUMI-RUN ${JSON.stringify({ resources: registered, loaded, exitCode: code })}\n`);
});

async function main() {
  if (mocks === "echo") {
    // Pulumi's documented unit-test mocks: every output echoes its inputs.
    pulumi.runtime.setMocks(
      {
        newResource(a) {
          registered.push({ type: a.type, name: a.name });
          return { id: `${a.name}_id`, state: a.inputs };
        },
        call(a) {
          return a.inputs;
        },
      },
      project,
      stack,
      false,
    );
  } else {
    const { OfflineEngine } = require(mocks.startsWith(".") ? path.resolve(mocks) : fromProgram(mocks));
    engine = await OfflineEngine.start({
      project,
      stack,
      config: JSON.parse(process.env.PULUMI_CONFIG ?? "{}"),
    });
  }
  // What the Node language host spawns: `node [nodeargs] <@pulumi/pulumi/cmd/run> --monitor … --pwd <dir> <entry>`.
  const runner = path.dirname(fromProgram("@pulumi/pulumi/cmd/run/index.js"));
  process.argv = [process.execPath, runner, "--monitor", "mocks", "--pwd", pwd, entry];
  require(runner);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
