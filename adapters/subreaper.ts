// The kit's side of containment (PROTOCOL.md, "Containment"). Every process that starts drivers
// makes itself a child subreaper: when a driver dies, what its loop started is reparented here
// instead of to init, and is ended and waited for. Stopping a driver ends everything below it,
// including what left its process group or session.
//
// The kit reaches native/ only for the two calls Node lacks (prctl and waitpid of one pid); if
// the addon is not built, containment falls back to the process-group kill, and says so once.
import { descendantsOf, endProcesses, sessionOf } from './processes';

type Native = typeof import('../native');
let native: Native | null | undefined;
function addon(): Native | null {
  if (native === undefined) {
    try {
      native = require('../native') as Native;
    } catch (err) {
      native = null;
      process.stderr.write(`loopspec: the native addon is not built (npm run build:native), so processes that escape a driver cannot be contained: ${(err as Error).message.split('\n')[0]}\n`);
    }
  }
  return native;
}

/** The drivers this process spawned and libuv still waits for: never signalled or reaped here. */
const drivers = new Set<number>();
let subreaper = false;
const ownSession = sessionOf(process.pid);

/** Called before each driver starts: the first call makes this process a subreaper. */
export function beforeDriverStarts(): void {
  if (subreaper) return;
  subreaper = true;
  try {
    addon()?.setChildSubreaper();
  } catch { /* not Linux: the process-group kill is all there is */ }
}

export function driverStarted(pid: number): void {
  drivers.add(pid);
}

/** libuv has waited for the driver: what it left is inherited now, and ended. */
export function driverExited(pid: number): void {
  drivers.delete(pid);
  endInherited();
}

/**
 * An orphan this process inherited: a child that is no driver of ours and not in our own
 * session (everything a driver starts is in the driver's session, or one of its own).
 */
function inherited(child: number): boolean {
  return !drivers.has(child) && sessionOf(child) !== ownSession;
}

function reap(pid: number): boolean {
  return addon()?.reap(pid) ?? true;
}

/**
 * Kills a driver and everything below it at once: its process group, then each process of its
 * tree (read before the kill, since a dead driver's orphans move), then what was inherited.
 */
export function killDriverTree(driverPid: number): void {
  const below = descendantsOf(driverPid);
  try { process.kill(-driverPid, 'SIGKILL'); } catch { /* the group is gone */ }
  try { process.kill(driverPid, 'SIGKILL'); } catch { /* gone */ }
  endProcesses(below, { keep: drivers, adopt: inherited, reap, killWaitMs: 1000 });
}

/** Ends and waits for every orphan inherited so far. */
export function endInherited(): void {
  if (subreaper) endProcesses([], { keep: drivers, adopt: inherited, reap, killWaitMs: 1000 });
}
