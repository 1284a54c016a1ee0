// Futures and tasks the loop makes: create_future, create_task, and the task factory.
import { Given, Then, When } from '@cucumber/cucumber';
import { LoopWorld } from './support/world';
import { check } from './support/parameters';
import { classesOf, isRef, py, Ref } from './support/values';

/** The object the last call returned, as a ref (a future, a task). */
function lastObject(world: LoopWorld): Ref {
  const r = world.lastResult();
  check(isRef(r.value), `the last call returned ${JSON.stringify(r.value)}, not an object`);
  return r.value;
}

When(/^loop\.create_task\(\) is called with coroutine ([A-Z][A-Z0-9]*)(?: and the name ("[^"]*"))?(?: in context ([A-Z][A-Z0-9]*))?$/, async function (this: LoopWorld, name: string, taskName: string | null, context: string | null) {
  const kwargs: Record<string, unknown> = taskName ? { name: JSON.parse(taskName) as string } : {};
  if (context) kwargs.context = py.ref(this.objectRef(context));
  this.lastCall = await this.attemptCall('loop', 'create_task', [py.coroutine(this.coroutineSpec(name))], kwargs);
});

Then(/^its ([a-z_]+)\(\) returns (the loop|"[^"]*"|True|False|None)$/, async function (this: LoopWorld, method: string, what: string) {
  const obj = lastObject(this);
  const r = await this.call(obj.ref, method);
  if (what === 'the loop') {
    check(isRef(r.value) && r.value.ref === this.loopRef, `${method}() returned ${JSON.stringify(r.value)}, not the loop`);
  } else {
    const want = what === 'True' ? true : what === 'False' ? false : what === 'None' ? null : JSON.parse(what);
    check(r.value === want, `${method}() returned ${JSON.stringify(r.value)}, not ${what}`);
  }
});

Then(/^coroutine ([A-Z][A-Z0-9]*) has (not )?started$/, async function (this: LoopWorld, name: string, not: string | null) {
  const started = (await this.events()).some((e) => e.event === 'coroutine_started' && e.name === name);
  check(started === !not, `coroutine ${name} has ${started ? '' : 'not '}started`);
});

Given(/^callback ([A-Z][A-Z0-9]*) makes an asyncio\.Task of the coroutine it is given$/, function (this: LoopWorld, name: string) {
  // A task factory as the doc describes one: called with (loop, coro), it returns
  // asyncio.Task(coro, loop=loop).
  this.behaviours.set(name, [{ do: 'call', target: 'asyncio', name: 'Task', args: [{ arg: 1 }], kwargs: { loop: { arg: 0 } }, returns: true }]);
});

Given(/^callback ([A-Z][A-Z0-9]*) is the loop's task factory$/, async function (this: LoopWorld, name: string) {
  await this.call('loop', 'set_task_factory', [py.callback(this.callbackSpec(name))]);
});

Given("the loop's task factory is set to None", async function (this: LoopWorld) {
  await this.call('loop', 'set_task_factory', [null]);
});

Then(/^callback ([A-Z][A-Z0-9]*) was called with the loop and a coroutine$/, async function (this: LoopWorld, name: string) {
  const calls = (await this.calls()).filter((c) => c.name === name);
  check(calls.length === 1, `callback ${name} was called ${calls.length} times, not once`);
  const [loop, coro] = calls[0].args as [unknown, unknown];
  check(isRef(loop) && loop.ref === this.loopRef, `callback ${name}'s first argument is ${JSON.stringify(loop)}, not the loop`);
  check(isRef(coro) && classesOf(coro).includes('coroutine'), `callback ${name}'s second argument is ${JSON.stringify(coro)}, not a coroutine`);
});

Then(/^it returns the task callback ([A-Z][A-Z0-9]*) made$/, async function (this: LoopWorld, name: string) {
  const obj = lastObject(this);
  const events = (await this.events()) as Array<Record<string, unknown>>;
  const made = events.find((e) => e.event === 'action_result' && e.name === name && e.call === 'Task')?.value;
  check(isRef(made), `callback ${name} made no task`);
  check(made.ref === obj.ref, `create_task returned ${JSON.stringify(obj)}, not the task ${JSON.stringify(made)} the factory made`);
});
