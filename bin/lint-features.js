#!/usr/bin/env node
// `npm run lint`: the feature lint (cli/lint-features.ts), run from source.
'use strict';
const path = require('node:path');
require('ts-node').register({ transpileOnly: true, project: path.join(__dirname, '..', 'tsconfig.json') });
require('../cli/lint-features.ts').main();
