// loopspec is judged by the loops it tells apart. Each broken loop (test/fixtures/broken_loops)
// is CPython's own loop with one documented sentence broken; the whole suite runs on it and
// the scenario quoting that sentence must fail. A correct but chatty loop must pass everything.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { CPYTHON_312, loopspec, summary } from './helpers';

const EXPECTATIONS = 'adapters/python/expectations/cpython-3.12.json';

const broken: Array<[factory: string, sentence: string, mustFail: string[]]> = [
  ['lifo_call_soon', 'Callbacks are called in the order in which they are registered.',
    ['features/scheduling-callbacks/loop.call_soon.feature: three callbacks run in registration order']],
  ['double_calls', 'Each callback will be called exactly once.',
    ['features/scheduling-callbacks/loop.call_soon.feature: callbacks run once however many iterations follow']],
  ['drops_args', 'Schedule the callback callback to be called with args arguments',
    ['features/scheduling-callbacks/loop.call_soon.feature: positional arguments reach the callback unchanged',
      'features/scheduling-delayed-callbacks/loop.call_later.feature: positional arguments reach a delayed callback unchanged']],
  ['forgets_early_stop', 'If stop() is called before run_forever() is called, the loop will poll the I/O selector once ... and then exit.',
    ['features/running-and-stopping/loop.run_forever.feature: callbacks already scheduled run, then run_forever returns']],
  ['runs_new_callbacks_after_stop', 'new callbacks scheduled by callbacks will not run in this case',
    ['features/running-and-stopping/loop.run_forever.feature: a callback scheduled by the batch waits for the next run_forever']],
  ['no_threadsafe_wakeup', 'A thread-safe variant of call_soon(). Must be used to schedule callbacks from another thread.',
    ['features/scheduling-callbacks/loop.call_soon_threadsafe.feature: a callback from another thread wakes a loop that is waiting in its poll']],
  ['refuses_long_timers', 'the delay could not exceed one day. This has been fixed in Python 3.8.',
    ['features/scheduling-delayed-callbacks/loop.call_later.feature: a timer 30 days ahead is accepted, stays pending and leaves the loop serving other work',
      'features/scheduling-delayed-callbacks/loop.call_at.feature: a timestamp 400 days ahead is accepted and stays pending while the loop serves other work']],
  ['ignores_fallback', 'fallback set to True makes asyncio to manually read and send the file',
    ['features/transferring-files/loop.sendfile.feature: the whole file still arrives intact over a transport that cannot use the syscall']],
  ['keeps_file_position', 'File position is always updated, even when this method raises an error',
    ['features/transferring-files/loop.sendfile.feature: after a slice the position is just past the slice',
      'features/transferring-files/loop.sock_sendfile.feature: after a slice the position is just past the slice',
      'features/transferring-files/loop.sock_sendfile.feature: when the peer resets the connection midway the position counts what was sent']],
];

for (const [factory, sentence, mustFail] of broken) {
  test(`broken_loops:${factory} (breaks "${sentence}") fails the scenarios quoting it`, async () => {
    const run = await loopspec(['--python', CPYTHON_312, '--loop', `broken_loops:${factory}`, '--id', factory, '--parallel', '2', '--timeout', '3', '--expectations', EXPECTATIONS]);
    assert.equal(run.code, 1, `${run.stdout}\n${run.stderr}`);
    const outcomes = new Map(summary(run, factory).scenarios.map((s) => [s.id, s.outcome]));
    for (const id of mustFail) assert.equal(outcomes.get(id), 'failed', `${id} must fail on ${factory}`);
  });
}

test('a correct loop that prints to stdout and stderr, even protocol-like lines, passes everything', async () => {
  const run = await loopspec(['--python', CPYTHON_312, '--loop', 'broken_loops:chatty', '--id', 'chatty', '--parallel', '2', '--expectations', EXPECTATIONS]);
  assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
});

test('a loop that kills its process once loses only the scenario it died in', async () => {
  const run = await loopspec(['--python', CPYTHON_312, '--loop', 'broken_loops:dies', '--id', 'dies', '--tags', '@loop.call_soon']);
  assert.equal(run.code, 1, `${run.stdout}\n${run.stderr}`);
  const s = summary(run, 'dies');
  const failed = s.scenarios.filter((x) => x.outcome === 'failed');
  assert.equal(failed.length, 1, failed.map((f) => f.id).join('\n'));
  assert.match(failed[0].error ?? '', /exited with status 3/);
  assert.equal(s.scenarios.filter((x) => x.outcome === 'passed').length, s.scenarios.length - 1);
});
