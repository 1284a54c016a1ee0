/**
 * Unix socket names, as create_unix_server() and create_unix_connection() take them: "Abstract
 * Unix sockets, str, bytes, and Path paths are supported." A name with a leading NUL is
 * abstract (Linux): it is in no directory. Any other is a file, which a server may find stale
 * (left by an earlier server) and removes, and (3.13's cleanup_socket) removes when it closes.
 * https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_unix_server
 */
import * as native from '../native';
import { FileNotFoundError, fromSystemError, IndexError, OSError, PyTypeError } from './errors';
import { logger } from './log';
import { pyRepr, UnixAddress } from './socket';
import { Path } from './pathlib';

/** Python's os.fspath(): a str or bytes path as it is, a path-like object's text. */
export function fsPath(path: unknown): UnixAddress {
  if (typeof path === 'string') return path;
  if (path instanceof Uint8Array) return Buffer.from(path);
  if (path instanceof Path) return path.fspath();
  const name = path === null || path === undefined ? 'NoneType' : typeof path === 'number' ? 'int' : typeof path;
  throw new PyTypeError(`expected str, bytes or os.PathLike object, not ${name}`);
}

/** `path[0] in (0, '\x00')`, as CPython asks it (so an empty path is its IndexError). */
export function isAbstract(path: UnixAddress): boolean {
  if (path.length === 0) throw new IndexError(typeof path === 'string' ? 'string index out of range' : 'index out of range');
  return typeof path === 'string' ? path[0] === '\0' : path[0] === 0;
}

/** os.stat(path): the inode and whether it is a socket; OSError subclasses as Python raises them. */
function stat(path: UnixAddress): { ino: number; isSocket: boolean } {
  try {
    return native.stat(path);
  } catch (err) {
    throw fromSystemError(err);
  }
}

function unlink(path: UnixAddress): void {
  try {
    native.unlink(path);
  } catch (err) {
    throw fromSystemError(err);
  }
}

/**
 * Before binding: a socket file at `path` is an earlier server's, and removed. Any other file
 * stays (bind then fails with EADDRINUSE). A path that cannot be checked is logged and left:
 * "Directory may have permissions only to create socket."
 */
export function removeStaleSocket(path: UnixAddress): void {
  try {
    if (stat(path).isSocket) unlink(path);
  } catch (exc) {
    if (exc instanceof FileNotFoundError) return;
    if (!(exc instanceof OSError)) throw exc;
    logger.log({ level: 'error', message: `Unable to check or remove stale UNIX socket ${pyRepr(path)}: ${exc.message}`, exception: exc });
  }
}

/** The inode of the socket file just bound (null: none, or an abstract name), to know it again at close. */
export function boundInode(path: UnixAddress | null): number | null {
  if (path === null || path.length === 0 || isAbstract(path)) return null;
  try {
    return stat(path).ino;
  } catch (exc) {
    if (exc instanceof FileNotFoundError) return null;
    throw exc;
  }
}

/** At close: the socket file is removed if it is still the one bound ("unless the socket has been replaced after the server has been created"). */
export function removeBoundSocket(path: UnixAddress, inode: number): void {
  try {
    if (stat(path).ino === inode) unlink(path);
  } catch (exc) {
    if (exc instanceof FileNotFoundError) return;
    if (!(exc instanceof OSError)) throw exc;
    logger.log({ level: 'error', message: `Unable to clean up listening UNIX socket ${pyRepr(path)}: ${exc.message}`, exception: exc });
  }
}
