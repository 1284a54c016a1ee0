// The debug mode: its switch, and the process it starts from. The environment and the flag a
// scenario states in a Given are made by its tags (@driver-env:NAME=VALUE, @driver-flag:dev-mode):
// the kit starts a driver with them before the scenario (adapters/adapter-spec.ts). These Givens
// read what the driver was started with, so a scenario and its tags cannot disagree.
import { Given, When } from '@cucumber/cucumber';
import { LoopWorld } from './support/world';
import { check } from './support/parameters';

/** The environment the scenario's driver was started with (the spawn's: the worker's plus the spec's). */
function driverEnvironment(world: LoopWorld): Record<string, string | undefined> {
  return { ...process.env, ...world.driver.spec.env };
}

Given(/^the environment variable ([A-Z_][A-Z0-9_]*) was set to "([^"]*)" when the process started$/, function (this: LoopWorld, name: string, value: string) {
  const seen = driverEnvironment(this)[name];
  check(seen === value, `the driver was started with ${name}=${JSON.stringify(seen ?? null)}: tag the scenario @driver-env:${name}=${value}`);
});

Given(/^the environment variable ([A-Z_][A-Z0-9_]*) was not set when the process started$/, function (this: LoopWorld, name: string) {
  const seen = driverEnvironment(this)[name];
  check(seen === undefined, `the driver was started with ${name}=${JSON.stringify(seen)}, which the kit clears for ordinary drivers`);
});

Given(/^the process was (not )?started in Python Development Mode$/, function (this: LoopWorld, not: string | undefined) {
  const devMode = this.driver.spec.variant?.flags.includes('dev-mode') === true || Boolean(driverEnvironment(this).PYTHONDEVMODE);
  if (not) check(!devMode, `the driver (${this.driver.spec.label}) was started in Python Development Mode`);
  else check(devMode, `the driver (${this.driver.spec.label}) was not started in Python Development Mode: tag the scenario @driver-flag:dev-mode`);
});

Given(/^loop\.set_debug\((True|False)\) was called$/, async function (this: LoopWorld, literal: string) {
  await this.call('loop', 'set_debug', [literal === 'True']);
});

When(/^loop\.set_debug\((True|False)\) is called$/, async function (this: LoopWorld, literal: string) {
  this.lastCall = await this.attemptCall('loop', 'set_debug', [literal === 'True']);
});
