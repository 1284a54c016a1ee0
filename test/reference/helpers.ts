// Shared by the reference loop's unit tests.
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import * as native from '../../native';
import type { Coroutine } from '../../reference/futures';
import { Protocol } from '../../reference/protocols';
import { pushThreadsafeToken, ThreadsafeTicket } from '../../reference/threadsafe';
import type { Transport } from '../../reference/transports';
import { UnixSelectorEventLoop } from '../../reference/unix_events';

/** Starts a worker that waits `delayS` seconds, then pushes the ticket (call_soon_threadsafe from another thread). */
export function pushFromWorker(ticket: ThreadsafeTicket, delayS: number): Promise<boolean> {
  const worker = new Worker(
    `const { workerData, parentPort } = require('worker_threads');
     const n = require(workerData.addonPath);
     Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.delayMs);
     const push = (${pushThreadsafeToken.toString()});
     const t = workerData.ticket;
     parentPort.postMessage(push(t.buffer, t.wakeupFd, t.token, n.eventfdWrite));`,
    { eval: true, execArgv: [], workerData: { addonPath: native.addonPath, delayMs: delayS * 1000, ticket } },
  );
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

// ---------------------------------------------------------------------------
// Streams: a loop whose descriptors are all closed at the end, and a protocol that records.


/**
 * Runs fn with a new loop; then the default executor is joined, the loop closed, and every
 * descriptor the addon opened meanwhile must be closed again (the driver's leak check).
 */
export function withStreamLoop(fn: (loop: UnixSelectorEventLoop) => void): void {
  const before = new Set(native.openFds().map((e) => e.fd));
  const loop = new UnixSelectorEventLoop();
  try {
    fn(loop);
  } finally {
    if (!loop.isClosed()) {
      loop.runUntilComplete(loop.shutdownDefaultExecutor());
      loop.close();
    }
  }
  const left = native.openFds().filter((e) => !before.has(e.fd));
  assert.deepEqual(left, [], 'every descriptor opened by the test is closed');
}

/** asyncio.sleep(seconds) for the reference loop. */
export function* sleep(loop: UnixSelectorEventLoop, seconds: number): Coroutine<void> {
  const fut = loop.createFuture<void>();
  const timer = loop.callLater(seconds, () => fut.setResult(undefined));
  try {
    yield* fut;
  } finally {
    timer.cancel();
  }
}

/** Runs the loop until `done()` holds (checked every millisecond), failing after `timeoutS`. */
export function runUntil(loop: UnixSelectorEventLoop, done: () => boolean, timeoutS = 5): void {
  const deadline = loop.time() + timeoutS;
  loop.runUntilComplete((function* (): Coroutine<void> {
    while (!done()) {
      if (loop.time() > deadline) throw new Error(`runUntil: not done after ${timeoutS} s`);
      yield* sleep(loop, 0.001);
    }
  })());
}

/** One call a transport made on its protocol. */
export type ProtocolEvent =
  | { method: 'connection_made' }
  | { method: 'data_received'; data: Buffer }
  | { method: 'eof_received' }
  | { method: 'connection_lost'; exc: unknown }
  | { method: 'pause_writing' }
  | { method: 'resume_writing' };

/** What the test makes a RecordingProtocol do. */
export interface Reactions {
  onMade?: (transport: Transport, protocol: RecordingProtocol) => void;
  onData?: (data: Buffer, transport: Transport) => void;
  /** eof_received's answer (true keeps the transport open). */
  keepOpen?: boolean;
}

/** Records every call, in order; `events` of one kind with `of()`. */
export class RecordingProtocol extends Protocol {
  readonly events: ProtocolEvent[] = [];
  transport: Transport | null = null;

  constructor(private readonly reactions: Reactions = {}) {
    super();
  }

  override connectionMade(transport: unknown): void {
    this.transport = transport as Transport;
    this.events.push({ method: 'connection_made' });
    this.reactions.onMade?.(this.transport, this);
  }

  override dataReceived(data: Buffer): void {
    this.events.push({ method: 'data_received', data });
    this.reactions.onData?.(data, this.transport!);
  }

  override eofReceived(): boolean {
    this.events.push({ method: 'eof_received' });
    return this.reactions.keepOpen ?? false;
  }

  override connectionLost(exc: unknown): void {
    this.events.push({ method: 'connection_lost', exc });
  }

  override pauseWriting(): void {
    this.events.push({ method: 'pause_writing' });
  }

  override resumeWriting(): void {
    this.events.push({ method: 'resume_writing' });
  }

  methods(): string[] {
    return this.events.map((e) => e.method);
  }

  received(): Buffer {
    return Buffer.concat(this.events.flatMap((e) => (e.method === 'data_received' ? [e.data] : [])));
  }

  lost(): boolean {
    return this.events.some((e) => e.method === 'connection_lost');
  }

  lostWith(): unknown {
    const e = this.events.find((x) => x.method === 'connection_lost');
    return e && 'exc' in e ? e.exc : undefined;
  }
}

/** A protocol that writes back what it receives. */
export function echoProtocol(): RecordingProtocol {
  return new RecordingProtocol({ onData: (data, transport) => transport.write(data) });
}

