/**
 * The Unix selector loop (asyncio.unix_events._UnixSelectorEventLoop): adds
 * the sendfile(2) paths to the selector loop.
 */
import * as native from '../native';
import { SendfileProgress } from './base_events';
import { SENDFILE_MAX_CHUNK } from './constants';
import { ConnectionError, fromSystemError, SendfileNotAvailableError } from './errors';
import { BinaryFile } from './fileio';
import { Coroutine } from './futures';
import { BaseSelectorEventLoop, SelectorSocketTransport } from './selector_events';
import type { BaseSelector } from './selectors';
import { Socket } from './socket';
import type { SendfileTransport } from './transports';

/** errno values meaning "sendfile(2) cannot be used for this pair of fds". */
const SENDFILE_UNUSABLE = ['EINVAL', 'ENOSYS', 'EOPNOTSUPP', 'ENOTSOCK', 'ESPIPE', 'EOVERFLOW'];

export class UnixSelectorEventLoop extends BaseSelectorEventLoop {
  /**
   * asyncio.SelectorEventLoop(selector=None) on Unix: "An event loop based on the selectors
   * module. Uses the most efficient selector available for the given platform. It is also
   * possible to manually configure the exact selector implementation to be used."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.SelectorEventLoop
   */
  constructor(selector: BaseSelector | null = null) {
    super(selector);
  }

  /**
   * loop.sendfile()'s syscall path: flush the transport, stop reading, then
   * sock_sendfile's syscall path on its socket.
   */
  protected override *sendfileNative(transport: SendfileTransport, file: BinaryFile, offset: number, count: number | null, progress: SendfileProgress): Coroutine<number> {
    if (!(transport instanceof SelectorSocketTransport)) {
      throw new SendfileNotAvailableError(`syscall sendfile is not available for transport ${String(transport)}`);
    }
    if (!transport.sendfileSyscallUsable) {
      // The TLS stand-in: encrypted bytes cannot come from sendfile(2).
      throw new SendfileNotAvailableError(`syscall sendfile cannot be used on transport ${String(transport)}`);
    }
    const resumeReading = transport.isReading();
    transport.pauseReading();
    yield* transport.drained();
    transport.sendfileInProgress = true;
    try {
      return yield* this.sockSendfileNative(transport.socket, file, offset, count, progress);
    } finally {
      transport.sendfileInProgress = false;
      if (resumeReading) transport.resumeReading();
    }
  }

  /**
   * sock_sendfile()'s syscall path: sendfile(2) from the file at
   * offset + sent, waiting for writability on EAGAIN, until count bytes or
   * end of file. A failure before any byte was sent that means "not possible
   * for these fds" raises SendfileNotAvailableError (so fallback can take
   * over); a connection failure raises its OSError (ConnectionResetError,
   * BrokenPipeError...), progress.sent then telling what was sent.
   */
  protected override *sockSendfileNative(sock: Socket, file: BinaryFile, offset: number, count: number | null, progress: SendfileProgress): Coroutine<number> {
    let size: number;
    try {
      const st = file.stat();
      if (!st.isRegular) throw new SendfileNotAvailableError('not a regular file');
      size = st.size;
    } catch (exc) {
      if (exc instanceof SendfileNotAvailableError) throw exc;
      throw new SendfileNotAvailableError('not a regular file');
    }
    if ((count ?? size) === 0) return 0;
    const fd = sock.fileno();
    for (;;) {
      const want = count === null ? SENDFILE_MAX_CHUNK : Math.min(count - progress.sent, SENDFILE_MAX_CHUNK);
      if (want <= 0) break;
      let n: number;
      try {
        n = native.sendfile(fd, file.fileno(), offset + progress.sent, want);
      } catch (err) {
        if (native.isSystemError(err, 'EAGAIN', 'EWOULDBLOCK')) {
          yield* this.waitWritable(fd);
          continue;
        }
        if (progress.sent === 0 && native.isSystemError(err, ...SENDFILE_UNUSABLE)) {
          throw new SendfileNotAvailableError('os.sendfile call failed');
        }
        if (progress.sent > 0 && native.isSystemError(err, 'ENOTCONN')) {
          // The connection went away mid-transfer: the same class on every platform.
          throw new ConnectionError(err.errno, 'socket is not connected');
        }
        throw fromSystemError(err);
      }
      if (n === 0) break; // end of file
      progress.sent += n;
    }
    return progress.sent;
  }
}
