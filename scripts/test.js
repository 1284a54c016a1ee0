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

/** The source of a built test file: test/.../NAME.test.ts for dist/test/.../NAME.test.js. */
function sourceOf(file) {
  return path.relative('dist', file).replace(/\.js$/, '.ts');
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
  const picked = words.length ? files.filter((f) => words.some((w) => sourceOf(f).startsWith(w))) : files;
  if (picked.length === 0) { process.stderr.write(`npm test: no test file under ${words.join(', ')}\n`); process.exit(2); }
  return picked;
}

run(process.execPath, [require.resolve('typescript/bin/tsc'), '--noEmit', '-p', '.']);
require('./build.js').ensureBuilt();
run(process.execPath, ['bin/lint-features.js']);
// Every documented item is checked by a scenario or excluded with a reason (npm run trace).
run(process.execPath, ['dist/cli/trace.js']);
// Each test file in a node --test process of its own, so that each file's time is measured whole,
// its start-up included; two files at a time (LOOPSPEC_TEST_JOBS), the longest first by the
// times the last run kept in reports/.test-times.json: most of a file's time is spent waiting on
// drivers, peers and timers, not on a core. Each file's readable report goes to stdout whole
// when the file ends; a TAP copy to count from. At the end, the slowest files, then the plain
// count as the last line.
const { spawn } = require('node:child_process');
const TIMES = path.join(root, 'reports', '.test-times.json');
const jobs = Math.max(1, Number(process.env.LOOPSPEC_TEST_JOBS) || 2);
const tmp = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'loopspec-test-'));
// A fresh clone has no times of its own yet: test/durations.json (seconds by source file, copied
// from a run's times when a slice adds a slow file) gives the order to start from.
const readJson = (f) => { try { return JSON.parse(fs.readFileSync(f, 'utf8')); } catch { return undefined; } };
const known = readJson(TIMES) ?? Object.fromEntries(Object.entries(readJson(path.join(root, 'test', 'durations.json')) ?? {})
  .map(([source, s]) => [path.join('dist', source.replace(/\.ts$/, '.js')), s * 1000]));
const queue = chosen(testFiles(path.join(root, 'dist', 'test'))).sort((a, b) => (known[b] ?? 0) - (known[a] ?? 0));
const times = [];
let failedFiles = 0;
let text = '';

function runFile(file, n) {
  const tap = path.join(tmp, `${n}.tap`);
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [
      '--enable-source-maps', '--test',
      '--test-reporter', 'spec', '--test-reporter-destination', 'stdout',
      '--test-reporter', 'tap', '--test-reporter-destination', tap,
      file,
    ], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => out.push(d));
    child.on('close', (code) => {
      times.push([file, Date.now() - t0]);
      if (code !== 0) failedFiles++;
      process.stdout.write(`\n# ${sourceOf(file)}\n${Buffer.concat(out).toString()}`);
      text += fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
      resolve();
    });
  });
}

(async () => {
  let n = 0;
  await Promise.all(Array.from({ length: jobs }, async () => {
    while (queue.length) await runFile(queue.shift(), n++);
  }));
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(TIMES), { recursive: true });
  fs.writeFileSync(TIMES, JSON.stringify({ ...known, ...Object.fromEntries(times) }, null, 1));
  process.stdout.write(`\n${slowest(times)}npm test took ${((Date.now() - started) / 60_000).toFixed(1)} min\n`);
  const count = (name) => [...text.matchAll(new RegExp(`^# ${name} (\\d+)$`, 'gm'))].reduce((k, m) => k + Number(m[1]), 0);
  process.stdout.write(`${count('pass')} passed, ${count('fail') + count('cancelled')} failed, ${count('skipped')} skipped\n`);
  process.exit(failedFiles === 0 && count('pass') > 0 ? 0 : 1);
})();

/** The slowest test files with their times, so the next slice of the page sees what it costs. */
function slowest(times) {
  const total = times.reduce((sum, [, ms]) => sum + ms, 0);
  const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`.padStart(8);
  const lines = [...times].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([file, ms]) =>
    `${seconds(ms)} ${`${Math.round((100 * ms) / (total || 1))}%`.padStart(4)}  ${sourceOf(file)}\n`);
  return `slowest test files (of ${times.length}; their times add up to ${seconds(total).trim()}, ${jobs} at a time):\n${lines.join('')}`;
}
