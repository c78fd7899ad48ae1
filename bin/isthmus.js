#!/usr/bin/env node
// The isthmus command. In the published package it runs the compiled CLI (dist/); in a source
// checkout (lib/ next to bin/, no build needed) it runs the TypeScript sources through tsx.
"use strict";
const { existsSync } = require("node:fs");
const path = require("node:path");

const source = path.join(__dirname, "..", "lib", "cli", "main.ts");
let main;
if (existsSync(source)) {
  require("tsx/cjs");
  ({ main } = require(source));
} else {
  ({ main } = require("../dist/cli/main.js"));
}
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
