#!/usr/bin/env node
// `npm test [-- PATH...]`: type-check, lint the features, trace the doc's items to scenarios, then every
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

// The built test files: dist/test/.../NAME.test.js, from test/.../NAME.test.ts.
function testFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return testFiles(p);
    return e.name.endsWith('.test.js') ? [path.relative(root, p)] : [];
  }).sort();
}

const started = Date.now();
/**
 * `npm test -- test/broken-loops test/cli.test.ts`: only the test files whose source path starts
 * with one of the words (all of them when none is given).
 */
function chosen(files) {
  const words = process.argv.slice(2);
  const source = (f) => path.relative('dist', f).replace(/\.js$/, '.ts');
  const picked = words.length ? files.filter((f) => words.some((w) => source(f).startsWith(w))) : files;
  if (picked.length === 0) { process.stderr.write(`npm test: no test file under ${words.join(', ')}\n`); process.exit(2); }
  return picked;
}

run(process.execPath, [require.resolve('typescript/bin/tsc'), '--noEmit', '-p', '.']);
require('./build.js').ensureBuilt();
run(process.execPath, ['bin/lint-features.js']);
// Every documented item is checked by a scenario or excluded with a reason (npm run trace).
run(process.execPath, ['dist/cli/trace.js']);
// Readable progress on stdout; a TAP copy to count from, so the last line is the plain count; the
// slowest files (scripts/slowest-files.js) printed just before it.
const tmp = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'loopspec-test-'));
const tap = path.join(tmp, 'tap');
const slowest = path.join(tmp, 'slowest');
const r = spawnSync(process.execPath, [
  '--enable-source-maps', '--test',
  '--test-reporter', 'spec', '--test-reporter-destination', 'stdout',
  '--test-reporter', 'tap', '--test-reporter-destination', tap,
  '--test-reporter', './scripts/slowest-files.js', '--test-reporter-destination', slowest,
  ...chosen(testFiles(path.join(root, 'dist', 'test'))),
], { cwd: root, stdio: 'inherit' });
const read = (f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '');
const text = read(tap);
process.stdout.write(`\n${read(slowest)}npm test took ${((Date.now() - started) / 60_000).toFixed(1)} min\n`);
fs.rmSync(tmp, { recursive: true, force: true });
const count = (name) => Number((new RegExp(`^# ${name} (\\d+)$`, 'm').exec(text) || [])[1] || 0);
process.stdout.write(`${count('pass')} passed, ${count('fail') + count('cancelled')} failed, ${count('skipped')} skipped\n`);
process.exit(r.status === 0 && count('pass') > 0 ? 0 : 1);
