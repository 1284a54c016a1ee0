// Broken loops for running, closing and obtaining the loop (test/fixtures/broken_loops/lifecycle.py):
// each breaks one sentence, and the scenarios quoting it must fail.
import { BrokenLoop, testBrokenLoops } from '../helpers';

const broken: BrokenLoop[] = [
  ['lifecycle:returns_early', 'Run until the future (an instance of Future) has completed.',
    ['features/running-and-stopping/loop.run_until_complete.feature: the loop runs until a callback completes the future, then returns']],
  ['lifecycle:no_task', 'If the argument is a coroutine object it is implicitly scheduled to run as a asyncio.Task.',
    ['features/running-and-stopping/loop.run_until_complete.feature: the coroutine runs inside a Task']],
  ['lifecycle:drops_result', "Return the Future's result or raise its exception.",
    ["features/running-and-stopping/loop.run_until_complete.feature: the coroutine's return value is returned",
      "features/running-and-stopping/loop.run_until_complete.feature: the coroutine's exception is raised",
      "features/running-and-stopping/loop.run_until_complete.feature: a future's exception is raised"]],
  ['lifecycle:never_running', 'Return True if the event loop is currently running.',
    ['features/running-and-stopping/loop.is_running.feature: a callback sees the loop running']],
  ['lifecycle:never_closed', 'Return True if the event loop was closed.',
    ['features/running-and-stopping/loop.is_closed.feature: a closed loop reports it']],
  ['lifecycle:closes_while_running', 'The loop must not be running when this function is called.',
    ['features/running-and-stopping/loop.close.feature: closing the loop from one of its callbacks raises RuntimeError']],
  ['lifecycle:flushes_on_close', 'Any pending callbacks will be discarded.',
    ['features/running-and-stopping/loop.close.feature: callbacks scheduled before close never run']],
  ['lifecycle:closes_once', 'This method is idempotent and irreversible.',
    ['features/running-and-stopping/loop.close.feature: closing twice is allowed']],
  ['lifecycle:int_time', "Return the current time, as a float value, according to the event loop's internal monotonic clock.",
    ['features/scheduling-delayed-callbacks/loop.time.feature: the time is a float']],
  ['lifecycle:clock_steps_back', "Return the current time, as a float value, according to the event loop's internal monotonic clock.",
    ['features/scheduling-delayed-callbacks/loop.time.feature: the clock never goes back from one callback to the next']],
  ['lifecycle:hides_running_loop', 'Return the running event loop in the current OS thread.',
    ['features/obtaining-the-event-loop/asyncio.get_running_loop.feature: a callback gets the loop that runs it',
      'features/obtaining-the-event-loop/asyncio.get_running_loop.feature: a coroutine gets the loop that runs it']],
  ['lifecycle:stays_running', 'If there is no running event loop a RuntimeError is raised.',
    ['features/obtaining-the-event-loop/asyncio.get_running_loop.feature: with no loop running it raises RuntimeError']],
  ['lifecycle:keeps_asyncgens_open', 'Schedule all currently open asynchronous generator objects to close with an aclose() call.',
    ['features/running-and-stopping/loop.shutdown_asyncgens.feature: an async generator left open is closed']],
  ['lifecycle:silent_after_shutdown', 'After calling this method, the event loop will issue a warning if a new asynchronous generator is iterated.',
    ['features/running-and-stopping/loop.shutdown_asyncgens.feature: iterating a new async generator afterwards warns']],
];

testBrokenLoops(broken);
