#!/usr/bin/env node
// Runs the TypeScript CLI directly (ts-node, types not checked at run time: `npm run lint` does that).
'use strict';
const path = require('node:path');
require('ts-node').register({ transpileOnly: true, project: path.join(__dirname, '..', 'tsconfig.json') });
require('../cli/main.ts').cli(process.argv.slice(2));
