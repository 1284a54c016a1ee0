// One persistent driver per cucumber worker (each worker is its own process, so a module-level
// driver is per worker). A driver that timed out or crashed is replaced before the next scenario.
import { DriverClient } from '../../adapters/driver-client';
import { AdapterSpec } from '../../adapters/adapter-spec';
import { Hello } from '../../adapters/errors';

let driver: DriverClient | undefined;
/** Set once the driver has proved unusable: every later scenario fails at once with it. */
let unusable: string | undefined;
/** Drivers in a row that died without answering a single request. */
let deadOnArrival = 0;
/** That many in a row means the driver itself is broken (not one loop's bug): stop trying. */
const MAX_DEAD_ON_ARRIVAL = 2;
/**
 * Each new driver's loop is run once before its first scenario, so that what a loop creates
 * once per process on first use (GLib's wakeup eventfd, say) is not counted as the first
 * scenario's leak. A loop that cannot do even that turns the warm-up off for the rest of the
 * run: its scenarios then show the problem one by one.
 */
let warmUp = true;

// A forked cucumber worker: when the run is interrupted or the coordinator goes away, take the
// drivers (and their process groups) down before going. The CLI process has its own handler.
if (typeof process.send === 'function') {
  const bail = (code: number) => () => { driver?.kill(); process.exit(code); };
  process.on('SIGINT', bail(130));
  process.on('SIGTERM', bail(143));
  process.on('disconnect', bail(1));
}

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
  if (unusable) throw new Error(unusable);
  if (driver && driver.alive) return driver;
  if (driver) {
    deadOnArrival = driver.answered === 0 ? deadOnArrival + 1 : 0;
    if (deadOnArrival >= MAX_DEAD_ON_ARRIVAL) {
      unusable = `driver unusable: the ${driver.spec.label} driver failed ${deadOnArrival} times in a row without answering any request; last: ${driver.failure?.message.split('\n')[0]}`;
      driver.kill();
      throw new Error(unusable);
    }
    driver.kill();
  }
  try {
    driver = await startDriver();
  } catch (err) {
    unusable = `driver unusable: it could not be restarted: ${(err as Error).message.split('\n')[0]}`;
    throw new Error(unusable);
  }
  return driver;
}

export async function stopDriver(): Promise<void> {
  await driver?.shutdown();
  driver = undefined;
}

async function startDriver(): Promise<DriverClient> {
  const spec = adapterSpecFromEnv();
  const fresh = new DriverClient(spec);
  driver = fresh;
  await fresh.start();
  if (!warmUp) return fresh;
  try {
    await fresh.request('new_loop');
    await fresh.request('schedule', { method: 'call_soon', callback: { name: 'WARMUP', args: [], actions: [{ do: 'stop' }] } });
    await fresh.request('run_forever');
    const end = await fresh.request('end_scenario'); // leaks here are the process's one-time setup
    if (end.dirty) throw new Error('the warm-up left the driver dirty');
    return fresh;
  } catch {
    warmUp = false;
    fresh.kill();
    const second = new DriverClient(spec);
    driver = second;
    await second.start();
    return second;
  }
}
