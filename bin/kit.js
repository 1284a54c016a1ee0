#!/usr/bin/env node
// Runs one of the kit's TypeScript modules from its build: `node bin/kit.js cli/trace.ts ARGS`
// runs dist/cli/trace.js with ARGS (npm run trace, docs, bench).
'use strict';
const path = require('node:path');
require('../scripts/build.js').ensureBuilt();
const [source, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], path.join(__dirname, '..', 'dist', source.replace(/\.ts$/, '.js')), ...args];
// As `node dist/…js` would: that module is require.main.
require('node:module').runMain();
