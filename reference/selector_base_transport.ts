/**
 * What the selector loop's transports share (CPython's selector_events._SelectorTransport): a
 * socket whose descriptor the loop watches, the extra information read when the transport is
 * made, close() after the write buffer drains, abort() and fatal errors at once, and
 * connection_lost() exactly once. The stream transport (selector_transport.ts) and the datagram
 * transport (datagram_transport.ts) add their reads and writes.
 * Doc: https://docs.python.org/3/library/asyncio-protocol.html#base-transport
 */
import { OSError } from './errors';
import type { Future } from './futures';
import type { BaseProtocol } from './protocols';
import type { TransportLoop } from './selector_transport';
import type { Socket } from './socket';
import { BaseTransport, FlowControlTransport } from './transports';
import { TransportSocket } from './trsock';

/** An address of the socket, or None when the system call fails (CPython caches them in _extra). */
function addressOr(get: () => unknown): unknown {
  try {
    return get();
  } catch (exc) {
    if (exc instanceof OSError) return null;
    throw exc;
  }
}

export abstract class SelectorTransport extends FlowControlTransport implements BaseTransport {
  protected protocol!: BaseProtocol;
  protected readonly fd: number;
  protected readonly extra = new Map<string, unknown>();
  /** Non-zero once connection_lost is scheduled; counts the writes dropped after that. */
  protected connLost = 0;
  protected closing = false;

  /** `peername`: the peer's address as accept() gave it (undefined: ask the socket). */
  constructor(protected readonly loop: TransportLoop, protected readonly sock: Socket, peername?: unknown) {
    super();
    this.fd = sock.fileno();
    this.extra.set('socket', new TransportSocket(sock));
    this.extra.set('sockname', addressOr(() => sock.getsockname()));
    this.extra.set('peername', peername !== undefined ? peername : addressOr(() => sock.getpeername()));
  }

  /**
   * The transport's start, in CPython's order: connection_made() first, reading only once it
   * has been called, then the waiter (what create_connection and its kin await).
   */
  protected startSoon(startReading: () => void, waiter: Future<void> | null): void {
    this.loop.registerTransport(this.fd, this);
    this.loop.callSoon(() => this.protocol.connectionMade(this));
    this.loop.callSoon(startReading);
    if (waiter !== null) {
      this.loop.callSoon(() => {
        if (!waiter.cancelled()) waiter.setResult(undefined);
      });
    }
  }

  // ---------------------------------------------------------------------------
  // Base Transport

  /** "Close the transport. If the transport has a buffer for outgoing data, buffered data will be flushed asynchronously." */
  close(): void {
    if (this.closing) return;
    this.closing = true;
    this.loop.unwatchRead(this.fd);
    if (this.getWriteBufferSize() === 0) {
      this.connLost++;
      this.loop.unwatchWrite(this.fd);
      this.loop.callSoon(() => this.callConnectionLost(null));
    }
  }

  /** "Return True if the transport is closing or is closed." */
  isClosing(): boolean {
    return this.closing;
  }

  /**
   * "Return information about the transport or underlying resources it uses": 'peername',
   * 'socket' (a TransportSocket) and 'sockname', read when the transport was made.
   */
  getExtraInfo(name: string, defaultValue: unknown = null): unknown {
    return this.extra.has(name) ? this.extra.get(name) : defaultValue;
  }

  /** "Set a new protocol." */
  setProtocol(protocol: BaseProtocol): void {
    this.protocol = protocol;
  }

  /** "Return the current protocol." */
  getProtocol(): BaseProtocol {
    return this.protocol;
  }

  /** "Close the transport immediately, without waiting for pending operations to complete. Buffered data will be lost." */
  abort(): void {
    this.forceClose(null);
  }

  /** The socket itself (loop.sendfile() sends on a stream one; user code gets a TransportSocket). */
  get socket(): Socket {
    return this.sock;
  }

  // ---------------------------------------------------------------------------
  // The end of the transport

  /** An OSError is the socket's own end (debug log only, in CPython); anything else goes to the exception handler too. */
  protected fatalError(exc: unknown, message: string): void {
    if (!(exc instanceof OSError)) {
      this.loop.callExceptionHandler({ message, exception: exc, transport: this, protocol: this.protocol });
    }
    this.forceClose(exc);
  }

  protected forceClose(exc: unknown): void {
    if (this.connLost) return;
    this.dropBuffer(exc);
    if (!this.closing) {
      this.closing = true;
      this.loop.unwatchRead(this.fd);
    }
    this.connLost++;
    this.loop.callSoon(() => this.callConnectionLost(exc));
  }

  /** What is still buffered is lost (abort, a fatal error): the subclass empties its buffer and stops watching for writability. */
  protected abstract dropBuffer(exc: unknown): void;

  /** connection_lost(exc) on the protocol, then the socket closed and the descriptor given back to the loop. */
  protected callConnectionLost(exc: unknown): void {
    try {
      this.protocol.connectionLost(exc ?? null);
    } finally {
      this.sock.close();
      this.loop.forgetTransport(this.fd, this);
    }
  }
}
