/**
 * The selector loop (asyncio.selector_events): epoll through the native addon,
 * watching file descriptors, socket operations and the socket transport.
 */
import * as native from '../native';
import { BaseEventLoop, SendfileProgress } from './base_events';
import { MAX_EPOLL_EVENTS, SendfileMode, SOCKET_READ_SIZE, WRITE_BUFFER_HIGH_WATER, WRITE_BUFFER_LOW_WATER } from './constants';
import { BlockingIOError, ConnectionError, fromSystemError, osError, PyTypeError, RuntimeError } from './errors';
import { AnyCallback, Handle } from './events';
import { Coroutine, Future } from './futures';
import { Protocol } from './protocols';
import { InternalFd } from './resources';
import { fileobjToFd, Socket } from './socket';
import type { SendfileTransport } from './transports';

/** What the selector knows about one fd: its epoll mask and the two handlers. */
interface SelectorKey {
  events: number;
  reader: Handle | null;
  writer: Handle | null;
}

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

const READ_EVENTS = native.EPOLLIN;
const WRITE_EVENTS = native.EPOLLOUT;

export abstract class BaseSelectorEventLoop extends BaseEventLoop {
  private readonly epoll = new InternalFd('epoll', native.epollCreate());
  private readonly wakeup = new InternalFd('eventfd', native.eventfdCreate());
  private readonly keys = new Map<number, SelectorKey>();

  constructor() {
    super();
    native.epollAdd(this.epoll.fd, this.wakeup.fd, native.EPOLLIN);
  }

  /**
   * "Close the event loop." Also closes the selector and the wakeup eventfd.
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.close
   */
  override close(): void {
    super.close();
    this.keys.clear();
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
   * The reference resolves no names: host must be a numeric address (or "localhost").
   */
  *sockConnect(sock: Socket, address: [string, number]): Coroutine<void> {
    const [rawHost, port] = address;
    const host = rawHost === 'localhost' ? '127.0.0.1' : rawHost;
    const where = `('${rawHost}', ${port})`;
    let connected: boolean;
    try {
      connected = native.connect(sock.fileno(), host, port);
    } catch (err) {
      throw fromSystemError(err);
    }
    if (connected) return;
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

  protected poll(timeoutS: number | null): void {
    // epoll takes whole milliseconds: round up so a timer is never polled early.
    const timeoutMs = timeoutS === null ? -1 : Math.ceil(timeoutS * 1000);
    let events: native.EpollEvent[];
    try {
      events = native.epollWait(this.epoll.fd, timeoutMs, MAX_EPOLL_EVENTS);
    } catch (err) {
      throw fromSystemError(err);
    }
    this.processEvents(events);
  }

  /**
   * Appends the handlers of ready fds. Like Python's selectors, an error or
   * hang-up on an fd (EPOLLERR/EPOLLHUP) wakes both its reader and its writer,
   * so they see the error on their next call.
   */
  private processEvents(events: native.EpollEvent[]): void {
    for (const [fd, mask] of events) {
      if (fd === this.wakeup.fd) {
        // The wakeup itself; the handed-over handles are drained after the poll.
        native.eventfdRead(fd);
        continue;
      }
      const key = this.keys.get(fd);
      if (key === undefined) continue;
      if (mask & ~native.EPOLLOUT && key.reader !== null) {
        if (key.reader.cancelled()) this.removeReader(fd);
        else this.addCallback(key.reader);
      }
      if (mask & ~native.EPOLLIN && key.writer !== null) {
        if (key.writer.cancelled()) this.removeWriter(fd);
        else this.addCallback(key.writer);
      }
    }
  }

  /** Sets (or clears, with null) the reader or writer of fd and updates epoll. Returns whether one was set before. */
  private setHandler(fd: number, which: 'reader' | 'writer', handle: Handle | null): boolean {
    const key = this.keys.get(fd);
    const previous = key?.[which] ?? null;
    if (key === undefined) {
      if (handle === null) return false;
      const events = which === 'reader' ? READ_EVENTS : WRITE_EVENTS;
      this.epollCtl('add', fd, events);
      this.keys.set(fd, { events, reader: which === 'reader' ? handle : null, writer: which === 'writer' ? handle : null });
      return false;
    }
    const reader = which === 'reader' ? handle : key.reader;
    const writer = which === 'writer' ? handle : key.writer;
    const events = (reader !== null ? READ_EVENTS : 0) | (writer !== null ? WRITE_EVENTS : 0);
    if (events === 0) {
      this.keys.delete(fd);
      this.epollCtl('delete', fd, 0);
    } else {
      if (events !== key.events) this.epollCtl('modify', fd, events);
      key.events = events;
      key.reader = reader;
      key.writer = writer;
    }
    if (previous !== null) previous.cancel();
    return previous !== null;
  }

  private epollCtl(op: 'add' | 'modify' | 'delete', fd: number, events: number): void {
    try {
      if (op === 'add') native.epollAdd(this.epoll.fd, fd, events);
      else if (op === 'modify') native.epollModify(this.epoll.fd, fd, events);
      else native.epollDelete(this.epoll.fd, fd);
    } catch (err) {
      // A descriptor closed while watched left epoll by itself: nothing to delete.
      if (op === 'delete' && native.isSystemError(err, 'EBADF', 'ENOENT')) return;
      // Closed and its number reused: register it afresh.
      if (op === 'modify' && native.isSystemError(err, 'ENOENT')) {
        native.epollAdd(this.epoll.fd, fd, events);
        return;
      }
      throw fromSystemError(err);
    }
  }

  protected writeToSelf(): void {
    if (!this.wakeup.closed) native.eventfdWrite(this.wakeup.fd);
  }

  protected wakeupFd(): number {
    return this.wakeup.fd;
  }

  protected closeSelector(): void {
    this.epoll.close();
    this.wakeup.close();
  }

  /** Number of fds watched (debugging and leak reports). */
  watchedFds(): number {
    return this.keys.size;
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
