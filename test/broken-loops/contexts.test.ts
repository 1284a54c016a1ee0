// Broken loops for the scheduling methods' context argument (test/fixtures/broken_loops/contexts.py).
import { BrokenLoop, testBrokenLoops } from '../helpers';

const S = 'features/scheduling-callbacks';
const D = 'features/scheduling-delayed-callbacks';

const broken: BrokenLoop[] = [
  ['contexts:ignores_context', 'An optional keyword-only context argument allows specifying a custom contextvars.Context for the callback to run in.',
    [`${S}/loop.call_soon.feature: the callback sees the variables of the context it was given`,
      `${S}/loop.call_soon_threadsafe.feature: a callback scheduled thread-safely sees the variables of the context it was given`,
      `${D}/loop.call_later.feature: the callback sees the variables of the context it was given`,
      `${D}/loop.call_at.feature: the callback sees the variables of the context it was given`]],
  ['contexts:empty_context', 'The current context is used when no context is provided.',
    [`${S}/loop.call_soon.feature: without a context the callback sees the current one`,
      `${D}/loop.call_later.feature: without a context the callback sees the current one`,
      `${D}/loop.call_at.feature: without a context the callback sees the current one`]],
  ['contexts:task_ignores_context', 'An optional keyword-only context argument allows specifying a custom contextvars.Context for the coro to run in.',
    ['features/creating-futures-and-tasks/loop.create_task.feature: the coroutine sees the variables of the context it was given']],
  ['contexts:task_in_empty_context', 'The current context copy is created when no context is provided.',
    ['features/creating-futures-and-tasks/loop.create_task.feature: without a context the coroutine sees the current one']],
  ['contexts:handle_forgets_context', 'Return the contextvars.Context object associated with the handle.',
    ['features/callback-handles/asyncio.Handle.feature: a callback scheduled in a context has that context']],
];

testBrokenLoops(broken);
