// Documented methods called by name: "When loop.is_running() is called", "Then it returns
// False". A method the allow-list (adapters/api.json) has needs no step of its own to be
// called and checked; these steps are the glossary's general form.
import { Given, Then, When } from '@cucumber/cucumber';
import { LoopWorld } from './support/world';
import { check } from './support/parameters';
import { classesOf, isRef, py } from './support/values';

/** A documented function or method as a scenario names it: loop.time, asyncio.get_running_loop, selectors.SelectSelector. */
const API = /(loop|asyncio|selectors)\.([A-Za-z_]+)\(\)/;

When(/^the loop runs until coroutine ([A-Z][A-Z0-9]*) completes$/, async function (this: LoopWorld, name: string) {
  this.lastCall = await this.attemptCall('loop', 'run_until_complete', [py.coroutine(this.coroutineSpec(name))]);
});

When(/^the loop runs until future ([A-Z][A-Z0-9]*) completes$/, async function (this: LoopWorld, name: string) {
  this.lastCall = await this.attemptCall('loop', 'run_until_complete', [py.ref(this.objectRef(name))]);
});

Given(/^future ([A-Z][A-Z0-9]*) is made with loop\.create_future\(\)$/, async function (this: LoopWorld, name: string) {
  this.nameObject(name, await this.call('loop', 'create_future'));
});

Given(/^future ([A-Z][A-Z0-9]*) already has the exception ([A-Z][A-Za-z]*Error)$/, async function (this: LoopWorld, name: string, cls: string) {
  await this.call(this.objectRef(name), 'set_exception', [py.exception(cls)]);
});

Given(/^coroutine ([A-Z][A-Z0-9]*) (returns|raises|calls|takes) (.+)$/, function (this: LoopWorld, name: string, verb: string, what: string) {
  this.coroutines.set(name, [...(this.coroutines.get(name) ?? []), this.coroutineStep(verb, what)]);
});

Then(/^it returns (True|False|None)$/, function (this: LoopWorld, literal: string) {
  const want = literal === 'True' ? true : literal === 'False' ? false : null;
  const r = this.lastResult();
  check(r.value === want, `it returned ${JSON.stringify(r.value)} (a ${r.type}), not ${literal}`);
});

Then(/^it returns ("[^"]*")$/, function (this: LoopWorld, literal: string) {
  const r = this.lastResult();
  check(JSON.stringify(r.value) === literal, `it returned ${JSON.stringify(r.value)} (a ${r.type}), not ${literal}`);
});

Then(/^it returns an? (?:asyncio\.)?([A-Za-z_]+)$/, function (this: LoopWorld, cls: string) {
  const r = this.lastResult();
  check(classesOf(r).includes(cls), `it returned a ${r.type} (bases: ${r.bases.join(', ')}), not a ${cls}`);
});

Then('it returns the loop', function (this: LoopWorld) {
  const r = this.lastResult();
  check(isRef(r.value) && r.value.ref === this.loopRef, `it returned ${JSON.stringify(r.value)}, not the scenario's loop ${this.loopRef}`);
});

Then(new RegExp(`^in (callback|coroutine) ([A-Z][A-Z0-9]*), (loop|asyncio|[A-Z][A-Z0-9]*)\\.([A-Za-z_]+)\\(\\) (returned|raised) (.+)$`), async function (this: LoopWorld, kind: string, who: string, target: string, name: string, verb: string, what: string) {
  const events = (await this.events()) as Array<Record<string, unknown>>;
  if (verb === 'raised') {
    const e = events.find((ev) => ev.event === 'action_error' && ev.name === who);
    check(e, `in ${kind} ${who}, ${target}.${name}() raised nothing`);
    this.checkedEvents.add(JSON.stringify(e));
    const err = e.error as { type: string; bases: string[] };
    check(classesOf(err).includes(what.replace(/^an? /, '')), `in ${kind} ${who}, ${target}.${name}() raised ${err.type}, not ${what}`);
    return;
  }
  const seen = events.find((ev) => (ev.event === 'action_result' || ev.event === 'step') && ev.name === who && ev.call === name);
  const failed = events.find((ev) => ev.event === 'action_error' && ev.name === who);
  check(seen, `in ${kind} ${who}, ${target}.${name}() ${failed ? `raised ${JSON.stringify((failed.error as { type: string }).type)}` : 'was never called'}`);
  const value = seen.value;
  if (what === 'the loop') {
    check(isRef(value) && value.ref === this.loopRef, `in ${kind} ${who}, ${target}.${name}() returned ${JSON.stringify(value)}, not the scenario's loop`);
  } else if (/^an? /.test(what)) {
    const cls = what.replace(/^an? (asyncio\.)?/, '');
    const classes = isRef(value) ? classesOf(value) : [typeof value === 'boolean' ? 'bool' : typeof value];
    check(classes.includes(cls), `in ${kind} ${who}, ${target}.${name}() returned ${JSON.stringify(value)}, not a ${cls}`);
  } else {
    const want = what === 'True' ? true : what === 'False' ? false : what === 'None' ? null : JSON.parse(what);
    check(JSON.stringify(value) === JSON.stringify(want), `in ${kind} ${who}, ${target}.${name}() returned ${JSON.stringify(value)}, not ${what}`);
  }
});

// ---- named objects: "Given L is what asyncio.new_event_loop() returns", "When P.get_event_loop() is called"

/** An argument as a scenario names it: None, the loop, or a named object. */
function argument(world: LoopWorld, text: string): unknown {
  if (text === 'None') return null;
  if (text === 'the loop') return py.ref(world.loopRef!);
  return py.ref(world.objectRef(text));
}

const NAMED = /([A-Z][A-Z0-9]*)\.([a-z_]+)\(\)/;
const WITH = /(?: with (None|the loop|[A-Z][A-Z0-9]*))?/;

Given(new RegExp(`^([A-Z][A-Z0-9]*) is what (?:${API.source}|${NAMED.source}) returns$`), async function (this: LoopWorld, name: string, target: string | null, method: string | null, obj: string | null, objMethod: string | null) {
  const r = target ? await this.call(target, method!) : await this.call(this.objectRef(obj!), objMethod!);
  this.nameObject(name, r);
});

Given(new RegExp(`^([A-Z][A-Z0-9]*) is what (?:${API.source}|${NAMED.source}) returns when called with (None|the loop|[A-Z][A-Z0-9]*)$`), async function (this: LoopWorld, name: string, target: string | null, method: string | null, obj: string | null, objMethod: string | null, arg: string) {
  const args = [argument(this, arg)];
  const r = target ? await this.call(target, method!, args) : await this.call(this.objectRef(obj!), objMethod!, args);
  this.nameObject(name, r);
});

When(new RegExp(`^${API.source} is called${WITH.source}$`), async function (this: LoopWorld, target: string, name: string, arg: string | null) {
  this.lastCall = await this.attemptCall(target, name, arg === null ? [] : [argument(this, arg)]);
});

Given(new RegExp(`^${API.source} has been called with (None|the loop|[A-Z][A-Z0-9]*)$`), async function (this: LoopWorld, target: string, name: string, arg: string) {
  await this.call(target, name, [argument(this, arg)]);
});

When(new RegExp(`^${NAMED.source} is called${WITH.source}$`), async function (this: LoopWorld, obj: string, name: string, arg: string | null) {
  this.lastCall = await this.attemptCall(this.objectRef(obj), name, arg === null ? [] : [argument(this, arg)]);
});

Given(new RegExp(`^${NAMED.source} has been called with (None|the loop|[A-Z][A-Z0-9]*)$`), async function (this: LoopWorld, obj: string, name: string, arg: string) {
  await this.call(this.objectRef(obj), name, [argument(this, arg)]);
});

Then(/^it returns ([A-Z][A-Z0-9]*)$/, function (this: LoopWorld, name: string) {
  const r = this.lastResult();
  const want = this.objectRef(name);
  check(isRef(r.value) && r.value.ref === want, `it returned ${JSON.stringify(r.value)}, not ${name} (${want})`);
});

Then(/^it returns an event loop other than the scenario's$/, function (this: LoopWorld) {
  const r = this.lastResult();
  check(isRef(r.value) && classesOf(r.value).includes('AbstractEventLoop'), `it returned ${JSON.stringify(r.value)}, not an event loop`);
  check(r.value.ref !== this.loopRef, "it returned the scenario's own loop");
});

Then(/^it returns an? ([A-Za-z.]+) other than ([A-Z][A-Z0-9]*)$/, function (this: LoopWorld, cls: string, name: string) {
  const r = this.lastResult();
  const wanted = cls.replace(/^asyncio\./, '');
  check(isRef(r.value) && classesOf(r.value).includes(wanted), `it returned ${JSON.stringify(r.value)}, not a ${cls}`);
  check(r.value.ref !== this.objectRef(name), `it returned ${name} itself`);
});

Then(/^it returns an object of the same class as ([A-Z][A-Z0-9]*)$/, function (this: LoopWorld, name: string) {
  const r = this.lastResult();
  const known = this.objectTypes.get(name);
  check(isRef(r.value) && known !== undefined && r.value.type === known, `it returned a ${isRef(r.value) ? r.value.type : JSON.stringify(r.value)}, not a ${known} as ${name} is`);
});

Then(new RegExp(`^${API.source} returns it again$`), async function (this: LoopWorld, target: string, name: string) {
  const first = this.lastResult();
  const again = await this.call(target, name);
  check(isRef(first.value) && isRef(again.value) && again.value.ref === first.value.ref, `the second call returned ${JSON.stringify(again.value)}, the first ${JSON.stringify(first.value)}`);
});

Then(/^it raises an exception$/, function (this: LoopWorld) {
  const err = this.takeError();
  check(err.isA('Exception'), `expected an exception (an Exception), got ${err.info.type} (bases: ${err.info.bases.join(', ')})`);
});

Then(new RegExp(`^${API.source} returns ([A-Z][A-Z0-9]*)$`), async function (this: LoopWorld, target: string, name: string, obj: string) {
  const r = await this.call(target, name);
  const want = this.objectRef(obj);
  check(isRef(r.value) && r.value.ref === want, `${target}.${name}() returned ${JSON.stringify(r.value)}, not ${obj} (${want})`);
});

Then(new RegExp(`^${NAMED.source} returns ([A-Z][A-Z0-9]*)$`), async function (this: LoopWorld, obj: string, name: string, other: string) {
  const r = await this.call(this.objectRef(obj), name);
  const want = this.objectRef(other);
  check(isRef(r.value) && r.value.ref === want, `${obj}.${name}() returned ${JSON.stringify(r.value)}, not ${other} (${want})`);
});

Given(new RegExp(`^${API.source} has been called$`), async function (this: LoopWorld, target: string, name: string) {
  await this.call(target, name);
});

Then(/^async generator ([A-Z][A-Z0-9]*) (was|has not been) closed$/, async function (this: LoopWorld, name: string, state: string) {
  const closed = (await this.events()).some((e) => e.event === 'asyncgen_closed' && e.name === name);
  check(closed === (state === 'was'), `async generator ${name} ${closed ? 'was' : 'has not been'} closed`);
});

Then('it issues a warning', function (this: LoopWorld) {
  const warnings = this.lastResult().warnings;
  check(Array.isArray(warnings), 'the driver did not report the warnings of the call');
  check(warnings.some((w) => classesOf(w).includes('Warning')), 'the call issued no warning');
});

Then('it issues no warning', function (this: LoopWorld) {
  const warnings = this.lastResult().warnings;
  check(Array.isArray(warnings), 'the driver did not report the warnings of the call');
  check(warnings.length === 0, `the call issued ${warnings.map((w) => w.type).join(', ')}`);
});

/**
 * For what the page leaves open (@undefined): the outcome of the last call is attached to the
 * report and never failed on; an exception it raised counts as looked at.
 */
Then('what happened is recorded', function (this: LoopWorld) {
  const err = this.lastError;
  this.unchecked = undefined;
  const outcome = err ? `raised ${err.info.type} (bases: ${err.info.bases.join(', ')})` : `returned ${JSON.stringify(this.lastCall?.value)} (a ${this.lastCall?.type})`;
  this.attach(`recorded, not checked (@undefined): ${outcome}`, 'text/plain');
});
