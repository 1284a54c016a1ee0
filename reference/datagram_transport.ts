/**
 * The datagram transport of the selector loop (CPython's
 * selector_events._SelectorDatagramTransport, as of 3.12): a UDP or AF_UNIX datagram socket
 * and a datagram protocol. Each readable event is one recvfrom(), handed to
 * datagram_received(data, addr); sendto() sends at once, and what the socket will not take now
 * (EAGAIN) is buffered, datagram by datagram, and sent when it is writable, under the same write
 * flow control as stream transports. An OSError of a send or a receive (an ICMP "port
 * unreachable" come back as ECONNREFUSED) goes to error_received() and the transport stays open.
 * Doc: https://docs.python.org/3/library/asyncio-protocol.html#datagram-transports
 */
import { DATAGRAM_MAX_SIZE, LOG_THRESHOLD_FOR_CONNLOST_WRITES } from './constants';
import { BlockingIOError, InterruptedError, isExitRequest, OSError, ValueError } from './errors';
import type { Future } from './futures';
import { logger } from './log';
import { BaseProtocol, DatagramProtocol } from './protocols';
import { SelectorTransport } from './selector_base_transport';
import { bytesLike } from './transports';
import type { TransportLoop } from './selector_transport';
import { Address, AddressArg, Socket } from './socket';

/** Two addresses are the same (Python's == on tuples, str and bytes). */
function sameAddress(a: unknown, b: unknown): boolean {
  return JSON.stringify(Buffer.isBuffer(a) ? a.toString('hex') : a) === JSON.stringify(Buffer.isBuffer(b) ? b.toString('hex') : b);
}

export class SelectorDatagramTransport extends SelectorTransport {
  /** Datagrams not sent yet, oldest first, each with where it goes (copies: the caller may reuse its buffer). */
  private buffer: Array<[Buffer, AddressArg | null]> = [];
  private bufferSize = 0;
  private readonly onReadable = (): void => this.readReady();
  private readonly onWritable = (): void => this.sendtoReady();

  /**
   * `address`: the remote address create_datagram_endpoint() resolved (its socket is connected
   * to it unless allow_broadcast), the only one sendto() then takes.
   */
  constructor(
    loop: TransportLoop,
    sock: Socket,
    protocol: BaseProtocol,
    private readonly address: Address | null = null,
    waiter: Future<void> | null = null,
  ) {
    super(loop, sock);
    this.protocol = protocol;
    this.startSoon(() => {
      if (!this.closing) loop.watchRead(this.fd, this.onReadable);
    }, waiter);
  }

  // ---------------------------------------------------------------------------
  // Datagram Transports

  /** "Return the current size of the output buffer used by the transport." */
  getWriteBufferSize(): number {
    return this.bufferSize;
  }

  /**
   * "Send the data bytes to the remote peer given by addr (a transport-dependent target
   * address). If addr is None, the data is sent to the target address given on transport
   * creation. This method does not block; it buffers the data and arranges for it to be sent
   * out asynchronously."
   * https://docs.python.org/3/library/asyncio-protocol.html#asyncio.DatagramTransport.sendto
   */
  sendto(data: Buffer, addr: AddressArg | null = null): void {
    const bytes = bytesLike(data, 'data');
    if (bytes.length === 0) return;
    if (this.address !== null) {
      if (addr !== null && addr !== undefined && !sameAddress(addr, this.address)) {
        throw new ValueError(`Invalid address: must be None or ${String(this.address)}`);
      }
      addr = this.address;
    }
    if (this.connLost && this.address !== null) {
      if (this.connLost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) logger.log({ level: 'warning', message: 'socket.send() raised exception.' });
      this.connLost++;
      return;
    }
    if (this.buffer.length === 0) {
      // Sent right away when nothing waits before it.
      try {
        this.sendOne(bytes, addr ?? null);
        return;
      } catch (exc) {
        if (exc instanceof BlockingIOError || exc instanceof InterruptedError) {
          this.loop.watchWrite(this.fd, this.onWritable);
        } else if (exc instanceof OSError) {
          this.errorReceived(exc);
          return;
        } else {
          if (isExitRequest(exc)) throw exc;
          this.fatalError(exc, 'Fatal write error on datagram transport');
          return;
        }
      }
    }
    this.buffer.push([Buffer.from(bytes), addr ?? null]);
    this.bufferSize += bytes.length;
    this.maybePauseProtocol();
  }

  // ---------------------------------------------------------------------------
  // The selector's callbacks

  /** One datagram: send() on a connected socket (its peer is the only address), else sendto() (None: a TypeError, as Python's). */
  private sendOne(data: Buffer, addr: AddressArg | null): void {
    if (this.extra.get('peername') !== null) this.sock.send(data);
    else this.sock.sendto(data, addr as AddressArg);
  }

  private readReady(): void {
    if (this.connLost) return;
    let data: Buffer;
    let addr: Address | null;
    try {
      [data, addr] = this.sock.recvfrom(DATAGRAM_MAX_SIZE);
    } catch (exc) {
      if (exc instanceof BlockingIOError || exc instanceof InterruptedError) return;
      if (exc instanceof OSError) this.errorReceived(exc);
      else {
        if (isExitRequest(exc)) throw exc;
        this.fatalError(exc, 'Fatal read error on datagram transport');
      }
      return;
    }
    // The sender's address as Python gives it, a tuple: the reference's tuples are frozen arrays.
    (this.protocol as DatagramProtocol).datagramReceived(data, Array.isArray(addr) ? Object.freeze(addr) : addr);
  }

  private sendtoReady(): void {
    while (this.buffer.length > 0) {
      const [data, addr] = this.buffer.shift()!;
      this.bufferSize -= data.length;
      try {
        this.sendOne(data, addr);
      } catch (exc) {
        if (exc instanceof BlockingIOError || exc instanceof InterruptedError) {
          this.buffer.unshift([data, addr]); // again when writable
          this.bufferSize += data.length;
          break;
        }
        if (exc instanceof OSError) {
          this.errorReceived(exc);
          return;
        }
        if (isExitRequest(exc)) throw exc;
        this.fatalError(exc, 'Fatal write error on datagram transport');
        return;
      }
    }
    this.maybeResumeProtocol(); // may send, and so add to the buffer
    if (this.buffer.length === 0) {
      this.loop.unwatchWrite(this.fd);
      if (this.closing) this.callConnectionLost(null);
    }
  }

  /** "Called when a previous send or receive operation raises an OSError." */
  private errorReceived(exc: OSError): void {
    (this.protocol as DatagramProtocol).errorReceived(exc);
  }

  // ---------------------------------------------------------------------------
  // The end of the endpoint

  protected dropBuffer(): void {
    if (this.buffer.length === 0) return;
    this.buffer = [];
    this.bufferSize = 0;
    this.loop.unwatchWrite(this.fd);
  }

  /** `<_SelectorDatagramTransport fd=7 bufsize=0>`, shortened. */
  override toString(): string {
    const state = this.sock.closed ? ' closed' : this.closing ? ' closing' : '';
    return `<_SelectorDatagramTransport${state} fd=${this.fd} bufsize=${this.bufferSize}>`;
  }
}
