/**
 * Exceptions of the reference loop, each carrying its Python class name,
 * module and MRO, so that an error crosses the driver protocol exactly as the
 * Python one would: `{type, bases, module, message, errno}`.
 *
 * The MRO is the JavaScript prototype chain: `class ConnectionResetError
 * extends ConnectionError` gives bases ConnectionError, OSError, Exception,
 * BaseException, object, as in Python.
 */
import { constants as osConstants } from 'os';

const E = osConstants.errno;

/** Python's BaseException: the root of every error the loop raises. */
export class BaseException extends Error {
  /** Python class name (defaults to the JavaScript class name). */
  static pyName?: string;
  /** Python module of the class. */
  static pyModule = 'builtins';
  /**
   * The MRO after the class, where JavaScript's single inheritance cannot give it (Python's
   * ExceptionGroup is a BaseExceptionGroup and an Exception); else the prototype chain's.
   */
  static pyBases?: string[];

  constructor(message = '') {
    super(message);
    Object.setPrototypeOf(this, new.target.prototype);
    this.name = pyNameOf(new.target);
  }
}

/** Python's Exception. */
export class Exception extends BaseException {}

/** Python's RuntimeError. */
export class RuntimeError extends Exception {}

/** Python's ValueError. */
export class ValueError extends Exception {}

/** Python's TypeError (named so it does not shadow JavaScript's TypeError). */
export class PyTypeError extends Exception {
  static override pyName = 'TypeError';
}

/** Python's AttributeError (e.g. when() of a Handle that is not a TimerHandle). */
export class AttributeError extends Exception {}

/** Python's NotImplementedError. */
export class NotImplementedError extends RuntimeError {}

/** Python's ArithmeticError and ZeroDivisionError: what a scenario's callbacks raise by name. */
export class ArithmeticError extends Exception {}
export class ZeroDivisionError extends ArithmeticError {}
/** Python's OverflowError: a port outside 0-65535, a flowinfo over 20 bits (socket addresses). */
export class OverflowError extends ArithmeticError {}

/** Python's UnicodeError: a host name the "idna" codec refuses (an empty or too long label). */
export class UnicodeError extends ValueError {}

/** Python's LookupError, KeyError and IndexError. */
export class LookupError extends Exception {}
export class KeyError extends LookupError {}
export class IndexError extends LookupError {}

/**
 * Python's ExceptionGroup (3.11): several exceptions raised together, as
 * create_connection(all_errors=True) raises its attempts' errors. Its MRO is
 * ExceptionGroup, BaseExceptionGroup, Exception, BaseException, object.
 */
export class ExceptionGroup extends Exception {
  static override pyBases = ['BaseExceptionGroup', 'Exception', 'BaseException', 'object'];

  constructor(message: string, readonly exceptions: readonly unknown[]) {
    super(`${message} (${exceptions.length} sub-exception${exceptions.length === 1 ? '' : 's'})`);
  }
}

/** Python's StopAsyncIteration: an async generator has no more values. */
export class StopAsyncIteration extends Exception {}

/** Python's KeyboardInterrupt and SystemExit: BaseExceptions that are not Exceptions. */
export class KeyboardInterrupt extends BaseException {}
export class SystemExit extends BaseException {}

/** Python's OSError: errno and strerror, message "[Errno N] text". */
export class OSError extends Exception {
  readonly errno: number | null;
  readonly strerror: string | null;

  /** new OSError(errno, strerror) like Python's OSError(errno, strerror); new OSError(null, message) for no errno. */
  constructor(errno: number | null, strerror: string) {
    super(errno === null ? strerror : `[Errno ${errno}] ${strerror}`);
    this.errno = errno;
    this.strerror = errno === null ? null : strerror;
  }
}

export class BlockingIOError extends OSError {}
export class ChildProcessError extends OSError {}
export class ConnectionError extends OSError {}
export class BrokenPipeError extends ConnectionError {}
export class ConnectionAbortedError extends ConnectionError {}
export class ConnectionRefusedError extends ConnectionError {}
export class ConnectionResetError extends ConnectionError {}
export class FileExistsError extends OSError {}
export class FileNotFoundError extends OSError {}
export class InterruptedError extends OSError {}
export class IsADirectoryError extends OSError {}
export class NotADirectoryError extends OSError {}
export class PermissionError extends OSError {}
export class ProcessLookupError extends OSError {}
/** Python's TimeoutError (also asyncio.TimeoutError since Python 3.11). */
export class TimeoutError extends OSError {}

/**
 * socket.gaierror: getaddrinfo() or getnameinfo() failed. Its errno is the EAI_* code
 * (negative on Linux: EAI_NONAME is -2), its strerror gai_strerror()'s text, as in Python.
 * https://docs.python.org/3/library/socket.html#socket.gaierror
 */
export class gaierror extends OSError {
  static override pyModule = 'socket';
}

/** asyncio.CancelledError: a BaseException since Python 3.8. */
export class CancelledError extends BaseException {
  static override pyModule = 'asyncio.exceptions';
}

/** asyncio.InvalidStateError: wrong state of a Future (result of a pending one...). */
export class InvalidStateError extends Exception {
  static override pyModule = 'asyncio.exceptions';
}

/** asyncio.SendfileNotAvailableError: the sendfile syscall cannot be used. */
export class SendfileNotAvailableError extends RuntimeError {
  static override pyModule = 'asyncio.exceptions';
}

/**
 * SystemExit and KeyboardInterrupt: what asyncio lets go on up wherever it catches a
 * callback's other exceptions (a protocol's, an attempt of a race).
 */
export function isExitRequest(exc: unknown): boolean {
  return exc instanceof SystemExit || exc instanceof KeyboardInterrupt;
}

/** Python's rule (PEP 3151): the OSError subclass an errno raises. */
const OS_ERROR_BY_ERRNO: ReadonlyMap<number, new (errno: number, strerror: string) => OSError> = new Map<
  number,
  new (errno: number, strerror: string) => OSError
>([
  [E.EAGAIN, BlockingIOError],
  [E.EALREADY, BlockingIOError],
  [E.EINPROGRESS, BlockingIOError],
  [E.EWOULDBLOCK, BlockingIOError],
  [E.ECHILD, ChildProcessError],
  [E.EPIPE, BrokenPipeError],
  [(E as Record<string, number>).ESHUTDOWN ?? 108 /* Linux */, BrokenPipeError],
  [E.ECONNABORTED, ConnectionAbortedError],
  [E.ECONNREFUSED, ConnectionRefusedError],
  [E.ECONNRESET, ConnectionResetError],
  [E.EEXIST, FileExistsError],
  [E.ENOENT, FileNotFoundError],
  [E.EISDIR, IsADirectoryError],
  [E.ENOTDIR, NotADirectoryError],
  [E.EINTR, InterruptedError],
  [E.EACCES, PermissionError],
  [E.EPERM, PermissionError],
  [E.ESRCH, ProcessLookupError],
  [E.ETIMEDOUT, TimeoutError],
]);

/** OSError(errno, strerror) as Python builds it: the subclass chosen by errno. */
export function osError(errno: number, strerror: string): OSError {
  const Cls = OS_ERROR_BY_ERRNO.get(errno) ?? OSError;
  return new Cls(errno, strerror);
}

/**
 * A SystemError of the native addon ({code, errno, syscall, strerror}) as the Python OSError;
 * a negative errno is an EAI_* code of getaddrinfo/getnameinfo, so a socket.gaierror.
 */
export function fromSystemError(err: unknown): unknown {
  if (err instanceof BaseException || !(err instanceof Error)) return err;
  const e = err as Error & { errno?: unknown; strerror?: unknown; syscall?: unknown };
  if (typeof e.errno !== 'number' || typeof e.syscall !== 'string') return err;
  const strerror = typeof e.strerror === 'string' ? e.strerror : e.message;
  const converted = e.errno < 0 ? new gaierror(e.errno, strerror) : osError(e.errno, strerror);
  (converted as { cause?: unknown }).cause = err;
  return converted;
}

type ExceptionClass = abstract new (...args: never[]) => BaseException;

function pyNameOf(ctor: Function): string {
  return Object.prototype.hasOwnProperty.call(ctor, 'pyName')
    ? (ctor as typeof BaseException).pyName ?? ctor.name
    : ctor.name;
}

/** The Python description of an exception: class name, MRO after it, module, errno. */
export interface PyExceptionInfo {
  type: string;
  bases: string[];
  module: string;
  message: string;
  errno: number | null;
}

/** Describes an exception of the loop the way Python's type(e).__mro__ would. */
export function describeException(err: BaseException): PyExceptionInfo {
  const ctor = err.constructor as ExceptionClass;
  const declared = Object.prototype.hasOwnProperty.call(ctor, 'pyBases') ? (ctor as unknown as typeof BaseException).pyBases : undefined;
  const bases: string[] = declared ? [...declared] : [];
  let parent = Object.getPrototypeOf(ctor) as Function | null;
  while (!declared && parent && parent !== Error && parent !== Function.prototype) {
    bases.push(pyNameOf(parent));
    if (parent === BaseException) break;
    parent = Object.getPrototypeOf(parent) as Function | null;
  }
  if (!declared) bases.push('object');
  return {
    type: pyNameOf(ctor),
    bases,
    module: (ctor as unknown as typeof BaseException).pyModule,
    message: err.message,
    errno: err instanceof OSError ? err.errno : null,
  };
}
