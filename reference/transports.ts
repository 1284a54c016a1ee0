/**
 * Transports (asyncio.transports): the interfaces; the socket transport
 * itself is in selector_events.ts.
 * Doc: https://docs.python.org/3/library/asyncio-protocol.html#transports
 */
import type { SendfileMode } from './constants';
import type { Coroutine } from './futures';

/** asyncio.BaseTransport. */
export interface BaseTransport {
  /** Close the transport; buffered data is flushed asynchronously, then connection_lost() is called. */
  close(): void;
  /** Return True if the transport is closing or is closed. */
  isClosing(): boolean;
  /** Return information about the transport or underlying resources it uses. */
  getExtraInfo(name: string, defaultValue?: unknown): unknown;
}

/** asyncio.ReadTransport. */
export interface ReadTransport extends BaseTransport {
  isReading(): boolean;
  pauseReading(): void;
  resumeReading(): void;
}

/** asyncio.WriteTransport. */
export interface WriteTransport extends BaseTransport {
  write(data: Buffer): void;
  writeEof(): void;
  canWriteEof(): boolean;
  abort(): void;
  getWriteBufferSize(): number;
}

/** asyncio.Transport: both. */
export interface Transport extends ReadTransport, WriteTransport {}

/** What loop.sendfile() needs from a transport. */
export interface SendfileTransport extends Transport {
  /** How the transport takes part in loop.sendfile() (CPython's _sendfile_compatible). */
  readonly sendfileMode: SendfileMode;
  /** Bytes the transport has handed to the kernel since it was made. */
  readonly bytesSent: number;
  /** Waits until the write buffer is empty; raises the connection's error if it is lost first. */
  drained(): Coroutine<void>;
}
