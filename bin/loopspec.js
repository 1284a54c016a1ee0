#!/usr/bin/env node
// The loopspec command: the kit's built JavaScript (dist/, made by scripts/build.js at install,
// and again here whenever a source changed since).
'use strict';
require('../scripts/build.js').ensureBuilt();
require('../dist/cli/main.js').cli(process.argv.slice(2));
