/**
 * The selector loop (asyncio.selector_events): "An event loop based on the selectors module".
 * All its I/O goes through one selector of reference/selectors.ts (register, modify,
 * unregister, select, close): watching file descriptors, socket operations, the descriptors
 * of its transports (selector_transport.ts) and of the servers' listening sockets, and the
 * wakeup eventfd other threads write.
 */
import { constants as osConstants } from 'os';
import * as native from '../native';
import { ensureResolved } from './addrinfos';
import { BaseEventLoop, SendfileProgress, untilConnectionMade } from './base_events';
import { ACCEPT_RETRY_DELAY_S } from './constants';
import { BlockingIOError, ConnectionAbortedError, InterruptedError, isExitRequest, KeyError, OSError, osError, PyTypeError, RuntimeError, ValueError } from './errors';
import { AnyCallback, Handle } from './events';
import { Coroutine, Future } from './futures';
import type { BaseProtocol } from './protocols';
import { ReadSlab } from './read_slab';
import { InternalFd } from './resources';
import { SelectorDatagramTransport } from './datagram_transport';
import { SelectorSocketTransport, TransportExtra } from './selector_transport';
import { BaseSelector, DefaultSelector, EVENT_READ, EVENT_WRITE, Ready, SelectorKey } from './selectors';
import type { Server } from './server';
import { Address, AddressArg, AF_INET, AF_INET6, fileobjToFd, pyRepr, Socket } from './socket';
import type { BaseTransport } from './transports';
import { TransportSocket } from './trsock';

/** accept() errors that mean "out of descriptors or memory": the server pauses instead of failing. */
const ACCEPT_OUT_OF_RESOURCES: number[] = [osConstants.errno.EMFILE, osConstants.errno.ENFILE, osConstants.errno.ENOBUFS, osConstants.errno.ENOMEM];

/** The data of an fd's selector key: its two handlers (CPython's (reader, writer) pair). */
interface IoHandlers {
  reader: Handle | null;
  writer: Handle | null;
}

/** The data of the wakeup eventfd's key: not a handler, drained as soon as it is reported. */
const WAKEUP = Symbol('wakeup');

export abstract class BaseSelectorEventLoop extends BaseEventLoop {
  /** The loop's selector: every fd it watches, the wakeup eventfd included, is registered there. */
  private readonly selector: BaseSelector;
  private readonly wakeup: InternalFd;
  /** The live transport of each fd a transport owns (CPython's loop._transports). */
  private readonly transports = new Map<number, BaseTransport>();
  /** Where every transport of this loop receives: reads never overlap, so one is enough. */
  readonly readSlab = new ReadSlab();

  /**
   * "Uses the most efficient selector available for the given platform. It is also possible to
   * manually configure the exact selector implementation to be used."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.SelectorEventLoop
   *
   * `selector` null: a DefaultSelector (epoll). The loop owns the selector it is given: close()
   * closes it, as CPython's does.
   */
  constructor(selector: BaseSelector | null = null) {
    super();
    if (selector !== null && selector !== undefined && !(selector instanceof BaseSelector)) {
      throw new PyTypeError(`selector must be a selectors.BaseSelector, not ${typeof selector}`);
    }
    this.selector = selector ?? new DefaultSelector();
    this.wakeup = new InternalFd('eventfd', native.eventfdCreate());
    try {
      this.selector.register(this.wakeup.fd, EVENT_READ, WAKEUP);
    } catch (exc) {
      // A selector that cannot take it (closed): the loop is not made, and keeps nothing open.
      this.wakeup.close();
      if (selector === null || selector === undefined) this.selector.close();
      throw exc;
    }
  }

  // ---------------------------------------------------------------------------
  // Watching file descriptors

  /**
   * "Start monitoring the fd file descriptor for read availability and invoke
   * callback with the specified arguments once fd is available for reading."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.add_reader
   */
  addReader<A extends unknown[]>(fd: number | { fileno(): number }, callback: (...args: A) => unknown, ...args: A): Handle {
    this.ensureFdNoTransport(fd);
    return this.addHandler(fileobjToFd(fd), 'reader', callback as AnyCallback, args);
  }

  /**
   * "Stop monitoring the fd file descriptor for read availability."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.remove_reader
   * Returns true if fd was previously being monitored for reads.
   */
  removeReader(fd: number | { fileno(): number }): boolean {
    this.ensureFdNoTransport(fd);
    return this.unwatchRead(fileobjToFd(fd));
  }

  /**
   * "Start monitoring the fd file descriptor for write availability and invoke
   * callback with the specified arguments once fd is available for writing."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.add_writer
   */
  addWriter<A extends unknown[]>(fd: number | { fileno(): number }, callback: (...args: A) => unknown, ...args: A): Handle {
    this.ensureFdNoTransport(fd);
    return this.addHandler(fileobjToFd(fd), 'writer', callback as AnyCallback, args);
  }

  /**
   * "Stop monitoring the fd file descriptor for write availability."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.remove_writer
   * Returns true if fd was previously being monitored for writes.
   */
  removeWriter(fd: number | { fileno(): number }): boolean {
    this.ensureFdNoTransport(fd);
    return this.unwatchWrite(fileobjToFd(fd));
  }

  /**
   * The loop's own watches (CPython's _add_reader and friends): what transports, servers and
   * the sock_* methods use on descriptors they own. The public methods above first check that
   * no transport owns the descriptor.
   */
  watchRead(fd: number, callback: () => void): void {
    this.addHandler(fd, 'reader', callback, []);
  }

  unwatchRead(fd: number): boolean {
    if (this.isClosed()) return false;
    return this.setHandler(fd, 'reader', null);
  }

  watchWrite(fd: number, callback: () => void): void {
    this.addHandler(fd, 'writer', callback, []);
  }

  unwatchWrite(fd: number): boolean {
    if (this.isClosed()) return false;
    return this.setHandler(fd, 'writer', null);
  }

  private addHandler(fd: number, which: 'reader' | 'writer', callback: AnyCallback, args: readonly unknown[]): Handle {
    this.checkClosed();
    const handle = new Handle(callback, args, this);
    this.setHandler(fd, which, handle);
    return handle;
  }

  /**
   * A descriptor a live transport owns is the transport's: watching it or a sock_* call on it
   * raises RuntimeError (CPython's _ensure_fd_no_transport); a closing transport's is free.
   */
  private ensureFdNoTransport(fd: number | { fileno(): number }): void {
    const transport = this.transports.get(fileobjToFd(fd));
    if (transport !== undefined && !transport.isClosing()) {
      throw new RuntimeError(`File descriptor ${String(fd)} is used by transport ${String(transport)}`);
    }
  }

  /** A transport takes its socket's descriptor (made by makeSocketTransport, forgotten at connection_lost). */
  registerTransport(fd: number, transport: BaseTransport): void {
    this.transports.set(fd, transport);
  }

  forgetTransport(fd: number, transport: BaseTransport): void {
    if (this.transports.get(fd) === transport) this.transports.delete(fd);
  }

  // ---------------------------------------------------------------------------
  // Working with socket objects directly

  /**
   * "Receive up to nbytes from sock. Asynchronous version of socket.recv().
   * Return the received data as a bytes object."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.sock_recv
   */
  *sockRecv(sock: Socket, nbytes: number): Coroutine<Buffer> {
    this.checkNonBlocking(sock);
    return yield* this.whenReadable(sock, () => sock.recvOrNull(nbytes, this.readSlab));
  }

  /**
   * Does `attempt` at once, and again each time the socket is readable while it answers null
   * or raises BlockingIOError (or InterruptedError), watching the socket meanwhile: what
   * sock_recv, sock_recv_into and sock_accept share. Leaving (a result, an error, a
   * cancellation) stops the watch.
   */
  private *whenReadable<T>(sock: Socket, attempt: () => T | null): Coroutine<T> {
    const retry = (exc: unknown): boolean => exc instanceof BlockingIOError || exc instanceof InterruptedError;
    try {
      const now = attempt();
      if (now !== null) return now;
    } catch (exc) {
      if (!retry(exc)) throw exc;
    }
    const fut = this.createFuture<T>();
    const fd = sock.fileno();
    this.addReader(fd, () => {
      if (fut.done()) return;
      try {
        const got = attempt();
        if (got !== null) fut.setResult(got);
      } catch (exc) {
        if (!retry(exc)) fut.setException(exc);
      }
    });
    try {
      return yield* fut;
    } finally {
      this.unwatchRead(fd);
    }
  }

  /**
   * "Send data to the sock socket. Asynchronous version of socket.sendall().
   * This method continues to send to the socket until either all data in data
   * has been sent or an error occurs. None is returned on success."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.sock_sendall
   */
  *sockSendall(sock: Socket, data: Buffer): Coroutine<void> {
    this.checkNonBlocking(sock);
    yield* this.sockSendallCounting(sock, data, { sent: 0 });
  }

  /**
   * "Receive data from sock into the buf buffer. Modeled after the blocking socket.recv_into()
   * method. Return the number of bytes written to the buffer."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.sock_recv_into
   */
  *sockRecvInto(sock: Socket, buf: Buffer): Coroutine<number> {
    this.checkNonBlocking(sock);
    if (!Buffer.isBuffer(buf)) throw new PyTypeError('buf must be a writable bytes-like object');
    return yield* this.whenReadable(sock, () => {
      const data = sock.recv(buf.length);
      data.copy(buf);
      return data.length;
    });
  }

  /**
   * "Accept a connection. Modeled after the blocking socket.accept() method. [...] The return
   * value is a pair (conn, address) where conn is a new socket object usable to send and
   * receive data on the connection, and address is the address bound to the socket on the
   * other end of the connection." conn is non-blocking, as CPython makes it.
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.sock_accept
   */
  *sockAccept(sock: Socket): Coroutine<[Socket, Address | null]> {
    this.checkNonBlocking(sock);
    return yield* this.whenReadable(sock, () => sock.accept());
  }

  /**
   * "sock must be a non-blocking socket": in debug mode a blocking one is refused with
   * ValueError, as CPython refuses it (outside debug mode it is not checked).
   */
  private checkNonBlocking(sock: Socket): void {
    if (this.getDebug() && sock.getblocking()) throw new ValueError('the socket must be non-blocking');
  }

  protected *sockSendallCounting(sock: Socket, data: Buffer, progress: SendfileProgress): Coroutine<void> {
    if (!Buffer.isBuffer(data)) throw new PyTypeError('data must be a bytes-like object');
    let rest = data;
    try {
      const n = sock.send(rest);
      progress.sent += n;
      rest = rest.subarray(n);
    } catch (exc) {
      if (!(exc instanceof BlockingIOError)) throw exc;
    }
    if (rest.length === 0) return;
    const fut = this.createFuture<void>();
    const fd = sock.fileno();
    this.addWriter(fd, () => {
      if (fut.done()) return;
      try {
        const n = sock.send(rest);
        progress.sent += n;
        rest = rest.subarray(n);
      } catch (exc) {
        if (!(exc instanceof BlockingIOError)) fut.setException(exc);
        return;
      }
      if (rest.length === 0) fut.setResult(undefined);
    });
    try {
      yield* fut;
    } finally {
      this.unwatchWrite(fd);
    }
  }

  /**
   * "Connect sock to a remote socket at address. Asynchronous version of socket.connect()."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.sock_connect
   *
   * An AF_INET or AF_INET6 address is resolved first, as CPython's _ensure_resolved does: a
   * numeric host as it is, a name with loop.getaddrinfo() on the executor.
   */
  override *sockConnect(sock: Socket, address: unknown): Coroutine<void> {
    this.checkNonBlocking(sock);
    if (sock.family === AF_INET || sock.family === AF_INET6) {
      const resolved = yield* ensureResolved(this, address, sock.family, sock.type, sock.proto);
      address = resolved[0][4];
    }
    try {
      sock.connect(address as AddressArg);
      return;
    } catch (err) {
      // As in CPython's _sock_connect: both mean the connection goes on in the background.
      if (!(err instanceof BlockingIOError || err instanceof InterruptedError)) throw err;
    }
    const fut = this.createFuture<void>();
    const fd = sock.fileno();
    this.addWriter(fd, () => {
      if (fut.done()) return;
      const err = native.socketError(fd);
      if (err === 0) fut.setResult(undefined);
      else fut.setException(osError(err, `Connect call failed ${pyRepr(address)}`));
    });
    try {
      yield* fut;
    } finally {
      this.unwatchWrite(fd);
    }
  }

  /** Waits until fd is writable (used between sendfile(2) calls that hit EAGAIN). */
  protected *waitWritable(fd: number): Coroutine<void> {
    const fut = this.createFuture<void>();
    this.addWriter(fd, () => {
      if (!fut.done()) fut.setResult(undefined);
    });
    try {
      yield* fut;
    } finally {
      this.unwatchWrite(fd);
    }
  }

  // ---------------------------------------------------------------------------
  // Transports and servers (what base_events.ts's create_connection and create_server use)

  /** A SelectorSocketTransport for a connected socket (CPython's _make_socket_transport). */
  protected makeSocketTransport(sock: Socket, protocol: BaseProtocol, waiter: Future<void> | null, extra: TransportExtra = {}, server: Server | null = null): SelectorSocketTransport {
    this.ensureFdNoTransport(sock);
    return new SelectorSocketTransport(this, sock, protocol, waiter, extra, server);
  }

  /** A SelectorDatagramTransport for a datagram socket (CPython's _make_datagram_transport); `address` is the remote one. */
  protected makeDatagramTransport(sock: Socket, protocol: BaseProtocol, address: Address | null, waiter: Future<void> | null): SelectorDatagramTransport {
    this.ensureFdNoTransport(sock);
    return new SelectorDatagramTransport(this, sock, protocol, address, waiter);
  }

  /** Watches a listening socket: each time it is readable, its waiting connections are accepted. */
  startAccepting(protocolFactory: () => BaseProtocol, sock: Socket, sslContext: unknown, server: Server, backlog: number): void {
    this.watchRead(sock.fileno(), () => this.acceptConnections(protocolFactory, sock, sslContext, server, backlog));
  }

  /** No more accepting on a listening socket; it is closed. */
  stopAccepting(sock: Socket): void {
    this.unwatchRead(sock.fileno());
    sock.close();
  }

  /**
   * Accepts up to `backlog` connections per readiness (bpo-27906: one accept per loop
   * iteration falls behind a burst of clients), each handed to a task that makes its protocol
   * and transport (CPython's _accept_connection).
   */
  private acceptConnections(protocolFactory: () => BaseProtocol, sock: Socket, sslContext: unknown, server: Server, backlog: number): void {
    for (let i = 0; i < backlog; i++) {
      let conn: Socket;
      let peer: unknown;
      try {
        [conn, peer] = sock.accept();
      } catch (exc) {
        // Nothing more to accept now (the client may have given up already).
        if (exc instanceof BlockingIOError || exc instanceof InterruptedError || exc instanceof ConnectionAbortedError) return;
        if (!(exc instanceof OSError) || !ACCEPT_OUT_OF_RESOURCES.includes(exc.errno ?? 0)) throw exc;
        // Linux keeps reporting the socket readable: stop watching it for a while. (CPython
        // goes on with the accept loop, each accept failing the same way; one report is enough.)
        this.callExceptionHandler({ message: 'socket.accept() out of system resource', exception: exc, socket: new TransportSocket(sock) });
        this.unwatchRead(sock.fileno());
        this.callLater(ACCEPT_RETRY_DELAY_S, () => this.startAccepting(protocolFactory, sock, sslContext, server, backlog));
        return;
      }
      this.createTask(this.acceptConnection(protocolFactory, conn, { peername: peer }, server));
    }
  }

  /**
   * One accepted connection: "protocol_factory is called without arguments", then its
   * transport; errors are only reported in debug mode, as CPython reports them (there is
   * nobody else to tell). A connection whose protocol could not be made is closed.
   */
  private *acceptConnection(protocolFactory: () => BaseProtocol, conn: Socket, extra: TransportExtra, server: Server): Coroutine<void> {
    let protocol: BaseProtocol | null = null;
    let transport: SelectorSocketTransport | null = null;
    try {
      protocol = protocolFactory();
      const waiter = this.createFuture<void>();
      transport = this.makeSocketTransport(conn, protocol, waiter, extra, server);
      yield* untilConnectionMade(transport, waiter);
    } catch (exc) {
      if (isExitRequest(exc)) throw exc;
      if (transport === null) conn.close();
      if (this.getDebug()) {
        this.callExceptionHandler({ message: 'Error on transport creation for incoming connection', exception: exc, protocol, transport });
      }
    }
  }

  // ---------------------------------------------------------------------------
  // The selector

  /** Waits in the selector for at most timeoutS seconds (null: no limit) and appends the handlers of ready fds. */
  protected poll(timeoutS: number | null): void {
    this.processEvents(this.selector.select(timeoutS));
  }

  /**
   * Appends the handlers of ready fds (CPython's _process_events). The selector reports an
   * error or a hang-up on an fd as both readable and writable, so its reader and its writer
   * run and see the error on their next call.
   */
  private processEvents(ready: Ready): void {
    for (const [key, mask] of ready) {
      if (key.data === WAKEUP) {
        // The wakeup itself; the handed-over handles are drained after the poll.
        native.eventfdRead(key.fd);
        continue;
      }
      const { reader, writer } = key.data as IoHandlers;
      if (mask & EVENT_READ && reader !== null) {
        if (reader.cancelled()) this.unwatchRead(key.fd);
        else this.addCallback(reader);
      }
      if (mask & EVENT_WRITE && writer !== null) {
        if (writer.cancelled()) this.unwatchWrite(key.fd);
        else this.addCallback(writer);
      }
    }
  }

  /** The selector key of a watched fd, or undefined (CPython's get_key() / KeyError). */
  private keyOf(fd: number): SelectorKey<IoHandlers> | undefined {
    try {
      return this.selector.getKey(fd) as SelectorKey<IoHandlers>;
    } catch (exc) {
      if (exc instanceof KeyError) return undefined;
      throw exc;
    }
  }

  /**
   * Sets (or clears, with null) the reader or writer of fd: registers fd with the selector,
   * modifies its events and handlers, or unregisters it when it has neither. Returns whether
   * one was set before (and cancels it).
   */
  private setHandler(fd: number, which: 'reader' | 'writer', handle: Handle | null): boolean {
    const key = this.keyOf(fd);
    if (key === undefined) {
      if (handle === null) return false;
      const data: IoHandlers = { reader: which === 'reader' ? handle : null, writer: which === 'writer' ? handle : null };
      this.selector.register(fd, which === 'reader' ? EVENT_READ : EVENT_WRITE, data);
      return false;
    }
    const previous = key.data[which];
    const data: IoHandlers = { reader: which === 'reader' ? handle : key.data.reader, writer: which === 'writer' ? handle : key.data.writer };
    const events = (data.reader !== null ? EVENT_READ : 0) | (data.writer !== null ? EVENT_WRITE : 0);
    if (events === 0) this.selector.unregister(fd);
    else this.selector.modify(fd, events, data);
    if (previous !== null) previous.cancel();
    return previous !== null;
  }

  protected writeToSelf(): void {
    if (!this.wakeup.closed) native.eventfdWrite(this.wakeup.fd);
  }

  protected wakeupFd(): number {
    return this.wakeup.fd;
  }

  /** loop.close()'s last step: closes the selector (given or made) and the wakeup eventfd. */
  protected closeSelector(): void {
    this.selector.close();
    this.wakeup.close();
  }

  /** Number of fds watched, the wakeup eventfd aside (debugging and leak reports). */
  watchedFds(): number {
    return Math.max(0, (this.selector.getMap()?.size ?? 1) - 1);
  }
}
