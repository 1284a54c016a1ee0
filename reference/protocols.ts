/**
 * Protocols (asyncio.protocols): what a transport calls back.
 * Doc: https://docs.python.org/3/library/asyncio-protocol.html#protocols
 */
import type { BaseTransport } from './transports';

/** asyncio.BaseProtocol. */
export class BaseProtocol {
  /** Called when a connection is made. */
  connectionMade(_transport: BaseTransport): void {}
  /** Called when the connection is lost or closed; `exc` is null on a regular EOF or close. */
  connectionLost(_exc: unknown): void {}
  /** Called when the transport's buffer goes over the high-water mark. */
  pauseWriting(): void {}
  /** Called when the transport's buffer drains below the low-water mark. */
  resumeWriting(): void {}
}

/** asyncio.Protocol: streaming protocols (TCP, Unix sockets). */
export class Protocol extends BaseProtocol {
  /** Called when some data is received. */
  dataReceived(_data: Buffer): void {}
  /** Called when the other end signals it won't send any more data; false/undefined closes the transport. */
  eofReceived(): boolean | void {
    return undefined;
  }
}

/**
 * asyncio.DatagramProtocol: what a datagram transport (create_datagram_endpoint) calls back.
 * https://docs.python.org/3/library/asyncio-protocol.html#datagram-protocols
 */
export class DatagramProtocol extends BaseProtocol {
  /** "Called when a datagram is received. data is a bytes object containing the incoming data. addr is the address of the peer sending the data." */
  datagramReceived(_data: Buffer, _addr: unknown): void {}
  /** "Called when a previous send or receive operation raises an OSError. exc is the OSError instance." */
  errorReceived(_exc: unknown): void {}
}
