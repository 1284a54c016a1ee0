// Waiting for the other side. After a client connects, sends or closes, the loop runs until what
// the step did has been seen where it goes (the server accepted, the data arrived and any answer
// came back, the connection was lost), for at most SETTLE_S of loop time: a fast loop is not made
// to wait, and a slow or broken one gets the time it always had, after which the Then steps judge
// what happened.
import { LoopEvent, LoopWorld } from './world';
import { py } from './values';

/** The most loop time a step waits for the other side (loopback: ample). */
export const SETTLE_S = 0.2;
/**
 * The loop runs in slices between looks at the event log: short ones first (on loopback the
 * other side usually sees it at once), longer ones later (fewer round trips); they add up to
 * SETTLE_S, so a wait that never ends early takes as long as one run of SETTLE_S did.
 */
const SLICES_MS = [2, 4, 8, 16, 32, 64, 74];

/** What the step waits for: a judgement on the event log before the step acted and now. */
export type Arrived = (before: LoopEvent[], now: LoopEvent[]) => boolean;

/** Runs the loop for `seconds` of its time. */
export async function runLoopFor(world: LoopWorld, seconds: number, name = 'SETTLE'): Promise<void> {
  await world.call('loop', 'run_until_complete', [py.coroutine({ name, steps: [{ do: 'sleep', seconds }] })]);
}

/**
 * Does `act`, then runs the loop until `arrived` holds or SETTLE_S has passed (an act that
 * returns false has nothing to wait for). Once it holds, the loop runs one more pass, so what
 * the arrival itself set off (a callback it scheduled) has happened too when the Then steps look.
 */
export async function settleAfter(world: LoopWorld, act: () => Promise<boolean | void>, arrived: Arrived): Promise<void> {
  const before = await world.events();
  if ((await act()) === false) return;
  for (const ms of SLICES_MS) {
    if (arrived(before, await world.events())) {
      await runLoopFor(world, 0);
      return;
    }
    await runLoopFor(world, ms / 1000);
  }
}

interface ProtocolCall { event: 'protocol'; name: string; method: string; data?: { bytes: string } }

function protocolCalls(events: LoopEvent[], method: string): ProtocolCall[] {
  return (events as unknown as ProtocolCall[]).filter((e) => e.event === 'protocol' && e.method === method);
}

/** connection_made calls of every protocol but `except`'s. */
function madeCount(events: LoopEvent[], except: string): number {
  return protocolCalls(events, 'connection_made').filter((e) => e.name !== except).length;
}

/** The server took the connection of client `client`: another protocol had connection_made. */
export function accepted(client: string): Arrived {
  return (before, now) => madeCount(now, client) > madeCount(before, client);
}

/** Bytes each protocol (by name) was given by `method` (data_received, datagram_received). */
function bytesByProtocol(events: LoopEvent[], method: string): Map<string, number> {
  const got = new Map<string, number>();
  for (const e of protocolCalls(events, method)) {
    got.set(e.name, (got.get(e.name) ?? 0) + Buffer.from(e.data?.bytes ?? '', 'base64').length);
  }
  return got;
}

/**
 * `size` bytes sent by protocol `sender` (undefined: by the kit) arrived: echoed back to the
 * sender (the kit's echo peers), or at another protocol of the loop that does not answer. One
 * that answers (`answers`) is waited for until its answer is back at the sender.
 */
export function delivered(sender: string | undefined, size: number, method: string, answers: (name: string) => boolean): Arrived {
  return (before, now) => {
    const was = bytesByProtocol(before, method);
    const grew = (name: string, got: number) => got - (was.get(name) ?? 0) >= size;
    return [...bytesByProtocol(now, method)].some(([name, got]) => grew(name, got) && (name === sender || sender === undefined || !answers(name)));
  };
}

/** `count` more connection_lost calls, of protocol `name`'s or (none) of any protocol's. */
export function lost(count: number, name?: string): Arrived {
  const of = (events: LoopEvent[]) => protocolCalls(events, 'connection_lost').filter((e) => name === undefined || e.name === name).length;
  return (before, now) => of(now) - of(before) >= count;
}
