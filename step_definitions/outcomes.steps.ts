// What happened: which callbacks ran, in which order, with what; what the loop raised; what
// handles report. Assertions read the driver's structured events, never printed text.
import { Then } from '@cucumber/cucumber';
import { LoopWorld } from './support/world';
import { check, parseNames, parseValues, seconds } from './support/parameters';
import { micros, notBefore, sameTime, strictlyBefore, withinSpan } from './support/clock';

Then(/^the callbacks ran in the order ((?:[A-Z][A-Z0-9]*)(?:, [A-Z][A-Z0-9]*)*)$/, async function (this: LoopWorld, names: string) {
  const ran = (await this.calls()).map((c) => c.name);
  const want = parseNames(names);
  check(ran.join() === want.join(), `the callbacks that ran, in order: ${ran.join(', ') || '(none)'}; expected: ${want.join(', ')}`);
});

Then('no callback has run', async function (this: LoopWorld) {
  const ran = (await this.calls()).map((c) => c.name);
  check(ran.length === 0, `callbacks ran: ${ran.join(', ')}`);
});

Then(/^callback ([A-Z][A-Z0-9]*) ran exactly once$/, async function (this: LoopWorld, name: string) {
  const n = (await this.calls()).filter((c) => c.name === name).length;
  check(n === 1, `callback ${name} ran ${n} times`);
});

Then(/^callback ([A-Z][A-Z0-9]*) was called with (the arguments .+|no arguments)$/, async function (this: LoopWorld, name: string, what: string) {
  const values = what === 'no arguments' ? undefined : what.slice('the arguments '.length);
  const calls = (await this.calls()).filter((c) => c.name === name);
  check(calls.length === 1, `callback ${name} ran ${calls.length} times`);
  const want = values === undefined ? [] : parseValues(values);
  check(JSON.stringify(calls[0].args) === JSON.stringify(want), `callback ${name} was called with (${JSON.stringify(calls[0].args).slice(1, -1)}), expected (${JSON.stringify(want).slice(1, -1)})`);
});

Then(/^callback ([A-Z][A-Z0-9]*) ran in the loop's thread$/, async function (this: LoopWorld, name: string) {
  const call = (await this.calls()).find((c) => c.name === name);
  check(call, `callback ${name} did not run`);
  check(call.thread === 'main', `callback ${name} ran in the ${call.thread} thread`);
});

Then(/^it raises (?:a |an )?([A-Z][A-Za-z]*(?:Error|Exception))$/, function (this: LoopWorld, name: string) {
  const err = this.takeError();
  check(err.isA(name), `expected ${name}, got ${err.info.type} (bases: ${err.info.bases.join(', ')}): ${err.info.message}`);
});

Then(/^the handle of callback ([A-Z][A-Z0-9]*) is an asyncio\.(Handle|TimerHandle)$/, function (this: LoopWorld, name: string, cls: string) {
  const h = this.handleOf(name);
  const classes = [h.type, ...(h.bases ?? [])];
  check(classes.includes(cls), `the handle is a ${h.type} (bases: ${(h.bases ?? []).join(', ')}), not an asyncio.${cls}`);
});

Then(/^the handle of callback ([A-Z][A-Z0-9]*) reports cancelled\(\) as (True|False)$/, async function (this: LoopWorld, name: string, expected: string) {
  const r = await this.call(this.handleOf(name).handle, 'cancelled');
  check(r.value === (expected === 'True'), `cancelled() returned ${JSON.stringify(r.value)}, expected ${expected}`);
});

async function whenOf(world: LoopWorld, name: string): Promise<{ value: number; type: string }> {
  const r = await world.call(world.handleOf(name).handle, 'when');
  check(typeof r.value === 'number', `when() returned ${JSON.stringify(r.value)}`);
  return { value: r.value, type: r.type };
}

Then(/^the handle of callback ([A-Z][A-Z0-9]*) reports when\(\) ([\d.]+) (seconds?|days?) after the time it was scheduled$/, async function (this: LoopWorld, name: string, amount: string, unit: string) {
  const h = this.handleOf(name);
  const d = seconds(amount, unit);
  const { value } = await whenOf(this, name);
  // Within the clock's resolution: uvloop keeps timers in whole milliseconds.
  const low = h.time_before! + d;
  const high = h.time_after! + d;
  check(withinSpan(value, low, high), `when() is ${value}; loop.time() was ${h.time_before}..${h.time_after} at scheduling, so it must be within [${low}, ${high}] give or take the clock's resolution`);
});

Then(/^the handle of callback ([A-Z][A-Z0-9]*) reports when\(\) equal to the timestamp it was given$/, async function (this: LoopWorld, name: string) {
  const h = this.handleOf(name);
  const { value } = await whenOf(this, name);
  check(typeof h.when_requested === 'number', 'the timestamp given to call_at is unknown');
  // Equal within the clock's resolution: uvloop keeps timers in whole milliseconds.
  check(sameTime(value, h.when_requested), `when() is ${value}, call_at was given ${h.when_requested}`);
});

Then(/^the handle of callback ([A-Z][A-Z0-9]*) reports when\(\) as a float$/, async function (this: LoopWorld, name: string) {
  const { type } = await whenOf(this, name);
  check(type === 'float', `when() returned a ${type}, not a float`);
});

/**
 * When a timer is due by what the scenario asked for, not by what the handle reports: for
 * call_later, loop.time() just before the call plus the delay; for call_at, the timestamp.
 */
function deadlineOf(world: LoopWorld, name: string): number {
  const h = world.handleOf(name);
  if (typeof h.when_requested === 'number') return h.when_requested;
  check(typeof h.time_before === 'number' && typeof h.delay === 'number', `callback ${name} was not scheduled with call_later or call_at`);
  return h.time_before + h.delay;
}

Then(/^callback ([A-Z][A-Z0-9]*) ran no earlier than (?:its delay after scheduling|its timestamp)$/, async function (this: LoopWorld, name: string) {
  const due = deadlineOf(this, name);
  const call = (await this.calls()).find((c) => c.name === name);
  check(call, `callback ${name} did not run`);
  check(notBefore(call.time, due), `callback ${name} ran at loop time ${call.time}, ${(due - call.time).toFixed(6)} s before it was due at ${due}`);
});

Then(/^run_forever returned before callback ([A-Z][A-Z0-9]*) was due$/, async function (this: LoopWorld, name: string) {
  check(this.lastRun, 'run_forever did not return');
  const due = deadlineOf(this, name);
  check(strictlyBefore(this.lastRun.time_after, due), `run_forever returned at loop time ${this.lastRun.time_after}, not before ${due} when callback ${name} was due`);
});

Then("the loop's time never went back from one callback to the next", async function (this: LoopWorld) {
  const times = (await this.calls()).map((c) => c.time);
  check(times.length > 1, `only ${times.length} callback ran`);
  for (let i = 1; i < times.length; i++) {
    check(micros(times[i]) >= micros(times[i - 1]), `loop.time() went back from ${times[i - 1]} to ${times[i]} between two callbacks`);
  }
});

Then(/^each callback ran at least ([\d.]+) seconds? after the one before it$/, async function (this: LoopWorld, gap: string) {
  const calls = await this.calls();
  for (let i = 1; i < calls.length; i++) {
    check(notBefore(calls[i].time, calls[i - 1].time + Number(gap)), `callback ${calls[i].name} ran ${(calls[i].time - calls[i - 1].time).toFixed(3)} s after ${calls[i - 1].name}, not ${gap} s`);
  }
});
