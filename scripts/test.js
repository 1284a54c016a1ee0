#!/usr/bin/env node
// `npm test`: type-check, lint the features, trace the doc's items to scenarios, then every
// test file under test/ with node's test runner (unit tests, driver faults, the CLI end to end,
// the conformance runs on the reference loop, CPython 3.12 and uvloop, and the broken loops).
// Its closing lines are the runner's counts.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** The built test files (dist/test/**/*.test.js, from test/**/*.test.ts). */
function testFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return testFiles(p);
    return e.name.endsWith('.test.js') ? [path.relative(root, p)] : [];
  }).sort();
}

run(process.execPath, [require.resolve('typescript/bin/tsc'), '--noEmit', '-p', '.']);
require('./build.js').ensureBuilt();
run(process.execPath, ['bin/lint-features.js']);
// Every documented item is checked by a scenario or excluded with a reason (npm run trace).
run(process.execPath, ['dist/cli/trace.js']);
// Readable progress on stdout; a TAP copy to count from, so the last line is the plain count.
const tap = path.join(require('node:os').tmpdir(), `loopspec-test-${process.pid}.tap`);
const r = spawnSync(process.execPath, [
  '--enable-source-maps', '--test',
  '--test-reporter', 'spec', '--test-reporter-destination', 'stdout',
  '--test-reporter', 'tap', '--test-reporter-destination', tap,
  ...testFiles(path.join(root, 'dist', 'test')),
], { cwd: root, stdio: 'inherit' });
const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
fs.rmSync(tap, { force: true });
const count = (name) => Number((new RegExp(`^# ${name} (\\d+)$`, 'm').exec(text) || [])[1] || 0);
process.stdout.write(`${count('pass')} passed, ${count('fail') + count('cancelled')} failed, ${count('skipped')} skipped\n`);
process.exit(r.status === 0 && count('pass') > 0 ? 0 : 1);
