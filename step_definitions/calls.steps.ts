// Documented methods called with arguments, in Python's spelling (support/call-arguments.ts):
// "When loop.getaddrinfo("::1", 80, family=AF_INET6) is awaited", "Given server S is what
// loop.create_server(P, "127.0.0.1", 0) returns". A coroutine method is awaited by the driver;
// "without awaiting it" answers the coroutine (or Future) itself.
import { Given, When } from '@cucumber/cucumber';
import { LoopWorld } from './support/world';
import { valuesOf } from './support/arguments';
import { py } from './support/values';

/** The target of a call: the loop, a module, or one of the scenario's objects (S, T). */
const TARGET = /(loop|asyncio|socket|[A-Z][A-Z0-9]*)\.([a-z_]+)\((.+)\)/;
/** A coroutine method called without arguments (the driver awaits it). */
const AWAITED = /(loop|asyncio|[A-Z][A-Z0-9]*)\.([a-z_]+)\((.*)\)/;

function targetOf(world: LoopWorld, target: string): string {
  return /^[A-Z]/.test(target) ? world.objectRef(target) : target;
}

When(new RegExp(`^${AWAITED.source} is awaited$`), async function (this: LoopWorld, target: string, name: string, text: string) {
  const { args, kwargs } = await valuesOf(this, text);
  this.lastCall = await this.attemptCall(targetOf(this, target), name, args, kwargs);
});

When(new RegExp(`^${TARGET.source} is called$`), async function (this: LoopWorld, target: string, name: string, text: string) {
  const { args, kwargs } = await valuesOf(this, text);
  this.lastCall = await this.attemptCall(targetOf(this, target), name, args, kwargs);
});

When(new RegExp(`^${AWAITED.source} is called without awaiting it$`), async function (this: LoopWorld, target: string, name: string, text: string) {
  const { args, kwargs } = await valuesOf(this, text);
  this.lastCall = (await this.attempt('call', { target: targetOf(this, target), name, args, kwargs, awaited: false })) as unknown as typeof this.lastCall;
});

Given(new RegExp(`^(?:server |socket )?([A-Z][A-Z0-9]*) is what ${TARGET.source} returns$`), async function (this: LoopWorld, obj: string, target: string, name: string, text: string) {
  const { args, kwargs } = await valuesOf(this, text);
  this.nameObject(obj, await this.call(targetOf(this, target), name, args, kwargs));
});

Given(new RegExp(`^task ([A-Z][A-Z0-9]*) awaits ${AWAITED.source}$`), async function (this: LoopWorld, task: string, target: string, name: string, text: string) {
  const { args, kwargs } = await valuesOf(this, text);
  const coroutine = { name: task, steps: [{ do: 'call' as const, target: targetOf(this, target), name, args, kwargs }] };
  this.nameObject(task, await this.call('loop', 'create_task', [py.coroutine(coroutine)]));
});

When(/^the loop runs until task ([A-Z][A-Z0-9]*) completes$/, async function (this: LoopWorld, task: string) {
  this.lastCall = await this.attemptCall('loop', 'run_until_complete', [py.ref(this.objectRef(task))]);
});
