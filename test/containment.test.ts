// Containment (PROTOCOL.md, "Containment"): nothing a loop starts outlives its scenario, whatever
// session or process group it moved to; no scenario's process state reaches the next; a loop
// that floods stderr or cuts the protocol channel is judged and reported like any other.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CPYTHON_312, FIXTURES, ROOT, loopspec, summary, lastLine } from './helpers';
import { descendantsOf, endProcesses, isRunning } from '../adapters/processes';
import * as native from '../native';
import { sandboxUnavailable } from '../adapters/sandbox';

const CALL_SOON = 'features/scheduling-callbacks/loop.call_soon.feature';
const CALL_AT = 'features/scheduling-delayed-callbacks/loop.call_at.feature';

/** Live processes whose environment carries the mark (the helpers inherit it from the driver). */
function marked(mark: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!fs.readFileSync(`/proc/${entry}/environ`, 'latin1').includes(`LOOPSPEC_TEST_MARK=${mark}`)) continue;
      if (isRunning(Number(entry))) found.push(`${entry} ${fs.readFileSync(`/proc/${entry}/cmdline`, 'latin1').replace(/\0/g, ' ')}`);
    } catch { /* gone meanwhile */ }
  }
  return found;
}

for (const factory of ['escapes_by_setsid', 'escapes_by_double_fork', 'escapes_ignoring_sigterm']) {
  test(`a loop that ${factory.replace(/_/g, ' ')} fails every scenario whose helper outlived it, and nothing survives the run`, async () => {
    const mark = crypto.randomUUID();
    const run = await loopspec(['--python', CPYTHON_312, '--loop', `broken_loops.escaping:${factory}`, '--id', factory, CALL_SOON], { env: { LOOPSPEC_TEST_MARK: mark } });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const scenarios = summary(run, factory).scenarios;
    assert.ok(scenarios.length > 0);
    for (const s of scenarios) {
      assert.equal(s.outcome, 'failed', s.id);
      assert.match(s.error ?? '', /leaked: process \d+ \(sleep 600\) still running/, s.id);
    }
    assert.deepEqual(marked(mark), []);
  });
}

for (const [factory, how] of [['escapes_and_crashes', 'dies by itself'], ['escapes_and_hangs', 'is timed out and killed']] as const) {
  test(`when a driver whose loop escaped ${how}, the kit ends what it left`, async () => {
    const mark = crypto.randomUUID();
    const run = await loopspec(['--python', CPYTHON_312, '--loop', `broken_loops.escaping:${factory}`, '--id', factory, '--timeout', '2', CALL_SOON], { env: { LOOPSPEC_TEST_MARK: mark } });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(lastLine(run.stdout), /^0 passed, \d+ failed, 0 skipped$/);
    assert.deepEqual(marked(mark), []);
  });
}

const STATE_CHANGES: Array<[string, RegExp]> = [
  ['changes_cwd', /leaked: the working directory changed from \S+ to \/$/m],
  ['leaves_signal_handler', /leaked: SIGUSR1 is now caught/],
  ['blocks_signal', /leaked: SIGUSR2 is now blocked/],
  ['ignores_signal', /leaked: SIGHUP is now ignored/],
  ['changes_umask', /leaked: the umask changed from \d+ to 0077/],
  ['sets_environment', /leaked: the environment variable LOOPSPEC_LEFT_BEHIND was set/],
  ['sets_policy', /leaked: the event loop policy was replaced/],
  ['replaces_asyncio_module', /leaked: sys.modules\['asyncio.events'\] was replaced/],
];

for (const [factory, change] of STATE_CHANGES) {
  test(`a loop whose call_at ${factory.replace(/_/g, ' ')} fails the scenarios that called it and no other`, async () => {
    const run = await loopspec(['--python', CPYTHON_312, '--loop', `broken_loops.state:${factory}`, '--id', factory, '--parallel', '2', CALL_SOON, CALL_AT]);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const scenarios = summary(run, factory).scenarios;
    for (const s of scenarios.filter((x) => x.id.startsWith(CALL_SOON))) assert.equal(s.outcome, 'passed', `${s.id}: ${s.error}`);
    const callAt = scenarios.filter((x) => x.id.startsWith(CALL_AT));
    assert.ok(callAt.length > 5);
    for (const s of callAt) {
      assert.equal(s.outcome, 'failed', s.id);
      assert.match(s.error ?? '', change, s.id);
    }
  });
}

test('a loop that writes hundreds of MiB to stderr is judged like CPython\'s own, and the kit keeps only a tail', async () => {
  const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-reports-'));
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/loopspec.js'), '--reports', reports, '--python', CPYTHON_312, '--loop', 'broken_loops.chatty:writes_to_stderr', '--id', 'chatty', CALL_SOON], {
    cwd: ROOT, env: { ...process.env, PYTHONPATH: FIXTURES }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.resume();
  // The kit's peak resident memory, read from /proc while it runs (the driver is its child).
  let peakKiB = 0;
  const poll = setInterval(() => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'latin1'));
      if (hwm) peakKiB = Math.max(peakKiB, Number(hwm[1]));
    } catch { /* exited */ }
  }, 100);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(poll);
  assert.equal(code, 0, stdout);
  const plain = await loopspec(['--python', CPYTHON_312, '--id', 'plain', CALL_SOON]);
  const outcomes = (dir: string, id: string) => Object.fromEntries(JSON.parse(fs.readFileSync(path.join(dir, id, 'summary.json'), 'utf8')).scenarios.map((s: { id: string; outcome: string }) => [s.id, s.outcome]));
  assert.deepEqual(outcomes(reports, 'chatty'), outcomes(plain.reports, 'plain'));
  const loops = Object.keys(outcomes(reports, 'chatty')).length;
  assert.ok(loops * 32 >= 300, 'the loops wrote at least 300 MiB in all');
  assert.ok(peakKiB > 0 && peakKiB < 300 * 1024, `the kit's peak RSS was ${Math.round(peakKiB / 1024)} MiB`);
});

test('a loop factory that closes every descriptor above 2 ends the run within seconds with one line', async () => {
  const run = await loopspec(['--python', CPYTHON_312, '--loop', 'broken_loops.escaping:closes_every_fd', CALL_SOON], { limitMs: 30_000 });
  assert.equal(run.code, 2, run.stdout + run.stderr);
  assert.ok(run.ms < 10_000, `took ${run.ms} ms`);
  const lines = run.stderr.trim().split('\n');
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0], /lost the protocol channel/);
});

test('endProcesses ends a tree that left its session, SIGKILLing what ignores SIGTERM, and waits for the orphans', () => {
  // This process is the subreaper here, as a driver is: the escaped grandchildren come back to it.
  native.setChildSubreaper();
  const before = new Set(descendantsOf(process.pid));
  const started = spawnSync('sh', ['-c', 'setsid sh -c \'trap "" TERM; sleep 600\' </dev/null >/dev/null 2>&1 & sleep 600 </dev/null >/dev/null 2>&1 & exit 0']);
  assert.equal(started.status, 0);
  let left: number[] = [];
  for (let i = 0; i < 100 && left.length < 3; i++) {
    left = descendantsOf(process.pid).filter((p) => !before.has(p) && isRunning(p));
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
  assert.ok(left.length >= 2, `escaped helpers found: ${left.join(' ')}`);
  const ended = endProcesses(left, { keep: before, adopt: (c) => !before.has(c), graceMs: 200, reap: native.reap });
  assert.equal(ended, true);
  assert.deepEqual(descendantsOf(process.pid).filter((p) => !before.has(p)), [], 'not even a zombie is left');
});

const EXPECTATIONS_CPYTHON = 'adapters/python/expectations/cpython.json';
const outcomesOf = (run: Awaited<ReturnType<typeof loopspec>>, id: string) => Object.fromEntries(summary(run, id).scenarios.map((s) => [s.id, s.outcome]));

test('a run in the sandbox gives the same outcomes as one without', { skip: sandboxRefused() }, async () => {
  const args = ['--python', CPYTHON_312, '--expectations', EXPECTATIONS_CPYTHON, '--parallel', '2'];
  const plain = await loopspec([...args, '--id', 'plain'], { limitMs: 600_000 });
  const boxed = await loopspec([...args, '--id', 'boxed', '--sandbox'], { limitMs: 600_000 });
  assert.equal(boxed.code, plain.code, boxed.stdout + boxed.stderr);
  assert.match(boxed.stderr, /, in the sandbox$/m);
  assert.deepEqual(outcomesOf(boxed, 'boxed'), outcomesOf(plain, 'plain'));
});

test('in the sandbox too, nothing an escaping loop starts survives its driver', { skip: sandboxRefused() }, async () => {
  const mark = crypto.randomUUID();
  const run = await loopspec(['--sandbox', '--python', CPYTHON_312, '--loop', 'broken_loops.escaping:escapes_and_crashes', '--id', 'boxed-crash', CALL_SOON], { env: { LOOPSPEC_TEST_MARK: mark } });
  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.deepEqual(marked(mark), []);
});

test('where namespaces are refused, --sandbox says so once and the run goes on without', async () => {
  const run = await loopspec(['--sandbox', '--parallel', '2', CALL_SOON], { env: { LOOPSPEC_UNSHARE: '/bin/false' } });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  const notes = run.stderr.split('\n').filter((l) => l.includes('--sandbox'));
  assert.equal(notes.length, 1, run.stderr);
  assert.match(notes[0], /^loopspec: --sandbox: this machine does not allow unprivileged user and PID namespaces \(.*\); running without the sandbox$/);
});

function sandboxRefused(): string | false {
  return sandboxUnavailable() ?? false;
}
