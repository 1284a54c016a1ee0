// The loop's exception handler: set, reset, called with (loop, context), and the default one.
// A scenario's handler is a callback spec, so its calls are "called" events with the loop and
// the context as values; the default handler's calls are "exception_handler" events.
import { Given, Then, When } from '@cucumber/cucumber';
import { LoopWorld } from './support/world';
import { check } from './support/parameters';
import { classesOf, isRef, py } from './support/values';

interface Context { dict: Record<string, unknown> }

/** The context of the one call of handler `name`: (loop, context). */
async function contextOf(world: LoopWorld, name: string): Promise<Record<string, unknown>> {
  const calls = (await world.calls()).filter((c) => c.name === name);
  check(calls.length === 1, `callback ${name} was called ${calls.length} times, not once`);
  const [loop, context] = calls[0].args as [unknown, Context | undefined];
  check(isRef(loop) && loop.ref === world.loopRef, `callback ${name}'s first argument is ${JSON.stringify(loop)}, not the loop`);
  check(typeof context === 'object' && context !== null && 'dict' in context, `callback ${name}'s second argument is ${JSON.stringify(context)}, not a dict`);
  return context.dict;
}

/** The default handler's calls, each marked as looked at (the After hook does not report them). */
async function defaultHandlerCalls(world: LoopWorld): Promise<Array<Record<string, unknown>>> {
  const calls = (await world.events()).filter((e) => e.event === 'exception_handler') as Array<Record<string, unknown>>;
  for (const e of calls) world.checkedEvents.add(JSON.stringify(e));
  return calls;
}

Given(/^callback ([A-Z][A-Z0-9]*) is the loop's exception handler$/, async function (this: LoopWorld, name: string) {
  await this.call('loop', 'set_exception_handler', [py.callback(this.callbackSpec(name))]);
});

Given("the loop's exception handler is set to None", async function (this: LoopWorld) {
  await this.call('loop', 'set_exception_handler', [null]);
});

When(/^loop\.call_exception_handler\(\) is called with the message ("[^"]*")$/, async function (this: LoopWorld, message: string) {
  this.lastCall = await this.attemptCall('loop', 'call_exception_handler', [py.dict({ message: JSON.parse(message) as string })]);
});

Then(/^callback ([A-Z][A-Z0-9]*) was called with the loop and a context$/, async function (this: LoopWorld, name: string) {
  await contextOf(this, name);
});

Then(/^the context callback ([A-Z][A-Z0-9]*) received has "([a-z]+)" (?:as an? (?:asyncio\.)?([A-Za-z]+)|equal to ("[^"]*"))$/, async function (this: LoopWorld, name: string, key: string, cls: string | null, text: string | null) {
  const context = await contextOf(this, name);
  check(key in context, `the context has no "${key}": its keys are ${Object.keys(context).join(', ')}`);
  const value = context[key];
  // cucumber-js passes null for a group of the alternative that did not match.
  if (text !== null) {
    check(value === JSON.parse(text), `the context's "${key}" is ${JSON.stringify(value)}, not ${text}`);
  } else if (cls === 'str') {
    check(typeof value === 'string', `the context's "${key}" is ${JSON.stringify(value)}, not a str`);
  } else {
    check(isRef(value) && classesOf(value).includes(cls!), `the context's "${key}" is ${JSON.stringify(value)}, not a ${cls}`);
  }
});

Then(/^the default exception handler reported an? ([A-Z][A-Za-z]*(?:Error|Exception))$/, async function (this: LoopWorld, cls: string) {
  const calls = await defaultHandlerCalls(this);
  const hit = calls.find((e) => {
    const exc = e.exception as { type: string; bases: string[] } | null;
    return exc !== null && classesOf(exc).includes(cls);
  });
  check(hit, `the default exception handler was called with ${calls.map((e) => JSON.stringify(e.exception)).join(', ') || 'nothing'}, not a ${cls}`);
});

Then(/^the default exception handler reported the message ("[^"]*")$/, async function (this: LoopWorld, message: string) {
  const calls = await defaultHandlerCalls(this);
  check(calls.some((e) => e.message === JSON.parse(message)), `the default exception handler reported ${calls.map((e) => JSON.stringify(e.message)).join(', ') || 'nothing'}`);
});

Then('the default exception handler was not called', async function (this: LoopWorld) {
  const calls = (await this.events()).filter((e) => e.event === 'exception_handler');
  check(calls.length === 0, `the default exception handler was called: ${calls.map((e) => JSON.stringify(e)).join('; ')}`);
});

Then(/^callback ([A-Z][A-Z0-9]*) has not run$/, async function (this: LoopWorld, name: string) {
  const n = (await this.calls()).filter((c) => c.name === name).length;
  check(n === 0, `callback ${name} ran ${n} times`);
});

Then(/^it returns callback ([A-Z][A-Z0-9]*)$/, function (this: LoopWorld, name: string) {
  const r = this.lastResult();
  const v = r.value as { callback?: string };
  check(isRef(r.value) && v.callback === name, `it returned ${JSON.stringify(r.value)}, not callback ${name}`);
});
