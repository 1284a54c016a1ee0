// Name lookups (the page's "DNS"): loop.getaddrinfo() and loop.getnameinfo() against the socket
// module's functions of the same name, called in the same driver with the same arguments, and
// whether the loop goes on while a lookup is pending.
import { Then } from '@cucumber/cucumber';
import { LoopWorld } from './support/world';
import { check } from './support/parameters';
import { valuesOf } from './support/arguments';

const LOOKUP = /(getaddrinfo|getnameinfo)/;

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

Then(new RegExp(`^callback ([A-Z][A-Z0-9]*) ran before loop\\.${LOOKUP.source}\\(\\) returned in task ([A-Z][A-Z0-9]*)$`), async function (this: LoopWorld, callback: string, name: string, task: string) {
  this.lastResult();
  const events = await this.events();
  const ran = events.findIndex((e) => e.event === 'called' && e.name === callback);
  const returned = events.findIndex((e) => e.event === 'step' && e.name === task && (e as { call?: string }).call === name);
  check(returned >= 0, `loop.${name}() never returned in task ${task}`);
  check(ran >= 0, `callback ${callback} never ran`);
  check(ran < returned, `loop.${name}() returned in task ${task} before callback ${callback} ran: the lookup held the loop`);
});


Then(/^it raises socket\.gaierror$/, function (this: LoopWorld) {
  const err = this.takeError();
  check(err.isA('gaierror'), `expected socket.gaierror, got ${err.info.type} (bases: ${err.info.bases.join(', ')}): ${err.info.message}`);
});
