/**
 * The Unix selector loop (asyncio.unix_events._UnixSelectorEventLoop): adds Unix domain
 * socket connections and servers, and the sendfile(2) paths, to the selector loop.
 */
import { constants as osConstants } from 'os';
import * as native from '../native';
import { checkNoTls, checkStreamSocket, checkTlsTimeouts, isGiven, SendfileProgress } from './base_events';
import { SENDFILE_MAX_CHUNK, SERVER_BACKLOG } from './constants';
import { ConnectionError, fromSystemError, OSError, osError, PyTypeError, SendfileNotAvailableError, ValueError } from './errors';
import { BinaryFile } from './fileio';
import { Coroutine } from './futures';
import type { BaseProtocol } from './protocols';
import { BaseSelectorEventLoop } from './selector_events';
import { SelectorSocketTransport } from './selector_transport';
import type { BaseSelector } from './selectors';
import type { Server } from './server';
import { AF_UNIX, pyRepr, SOCK_STREAM, Socket, UnixAddress } from './socket';
import type { SendfileTransport } from './transports';
import { boundInode, fsPath, isAbstract, removeBoundSocket, removeStaleSocket } from './unix_paths';

const { EADDRINUSE } = osConstants.errno;

/** What a Unix server's cleanup (3.13) keeps of each listening socket: its file and the inode bound there. */
interface BoundFile {
  path: UnixAddress;
  inode: number;
}

/** errno values meaning "sendfile(2) cannot be used for this pair of fds". */
const SENDFILE_UNUSABLE = ['EINVAL', 'ENOSYS', 'EOPNOTSUPP', 'ENOTSOCK', 'ESPIPE', 'EOVERFLOW'];

export class UnixSelectorEventLoop extends BaseSelectorEventLoop {
  /** Listening Unix sockets whose file goes when the server closes (CPython 3.13's _unix_server_sockets). */
  private readonly unixServerFiles = new Map<Socket, BoundFile>();

  /**
   * asyncio.SelectorEventLoop(selector=None) on Unix: "An event loop based on the selectors
   * module. Uses the most efficient selector available for the given platform. It is also
   * possible to manually configure the exact selector implementation to be used."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.SelectorEventLoop
   */
  constructor(selector: BaseSelector | null = null) {
    super(selector);
  }

  // ---------------------------------------------------------------------------
  // Opening network connections

  /**
   * "Create a Unix connection. The socket family will be AF_UNIX; socket type will be
   * SOCK_STREAM. A tuple of (transport, protocol) is returned on success. path is the name of
   * a Unix domain socket and is required, unless a sock parameter is specified. Abstract Unix
   * sockets, str, bytes, and Path paths are supported."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_unix_connection
   */
  *createUnixConnection<P extends BaseProtocol>(
    protocolFactory: () => P, path: unknown = null, ssl: unknown = null, sock: Socket | null = null, serverHostname: string | null = null,
    sslHandshakeTimeout: number | null = null, sslShutdownTimeout: number | null = null,
  ): Coroutine<[SendfileTransport, P]> {
    if (isGiven(serverHostname) && typeof serverHostname !== 'string') throw new PyTypeError('server_hostname must be a str or None');
    if (ssl && !isGiven(serverHostname)) throw new ValueError('you have to pass server_hostname when using ssl');
    if (!ssl && isGiven(serverHostname)) throw new ValueError('server_hostname is only meaningful with ssl');
    checkTlsTimeouts(ssl, sslHandshakeTimeout, sslShutdownTimeout);
    checkNoTls(ssl);
    if (isGiven(path)) {
      if (isGiven(sock)) throw new ValueError('path and sock can not be specified at the same time');
      const name = fsPath(path);
      const made = Socket.create(AF_UNIX, SOCK_STREAM, 0);
      try {
        yield* this.sockConnect(made, name);
      } catch (exc) {
        made.close();
        throw exc;
      }
      sock = made;
    } else {
      if (!isGiven(sock)) throw new ValueError('no path and sock were specified');
      checkStreamSocket(sock as Socket, 'A UNIX Domain Stream Socket', AF_UNIX);
    }
    return yield* this.createConnectionTransport(sock as Socket, protocolFactory);
  }

  // ---------------------------------------------------------------------------
  // Creating network servers

  /**
   * "Similar to loop.create_server() but works with the AF_UNIX socket family. path is the name
   * of a Unix domain socket, and is required, unless a sock argument is provided. Abstract Unix
   * sockets, str, bytes, and Path paths are supported."
   * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_unix_server
   *
   * A socket file already at path is removed first, as CPython removes it (a stale one, left by
   * an earlier server); any other file there makes the bind fail. cleanup_socket (3.13): "the
   * Unix socket will automatically be cleaned up from the filesystem when the server is closed,
   * unless the socket has been replaced after the server has been created."
   */
  *createUnixServer(
    protocolFactory: () => BaseProtocol, path: unknown = null, sock: Socket | null = null, backlog: number = SERVER_BACKLOG, ssl: unknown = null,
    sslHandshakeTimeout: number | null = null, sslShutdownTimeout: number | null = null, startServing = true, cleanupSocket = true,
  ): Coroutine<Server> {
    if (typeof ssl === 'boolean') throw new PyTypeError('ssl argument must be an SSLContext or None');
    checkTlsTimeouts(ssl, sslHandshakeTimeout, sslShutdownTimeout);
    checkNoTls(ssl);
    if (isGiven(path)) {
      if (isGiven(sock)) throw new ValueError('path and sock can not be specified at the same time');
      sock = bindUnixServerSocket(fsPath(path));
    } else {
      if (!isGiven(sock)) throw new ValueError('path was not specified, and no sock specified');
      checkStreamSocket(sock as Socket, 'A UNIX Domain Stream Socket', AF_UNIX);
    }
    const listening = sock as Socket;
    // None is false here, as in Python's `if cleanup_socket:`; left out, it is True.
    if (cleanupSocket) {
      const bound = listening.getsockname() as UnixAddress | null;
      const inode = boundInode(bound);
      if (inode !== null) this.unixServerFiles.set(listening, { path: bound as UnixAddress, inode });
    }
    return yield* this.serverOn([listening], protocolFactory, backlog ?? SERVER_BACKLOG, startServing);
  }

  /** Stops accepting; the socket file of a cleanup_socket server goes too, if it is still this socket's. */
  override stopAccepting(sock: Socket): void {
    const bound = this.unixServerFiles.get(sock);
    this.unixServerFiles.delete(sock);
    super.stopAccepting(sock);
    if (bound !== undefined) removeBoundSocket(bound.path, bound.inode);
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
    // The socket is sock_sendfile's while it sends: the transport gives up its descriptor.
    const fd = transport.socket.fileno();
    this.forgetTransport(fd, transport);
    const resumeReading = transport.isReading();
    transport.pauseReading();
    try {
      yield* transport.drained();
      transport.sendfileInProgress = true;
      return yield* this.sockSendfileNative(transport.socket, file, offset, count, progress);
    } finally {
      transport.sendfileInProgress = false;
      if (resumeReading) transport.resumeReading();
      if (!transport.socket.closed) this.registerTransport(fd, transport);
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

/** A Unix socket bound to `path` (a stale socket file there removed first); EADDRINUSE names the path. */
function bindUnixServerSocket(path: UnixAddress): Socket {
  const sock = Socket.create(AF_UNIX, SOCK_STREAM);
  try {
    if (!isAbstract(path)) removeStaleSocket(path);
    sock.bind(path);
  } catch (exc) {
    sock.close();
    if (exc instanceof OSError && exc.errno === EADDRINUSE) throw osError(EADDRINUSE, `Address ${pyRepr(path)} is already in use`);
    throw exc;
  }
  return sock;
}
