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
