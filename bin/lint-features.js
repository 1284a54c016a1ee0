#!/usr/bin/env node
// `npm run lint`: the feature lint (cli/lint-features.ts).
'use strict';
require('../scripts/build.js').ensureBuilt();
require('../dist/cli/lint-features.js').main();
