/**
 * The selector loop (asyncio.selector_events): "An event loop based on the selectors module".
 * All its I/O goes through one selector of reference/selectors.ts (register, modify,
 * unregister, select, close): watching file descriptors, socket operations and the socket
 * transport, and the wakeup eventfd other threads write.
 */
import * as native from '../native';
import { BaseEventLoop, SendfileProgress } from './base_events';
import { SendfileMode, SOCKET_READ_SIZE, WRITE_BUFFER_HIGH_WATER, WRITE_BUFFER_LOW_WATER } from './constants';
import { BlockingIOError, ConnectionError, InterruptedError, KeyError, osError, PyTypeError, RuntimeError } from './errors';
import { AnyCallback, Handle } from './events';
import { Coroutine, Future } from './futures';
import { Protocol } from './protocols';
import { InternalFd } from './resources';
import { BaseSelector, DefaultSelector, EVENT_READ, EVENT_WRITE, Ready, SelectorKey } from './selectors';
import { fileobjToFd, Socket } from './socket';
import type { SendfileTransport } from './transports';

/** The data of an fd's selector key: its two handlers (CPython's (reader, writer) pair). */
interface IoHandlers {
  reader: Handle | null;
  writer: Handle | null;
}

/** The data of the wakeup eventfd's key: not a handler, drained as soon as it is reported. */
const WAKEUP = Symbol('wakeup');

/** Options of createConnection() beyond asyncio's. */
export interface ConnectionOptions {
  /**
   * false makes a TCP transport flagged as unable to use the sendfile syscall.
   * This is the reference loop's stand-in for a TLS transport until it has
   * TLS: loop.sendfile() on it takes the fallback, or raises
   * SendfileNotAvailableError when fallback is false (the documented
   * behaviour for "SSL socket on Unix").
   */
  sendfileSyscall?: boolean;
}

export abstract class BaseSelectorEventLoop extends BaseEventLoop {
  /** The loop's selector: every fd it watches, the wakeup eventfd included, is registered there. */
  private readonly selector: BaseSelector;
  private readonly wakeup: InternalFd;

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
    this.checkClosed();
    const handle = new Handle(callback as AnyCallback, args, this);
    this.setHandler(fileobjToFd(fd), 'reader', handle);
    return handle;
  }

  /**
   * "Stop monitoring the fd file descriptor for read availability."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.remove_reader
   * Returns true if fd was previously being monitored for reads.
   */
  removeReader(fd: number | { fileno(): number }): boolean {
    if (this.isClosed()) return false;
    return this.setHandler(fileobjToFd(fd), 'reader', null);
  }

  /**
   * "Start monitoring the fd file descriptor for write availability and invoke
   * callback with the specified arguments once fd is available for writing."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.add_writer
   */
  addWriter<A extends unknown[]>(fd: number | { fileno(): number }, callback: (...args: A) => unknown, ...args: A): Handle {
    this.checkClosed();
    const handle = new Handle(callback as AnyCallback, args, this);
    this.setHandler(fileobjToFd(fd), 'writer', handle);
    return handle;
  }

  /**
   * "Stop monitoring the fd file descriptor for write availability."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.remove_writer
   * Returns true if fd was previously being monitored for writes.
   */
  removeWriter(fd: number | { fileno(): number }): boolean {
    if (this.isClosed()) return false;
    return this.setHandler(fileobjToFd(fd), 'writer', null);
  }

  // ---------------------------------------------------------------------------
  // Working with socket objects directly

  /**
   * "Receive up to nbytes from sock. Asynchronous version of socket.recv().
   * Return the received data as a bytes object."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.sock_recv
   */
  *sockRecv(sock: Socket, nbytes: number): Coroutine<Buffer> {
    try {
      return sock.recv(nbytes);
    } catch (exc) {
      if (!(exc instanceof BlockingIOError)) throw exc;
    }
    const fut = this.createFuture<Buffer>();
    const fd = sock.fileno();
    this.addReader(fd, () => {
      if (fut.done()) return;
      try {
        fut.setResult(sock.recv(nbytes));
      } catch (exc) {
        if (!(exc instanceof BlockingIOError)) fut.setException(exc);
      }
    });
    try {
      return yield* fut;
    } finally {
      this.removeReader(fd);
    }
  }

  /**
   * "Send data to the sock socket. Asynchronous version of socket.sendall().
   * This method continues to send to the socket until either all data in data
   * has been sent or an error occurs. None is returned on success."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.sock_sendall
   */
  *sockSendall(sock: Socket, data: Buffer): Coroutine<void> {
    yield* this.sockSendallCounting(sock, data, { sent: 0 });
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
      this.removeWriter(fd);
    }
  }

  /**
   * "Connect sock to a remote socket at address. Asynchronous version of socket.connect()."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.sock_connect
   *
   * Not yet CPython's _ensure_resolved on the executor: "localhost" is 127.0.0.1, and any other
   * host name is looked up by socket.connect on the loop's thread.
   */
  *sockConnect(sock: Socket, address: [string, number]): Coroutine<void> {
    const [rawHost, port] = address;
    const host = rawHost === 'localhost' ? '127.0.0.1' : rawHost;
    const where = `('${rawHost}', ${port})`;
    try {
      sock.connect([host, port]);
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
      else fut.setException(osError(err, `Connect call failed ${where}`));
    });
    try {
      yield* fut;
    } finally {
      this.removeWriter(fd);
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
      this.removeWriter(fd);
    }
  }

  // ---------------------------------------------------------------------------
  // Opening network connections

  /**
   * "Open a streaming transport connection to a given address specified by host
   * and port. ... Returns a (transport, protocol) pair."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_connection
   */
  *createConnection<P extends Protocol>(
    protocolFactory: () => P,
    host: string,
    port: number,
    options: ConnectionOptions = {},
  ): Coroutine<[SelectorSocketTransport, P]> {
    const sock = Socket.tcp(host.includes(':'));
    try {
      yield* this.sockConnect(sock, [host, port]);
    } catch (exc) {
      sock.close();
      throw exc;
    }
    const protocol = protocolFactory();
    const waiter = this.createFuture<void>();
    const transport = new SelectorSocketTransport(this, sock, protocol, waiter, options.sendfileSyscall ?? true);
    try {
      yield* waiter;
    } catch (exc) {
      transport.close();
      throw exc;
    }
    return [transport, protocol];
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
        if (reader.cancelled()) this.removeReader(key.fd);
        else this.addCallback(reader);
      }
      if (mask & EVENT_WRITE && writer !== null) {
        if (writer.cancelled()) this.removeWriter(key.fd);
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

/**
 * The socket transport made by createConnection (CPython's
 * _SelectorSocketTransport): buffered writes, reads delivered to the
 * protocol, close() after flushing, connection_lost() exactly once.
 */
export class SelectorSocketTransport implements SendfileTransport {
  readonly sendfileMode = SendfileMode.TRY_NATIVE;
  /** False for the TLS stand-in (see ConnectionOptions.sendfileSyscall). */
  readonly sendfileSyscallUsable: boolean;
  private bytesSentCount = 0;
  private buffer: Buffer[] = [];
  private bufferSize = 0;
  private closing = false;
  private eof = false;
  private connLost = 0;
  private readingPaused = false;
  private protocolPaused = false;
  private drainWaiters: Array<Future<void>> = [];
  /** Set while loop.sendfile() uses the socket directly: write() is refused. */
  sendfileInProgress = false;

  constructor(
    private readonly loop: BaseSelectorEventLoop,
    private readonly sock: Socket,
    private readonly protocol: Protocol,
    waiter: Future<void> | null,
    sendfileSyscallUsable = true,
  ) {
    this.sendfileSyscallUsable = sendfileSyscallUsable;
    loop.callSoon(() => this.protocol.connectionMade(this));
    loop.callSoon(() => {
      if (!this.closing) loop.addReader(this.sock.fileno(), () => this.readReady());
    });
    if (waiter !== null) {
      loop.callSoon(() => {
        if (!waiter.cancelled()) waiter.setResult(undefined);
      });
    }
  }

  get bytesSent(): number {
    return this.bytesSentCount;
  }

  /** The underlying socket. */
  get socket(): Socket {
    return this.sock;
  }

  getExtraInfo(name: string, defaultValue: unknown = null): unknown {
    try {
      if (name === 'socket') return this.sock;
      if (name === 'sockname') return this.sock.getsockname();
      if (name === 'peername') return this.sock.getpeername();
    } catch {
      return defaultValue;
    }
    return defaultValue;
  }

  isClosing(): boolean {
    return this.closing;
  }

  isReading(): boolean {
    return !this.readingPaused && !this.closing;
  }

  pauseReading(): void {
    if (this.closing || this.readingPaused) return;
    this.readingPaused = true;
    this.loop.removeReader(this.sock.fileno());
  }

  resumeReading(): void {
    if (this.closing || !this.readingPaused) return;
    this.readingPaused = false;
    this.loop.addReader(this.sock.fileno(), () => this.readReady());
  }

  getWriteBufferSize(): number {
    return this.bufferSize;
  }

  canWriteEof(): boolean {
    return true;
  }

  write(data: Buffer): void {
    if (!Buffer.isBuffer(data)) throw new PyTypeError(`data argument must be a bytes-like object, not ${typeof data}`);
    if (this.sendfileInProgress) throw new RuntimeError('unable to write; sendfile is in progress');
    if (this.eof) throw new RuntimeError('Cannot call write() after write_eof()');
    if (data.length === 0 || this.connLost) return;
    let rest = data;
    if (this.bufferSize === 0) {
      try {
        const n = this.sock.send(rest);
        this.bytesSentCount += n;
        rest = rest.subarray(n);
      } catch (exc) {
        if (!(exc instanceof BlockingIOError)) {
          this.fatalError(exc);
          return;
        }
      }
      if (rest.length === 0) return;
      this.loop.addWriter(this.sock.fileno(), () => this.writeReady());
    }
    this.buffer.push(Buffer.from(rest));
    this.bufferSize += rest.length;
    if (!this.protocolPaused && this.bufferSize > WRITE_BUFFER_HIGH_WATER) {
      this.protocolPaused = true;
      this.protocol.pauseWriting();
    }
  }

  writeEof(): void {
    if (this.closing || this.eof) return;
    this.eof = true;
    if (this.bufferSize === 0) this.sock.shutdown(native.SHUT_WR);
  }

  close(): void {
    if (this.closing) return;
    this.closing = true;
    this.loop.removeReader(this.sock.fileno());
    if (this.bufferSize === 0) {
      this.connLost++;
      this.loop.removeWriter(this.sock.fileno());
      this.loop.callSoon(() => this.callConnectionLost(null));
    }
  }

  abort(): void {
    this.forceClose(null);
  }

  /** Waits until everything written has been handed to the kernel. */
  *drained(): Coroutine<void> {
    if (this.bufferSize === 0) {
      if (this.connLost) throw new ConnectionError(null, 'Connection is closed');
      return;
    }
    const fut = this.loop.createFuture<void>();
    this.drainWaiters.push(fut);
    yield* fut;
  }

  private readReady(): void {
    if (this.connLost) return;
    let data: Buffer;
    try {
      data = this.sock.recv(SOCKET_READ_SIZE);
    } catch (exc) {
      if (!(exc instanceof BlockingIOError)) this.fatalError(exc);
      return;
    }
    if (data.length === 0) {
      const keepOpen = this.protocol.eofReceived();
      if (keepOpen) this.loop.removeReader(this.sock.fileno());
      else this.close();
      return;
    }
    this.protocol.dataReceived(data);
  }

  private writeReady(): void {
    if (this.connLost || this.bufferSize === 0) return;
    const data = this.buffer.length === 1 ? this.buffer[0] : Buffer.concat(this.buffer);
    let n: number;
    try {
      n = this.sock.send(data);
    } catch (exc) {
      if (exc instanceof BlockingIOError) return;
      this.loop.removeWriter(this.sock.fileno());
      this.buffer = [];
      this.bufferSize = 0;
      this.fatalError(exc);
      return;
    }
    this.bytesSentCount += n;
    const rest = data.subarray(n);
    this.buffer = rest.length > 0 ? [rest] : [];
    this.bufferSize = rest.length;
    if (this.protocolPaused && this.bufferSize <= WRITE_BUFFER_LOW_WATER) {
      this.protocolPaused = false;
      this.protocol.resumeWriting();
    }
    if (this.bufferSize === 0) {
      this.loop.removeWriter(this.sock.fileno());
      this.settleDrainWaiters(null);
      if (this.closing) this.callConnectionLost(null);
      else if (this.eof) this.sock.shutdown(native.SHUT_WR);
    }
  }

  private fatalError(exc: unknown): void {
    if (!(exc instanceof ConnectionError)) {
      this.loop.callExceptionHandler({ message: 'Fatal error on transport', exception: exc });
    }
    this.forceClose(exc);
  }

  private forceClose(exc: unknown): void {
    if (this.connLost) return;
    if (this.bufferSize > 0) {
      this.buffer = [];
      this.bufferSize = 0;
      this.loop.removeWriter(this.sock.fileno());
    }
    this.settleDrainWaiters(exc);
    if (!this.closing) {
      this.closing = true;
      this.loop.removeReader(this.sock.fileno());
    }
    this.connLost++;
    this.loop.callSoon(() => this.callConnectionLost(exc));
  }

  private settleDrainWaiters(exc: unknown): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) {
      if (w.done()) continue;
      if (exc === null || exc === undefined) w.setResult(undefined);
      else w.setException(exc);
    }
  }

  private callConnectionLost(exc: unknown): void {
    try {
      this.protocol.connectionLost(exc ?? null);
    } finally {
      this.sock.close();
    }
  }

  toString(): string {
    return `<SelectorSocketTransport fd=${this.sock.fd}${this.sendfileSyscallUsable ? '' : ' no-sendfile-syscall'}>`;
  }
}
