// loopspec is judged by the loops it tells apart. Each broken loop (test/fixtures/broken_loops)
// is CPython's own loop with one documented sentence broken; the whole suite runs on it and
// the scenario quoting that sentence must fail. A correct but chatty loop must pass everything.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { BrokenLoop, CPYTHON_312, loopspec, summary, testBrokenLoops } from './helpers';

const EXPECTATIONS = 'adapters/python/expectations/cpython.json';

/** Scenarios that already fail on CPython (its expectations file) must fail for this reason. */
const becauseOf: Record<string, RegExp> = {
  'transfer:falls_back_anyway': /returned normally/,
};

const broken: BrokenLoop[] = [
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
  ['handles:ignores_cancel', 'Cancel the callback.',
    ['features/callback-handles/asyncio.Handle.feature: a cancelled callback does not run',
      'features/scheduling-callbacks/loop.call_soon.feature: a callback cancelled through its handle does not run']],
  ['handles:cancelled_lies', 'Return True if the callback was cancelled.',
    ['features/callback-handles/asyncio.Handle.feature: a cancelled handle reports cancelled() as True']],
  ['handles:relative_when', 'The time is an absolute timestamp, using the same time reference as loop.time().',
    ['features/callback-handles/asyncio.TimerHandle.feature: when() of a call_later timer is loop.time() at scheduling plus the delay',
      'features/scheduling-delayed-callbacks/loop.call_at.feature: a timestamp 30 days ahead is what when() reports']],
  ['handles:accepts_calls_when_closed', 'No other methods should be called after the event loop is closed.',
    ['features/scheduling-callbacks/loop.call_soon.feature: call_soon on a closed loop raises RuntimeError']],
  ['handles:threadsafe_accepts_when_closed', 'Raises RuntimeError if called on a loop that\'s been closed.',
    ['features/scheduling-callbacks/loop.call_soon_threadsafe.feature: another thread calling it on a closed loop gets RuntimeError',
      'features/scheduling-callbacks/loop.call_soon_threadsafe.feature: the loop\'s own thread calling it on a closed loop gets RuntimeError']],
  ['timers:registration_order_timers', 'Schedule callback to be called after the given delay number of seconds',
    ['features/scheduling-delayed-callbacks/loop.call_later.feature: callbacks run in the order of their deadlines, not of their registration',
      'features/scheduling-delayed-callbacks/loop.call_at.feature: call_at and call_later timers run together in deadline order']],
  ['timers:fires_early', 'Schedule callback to be called at the given absolute timestamp when',
    ['features/scheduling-delayed-callbacks/loop.call_at.feature: the callback runs once loop.time() has reached its timestamp']],
  ['transfer:returns_zero', 'Return the total number of bytes sent.',
    ['features/transferring-files/loop.sendfile.feature: the whole file arrives and its size is returned',
      'features/transferring-files/loop.sock_sendfile.feature: the whole file arrives and its size is returned']],
  ['transfer:ignores_offset', 'offset tells from where to start reading the file.',
    ['features/transferring-files/loop.sendfile.feature: an offset alone sends from there to the end of the file',
      'features/transferring-files/loop.sock_sendfile.feature: an offset alone sends from there to the end of the file']],
  ['transfer:ignores_count', 'count is the total number of bytes to transmit',
    ['features/transferring-files/loop.sendfile.feature: an offset and a count send exactly that slice',
      'features/transferring-files/loop.sock_sendfile.feature: an offset and a count send exactly that slice']],
  ['transfer:falls_back_anyway', 'Raise SendfileNotAvailableError if the system does not support the sendfile syscall and fallback is False.',
    ['features/transferring-files/loop.sendfile.feature: with fallback disabled nothing is sent and SendfileNotAvailableError is raised']],
  ['stopping:abandons_batch', 'If stop() is called while run_forever() is running, the loop will run the current batch of callbacks and then exit.',
    ['features/running-and-stopping/loop.run_forever.feature: the rest of the current batch still runs after stop()']],
  ['stopping:calls_immediately', 'to be called with args arguments at the next iteration of the event loop.',
    ['features/scheduling-callbacks/loop.call_soon.feature: the callback is not called by call_soon itself']],
  ['stopping:rejects_int_delay', '(can be either an int or a float)',
    ['features/scheduling-delayed-callbacks/loop.call_later.feature: a delay of 1 seconds given as an int is accepted and the callback runs once it has passed']],
];

testBrokenLoops(broken, becauseOf);

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
