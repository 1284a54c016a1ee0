// One persistent driver per cucumber worker (each worker is its own process, so a module-level
// driver is per worker). A driver that timed out or crashed is replaced before the next scenario.
import { DriverClient } from '../../adapters/driver-client';
import { AdapterSpec } from '../../adapters/adapter-spec';
import { Hello } from '../../adapters/errors';

let driver: DriverClient | undefined;

export function adapterSpecFromEnv(): AdapterSpec {
  const raw = process.env.LOOPSPEC_ADAPTER;
  if (!raw) throw new Error('LOOPSPEC_ADAPTER is not set: run the features through the loopspec CLI');
  return JSON.parse(raw) as AdapterSpec;
}

/** The handshake the CLI got before the run: which versions and capabilities apply. */
export function preflightHello(): Hello {
  const raw = process.env.LOOPSPEC_HELLO;
  if (!raw) throw new Error('LOOPSPEC_HELLO is not set: run the features through the loopspec CLI');
  return JSON.parse(raw) as Hello;
}

export async function liveDriver(): Promise<DriverClient> {
  if (driver && driver.alive) return driver;
  driver?.kill();
  driver = new DriverClient(adapterSpecFromEnv());
  await driver.start();
  return driver;
}

export async function stopDriver(): Promise<void> {
  await driver?.shutdown();
  driver = undefined;
}
