// Name lookups (the page's "DNS"): loop.getaddrinfo() and loop.getnameinfo() against the socket
// module's functions of the same name, called in the same driver with the same arguments, and
// whether the loop goes on while a lookup is pending.
import { Given, Then, When } from '@cucumber/cucumber';
import { LoopWorld } from './support/world';
import { check } from './support/parameters';
import { callValues, parseCall } from './support/call-arguments';
import { py, Value } from './support/values';

const LOOKUP = /(getaddrinfo|getnameinfo)/;

/** The arguments as values of this driver: constants (AF_INET6, NI_NUMERICHOST) read from its socket module. */
async function valuesOf(world: LoopWorld, text: string): Promise<{ args: Value[]; kwargs: Record<string, Value> }> {
  return callValues(parseCall(text), async (name) => {
    const r = await world.op('get', { target: 'socket', name });
    check(typeof r.value === 'number', `socket.${name} is ${JSON.stringify(r.value)}, not an int`);
    return r.value;
  });
}

When(new RegExp(`^loop\\.${LOOKUP.source}\\((.*)\\) is awaited$`), async function (this: LoopWorld, name: string, text: string) {
  const { args, kwargs } = await valuesOf(this, text);
  this.lastCall = await this.attemptCall('loop', name, args, kwargs);
});

Then(new RegExp(`^it returns what socket\\.${LOOKUP.source}\\((.*)\\) returns$`), async function (this: LoopWorld, name: string, text: string) {
  const got = this.lastResult();
  const { args, kwargs } = await valuesOf(this, text);
  const want = await this.call('socket', name, args, kwargs);
  check(JSON.stringify(got.value) === JSON.stringify(want.value), `the loop's ${name} returned ${JSON.stringify(got.value)}; socket.${name} returns ${JSON.stringify(want.value)}`);
});

Then(/^it raises socket\.gaierror with the errno socket\.([A-Z_]+)$/, async function (this: LoopWorld, errnoName: string) {
  const err = this.takeError();
  check(err.isA('gaierror'), `expected socket.gaierror, got ${err.info.type} (bases: ${err.info.bases.join(', ')}): ${err.info.message}`);
  const want = (await this.op('get', { target: 'socket', name: errnoName })).value;
  check(err.info.errno === want, `the gaierror's errno is ${JSON.stringify(err.info.errno)}, not socket.${errnoName} (${JSON.stringify(want)})`);
});

Given(new RegExp(`^task ([A-Z][A-Z0-9]*) awaits loop\\.${LOOKUP.source}\\((.*)\\)$`), async function (this: LoopWorld, task: string, name: string, text: string) {
  const { args, kwargs } = await valuesOf(this, text);
  const coroutine = { name: task, steps: [{ do: 'call' as const, target: 'loop', name, args, kwargs }] };
  this.nameObject(task, await this.call('loop', 'create_task', [py.coroutine(coroutine)]));
});

When(/^the loop runs until task ([A-Z][A-Z0-9]*) completes$/, async function (this: LoopWorld, task: string) {
  this.lastCall = await this.attemptCall('loop', 'run_until_complete', [py.ref(this.objectRef(task))]);
});

Then(new RegExp(`^callback ([A-Z][A-Z0-9]*) ran before loop\\.${LOOKUP.source}\\(\\) returned in task ([A-Z][A-Z0-9]*)$`), async function (this: LoopWorld, callback: string, name: string, task: string) {
  this.lastResult();
  const events = await this.events();
  const ran = events.findIndex((e) => e.event === 'called' && e.name === callback);
  const returned = events.findIndex((e) => e.event === 'step' && e.name === task && (e as { call?: string }).call === name);
  check(returned >= 0, `loop.${name}() never returned in task ${task}`);
  check(ran >= 0, `callback ${callback} never ran`);
  check(ran < returned, `loop.${name}() returned in task ${task} before callback ${callback} ran: the lookup held the loop`);
});

When(new RegExp(`^loop\\.${LOOKUP.source}\\((.*)\\) is called without awaiting it$`), async function (this: LoopWorld, name: string, text: string) {
  const { args, kwargs } = await valuesOf(this, text);
  this.lastCall = (await this.attempt('call', { target: 'loop', name, args, kwargs, awaited: false })) as unknown as typeof this.lastCall;
});
