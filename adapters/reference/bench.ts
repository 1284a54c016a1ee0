/**
 * The bench op's trials (adapters/PROTOCOL.md, "bench"; npm run bench) on the reference loop,
 * as adapters/python/loopspec_bench.py has them for asyncio loops. Each runs on the loop it is
 * given and returns what it measured as the answer's fields, timed here so that the protocol
 * round trip is not in the figures; the driver checks the arguments and adds peak_rss_bytes.
 * Required by the driver once fd 1 is stderr, like the loop itself.
 */
import { Protocol, Socket } from '../../reference';
import { OSError } from '../../reference/errors';
import type { BaseTransport, Transport } from '../../reference/transports';
import { pyFloat } from './pyjson';

type Loop = import('../../reference').UnixSelectorEventLoop;
type Handle = import('../../reference').Handle;
type Coroutine<T> = import('../../reference').Coroutine<T>;
type Json = Record<string, unknown>;

/** call_soon: callbacks scheduled per link of the chain. */
const BATCH = 1000;

function elapsedSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** The trials that take n. */
export const TIMED: Record<string, (loop: Loop, n: number) => Json> = {
  call_soon(loop, n) {
    let count = 0;
    const tick = (): void => {
      if (++count === n) loop.stop();
    };
    const feed = (left: number): void => {
      const batch = Math.min(left, BATCH);
      for (let i = 0; i < batch; i++) loop.callSoon(tick);
      if (left > batch) loop.callSoon(feed, left - batch);
    };
    const start = process.hrtime.bigint();
    loop.callSoon(feed, n);
    loop.runForever();
    return { seconds: pyFloat(elapsedSince(start)) };
  },
  call_later(loop, n) {
    let count = 0;
    const fire = (): void => {
      if (++count === n) loop.stop();
    };
    const rssBefore = process.memoryUsage.rss();
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) loop.callLater((0.05 * i) / n, fire);
    // All n timers pending, none fired yet: the memory they hold.
    const rssPending = process.memoryUsage.rss();
    loop.runForever();
    return { seconds: pyFloat(elapsedSince(start)), rss_before_bytes: rssBefore, rss_pending_bytes: rssPending };
  },
  cancel(loop, n) {
    const never = (): void => {};
    const start = process.hrtime.bigint();
    const handles: Handle[] = [];
    for (let i = 0; i < n; i++) handles.push(loop.callLater(10, never));
    for (const handle of handles) handle.cancel();
    loop.callSoon(() => loop.stop());
    loop.runForever();
    return { seconds: pyFloat(elapsedSince(start)) };
  },
};

/** The process's peak resident set size so far, in bytes. */
export function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

// ---------------------------------------------------------------------------
// tcp_echo: the echo_server trial starts the server, the serve trial runs the loop while the
// kit's client (bench/loadgen.c) talks to it.

type Server = import('../../reference').Server;

/** Writes back what it receives and does nothing else (a protocol spec records every event: that would be the measurement). */
class Echo extends Protocol {
  private transport: Transport | null = null;

  constructor(private readonly live: Set<Transport>) {
    super();
  }

  override connectionMade(transport: BaseTransport): void {
    this.transport = transport as Transport;
    this.live.add(this.transport);
  }

  override dataReceived(data: Buffer): void {
    this.transport!.write(data);
  }

  override connectionLost(): void {
    if (this.transport) this.live.delete(this.transport);
  }
}

/** What both echo servers share: serve() runs the loop while the client talks to the server, then the server's close() ends it. */
abstract class Serving {
  constructor(readonly loop: Loop) {}

  abstract port(): number;
  abstract close(): void;

  /** Runs the loop for `seconds` (the client's time), then closes. */
  serve(seconds: number): Json {
    try {
      const start = process.hrtime.bigint();
      this.loop.callLater(seconds, () => this.loop.stop());
      this.loop.runForever();
      return { seconds: pyFloat(elapsedSince(start)) };
    } finally {
      this.close();
    }
  }
}

/** loop.create_server(Echo, "127.0.0.1", 0), open until serve() (or the driver's end_scenario) closes it. */
export class EchoServer extends Serving {
  /** Transports whose connectionLost has not come yet. */
  private readonly live = new Set<Transport>();
  private readonly server: Server;

  constructor(loop: Loop) {
    super(loop);
    this.server = loop.runUntilComplete(loop.createServer(() => new Echo(this.live), '127.0.0.1', 0));
  }

  port(): number {
    return (this.server.sockets[0].getsockname() as [string, number])[1];
  }

  close(): void {
    // The client has normally closed its connections by now; any it left are aborted, so that
    // waitClosed (asyncio 3.12: until all are gone) ends.
    this.server.close();
    for (const transport of [...this.live]) transport.abort();
    this.loop.runUntilComplete(this.server.waitClosed());
  }
}

// ---------------------------------------------------------------------------
// sock_echo: the same echo server written with the socket methods, one task per connection
// (sockAccept, then sockRecv / sockSendall until the end of the stream), as many applications
// and loops' own test suites write one.

/** What asyncio's transports read at once. */
const READ_SIZE = 256 * 1024;

type Task = import('../../reference').Task<void>;

/** A non-blocking listening socket on 127.0.0.1, an accept task and a task per connection; open until serve() (or end_scenario) closes it. */
export class SockEchoServer extends Serving {
  private readonly listener: Socket;
  private readonly conns = new Set<Socket>();
  private readonly tasks = new Set<Task>();
  private readonly acceptor: Task;

  constructor(loop: Loop) {
    super(loop);
    this.listener = Socket.listen('127.0.0.1', 0, 128);
    this.listener.setblocking(false);
    this.acceptor = loop.createTask(this.accept());
  }

  private *accept(): Coroutine<void> {
    for (;;) {
      const [conn] = yield* this.loop.sockAccept(this.listener);
      this.conns.add(conn);
      const task = this.loop.createTask(this.echo(conn));
      this.tasks.add(task);
      task.addDoneCallback(() => this.tasks.delete(task));
    }
  }

  private *echo(conn: Socket): Coroutine<void> {
    try {
      for (;;) {
        const data = yield* this.loop.sockRecv(conn, READ_SIZE);
        if (data.length === 0) break;
        yield* this.loop.sockSendall(conn, data);
      }
    } catch (exc) {
      // The client went away mid-write; a cancellation goes on up.
      if (!(exc instanceof OSError)) throw exc;
    } finally {
      this.conns.delete(conn);
      conn.close();
    }
  }

  port(): number {
    return (this.listener.getsockname() as [string, number])[1];
  }

  close(): void {
    const tasks = [this.acceptor, ...this.tasks];
    for (const task of tasks) task.cancel();
    if (!this.loop.isClosed() && !this.loop.isRunning()) {
      for (let i = 0; i < 10 && tasks.some((t) => !t.done()); i++) {
        this.loop.callSoon(() => this.loop.stop());
        this.loop.runForever();
      }
    }
    for (const conn of this.conns) conn.close();
    this.listener.close();
  }
}
