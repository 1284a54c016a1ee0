// The process state a scenario must leave as it found it (PROTOCOL.md, "Containment"): the
// working directory, the umask, the environment, and the signal dispositions and mask. The
// reference driver compares a snapshot from before each scenario with one after it.
import * as fs from 'node:fs';
import * as os from 'node:os';

/** Signals a C library keeps for itself (glibc's SIGCANCEL and SIGSETXID, 32 and 33). */
const LIBC_INTERNAL = new Set([32, 33]);

function statusFields(): Map<string, string> {
  const fields = new Map<string, string>();
  try {
    for (const line of fs.readFileSync('/proc/self/status', 'latin1').split('\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
    }
  } catch { /* not Linux: nothing to compare */ }
  return fields;
}

function signalsOf(hexMask: string | undefined): Set<number> {
  const found = new Set<number>();
  if (!hexMask) return found;
  const mask = BigInt(`0x${hexMask}`);
  for (let n = 1; n <= 64; n++) if (!LIBC_INTERNAL.has(n) && (mask >> BigInt(n - 1)) & 1n) found.add(n);
  return found;
}

function signalName(n: number): string {
  const name = Object.entries(os.constants.signals).find(([, v]) => v === n)?.[0];
  return name ?? (n >= 34 ? `SIGRTMIN+${n - 34}` : `signal ${n}`);
}

function cwd(): string {
  try {
    return process.cwd();
  } catch (err) {
    return `(unreadable: ${(err as NodeJS.ErrnoException).code})`;
  }
}

export class ProcessState {
  readonly cwd = cwd();
  private readonly status = statusFields();
  readonly umask = this.status.get('Umask');
  readonly env: Record<string, string | undefined> = { ...process.env };
  readonly ignored = signalsOf(this.status.get('SigIgn'));
  readonly caught = signalsOf(this.status.get('SigCgt'));
  readonly blocked = signalsOf(this.status.get('SigBlk'));

  /** What differs now from this snapshot, in words. */
  changes(): string[] {
    const now = new ProcessState();
    const changes: string[] = [];
    if (now.cwd !== this.cwd) changes.push(`the working directory changed from ${this.cwd} to ${now.cwd}`);
    if (now.umask !== this.umask) changes.push(`the umask changed from ${this.umask} to ${now.umask}`);
    for (const name of [...new Set([...Object.keys(this.env), ...Object.keys(now.env)])].sort()) {
      if (!(name in now.env)) changes.push(`the environment variable ${name} was removed`);
      else if (!(name in this.env)) changes.push(`the environment variable ${name} was set`);
      else if (now.env[name] !== this.env[name]) changes.push(`the environment variable ${name} changed`);
    }
    for (const [what, before, after] of [['ignored', this.ignored, now.ignored], ['caught', this.caught, now.caught], ['blocked', this.blocked, now.blocked]] as const) {
      for (const n of after) if (!before.has(n)) changes.push(`${signalName(n)} is now ${what}`);
      for (const n of before) if (!after.has(n)) changes.push(`${signalName(n)} is no longer ${what}`);
    }
    return changes;
  }
}
