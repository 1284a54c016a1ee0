// Executors: functions run in thread pools (loop.run_in_executor), the loop's default executor,
// its shutdown. A function is a callback spec, data: what it does (block, return a value,
// raise) crosses the protocol, so any driver can run it on any thread, and its "called" event
// says when it started and whether it ran outside the loop's thread.
import { Given, Then, When } from '@cucumber/cucumber';
import { performance } from 'node:perf_hooks';
import { Action, CalledEvent, LoopWorld } from './support/world';
import { check, parseValues, seconds } from './support/parameters';
import { micros, notBefore, strictlyBefore } from './support/clock';
import { classesOf, isRef, py, Value } from './support/values';

/**
 * Two functions of a batch ran at once when one started while the other was still blocking.
 * The margin keeps the next function of the same thread, which starts the instant the last one
 * ends, from counting; thread start-up jitter must stay under the block time less the margin.
 */
const AT_ONCE_MARGIN_S = 0.05;

/** "return \"done\"" | "block for 0.5 seconds" | "raise a ValueError" */
function functionAction(text: string): Action {
  let m = /^return (.+)$/.exec(text);
  if (m) return { do: 'return', value: JSON.parse(m[1]) as Value };
  m = /^block for ([\d.]+) (seconds?)$/.exec(text);
  if (m) return { do: 'block', seconds: seconds(m[1], m[2]) };
  m = /^raise an? ([A-Z][A-Za-z]*(?:Error|Exception))$/.exec(text);
  if (m) return { do: 'raise', exception: m[1] };
  throw new Error(`a function will "return VALUE", "block for N seconds" or "raise a ValueError", got "${text}"`);
}

/** The executor argument: a named executor, or None for the default executor. */
function executorArg(world: LoopWorld, where: string): Value {
  const m = /^executor ([A-Z][A-Z0-9]*)$/.exec(where);
  return m ? py.ref(world.objectRef(m[1])) : null;
}

/** How long a function blocks in all, by what it was told to do. */
function blockSeconds(world: LoopWorld, name: string): number {
  return (world.behaviours.get(name) ?? []).reduce((n, a) => n + (a.do === 'block' ? a.seconds : 0), 0);
}

async function calledEvent(world: LoopWorld, name: string): Promise<CalledEvent> {
  const call = (await world.calls()).find((c) => c.name === name);
  check(call, `function ${name} was never called`);
  return call;
}

/** loop.run_in_executor(executor, func, *args); a raise is kept for `Then it raises`. */
async function runFunction(world: LoopWorld, name: string, where: string, args: unknown[]): Promise<void> {
  world.executorRuns.submittedMs.set(name, performance.now());
  world.lastCall = await world.attemptCall('loop', 'run_in_executor', [executorArg(world, where), py.callback(world.callbackSpec(name)), ...(args as Value[])]);
}

/** The most functions of a batch that ran at once, from their start times and how long each blocks. */
function mostAtOnce(starts: number[], blockS: number): number {
  const window = micros(blockS) - micros(AT_ONCE_MARGIN_S);
  return Math.max(0, ...starts.map((s) => starts.filter((t) => micros(t) <= micros(s) && micros(s) < micros(t) + window).length));
}

Given(/^executor ([A-Z][A-Z0-9]*) is made with concurrent\.futures\.(ThreadPoolExecutor|ProcessPoolExecutor)\(((?:max_workers=\d+)?)\)$/, async function (this: LoopWorld, name: string, cls: string, kw: string) {
  this.nameObject(name, await this.call('concurrent.futures', cls, [], kw ? { max_workers: Number(kw.split('=')[1]) } : {}));
});

Given(/^function ([A-Z][A-Z0-9]*) will (.+)$/, function (this: LoopWorld, name: string, actions: string) {
  this.behaviours.set(name, actions.split(', then ').map(functionAction));
});

When(/^function ([A-Z][A-Z0-9]*) is run in (executor [A-Z][A-Z0-9]*|the default executor)(.*)$/, async function (this: LoopWorld, name: string, where: string, tail: string) {
  const m = /^(?: with the arguments (.+?))?(?: as future ([A-Z][A-Z0-9]*))?$/.exec(tail);
  if (!m) throw new Error(`cannot read "${tail}" after "function ${name} is run in ${where}"`);
  await runFunction(this, name, where, m[1] ? parseValues(m[1]) : []);
  if (m[2] && this.lastCall) this.nameObject(m[2], this.lastCall);
});

Given(/^(\d+) functions that each block for ([\d.]+) (seconds?) are run in (executor [A-Z][A-Z0-9]*|the default executor)$/, async function (this: LoopWorld, count: string, amount: string, unit: string, where: string) {
  const batch = where === 'the default executor' ? 'DEFAULT' : where.slice('executor '.length);
  const futures: string[] = [];
  for (let i = 1; i <= Number(count); i++) {
    this.behaviours.set(`${batch}${i}`, [{ do: 'block', seconds: seconds(amount, unit) }]);
    const r = await this.call('loop', 'run_in_executor', [executorArg(this, where), py.callback(this.callbackSpec(`${batch}${i}`))]);
    check(isRef(r.value), `run_in_executor returned ${JSON.stringify(r.value)}, not a future`);
    futures.push(r.value.ref);
  }
  this.executorRuns.batches.set(batch, futures);
});

When('the loop runs until they all complete', async function (this: LoopWorld) {
  for (const refs of this.executorRuns.batches.values()) {
    for (const ref of refs) await this.call('loop', 'run_until_complete', [py.ref(ref)]);
  }
});

Then(/^the default executor ran as many functions at once as executor ([A-Z][A-Z0-9]*)$/, async function (this: LoopWorld, name: string) {
  const calls = await this.calls();
  const atOnce = (batch: string): number => {
    const n = this.executorRuns.batches.get(batch)?.length ?? 0;
    const starts = calls.filter((c) => new RegExp(`^${batch}\\d+$`).test(c.name)).map((c) => c.time);
    check(n > 0 && starts.length === n, `${starts.length} of the ${n} functions run in ${batch === 'DEFAULT' ? 'the default executor' : `executor ${batch}`} were called`);
    return mostAtOnce(starts, blockSeconds(this, `${batch}1`));
  };
  const mine = atOnce(name);
  const theirs = atOnce('DEFAULT');
  check(theirs === mine, `the default executor ran ${theirs} functions at once, executor ${name} (a ThreadPoolExecutor made without max_workers) ran ${mine}`);
});

When(/^(executor [A-Z][A-Z0-9]*|None) is set as the loop's default executor$/, async function (this: LoopWorld, what: string) {
  this.lastCall = await this.attemptCall('loop', 'set_default_executor', [what === 'None' ? null : executorArg(this, what)]);
});

Given(/^executor ([A-Z][A-Z0-9]*) is shut down$/, async function (this: LoopWorld, name: string) {
  await this.call(this.objectRef(name), 'shutdown');
});


When(/^the loop is closed with function ([A-Z][A-Z0-9]*) still running$/, async function (this: LoopWorld, _name: string) {
  await this.call('loop', 'close');
  this.executorRuns.closedMs = performance.now();
});

Then(/^it warns with an? ([A-Z][A-Za-z]*Warning)$/, function (this: LoopWorld, cls: string) {
  const warnings = (this.lastResult() as { warnings?: Array<{ type: string; bases: string[] }> }).warnings;
  check(Array.isArray(warnings), 'the driver did not report the warnings of the call');
  check(warnings.some((w) => classesOf(w).includes(cls)), `the call warned ${warnings.map((w) => w.type).join(', ') || 'nothing'}, not a ${cls}`);
});

Then(/^asyncio\.(isfuture|iscoroutine)\(\) accepts it$/, async function (this: LoopWorld, test: string) {
  const r = this.lastResult();
  check(isRef(r.value), `it returned ${JSON.stringify(r.value)}, not an object`);
  const is = await this.call('asyncio', test, [py.ref(r.value.ref)]);
  check(is.value === true, `asyncio.${test}() of the ${r.type} it returned is ${JSON.stringify(is.value)}`);
});

Then(/^function ([A-Z][A-Z0-9]*) ran outside the loop's thread$/, async function (this: LoopWorld, name: string) {
  const call = await calledEvent(this, name);
  check(call.thread === 'other', `function ${name} ran in the loop's thread`);
});

Then(/^function ([A-Z][A-Z0-9]*) was called with the arguments (.+)$/, async function (this: LoopWorld, name: string, values: string) {
  const calls = (await this.calls()).filter((c) => c.name === name);
  check(calls.length === 1, `function ${name} ran ${calls.length} times`);
  const want = parseValues(values);
  check(JSON.stringify(calls[0].args) === JSON.stringify(want), `function ${name} was called with (${JSON.stringify(calls[0].args).slice(1, -1)}), expected (${JSON.stringify(want).slice(1, -1)})`);
});

Then(/^function ([A-Z][A-Z0-9]*) never ran$/, async function (this: LoopWorld, name: string) {
  const n = (await this.calls()).filter((c) => c.name === name).length;
  check(n === 0, `function ${name} ran ${n} times`);
});

Then(/^function ([A-Z][A-Z0-9]*) started after function ([A-Z][A-Z0-9]*) finished$/, async function (this: LoopWorld, later: string, first: string) {
  const a = await calledEvent(this, first);
  const b = await calledEvent(this, later);
  const finished = a.time + blockSeconds(this, first);
  check(notBefore(b.time, finished), `function ${later} started at loop time ${b.time}, before function ${first} finished at ${finished}`);
});

Then(/^it returned after function ([A-Z][A-Z0-9]*) finished$/, async function (this: LoopWorld, name: string) {
  const r = this.lastResult();
  const a = await calledEvent(this, name);
  const finished = a.time + blockSeconds(this, name);
  check(typeof r.time_after === 'number' && notBefore(r.time_after, finished), `it returned at loop time ${r.time_after}, before function ${name} finished at ${finished}`);
});

Then(/^the loop was closed before function ([A-Z][A-Z0-9]*) finished$/, function (this: LoopWorld, name: string) {
  const submitted = this.executorRuns.submittedMs.get(name);
  const closed = this.executorRuns.closedMs;
  check(submitted !== undefined && closed !== undefined, `function ${name} was not run, or the loop not closed, by this scenario's steps`);
  // The function cannot end before it was submitted plus the time it blocks (wall clock, ms).
  const finishedNoEarlierThan = submitted + blockSeconds(this, name) * 1000;
  check(closed < finishedNoEarlierThan, `close() returned ${Math.round(closed - submitted)} ms after function ${name} was submitted; it blocks for ${blockSeconds(this, name)} s, so close() waited for it`);
});

When(/^loop\.shutdown_default_executor\(\) is called with a timeout of ([\d.]+) seconds?$/, async function (this: LoopWorld, timeout: string) {
  this.lastCall = await this.attemptCall('loop', 'shutdown_default_executor', [], { timeout: py.float(Number(timeout)) });
});

Then(/^it returned well before function ([A-Z][A-Z0-9]*) could have finished$/, function (this: LoopWorld, name: string) {
  // The function was running before the call and blocks for its time; a call that waited for
  // it takes nearly that long (less only by the moments between the function's start and the
  // call), so one that took less than half of it did not wait.
  const r = this.lastResult();
  check(typeof r.time_before === 'number' && typeof r.time_after === 'number', 'the call did not report the loop time around it');
  const took = r.time_after - r.time_before;
  const block = blockSeconds(this, name);
  check(strictlyBefore(took, block / 2), `it took ${took.toFixed(3)} s while function ${name} blocks for ${block} s: it waited for it`);
});
