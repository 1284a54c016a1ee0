/**
 * Server objects (asyncio.Server, which CPython keeps in base_events.py): what
 * loop.create_server() and loop.create_unix_server() return. A Server owns its listening
 * sockets; the connections it accepted are attached to it until their connection_lost, so
 * that wait_closed() can wait for them.
 * Doc: https://docs.python.org/3/library/asyncio-eventloop.html#server-objects
 */
import { CancelledError, PyTypeError, RuntimeError } from './errors';
import type { Coroutine, Future } from './futures';
import type { BaseProtocol } from './protocols';
import type { ServerAttachment } from './selector_transport';
import type { Socket } from './socket';
import { TransportSocket } from './trsock';

/** What a Server needs of its loop. */
export interface ServerLoop {
  createFuture<T>(): Future<T>;
  /** Accepting connections on a listening socket (CPython's loop._start_serving). */
  startAccepting(protocolFactory: () => BaseProtocol, sock: Socket, sslContext: unknown, server: Server, backlog: number): void;
  /** Stops accepting and closes the listening socket (CPython's loop._stop_serving). */
  stopAccepting(sock: Socket): void;
}

export class Server implements ServerAttachment {
  /** The listening sockets; null once closed. */
  private socketList: Socket[] | null;
  /** One TransportSocket per listening socket, made once (CPython makes new ones on each read of `sockets`). */
  private readonly views: readonly TransportSocket[];
  /** Accepted connections whose transport has not reached connection_lost yet. */
  private activeCount = 0;
  /** wait_closed()'s futures; null once the server is closed and every connection gone. */
  private waiters: Array<Future<void>> | null = [];
  private serving = false;
  private servingForeverFut: Future<void> | null = null;

  constructor(
    private readonly loop: ServerLoop,
    sockets: Socket[],
    private readonly protocolFactory: () => BaseProtocol,
    private readonly sslContext: unknown,
    private readonly backlog: number,
  ) {
    this.socketList = sockets;
    this.views = Object.freeze(sockets.map((s) => new TransportSocket(s)));
  }

  /**
   * "Return the event loop associated with the server object."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.get_loop
   */
  getLoop(): ServerLoop {
    return this.loop;
  }

  /**
   * "Return True if the server is accepting new connections."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.is_serving
   */
  isServing(): boolean {
    return this.serving;
  }

  /**
   * "List of socket-like objects, asyncio.trsock.TransportSocket, which the server is
   * listening on." A new copy at each read, as from 3.7 ("In 3.7 a copy of that list is
   * returned"); frozen, for the tuple CPython returns; empty once the server is closed.
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.sockets
   */
  get sockets(): readonly TransportSocket[] {
    return Object.freeze(this.socketList === null ? [] : [...this.views]);
  }

  /**
   * "Stop serving: close listening sockets and set the sockets attribute to None. The sockets
   * that represent existing incoming client connections are left open. The server is closed
   * asynchronously; use the wait_closed() coroutine to wait until the server is closed (and
   * no more connections are active)."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.close
   */
  close(): void {
    const sockets = this.socketList;
    if (sockets === null) return;
    this.socketList = null;
    for (const sock of sockets) this.loop.stopAccepting(sock);
    this.serving = false;
    if (this.servingForeverFut !== null && !this.servingForeverFut.done()) {
      this.servingForeverFut.cancel();
      this.servingForeverFut = null;
    }
    if (this.activeCount === 0) this.wakeup();
  }

  /**
   * "Start accepting connections. This method is idempotent, so it can be called when the
   * server is already serving." One loop iteration passes before it returns, so that the
   * listening sockets are watched by then.
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.start_serving
   */
  *startServing(): Coroutine<void> {
    this.beginServing();
    yield null;
  }

  /**
   * "Start accepting connections until the coroutine is cancelled. Cancellation of
   * serve_forever task causes the server to be closed. This method can be called if the
   * server is already accepting connections. Only one serve_forever task can exist per one
   * Server object."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.serve_forever
   */
  *serveForever(): Coroutine<void> {
    if (this.servingForeverFut !== null) throw new RuntimeError(`server ${String(this)} is already being awaited on serve_forever()`);
    if (this.socketList === null) throw new RuntimeError(`server ${String(this)} is closed`);
    this.beginServing();
    this.servingForeverFut = this.loop.createFuture<void>();
    try {
      yield* this.servingForeverFut;
    } catch (exc) {
      if (exc instanceof CancelledError) {
        try {
          this.close();
          yield* this.waitClosed();
        } finally {
          // The cancellation goes on, whatever waiting for the close raised.
          // eslint-disable-next-line no-unsafe-finally
          throw exc;
        }
      }
      throw exc;
    } finally {
      this.servingForeverFut = null;
    }
  }

  /**
   * "Wait until the close() method completes and all active connections have finished." As
   * CPython 3.12.1 (3.12.0 and earlier could return too soon): it returns once the server is
   * closed AND its last accepted connection is gone, in either order.
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server.wait_closed
   */
  *waitClosed(): Coroutine<void> {
    if (this.waiters === null) return;
    const waiter = this.loop.createFuture<void>();
    this.waiters.push(waiter);
    yield* waiter;
  }

  /**
   * "Server objects are asynchronous context managers. When used in an async with statement,
   * it's guaranteed that the Server object is closed and not accepting new connections when
   * the async with statement is completed." __aenter__ returns the server itself.
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Server
   */
  // eslint-disable-next-line require-yield
  *__aenter__(): Coroutine<Server> {
    return this;
  }

  /** The end of `async with`: close(), then wait_closed(). The exception (if any) is not suppressed. */
  *__aexit__(..._exc: unknown[]): Coroutine<void> {
    this.close();
    yield* this.waitClosed();
  }

  // ---------------------------------------------------------------------------
  // Accepted connections (the transports call these: CPython's _attach and _detach)

  attach(): void {
    this.activeCount++;
  }

  detach(): void {
    this.activeCount--;
    if (this.activeCount === 0 && this.socketList === null) this.wakeup();
  }

  /** Both conditions hold: every waiter returns, and later ones return at once. */
  private wakeup(): void {
    const waiters = this.waiters;
    this.waiters = null;
    for (const waiter of waiters ?? []) if (!waiter.done()) waiter.setResult(undefined);
  }

  /** Listens and accepts on every socket, once (CPython's _start_serving; on a closed server, its TypeError). */
  private beginServing(): void {
    if (this.serving) return;
    if (this.socketList === null) throw new PyTypeError("'NoneType' object is not iterable");
    this.serving = true;
    for (const sock of this.socketList) {
      sock.listen(this.backlog);
      this.loop.startAccepting(this.protocolFactory, sock, this.sslContext, this, this.backlog);
    }
  }

  /** `<Server sockets=(<asyncio.TransportSocket ...>,)>` */
  toString(): string {
    const views = this.sockets.map(String);
    return `<Server sockets=(${views.join(', ')}${views.length === 1 ? ',' : ''})>`;
  }
}
