// Broken loops for creating futures and tasks (test/fixtures/broken_loops/tasks.py): each breaks
// one sentence, and the scenarios quoting it must fail.
import { BrokenLoop, testBrokenLoops } from '../helpers';

const F = 'features/creating-futures-and-tasks';

const broken: BrokenLoop[] = [
  ['tasks:foreign_future', 'Create an asyncio.Future object attached to the event loop.',
    [`${F}/loop.create_future.feature: the future is attached to the loop that made it`]],
  ['tasks:eager_task', 'Schedule the execution of a coroutine. Return a Task object.',
    [`${F}/loop.create_task.feature: the coroutine starts when the loop runs, not in create_task`]],
  ['tasks:ignores_name', 'If the name argument is provided and not None, it is set as the name of the task using Task.set_name.',
    [`${F}/loop.create_task.feature: the task carries the name it was given`]],
  ['tasks:factory_unused', 'Set a task factory that will be used by loop.create_task().',
    [`${F}/loop.set_task_factory.feature: create_task returns what the factory made`]],
  ['tasks:none_keeps_factory', 'If factory is None the default task factory will be set.',
    [`${F}/loop.set_task_factory.feature: after None the factory is no longer called`,
      `${F}/loop.get_task_factory.feature: after None the default one is in use again`]],
  ['tasks:factory_without_loop', 'factory must be a callable with the signature matching (loop, coro), where loop is a reference to the active event loop',
    [`${F}/loop.set_task_factory.feature: the factory is called with the loop and the coroutine`]],
  ['tasks:forgets_factory', 'Return a task factory or None if the default one is in use.',
    [`${F}/loop.get_task_factory.feature: the factory that was set is returned`]],
];

testBrokenLoops(broken);
