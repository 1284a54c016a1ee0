#!/usr/bin/env node
// Runs the TypeScript CLI directly (ts-node, types not checked at run time: `npm run lint` does that).
'use strict';
const path = require('node:path');
// Cucumber, its workers and the reference driver load ts-node again, each with its own options:
// this makes every one of them read the kit's tsconfig.json (and ignore node_modules relative to
// it), whatever directory the user runs from and wherever the kit is installed (a loop's
// node_modules/loopspec included).
process.env.TS_NODE_PROJECT = path.join(__dirname, '..', 'tsconfig.json');
require('ts-node').register({ transpileOnly: true, project: process.env.TS_NODE_PROJECT });
require('../cli/main.ts').cli(process.argv.slice(2));
