// The loop's life: made, run in its different ways, stopped, closed.
import { Given, When } from '@cucumber/cucumber';
import { LoopWorld, RunRecord } from './support/world';
import { check } from './support/parameters';
import { py } from './support/values';

Given('a new event loop', async function (this: LoopWorld) {
  this.loopRef = String((await this.op('new_loop')).loop);
});

Given('the loop is told to stop', async function (this: LoopWorld) {
  await this.call('loop', 'stop');
});

Given('the loop is closed', async function (this: LoopWorld) {
  await this.call('loop', 'close');
});

When(/^the loop runs forever$/, async function (this: LoopWorld) {
  this.lastRun = (await this.attemptCall('loop', 'run_forever')) as RunRecord | undefined;
});

When('the loop runs one iteration', async function (this: LoopWorld) {
  this.lastRun = (await this.attempt('run_once')) as RunRecord | undefined;
});

When('the loop runs until a coroutine that returns at once completes', async function (this: LoopWorld) {
  const r = await this.attemptCall('loop', 'run_until_complete', [py.coroutine({ name: 'C', steps: [{ do: 'return', value: 'done' }] })]);
  if (r) check(r.value === 'done', `run_until_complete() returned ${JSON.stringify(r.value)}, not the coroutine's result`);
});
