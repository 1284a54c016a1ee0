#!/usr/bin/env node
// `npm run lint`: the feature lint (cli/lint-features.ts), run from source.
'use strict';
const path = require('node:path');
require('ts-node').register({ transpileOnly: true, project: path.join(__dirname, '..', 'tsconfig.json') });
const { lintFeatures } = require('../cli/lint-features.ts');
const findings = lintFeatures();
for (const f of findings) process.stdout.write(`${f.file}:${f.line}: [${f.rule}] ${f.message}\n`);
process.stdout.write(findings.length ? `feature lint: ${findings.length} problem(s)\n` : 'feature lint: clean\n');
process.exitCode = findings.length ? 1 : 0;
