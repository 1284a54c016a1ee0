// Broken loops for executing code in thread or process pools and for the default executor's
// shutdown (test/fixtures/broken_loops/executors.py): each breaks one sentence, and the
// scenarios quoting it must fail. A loop whose scenario holds only on other versions than 3.12
// (or that 3.12.1 breaks itself) names the interpreter it runs on.
import { BrokenLoop, pyenvPython, testBrokenLoops } from '../helpers';

const RUN = 'features/executing-code-in-thread-or-process-pools/loop.run_in_executor.feature';
const SET = 'features/executing-code-in-thread-or-process-pools/loop.set_default_executor.feature';
const SHUTDOWN = 'features/running-and-stopping/loop.shutdown_default_executor.feature';
const CLOSE = 'features/running-and-stopping/loop.close.feature';

const broken: BrokenLoop[] = [
  ['executors:runs_on_loop_thread', 'Arrange for func to be called in the specified executor.',
    [`${RUN}: a function runs in the executor given, outside the loop's thread, and its value is the future's result`,
      `${RUN}: an executor that was shut down refuses the function with RuntimeError`]],
  ['executors:ignores_executor', 'Arrange for func to be called in the specified executor.',
    [`${RUN}: an executor that was shut down refuses the function with RuntimeError`]],
  ['executors:drops_args', 'loop.run_in_executor(executor, func, *args)',
    [`${RUN}: the positional arguments reach the function unchanged`]],
  ['executors:default_on_loop_thread', 'The default executor is used if executor is None.',
    [`${RUN}: with executor None the function runs in the default executor, outside the loop's thread`]],
  ['executors:returns_concurrent_future', 'This method returns a asyncio.Future object.',
    [`${RUN}: with the default executor it returns an asyncio.Future`,
      `${RUN}: with an executor given it returns an asyncio.Future, not the executor's own future`]],
  ['executors:five_workers', 'loop.run_in_executor() no longer configures the max_workers of the thread pool executor it creates',
    [`${RUN}: the default executor runs as many functions at once as a ThreadPoolExecutor made without max_workers`]],
  ['executors:ignores_set_default_executor', 'Set executor as the default executor used by run_in_executor().',
    [`${SET}: functions run with executor None run in the executor that was set`,
      `${SET}: once the executor that was set is shut down, running a function with executor None raises RuntimeError`]],
  ['executors:accepts_any_executor', 'executor must be an instance of concurrent.futures.ThreadPoolExecutor.',
    [`${SET}: the error comes in 3.11, a TypeError for an executor that is not a ThreadPoolExecutor`,
      `${SET}: from 3.11 None is refused with TypeError`]],
  ['executors:shutdown_without_waiting', 'Schedule the closure of the default executor and wait for it to join all of the threads in the ThreadPoolExecutor.',
    [`${SHUTDOWN}: it returns only after a function running in the default executor has finished`,
      `${SHUTDOWN}: a function still waiting in the default executor's queue runs before it returns`]],
  ['executors:default_survives_shutdown', 'After calling this method, a RuntimeError will be raised if loop.run_in_executor() is called while using the default executor.',
    [`${SHUTDOWN}: running a function in the default executor afterwards raises RuntimeError`,
      `${SHUTDOWN}: a default executor that already ran a function refuses the next with RuntimeError`]],
  ['executors:close_leaves_executor', 'This method clears all queues and shuts down the executor',
    [`${CLOSE}: closing the loop shuts down its default executor`]],
  ['executors:close_waits_for_executor', 'but does not wait for the executor to finish.',
    [`${CLOSE}: closing the loop does not wait for a function still running in the default executor`]],
  ['executors:warns_nothing', 'Using an executor that is not an instance of ThreadPoolExecutor is deprecated',
    ['features/executing-code-in-thread-or-process-pools/loop.set_default_executor.feature: from 3.8 to 3.10 an executor that is not a ThreadPoolExecutor warns with a DeprecationWarning'], pyenvPython('3.9.18')],
  ['executors:ignores_shutdown_timeout', 'The timeout parameter specifies the amount of time the executor will be given to finish joining.',
    ['features/running-and-stopping/loop.shutdown_default_executor.feature: with a timeout it returns once the timeout has passed, while a function still runs'], pyenvPython('3.13.0')],
  ['executors:silent_shutdown_timeout', 'If the timeout duration is reached, a warning is emitted',
    ['features/running-and-stopping/loop.shutdown_default_executor.feature: reaching the timeout emits a warning'], pyenvPython('3.13.0')],
];

testBrokenLoops(broken);
