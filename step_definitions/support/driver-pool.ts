// One persistent driver per cucumber worker (each worker is its own process, so a module-level
// driver is per worker), and one more per variant that scenarios ask for with @driver-env and
// @driver-flag tags (adapters/adapter-spec.ts), started on first use and kept like the first.
// A driver that timed out or crashed is replaced before the next scenario.
import { DriverClient, takeParkedDriver } from '../../adapters/driver-client';
import { AdapterSpec, CLEARED_ENV, DriverVariant, variantLabel, variantSpec } from '../../adapters/adapter-spec';
import { Hello } from '../../adapters/errors';

/** A driver and its record of restarts. */
interface Slot {
  driver: DriverClient | undefined;
  /** Set once the driver has proved unusable: every later scenario fails at once with it. */
  unusable: string | undefined;
  /** Drivers in a row that died without answering a single request. */
  deadOnArrival: number;
}
/** The drivers of this worker by variant: '' is the ordinary driver, the others variantLabel(). */
const slots = new Map<string, Slot>();
/** That many in a row means the driver itself is broken (not one loop's bug): stop trying. */
const MAX_DEAD_ON_ARRIVAL = 2;
/**
 * Each new driver's loop is run once before its first scenario, so that what a loop creates
 * once per process on first use (GLib's wakeup eventfd, say) is not counted as the first
 * scenario's leak. A loop that cannot do even that turns the warm-up off for the rest of the
 * run: its scenarios then show the problem one by one.
 */
let warmUp = true;

/**
 * A new run starts with no driver and the warm-up on: a process may hold one run after another
 * (a lane of `loopspec batch`, cli/batch-lane.ts), each on its own adapter.
 */
export function beginRun(): void {
  slots.clear();
  warmUp = true;
}

// A forked cucumber worker: when the run is interrupted or the coordinator goes away, take the
// drivers (and their process groups) down before going. The CLI process has its own handler.
if (typeof process.send === 'function') {
  const bail = (code: number) => () => { for (const s of slots.values()) s.driver?.kill(); process.exit(code); };
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

/** The live driver for scenarios of this variant (none: the ordinary driver), started if need be. */
export async function liveDriver(variant?: DriverVariant): Promise<DriverClient> {
  const key = variant ? variantLabel(variant) : '';
  let slot = slots.get(key);
  if (!slot) slots.set(key, (slot = { driver: undefined, unusable: undefined, deadOnArrival: 0 }));
  if (slot.unusable) throw new Error(slot.unusable);
  const driver = slot.driver;
  if (driver && driver.alive) return driver;
  if (driver) {
    slot.deadOnArrival = driver.answered === 0 ? slot.deadOnArrival + 1 : 0;
    if (slot.deadOnArrival >= MAX_DEAD_ON_ARRIVAL) {
      slot.unusable = `driver unusable: the ${driver.spec.label} driver failed ${slot.deadOnArrival} times in a row without answering any request; last: ${driver.failure?.message.split('\n')[0]}`;
      driver.kill();
      throw new Error(slot.unusable);
    }
    driver.kill();
  }
  const spec = variant ? variantSpec(adapterSpecFromEnv(), variant) : adapterSpecFromEnv();
  try {
    slot.driver = await startDriver(spec, slot);
  } catch {
    // The preflight proved this driver starts: one slow start (a loaded machine) gets a second try.
    try {
      slot.driver = await startDriver(spec, slot);
    } catch (err) {
      slot.unusable = `driver unusable: it could not be restarted: ${(err as Error).message.split('\n')[0]}`;
      throw new Error(slot.unusable);
    }
  }
  return slot.driver;
}

/** Stops every driver of this worker, the variants' too. */
export async function stopDriver(): Promise<void> {
  const all = [...slots.values()];
  slots.clear();
  await Promise.all(all.map((s) => s.driver?.shutdown()));
}

async function startDriver(spec: AdapterSpec, slot: Slot): Promise<DriverClient> {
  // Normally the CLI has already cleared these; a variant's own env is in the spec.
  for (const name of CLEARED_ENV) delete process.env[name];
  // The preflight's driver, when the CLI runs the scenarios in its own process.
  const parked = takeParkedDriver(spec);
  const fresh = parked ?? new DriverClient(spec);
  slot.driver = fresh; // so that an interrupt kills it while it starts
  if (!parked) await fresh.start();
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
    slot.driver = second;
    await second.start();
    return second;
  }
}
