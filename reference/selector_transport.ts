/**
 * The socket transport of the selector loop (CPython's selector_events._SelectorSocketTransport):
 * a connected stream socket and a protocol, with buffered writes and write flow control,
 * pausable reads, half-close (write_eof, and eof_received keeping the transport open), close()
 * after flushing, abort() at once, and connection_lost() exactly once.
 * Doc: https://docs.python.org/3/library/asyncio-protocol.html#transports
 *
 * The read path is the hot one of a server: one recv() into the loop's read slab
 * (read_slab.ts), whose view of just the bytes received goes to data_received(): the
 * protocol's to keep, as Python's bytes, with no copy and no allocation per read.
 */
import * as native from '../native';
import type { ExceptionContext } from './base_events';
import { LOG_THRESHOLD_FOR_CONNLOST_WRITES, SendfileMode } from './constants';
import { BlockingIOError, ConnectionError, fromSystemError, InterruptedError, isExitRequest, RuntimeError } from './errors';
import { Coroutine, Future } from './futures';
import { logger } from './log';
import { BaseProtocol, Protocol } from './protocols';
import type { ReadSlab } from './read_slab';
import { AF_INET, AF_INET6, IPPROTO_TCP, SHUT_WR, SOCK_STREAM, Socket, TCP_NODELAY } from './socket';
import { SelectorTransport } from './selector_base_transport';
import { BaseTransport, bytesLike, SendfileTransport } from './transports';

/** What the transport needs of its loop (BaseSelectorEventLoop has it). */
export interface TransportLoop {
  callSoon<A extends unknown[]>(callback: (...args: A) => unknown, ...args: A): unknown;
  callExceptionHandler(context: ExceptionContext): void;
  createFuture<T>(): Future<T>;
  /** The loop's own watches of an fd, without the public methods' check that no transport owns it. */
  watchRead(fd: number, callback: () => void): void;
  unwatchRead(fd: number): boolean;
  watchWrite(fd: number, callback: () => void): void;
  unwatchWrite(fd: number): boolean;
  /** The transport owning fd, for the public methods' check (CPython's loop._transports). */
  registerTransport(fd: number, transport: BaseTransport): void;
  forgetTransport(fd: number, transport: BaseTransport): void;
  /** Where every transport of the loop receives. */
  readonly readSlab: ReadSlab;
}

/** What the transport tells the Server that accepted its connection (Server._attach/_detach). */
export interface ServerAttachment {
  attach(): void;
  detach(): void;
}

/** Extra information given at construction: the peer's address as accept() returned it. */
export interface TransportExtra {
  peername?: unknown;
}

/** Disables Nagle's algorithm on TCP sockets: "TCP_NODELAY is set by default for all TCP connections" (3.6). */
function setNodelay(sock: Socket): void {
  // A socket made with proto 0 is left alone, as CPython leaves it: only IPPROTO_TCP counts.
  if ((sock.family === AF_INET || sock.family === AF_INET6) && sock.type === SOCK_STREAM && sock.proto === IPPROTO_TCP) {
    sock.setsockopt(IPPROTO_TCP, TCP_NODELAY, 1);
  }
}

export class SelectorSocketTransport extends SelectorTransport implements SendfileTransport {
  readonly sendfileMode = SendfileMode.TRY_NATIVE;
  /**
   * False makes a TCP transport that never uses the sendfile syscall: the reference's stand-in
   * for a TLS transport until it has TLS (loop.sendfile() then takes the fallback, or raises
   * SendfileNotAvailableError without it, as documented for "SSL socket on Unix").
   */
  sendfileSyscallUsable = true;
  /** Set while loop.sendfile() uses the socket directly: write() is refused. */
  sendfileInProgress = false;
  private server: ServerAttachment | null;
  /** Unsent data, oldest first (copies: the caller may reuse its buffer). */
  private buffer: Buffer[] = [];
  private bufferSize = 0;
  private eof = false;
  private paused = false;
  private bytesSentCount = 0;
  private drainWaiters: Array<Future<void>> = [];
  /** The two callbacks the selector runs, made once. */
  private readonly onReadable = (): void => this.readReady();
  private readonly onWritable = (): void => this.writeReady();

  constructor(
    loop: TransportLoop,
    sock: Socket,
    protocol: BaseProtocol,
    waiter: Future<void> | null = null,
    extra: TransportExtra = {},
    server: ServerAttachment | null = null,
  ) {
    super(loop, sock, 'peername' in extra ? extra.peername : undefined);
    this.setProtocol(protocol);
    this.server = server;
    server?.attach();
    setNodelay(sock);
    this.startSoon(() => this.watchReadIfReading(), waiter);
  }

  // ---------------------------------------------------------------------------
  // Read-only Transports

  /** "Return True if the transport is receiving new data." */
  isReading(): boolean {
    return !this.closing && !this.paused;
  }

  /** "Pause the receiving end of the transport. No data will be passed to the protocol's data_received() method until resume_reading() is called." */
  pauseReading(): void {
    if (!this.isReading()) return;
    this.paused = true;
    this.loop.unwatchRead(this.fd);
  }

  /** "Resume the receiving end. The protocol's data_received() method will be called once again if some data is available for reading." */
  resumeReading(): void {
    if (this.closing || !this.paused) return;
    this.paused = false;
    this.watchReadIfReading();
  }

  // ---------------------------------------------------------------------------
  // Write-only Transports

  /** "Return True if the transport supports write_eof(), False if not." */
  canWriteEof(): boolean {
    return true;
  }

  /** "Return the current size of the output buffer used by the transport." */
  getWriteBufferSize(): number {
    return this.bufferSize;
  }

  /**
   * "Write some data bytes to the transport. This method does not block; it buffers the data
   * and arranges for it to be sent out asynchronously." With nothing buffered it is sent at
   * once; what the socket does not take is buffered and sent when it becomes writable.
   */
  write(data: Buffer): void {
    const bytes = bytesLike(data, 'data');
    if (this.eof) throw new RuntimeError('Cannot call write() after write_eof()');
    if (this.sendfileInProgress) throw new RuntimeError('unable to write; sendfile is in progress');
    if (bytes.length === 0) return;
    if (this.connLost) {
      this.dropWrite();
      return;
    }
    let sent = 0;
    if (this.bufferSize === 0) {
      try {
        sent = native.send(this.fd, bytes, 0, bytes.length);
      } catch (err) {
        const exc = fromSystemError(err);
        if (!(exc instanceof BlockingIOError || exc instanceof InterruptedError)) {
          this.fatalError(exc, 'Fatal write error on socket transport');
          return;
        }
      }
      this.bytesSentCount += sent;
      if (sent === bytes.length) return;
      this.loop.watchWrite(this.fd, this.onWritable);
    }
    this.buffer.push(Buffer.from(bytes.subarray(sent)));
    this.bufferSize += bytes.length - sent;
    this.maybePauseProtocol();
  }

  /**
   * "Write a list (or any iterable) of data bytes to the transport. This is functionally
   * equivalent to calling write() on each element yielded by the iterable, but may be
   * implemented more efficiently." As CPython 3.12: appended to the buffer, then one attempt
   * to send it all.
   */
  writelines(listOfData: Iterable<Buffer>): void {
    if (this.eof) throw new RuntimeError('Cannot call writelines() after write_eof()');
    if (this.sendfileInProgress) throw new RuntimeError('unable to writelines; sendfile is in progress');
    const chunks = [...listOfData].map((d) => bytesLike(d, 'data')).filter((d) => d.length > 0);
    if (chunks.length === 0) return;
    if (this.connLost) {
      this.dropWrite();
      return;
    }
    for (const chunk of chunks) {
      this.buffer.push(Buffer.from(chunk));
      this.bufferSize += chunk.length;
    }
    this.writeReady();
    if (this.bufferSize > 0 && !this.connLost) this.loop.watchWrite(this.fd, this.onWritable);
  }

  /** "Close the write end of the transport after flushing all buffered data. Data may still be received." */
  writeEof(): void {
    if (this.closing || this.eof) return;
    this.eof = true;
    if (this.bufferSize === 0) this.sock.shutdown(SHUT_WR);
  }

  // ---------------------------------------------------------------------------
  // What loop.sendfile() uses

  get bytesSent(): number {
    return this.bytesSentCount;
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

  // ---------------------------------------------------------------------------
  // The selector's callbacks

  private watchReadIfReading(): void {
    if (this.isReading()) this.loop.watchRead(this.fd, this.onReadable);
  }

  private readReady(): void {
    if (this.connLost) return;
    let data: Buffer;
    try {
      data = this.loop.readSlab.recv(this.fd);
    } catch (err) {
      this.readFailed(fromSystemError(err));
      return;
    }
    if (data.length === 0) {
      this.eofReceived();
      return;
    }
    try {
      (this.protocol as Protocol).dataReceived(data);
    } catch (exc) {
      if (isExitRequest(exc)) throw exc;
      this.fatalError(exc, 'Fatal error: protocol.data_received() call failed.');
    }
  }

  private readFailed(exc: unknown): void {
    if (exc instanceof BlockingIOError || exc instanceof InterruptedError) return;
    this.fatalError(exc, 'Fatal read error on socket transport');
  }

  /**
   * The peer will send no more: eof_received() decides. "If this returns a false value
   * (including None), the transport will close itself. If it returns a true value, closing
   * the transport is up to the protocol."
   */
  private eofReceived(): void {
    let keepOpen: unknown;
    try {
      keepOpen = (this.protocol as Protocol).eofReceived();
    } catch (exc) {
      if (isExitRequest(exc)) throw exc;
      this.fatalError(exc, 'Fatal error: protocol.eof_received() call failed.');
      return;
    }
    // Kept open, the protocol can still write, but there is nothing more to read.
    if (keepOpen) this.loop.unwatchRead(this.fd);
    else this.close();
  }

  private writeReady(): void {
    if (this.connLost || this.bufferSize === 0) return;
    // One send of everything buffered (CPython gathers it with sendmsg).
    const data = this.buffer.length === 1 ? this.buffer[0] : Buffer.concat(this.buffer, this.bufferSize);
    let n: number;
    try {
      n = native.send(this.fd, data, 0, data.length);
    } catch (err) {
      const exc = fromSystemError(err);
      if (exc instanceof BlockingIOError || exc instanceof InterruptedError) {
        this.buffer = [data];
        return;
      }
      this.loop.unwatchWrite(this.fd);
      this.buffer = [];
      this.bufferSize = 0;
      this.fatalError(exc, 'Fatal write error on socket transport');
      return;
    }
    this.bytesSentCount += n;
    this.buffer = n < data.length ? [data.subarray(n)] : [];
    this.bufferSize = data.length - n;
    this.maybeResumeProtocol(); // may write, and so add to the buffer
    if (this.bufferSize > 0) return;
    this.loop.unwatchWrite(this.fd);
    this.settleDrainWaiters(null);
    if (this.closing) this.callConnectionLost(null);
    else if (this.eof) this.sock.shutdown(SHUT_WR);
  }

  /** A write after the connection was lost: dropped, and from the fifth one on, a warning. */
  private dropWrite(): void {
    if (this.connLost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) logger.log({ level: 'warning', message: 'socket.send() raised exception.' });
    this.connLost++;
  }

  // ---------------------------------------------------------------------------
  // The end of the connection

  protected dropBuffer(exc: unknown): void {
    if (this.bufferSize > 0) {
      this.buffer = [];
      this.bufferSize = 0;
      this.loop.unwatchWrite(this.fd);
    }
    this.settleDrainWaiters(exc);
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

  protected override callConnectionLost(exc: unknown): void {
    try {
      super.callConnectionLost(exc);
    } finally {
      const server = this.server;
      this.server = null;
      server?.detach();
      this.settleDrainWaiters(new ConnectionError(null, 'Connection is closed by peer'));
    }
  }

  /** `<_SelectorSocketTransport fd=7 read=polling write=<idle, bufsize=0>>`, shortened. */
  override toString(): string {
    const state = this.sock.closed ? ' closed' : this.closing ? ' closing' : '';
    return `<_SelectorSocketTransport${state} fd=${this.fd} bufsize=${this.bufferSize}${this.sendfileSyscallUsable ? '' : ' no-sendfile-syscall'}>`;
  }
}
