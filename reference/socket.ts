/**
 * The reference's socket object: a non-blocking socket (all asyncio needs),
 * its methods raising Python's OSError subclasses.
 */
import * as native from '../native';
import { fromSystemError, ValueError } from './errors';
import { FdResource } from './resources';

export class Socket extends FdResource {
  private constructor(fd: number, readonly family: 'AF_INET' | 'AF_INET6' | 'AF_UNIX', readonly type: number) {
    super('socket', fd);
  }

  /** socket.socket(AF_INET or AF_INET6, SOCK_STREAM), made non-blocking. */
  static tcp(ipv6 = false): Socket {
    return new Socket(call(() => native.socketTcp(ipv6)), ipv6 ? 'AF_INET6' : 'AF_INET', native.SOCK_STREAM);
  }

  /** socket.socketpair(): two connected non-blocking AF_UNIX stream sockets. */
  static pair(): [Socket, Socket] {
    const [a, b] = call(() => native.socketpair());
    return [new Socket(a, 'AF_UNIX', native.SOCK_STREAM), new Socket(b, 'AF_UNIX', native.SOCK_STREAM)];
  }

  /** A listening TCP socket on host:port (port 0: any free port). */
  static listen(host = '127.0.0.1', port = 0, backlog = 16): Socket {
    return new Socket(call(() => native.listenTcp(host, port, backlog)), host.includes(':') ? 'AF_INET6' : 'AF_INET', native.SOCK_STREAM);
  }

  /** socket.accept() on a listening socket (non-blocking: BlockingIOError when none waits). */
  accept(): Socket {
    return new Socket(call(() => native.accept(this.fileno())), this.family, native.SOCK_STREAM);
  }

  /** socket.fileno(): -1 once closed. */
  fileno(): number {
    return this.fd;
  }

  /** socket.getblocking(): always false, asyncio's sockets are non-blocking. */
  getblocking(): boolean {
    return false;
  }

  /** True for SOCK_STREAM sockets. */
  isStream(): boolean {
    return this.type === native.SOCK_STREAM;
  }

  /** socket.send(data): bytes sent; BlockingIOError when the buffer is full. */
  send(data: Buffer): number {
    return call(() => native.send(this.checkedFd(), data, 0, data.length));
  }

  /** socket.recv(n): up to n bytes, empty at end of stream; BlockingIOError when none. */
  recv(n: number): Buffer {
    const buf = Buffer.allocUnsafe(n);
    const got = call(() => native.recv(this.checkedFd(), buf, 0, n));
    return buf.subarray(0, got);
  }

  /** socket.shutdown(how). */
  shutdown(how: number): void {
    call(() => native.shutdown(this.checkedFd(), how));
  }

  /** socket.getsockname() as [host, port]. */
  getsockname(): [string, number | null] {
    const a = call(() => native.getsockname(this.checkedFd()));
    return [a.address, a.port];
  }

  /** socket.getpeername() as [host, port]. */
  getpeername(): [string, number | null] {
    const a = call(() => native.getpeername(this.checkedFd()));
    return [a.address, a.port];
  }

  /** SO_LINGER on with 0 s: close() then resets the connection (RST). */
  setLingerReset(): void {
    call(() => native.setLinger(this.checkedFd(), true, 0));
  }

  /** setsockopt(SOL_SOCKET, SO_SNDBUF, size). */
  setSendBuffer(size: number): void {
    call(() => native.setsockoptInt(this.checkedFd(), native.SOL_SOCKET, native.SO_SNDBUF, size));
  }

  private checkedFd(): number {
    if (this.closed) throw fromSystemError(native.systemError(9, 'socket'));
    return this.fd;
  }

  override toString(): string {
    return `<socket fd=${this.fd}, family=${this.family}, type=SOCK_STREAM>`;
  }
}

/** Runs a native call, turning its SystemError into Python's OSError subclass. */
function call<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw fromSystemError(err);
  }
}

/** Checks an fd argument as asyncio's selectors do (an int, or an object with fileno()). */
export function fileobjToFd(fileobj: number | { fileno(): number }): number {
  const fd = typeof fileobj === 'number' ? fileobj : fileobj.fileno();
  if (!Number.isInteger(fd)) throw new ValueError(`Invalid file object: ${String(fileobj)}`);
  if (fd < 0) throw new ValueError(`Invalid file descriptor: ${fd}`);
  return fd;
}
