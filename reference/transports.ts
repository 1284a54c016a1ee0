/**
 * Transports (asyncio.transports): the interfaces, and the write flow control every writing
 * transport shares (CPython's _FlowControlMixin). The socket transport itself is in
 * selector_transport.ts.
 * Doc: https://docs.python.org/3/library/asyncio-protocol.html#transports
 */
// Buffer from its module: the global is a getter, called on every use (bytesLike runs on
// every write).
import { Buffer } from 'buffer';
import { WRITE_BUFFER_HIGH_WATER } from './constants';
import { isExitRequest, PyTypeError, ValueError } from './errors';
import type { ExceptionContext } from './base_events';
import type { SendfileMode } from './constants';
import type { Coroutine } from './futures';
import type { BaseProtocol } from './protocols';

/** asyncio.BaseTransport. */
export interface BaseTransport {
  /** Close the transport; buffered data is flushed asynchronously, then connection_lost() is called. */
  close(): void;
  /** Return True if the transport is closing or is closed. */
  isClosing(): boolean;
  /** Return information about the transport or underlying resources it uses. */
  getExtraInfo(name: string, defaultValue?: unknown): unknown;
  /** Set a new protocol. */
  setProtocol(protocol: BaseProtocol): void;
  /** Return the current protocol. */
  getProtocol(): BaseProtocol;
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
  writelines(listOfData: Buffer[]): void;
  writeEof(): void;
  canWriteEof(): boolean;
  abort(): void;
  getWriteBufferSize(): number;
  getWriteBufferLimits(): [low: number, high: number];
  setWriteBufferLimits(high?: number | null, low?: number | null): void;
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

/** Python's bytes-like objects, as transports take them: a Buffer, or any Uint8Array viewed as one. */
export function bytesLike(data: unknown, method: string): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const name = data === null || data === undefined ? 'NoneType' : typeof data === 'string' ? 'str' : typeof data;
  throw new PyTypeError(`${method} argument must be a bytes-like object, not '${name}'`);
}

/**
 * Write flow control (CPython's _FlowControlMixin): "pause_writing() is called when the buffer
 * goes over the high watermark ... resume_writing() is called when the buffer size becomes
 * less than or equal to the low watermark". A subclass calls maybePauseProtocol() whenever its
 * buffer grows and maybeResumeProtocol() whenever it shrinks.
 * https://docs.python.org/3/library/asyncio-protocol.html#asyncio.WriteTransport.set_write_buffer_limits
 */
export abstract class FlowControlTransport {
  /** True between the protocol's pause_writing() and its resume_writing(). */
  protected protocolPaused = false;
  private highWater = WRITE_BUFFER_HIGH_WATER;
  private lowWater = WRITE_BUFFER_HIGH_WATER / 4;

  protected abstract protocol: BaseProtocol;
  protected abstract readonly loop: { callExceptionHandler(context: ExceptionContext): void };
  abstract getWriteBufferSize(): number;

  /**
   * "Get the high and low watermarks for write flow control. Return a tuple (low, high) where
   * low and high are positive number of bytes."
   */
  getWriteBufferLimits(): [low: number, high: number] {
    return [this.lowWater, this.highWater];
  }

  /**
   * "Set the high and low watermarks for write flow control. ... If only the high watermark is
   * given, the low watermark defaults to an implementation-specific value less than or equal to
   * the high watermark." (a quarter of it; high defaults to 64 KiB, or 4 * low when only low is
   * given). The new limits apply at once: a buffer over the new high pauses the protocol.
   */
  setWriteBufferLimits(high: number | null = null, low: number | null = null): void {
    const h = high ?? (low === null || low === undefined ? WRITE_BUFFER_HIGH_WATER : 4 * low);
    const l = low ?? Math.floor(h / 4);
    if (typeof h !== 'number' || typeof l !== 'number') throw new PyTypeError('high and low must be numbers');
    if (!(h >= l && l >= 0)) throw new ValueError(`high (${h}) must be >= low (${l}) must be >= 0`);
    this.highWater = h;
    this.lowWater = l;
    this.maybePauseProtocol();
  }

  protected maybePauseProtocol(): void {
    if (this.getWriteBufferSize() <= this.highWater || this.protocolPaused) return;
    this.protocolPaused = true;
    this.callProtocol('pause_writing', () => this.protocol.pauseWriting());
  }

  protected maybeResumeProtocol(): void {
    if (!this.protocolPaused || this.getWriteBufferSize() > this.lowWater) return;
    this.protocolPaused = false;
    this.callProtocol('resume_writing', () => this.protocol.resumeWriting());
  }

  /** A flow-control callback of the protocol: what it raises goes to the loop's exception handler. */
  private callProtocol(method: string, call: () => void): void {
    try {
      call();
    } catch (exc) {
      if (isExitRequest(exc)) throw exc;
      this.loop.callExceptionHandler({ message: `protocol.${method}() failed`, exception: exc, transport: this, protocol: this.protocol });
    }
  }
}
