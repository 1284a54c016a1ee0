// The run as a whole under stress: interrupted, repeated, parallel; and nothing it started
// outlives it.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CPYTHON_312, DEBIAN_PYTHON, FIXTURES, ROOT, lastLine, loopspec, summary } from './helpers';

/** Processes whose environment carries the mark: what a run started and left behind. */
function processesMarked(mark: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/environ`, 'latin1').includes(`LOOPSPEC_TEST_MARK=${mark}`)) {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, 'latin1');
        if (!/\) Z /.test(stat)) pids.push(Number(entry)); // a zombie is already dead
      }
    } catch { /* gone meanwhile */ }
  }
  return pids;
}

for (const [signal, status] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
test(`${signal} during a run: drivers and their children are gone, partial reports say so`, async () => {
  const mark = crypto.randomUUID();
  const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-reports-'));
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/loopspec.js'), '--reports', reports, '--python', CPYTHON_312, '--loop', 'broken_loops:hangs', '--id', 'hangs', '--parallel', '2'], {
    cwd: ROOT, env: { ...process.env, PYTHONPATH: FIXTURES, LOOPSPEC_TEST_MARK: mark }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (d) => { stdout += d; });
  // Until the workers' drivers are up (the preflight's driver and the kit are two processes);
  // a loaded machine takes longer, so wait for them rather than for a fixed time.
  for (let waited = 0; processesMarked(mark).length <= 3 && waited < 60_000; waited += 500) await new Promise((r) => setTimeout(r, 500));
  await new Promise((r) => setTimeout(r, 2000));
  assert.ok(processesMarked(mark).length > 2, 'the run has drivers up');
  child.kill(signal);
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  assert.equal(code, status, stdout);
  assert.match(stdout, new RegExp(`interrupted by ${signal}; partial reports`));
  assert.match(lastLine(stdout), /^\d+ passed, \d+ failed, \d+ skipped$/);
  const s = JSON.parse(fs.readFileSync(path.join(reports, 'hangs', 'summary.json'), 'utf8'));
  assert.equal(s.partial, true);
  await new Promise((r) => setTimeout(r, 1500));
  assert.deepEqual(processesMarked(mark), [], 'no process of the run is left');
});
}

test('after a run no process the kit started is still alive', async () => {
  const mark = crypto.randomUUID();
  const run = await loopspec(['--python', CPYTHON_312, '--parallel', '2', '--tags', '@loop.call_soon_threadsafe or @loop.sock_sendfile'], { env: { LOOPSPEC_TEST_MARK: mark } });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(processesMarked(mark), []);
});

test('--parallel 2 gives the same outcomes as a serial run', async () => {
  const serial = await loopspec(['--python', CPYTHON_312, '--id', 'serial']);
  const parallel = await loopspec(['--python', CPYTHON_312, '--id', 'parallel', '--parallel', '2']);
  const outcomes = (run: typeof serial, id: string) => Object.fromEntries(summary(run, id).scenarios.map((s) => [s.id, s.outcome]));
  assert.deepEqual(outcomes(parallel, 'parallel'), outcomes(serial, 'serial'));
});

for (const [name, args] of [
  ['the reference loop', []],
  ['CPython 3.12', ['--python', CPYTHON_312]],
  ['uvloop', ['--python', DEBIAN_PYTHON, '--loop', 'uvloop:new_event_loop', '--expectations', 'adapters/python/expectations/uvloop-0.17.json']],
] as const) {
  test(`five repeated runs on ${name} agree on every scenario`, async () => {
    const run = await loopspec(['verify', '--repeat', '5', '--parallel', '2', ...args], { limitMs: 600_000 });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.doesNotMatch(run.stdout, /FLAKY/);
    assert.match(lastLine(run.stdout), /^\d+ passed, 0 failed, 0 skipped$/);
  });
}

for (const [factory, pattern] of [
  ['leaks_socket', /leaked: .*(file descriptor|socket)/],
  ['leaks_thread', /leaked: .*forgotten-worker/],
  ['leaks_child', /leaked: .*(child|process)/],
  ['leaks_temp_file', /leaked: temporary file forgotten-/],
] as const) {
  test(`a loop that ${factory.replace(/^leaks_/, 'leaks a ').replace(/_/g, ' ')} fails the scenario that leaked it, and nothing outlives the run`, async () => {
    const mark = crypto.randomUUID();
    const run = await loopspec(['--python', CPYTHON_312, '--loop', `broken_loops.leaky:${factory}`, '--id', factory, '--tags', '@loop.call_soon'], { env: { LOOPSPEC_TEST_MARK: mark } });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const s = summary(run, factory);
    const leaked = s.scenarios.filter((x) => pattern.test(x.error ?? ''));
    assert.ok(leaked.length >= 1, s.scenarios.map((x) => `${x.outcome} ${x.error ?? ''}`).join('\n'));
    assert.deepEqual(processesMarked(mark), []);
  });
}
