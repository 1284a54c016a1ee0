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
 * asyncio.BufferedProtocol: "can be used with any event loop method that supports Streaming
 * Protocols ... implementations of BufferedProtocol allow explicit manual allocation and
 * control of the receive buffer": the transport reads into get_buffer()'s buffer and reports
 * how many bytes it wrote there with buffer_updated().
 * https://docs.python.org/3/library/asyncio-protocol.html#buffered-streaming-protocols
 */
export class BufferedProtocol extends BaseProtocol {
  /** "Called to allocate a new receive buffer. sizehint is the recommended minimum size for the returned buffer." */
  getBuffer(_sizehint: number): Buffer {
    return Buffer.alloc(0);
  }
  /** "Called when the buffer was updated with the received data. nbytes is the total number of bytes that were written to the buffer." */
  bufferUpdated(_nbytes: number): void {}
  /** See Protocol.eofReceived. */
  eofReceived(): boolean | void {
    return undefined;
  }
}
