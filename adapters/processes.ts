// The process tree as Linux's /proc shows it, for containment (PROTOCOL.md, "Containment"):
// the kit and the reference driver find every descendant of a process, whatever session or
// process group it moved to, name it, and end it. Reading /proc needs no privilege and no
// native code; waiting for a process does (native/process.cc), so callers pass `reap`.
import * as fs from 'node:fs';

/** The direct children of `pid` (every thread's), live or not yet waited for. */
export function childrenOf(pid: number): number[] {
  const found: number[] = [];
  let tasks: string[];
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return found;
  }
  for (const task of tasks) {
    try {
      for (const word of fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'latin1').split(' ')) {
        if (word.trim()) found.push(Number(word));
      }
    } catch { /* the thread ended meanwhile */ }
  }
  return found;
}

/** Every process below `pid`, breadth first. */
export function descendantsOf(pid: number): number[] {
  const found = new Set<number>();
  const todo = [pid];
  while (todo.length > 0) {
    for (const child of childrenOf(todo.pop()!)) {
      if (!found.has(child)) {
        found.add(child);
        todo.push(child);
      }
    }
  }
  return [...found];
}

interface Stat { state: string; comm: string; session: number }

function stat(pid: number): Stat | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    const close = text.lastIndexOf(')');
    // After the command: state ppid pgrp session ...
    const [state, , , session] = text.slice(close + 2).split(' ');
    return { state, comm: text.slice(text.indexOf('(') + 1, close), session: Number(session) };
  } catch {
    return undefined;
  }
}

/** Whether `pid` still runs (an exited process nobody waited for does not). */
export function isRunning(pid: number): boolean {
  const s = stat(pid);
  return s !== undefined && s.state !== 'Z' && s.state !== 'X';
}

export function isZombie(pid: number): boolean {
  return stat(pid)?.state === 'Z';
}

/** The session `pid` is in; undefined once it is gone. */
export function sessionOf(pid: number): number | undefined {
  return stat(pid)?.session;
}

/** The command line of `pid`, for a report ('sleep 600'). */
export function commandLine(pid: number): string {
  let text = '';
  try {
    text = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch { /* gone */ }
  if (!text) text = `[${stat(pid)?.comm ?? '?'}]`;
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}

/** One line naming a process a scenario left behind. */
export function describeProcess(pid: number): string {
  return isZombie(pid)
    ? `process ${pid} (${commandLine(pid)}) exited but nobody waited for it`
    : `process ${pid} (${commandLine(pid)}) still running`;
}

export function signalAll(pids: Iterable<number>, signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try { process.kill(pid, signal); } catch { /* gone already */ }
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));
/** Sleeps the thread: ending processes is synchronous, so that an exit handler can do it too. */
export function sleepMs(ms: number): void {
  Atomics.wait(pause, 0, 0, ms);
}

export interface EndOptions {
  /** Processes to leave alone: never signalled, never waited for (a driver libuv waits for). */
  keep?: ReadonlySet<number>;
  /**
   * Which children of this process are also to be ended, with everything below them: the
   * orphans a subreaper inherits. Default: none but `pids` and what is below them.
   */
  adopt?: (child: number) => boolean;
  /** How long SIGTERM is given before SIGKILL; 0 kills at once. */
  graceMs?: number;
  /** How long the SIGKILLed get to be gone. */
  killWaitMs?: number;
  /** Waits for one of this process's children without blocking (native.reap). */
  reap: (pid: number) => boolean;
}

/**
 * Ends `pids`, everything below them and what they start meanwhile: SIGTERM, a grace period,
 * then SIGKILL. Whatever of it becomes a child of this process (a subreaper inherits the
 * orphans) is waited for. True when none is left running.
 */
export function endProcesses(pids: Iterable<number>, opts: EndOptions): boolean {
  const keep = opts.keep ?? new Set<number>();
  const targets = new Set(pids);
  const running = (): number[] => {
    const roots = new Set(targets);
    for (const child of childrenOf(process.pid)) {
      if (keep.has(child) || !(targets.has(child) || opts.adopt?.(child))) continue;
      roots.add(child);
      if (isZombie(child)) opts.reap(child);
    }
    const all = new Set<number>();
    for (const root of roots) for (const p of [root, ...descendantsOf(root)]) all.add(p);
    return [...all].filter((p) => !keep.has(p) && isRunning(p));
  };
  const waitGone = (ms: number): number[] => {
    const deadline = Date.now() + ms;
    for (;;) {
      const left = running();
      if (left.length === 0 || Date.now() >= deadline) return left;
      sleepMs(5);
    }
  };
  let left = running();
  if (left.length > 0 && (opts.graceMs ?? 0) > 0) {
    signalAll(left, 'SIGTERM');
    left = waitGone(opts.graceMs!);
  }
  while (left.length > 0) {
    signalAll(left, 'SIGKILL');
    const again = waitGone(opts.killWaitMs ?? 2000);
    if (again.every((p) => left.includes(p))) return again.length === 0;
    left = again;
  }
  return true;
}
