#!/usr/bin/env node
// The isthmus command. TypeScript (isthmus itself and the Pulumi programs it plans) is loaded
// through tsx, the way the Pulumi CLI loads a TypeScript program.
"use strict";
require("tsx/cjs");
const { main } = require("../lib/cli/main.ts");
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(70);
  },
);
