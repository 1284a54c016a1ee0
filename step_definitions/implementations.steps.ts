// Event loop implementations: a loop the scenario makes itself ("L is what
// asyncio.SelectorEventLoop() returns when called with S") is an object like any other, so it is
// driven only by calls of its documented methods: callbacks scheduled on it with L.call_soon()
// and L.call_later(), a function run in its default executor, L.run_until_complete(), L.close().
import { Given, Then, When } from '@cucumber/cucumber';
import { LoopWorld } from './support/world';
import { check, parseNames, seconds } from './support/parameters';
import { isRef, py, Value } from './support/values';

/** "callbacks A and B are scheduled on loop L with call_soon", "callback T ... with call_later after 0.05 seconds" */
Given(
  /^callbacks? ([A-Z][A-Z0-9]*(?:(?:, | and )[A-Z][A-Z0-9]*)*) (?:is|are) scheduled on loop ([A-Z][A-Z0-9]*) with (call_soon|call_later)(.*)$/,
  async function (this: LoopWorld, names: string, loop: string, method: 'call_soon' | 'call_later', tail: string) {
    const m = method === 'call_later' ? /^ after ([\d.]+) (seconds?)$/.exec(tail) : /^$/.exec(tail);
    if (!m) throw new Error(`cannot read "${tail}" after ${method}: call_later takes "after N seconds", call_soon nothing`);
    const before: Value[] = method === 'call_later' ? [py.float(seconds(m[1], m[2]))] : [];
    for (const name of parseNames(names)) {
      const r = await this.call(this.objectRef(loop), method, [...before, py.callback(this.callbackSpec(name))]);
      check(isRef(r.value), `${loop}.${method}() returned ${JSON.stringify(r.value)}, not a handle`);
      this.remember({ name, handle: r.value.ref, type: r.value.type, bases: r.value.bases });
    }
  },
);

/** L.run_in_executor(None, W), then L.run_until_complete() of the future it returned: "it returns" reads the result. */
When(/^loop ([A-Z][A-Z0-9]*) runs until function ([A-Z][A-Z0-9]*) completes in its default executor$/, async function (this: LoopWorld, loop: string, fn: string) {
  const future = await this.call(this.objectRef(loop), 'run_in_executor', [null, py.callback(this.callbackSpec(fn))]);
  check(isRef(future.value), `${loop}.run_in_executor() returned ${JSON.stringify(future.value)}, not a future`);
  this.lastCall = await this.attemptCall(this.objectRef(loop), 'run_until_complete', [py.ref(future.value.ref)]);
});

/** L.close(), which must not raise, and L.is_closed() is True afterwards. */
Then(/^loop ([A-Z][A-Z0-9]*) can be closed$/, async function (this: LoopWorld, loop: string) {
  await this.call(this.objectRef(loop), 'close');
  const r = await this.call(this.objectRef(loop), 'is_closed');
  check(r.value === true, `after ${loop}.close(), ${loop}.is_closed() returned ${JSON.stringify(r.value)}`);
});
