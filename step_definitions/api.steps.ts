// Documented methods called by name: "When loop.is_running() is called", "Then it returns
// False". A method the allow-list (adapters/api.json) has needs no step of its own to be
// called and checked; these steps are the glossary's general form.
import { Given, Then, When } from '@cucumber/cucumber';
import { LoopWorld } from './support/world';
import { check } from './support/parameters';
import { classesOf, isRef, py } from './support/values';

/** A documented function or method as a scenario names it: loop.time, asyncio.get_running_loop. */
const API = /(loop|asyncio)\.([a-z_]+)\(\)/;

When(new RegExp(`^${API.source} is called$`), async function (this: LoopWorld, target: string, name: string) {
  this.lastCall = await this.attemptCall(target, name);
});

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

Given(/^coroutine ([A-Z][A-Z0-9]*) (returns|raises|calls) (.+)$/, function (this: LoopWorld, name: string, verb: string, what: string) {
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

Then(new RegExp(`^in (callback|coroutine) ([A-Z][A-Z0-9]*), ${API.source} (returned|raised) (.+)$`), async function (this: LoopWorld, kind: string, who: string, target: string, name: string, verb: string, what: string) {
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
