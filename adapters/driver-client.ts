// The kit's side of the driver protocol (adapters/PROTOCOL.md): starts a driver process,
// checks its handshake, sends requests one at a time, and turns every way a driver can go
// wrong (a hang, a crash, garbage on the channel) into one typed error the steps can report.
import { spawn, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AdapterSpec } from './adapter-spec';
import { sandboxed } from './sandbox';
import { beforeDriverStarts, driverExited, driverStarted, endInherited, killDriverTree } from './subreaper';
import { ErrorInfo, Hello, DriverError, DriverTimeout, DriverCrashed, DriverProtocolViolation, DriverFatal, LoopError } from './errors';

/** A line longer than this is not the protocol: a driver that sends one is stopped. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;
/** How much of a driver's stderr is kept to explain a failure. */
const STDERR_KEEP_BYTES = 64 * 1024;
/** How long a driver has to say hello: interpreter start plus importing the loop. */
export const HANDSHAKE_TIMEOUT_MS = 10_000;
/** How long a driver that answered `shutdown` gets to exit by itself before it is killed. */
const SHUTDOWN_GRACE_MS = 1000;
/** The protocol version this kit speaks (adapters/PROTOCOL.md): a driver must say it in its hello. */
export const PROTOCOL_VERSION = 2;

interface Pending {
  id: number;
  op: string;
  resolve: (value: Record<string, unknown>) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export interface TranscriptLine { dir: '>' | '<'; line: string }

/** Every driver process alive in this process, so that an exit or a signal can kill them all. */
const liveDrivers = new Set<DriverClient>();
export function killAllDrivers(): void {
  for (const d of liveDrivers) d.kill();
  endInherited();
}
process.on('exit', killAllDrivers);

/**
 * A started driver that the CLI's preflight leaves for the run's first use in this same process
 * (scenarios run in the CLI's process when there are no cucumber workers): one driver start
 * fewer per run, which is most of a small run's time (a lane of `loopspec batch` runs many).
 */
let parked: DriverClient | undefined;

export function parkDriver(driver: DriverClient): void {
  parked?.kill();
  parked = driver;
}

/** The parked driver if it is alive and was started from this very spec; otherwise none. */
export function takeParkedDriver(spec: AdapterSpec): DriverClient | undefined {
  const driver = parked;
  parked = undefined;
  if (driver?.alive && JSON.stringify(driver.spec) === JSON.stringify(spec)) return driver;
  driver?.kill();
  return undefined;
}

export class DriverClient {
  readonly spec: AdapterSpec;
  hello: Hello | undefined;
  private child: ChildProcess | undefined;
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private pending: Pending | undefined;
  private nextId = 1;
  private stderrTail = '';
  private exitInfo: string | undefined;
  private deadReason: DriverError | undefined;
  private helloWaiter: { resolve: (h: Hello) => void; reject: (e: Error) => void } | undefined;
  /** The requests and responses since the last `resetTranscript()`, for failure reports. */
  transcript: TranscriptLine[] = [];
  /** stderr since the last `resetTranscript()`. */
  stderrSinceMark = '';
  /** The driver's own TMPDIR: what a scenario leaves in it is a leak of that scenario. */
  private tmpdir: string | undefined;
  /** Requests this driver process answered (a driver that dies having answered none is broken, not its loop). */
  answered = 0;

  constructor(spec: AdapterSpec) {
    this.spec = spec;
  }

  get alive(): boolean {
    return this.child !== undefined && this.deadReason === undefined;
  }

  /** Starts the driver and waits for its handshake. */
  async start(timeoutMs = HANDSHAKE_TIMEOUT_MS): Promise<Hello> {
    const [cmd, ...args] = this.spec.sandboxed ? sandboxed(this.spec.command) : this.spec.command;
    this.deadReason = undefined;
    this.exitInfo = undefined;
    this.stderrTail = '';
    this.tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-driver-'));
    beforeDriverStarts();
    const child = spawn(cmd, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true, // its own process group: a kill reaches the loop's children too
      env: { ...process.env, ...this.spec.env, TMPDIR: this.tmpdir },
      cwd: this.spec.cwd,
    });
    this.child = child;
    liveDrivers.add(this);
    if (child.pid !== undefined) driverStarted(child.pid);
    child.stdout!.on('data', (chunk: Buffer) => this.onStdout(chunk));
    child.stderr!.on('data', (chunk: Buffer) => this.onStderr(chunk));
    child.stdin!.on('error', () => { /* the exit handler reports it */ });
    child.on('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'ENOENT' ? `cannot run ${cmd}: not found` : `cannot run ${cmd}: ${err.message}`;
      this.die(new DriverFatal(this.spec.label, why));
    });
    child.on('exit', (code, signal) => {
      if (child.pid !== undefined) driverExited(child.pid);
      this.exitInfo = signal ? `killed by signal ${signal}` : `exited with status ${code}`;
      // Let stderr drain so the report carries the driver's last words.
      setTimeout(() => this.die(new DriverCrashed(this.spec.label, this.exitInfo!, this.stderrTail)), 50);
    });
    return new Promise<Hello>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.die(new DriverFatal(this.spec.label, `did not complete its handshake within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.helloWaiter = {
        resolve: (h) => { clearTimeout(timer); resolve(h); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      };
    });
  }

  /** Sends one request; resolves with its result, rejects with LoopError or a DriverError. */
  request(op: string, args: Record<string, unknown> = {}, timeoutMs = this.spec.timeoutMs): Promise<Record<string, unknown>> {
    if (this.deadReason) return Promise.reject(this.deadReason);
    if (!this.child || !this.hello) return Promise.reject(new DriverFatal(this.spec.label, 'is not started'));
    if (this.pending) return Promise.reject(new Error(`internal: request "${op}" while "${this.pending.op}" is pending`));
    const id = this.nextId++;
    const line = JSON.stringify({ id, op, args });
    this.record('>', line);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const err = new DriverTimeout(this.spec.label, op, timeoutMs, this.stderrTail);
        this.pending = undefined;
        reject(err);
        this.die(err);
      }, timeoutMs);
      this.pending = { id, op, resolve, reject, timer };
      this.child!.stdin!.write(line + '\n');
    });
  }

  /** Asks the driver to exit, then makes sure it has. */
  async shutdown(): Promise<void> {
    if (this.alive && this.hello) {
      try {
        await this.request('shutdown', {}, 2000);
        // A driver told to shut down exits by itself: give it the moment it needs to finish
        // (Node writes its coverage data at exit), then make sure of it.
        await this.exited(SHUTDOWN_GRACE_MS);
      } catch { /* killed below */ }
    }
    this.kill();
  }

  /** Resolves when the driver process has exited, or after `ms`. */
  private exited(ms: number): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /**
   * Kills the driver and every process below it at once, those that left its process group or
   * session too (subreaper.ts); from then on it is not alive.
   */
  kill(): void {
    this.deadReason ??= new DriverFatal(this.spec.label, 'was stopped by the kit');
    const child = this.child;
    if (child && child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      killDriverTree(child.pid);
    }
    if (this.tmpdir) fs.rmSync(this.tmpdir, { recursive: true, force: true });
    liveDrivers.delete(this);
  }

  /** Files left in the driver's TMPDIR since the last call, which are then removed. */
  takeTempLeftovers(): string[] {
    if (!this.tmpdir || !fs.existsSync(this.tmpdir)) return [];
    const names = fs.readdirSync(this.tmpdir);
    for (const n of names) fs.rmSync(path.join(this.tmpdir, n), { recursive: true, force: true });
    return names;
  }

  resetTranscript(): void {
    this.transcript = [];
    this.stderrSinceMark = '';
  }

  /** Why the driver is gone, if it is. */
  get failure(): DriverError | undefined {
    return this.deadReason;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  private record(dir: '>' | '<', line: string): void {
    if (this.transcript.length < 2000) this.transcript.push({ dir, line: line.length > 4000 ? line.slice(0, 4000) + '…' : line });
  }

  private die(reason: DriverError): void {
    if (this.deadReason) return;
    this.deadReason = reason;
    this.kill();
    if (this.helloWaiter) { this.helloWaiter.reject(reason); this.helloWaiter = undefined; }
    if (this.pending) {
      clearTimeout(this.pending.timer);
      this.pending.reject(reason);
      this.pending = undefined;
    }
  }

  private onStderr(chunk: Buffer): void {
    const text = chunk.toString('utf8');
    this.stderrTail = (this.stderrTail + text).slice(-STDERR_KEEP_BYTES);
    if (this.stderrSinceMark.length < STDERR_KEEP_BYTES) this.stderrSinceMark += text;
  }

  private onStdout(chunk: Buffer): void {
    let start = 0;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, i);
      const line = this.bufferedBytes ? Buffer.concat([...this.buffered, piece]).toString('utf8') : piece.toString('utf8');
      this.buffered = [];
      this.bufferedBytes = 0;
      start = i + 1;
      this.onLine(line);
      if (this.deadReason) return;
    }
    if (start < chunk.length) {
      this.buffered.push(chunk.subarray(start));
      this.bufferedBytes += chunk.length - start;
      if (this.bufferedBytes > MAX_LINE_BYTES) {
        this.die(new DriverProtocolViolation(this.spec.label, `sent a line longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB`));
      }
    }
  }

  private onLine(line: string): void {
    if (line.trim() === '') return;
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch {
      this.die(new DriverProtocolViolation(this.spec.label, `sent a line that is not JSON: ${JSON.stringify(line.slice(0, 80))}`));
      return;
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
      this.die(new DriverProtocolViolation(this.spec.label, `sent ${JSON.stringify(line.slice(0, 80))}, not a protocol object`));
      return;
    }
    this.record('<', line);
    const m = msg as Record<string, unknown>;
    if (this.helloWaiter) {
      if (m.type === 'hello' && m.protocol === PROTOCOL_VERSION) {
        this.hello = m as unknown as Hello;
        const w = this.helloWaiter;
        this.helloWaiter = undefined;
        w.resolve(this.hello);
      } else if (m.type === 'fatal') {
        this.die(new DriverFatal(this.spec.label, String(m.message ?? 'failed to start')));
      } else {
        this.die(new DriverProtocolViolation(this.spec.label, `began with ${JSON.stringify(line.slice(0, 80))} instead of a protocol ${PROTOCOL_VERSION} hello`));
      }
      return;
    }
    const p = this.pending;
    if (!p || m.id !== p.id) {
      this.die(new DriverProtocolViolation(this.spec.label, `answered request ${JSON.stringify(m.id)} while ${p ? p.id : 'none'} was pending`));
      return;
    }
    clearTimeout(p.timer);
    this.pending = undefined;
    this.answered++;
    if (m.ok === true && typeof m.result === 'object' && m.result !== null) {
      p.resolve(m.result as Record<string, unknown>);
    } else if (m.ok === false && typeof m.error === 'object' && m.error !== null) {
      p.reject(new LoopError(p.op, m.error as ErrorInfo));
    } else {
      this.die(new DriverProtocolViolation(this.spec.label, `answered "${p.op}" with neither a result nor an error`));
    }
  }
}
