#!/usr/bin/env node
// The isthmus command. TypeScript (isthmus itself and the Pulumi programs it plans) is loaded
// through tsx, the way the Pulumi CLI loads a TypeScript program.
"use strict";
require("tsx/cjs");
const { main } = require("../lib/cli/main.ts");
let finished = false;
process.on("beforeExit", () => {
  // Node exits quietly when nothing is left to wait for; never let that pass for success.
  if (!finished) {
    console.error("isthmus: the command stopped before it finished (a promise that never settles: a bug)");
    process.exit(70);
  }
});
main(process.argv.slice(2)).then(
  (code) => {
    finished = true;
    process.exit(code);
  },
  (error) => {
    console.error(error);
    process.exit(70);
  },
);
