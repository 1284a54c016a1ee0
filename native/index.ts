/**
 * Typed loader of the loopspec native addon (native/*.cc).
 *
 * TypeScript validates arguments and applies defaults here; the C++ side
 * receives checked primitives. Every failing system call throws a
 * {@link SystemError} shaped like Node's: `{ code: 'EAGAIN', errno: 11, syscall: 'send' }`.
 *
 * The addon is context-aware: it loads in worker_threads too (a worker
 * writes to the loop's eventfd for call_soon_threadsafe).
 */
import * as fs from 'fs';
import * as path from 'path';

/** An error thrown by a system call of the addon (Node's SystemError shape). */
export interface SystemError extends Error {
  /** Symbolic errno name: 'EAGAIN'. */
  code: string;
  /** Positive errno value: 11. */
  errno: number;
  /** The failing system call: 'sendfile'. */
  syscall: string;
  /** The C library's text for errno: 'Resource temporarily unavailable'. */
  strerror: string;
}

/** Ready fd and its epoll event mask, as epoll_wait reports them. */
export type EpollEvent = [fd: number, events: number];

/** A polled fd and the events poll(2) returned for it (revents). */
export type PollEvent = [fd: number, revents: number];

interface RawAddon {
  errnoName(errno: number): string;
  strerror(errno: number): string;
  systemError(negErrno: number, syscall: string): SystemError;
  epollCreate(): number;
  epollCtl(epfd: number, op: number, fd: number, events: number): void;
  epollWait(epfd: number, timeoutMs: number, maxEvents: number): EpollEvent[];
  epollConstants: Record<'EPOLLIN' | 'EPOLLOUT' | 'EPOLLERR' | 'EPOLLHUP' | 'EPOLLRDHUP' |
    'EPOLL_CTL_ADD' | 'EPOLL_CTL_MOD' | 'EPOLL_CTL_DEL', number>;
  pollWait(pairs: Int32Array, timeoutMs: number): PollEvent[];
  pollConstants: Record<'POLLIN' | 'POLLPRI' | 'POLLOUT' | 'POLLERR' | 'POLLHUP' | 'POLLNVAL', number>;
  selectWait(readFds: Int32Array, writeFds: Int32Array, timeoutUs: number): [number[], number[]];
  selectConstants: Record<'FD_SETSIZE', number>;
  socketTcp(ipv6: boolean): number;
  socketpair(): [number, number];
  connect(fd: number, host: string, port: number): boolean;
  socketError(fd: number): number;
  send(fd: number, buf: Buffer, offset: number, length: number): number;
  recv(fd: number, buf: Buffer, offset: number, length: number): number;
  shutdown(fd: number, how: number): void;
  setsockoptInt(fd: number, level: number, name: number, value: number): void;
  setLinger(fd: number, onoff: number, seconds: number): void;
  socketType(fd: number): number;
  getsockname(fd: number): SocketAddress;
  getpeername(fd: number): SocketAddress;
  listenTcp(host: string, port: number, backlog: number): number;
  accept(fd: number): number;
  socketConstants: Record<'SOL_SOCKET' | 'SO_SNDBUF' | 'SO_RCVBUF' | 'IPPROTO_TCP' |
    'TCP_NODELAY' | 'SOCK_STREAM' | 'SOCK_DGRAM' | 'SHUT_RD' | 'SHUT_WR' | 'SHUT_RDWR', number>;
  sendfile(outFd: number, inFd: number, offset: number, count: number): number;
  monotonic(): number;
  monotonicResolution(): number;
  eventfdCreate(): number;
  eventfdWrite(fd: number): void;
  eventfdRead(fd: number): number;
  close(fd: number): void;
  openRead(path: string): number;
  fstat(fd: number): { size: number; isRegular: boolean };
  lseek(fd: number, offset: number, whence: number): number;
  pread(fd: number, buf: Buffer, offset: number, length: number, position: number): number;
  write(fd: number, buf: Buffer, offset: number, length: number): number;
  dup(fd: number): number;
  dup2(oldFd: number, newFd: number): void;
  openFds(): Array<[number, string]>;
  setChildSubreaper(): void;
  reap(pid: number): boolean;
}

/** A socket's address as getsockname/getpeername report it. */
export interface SocketAddress {
  family: 'AF_INET' | 'AF_INET6' | 'AF_UNIX';
  address: string;
  port: number | null;
}

/** Where the built addon is (workers load it by this path). */
export const addonPath: string = (() => {
  for (const flavour of ['Release', 'Debug']) {
    const candidate = path.join(__dirname, 'build', flavour, 'loopspec_native.node');
    if (fs.existsSync(candidate)) return candidate;
  }
  return path.join(__dirname, 'build', 'Release', 'loopspec_native.node');
})();

// eslint-disable-next-line @typescript-eslint/no-var-requires
const raw = require(addonPath) as RawAddon;

const MAX_FD = 0x7fffffff;
const MAX_OFFSET = Number.MAX_SAFE_INTEGER;

function checkInt(name: string, value: number, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`${name} must be an integer in [${min}, ${max}], got ${String(value)}`);
  }
  return value;
}

function checkFd(fd: number, name = 'fd'): number {
  return checkInt(name, fd, 0, MAX_FD);
}

function checkSpan(buf: Buffer, offset: number, length: number): void {
  if (!Buffer.isBuffer(buf)) throw new TypeError('buf must be a Buffer');
  checkInt('offset', offset, 0, buf.length);
  checkInt('length', length, 0, buf.length - offset);
}

/** True when `err` is a SystemError of the addon, optionally with one of `codes`. */
export function isSystemError(err: unknown, ...codes: string[]): err is SystemError {
  if (!(err instanceof Error)) return false;
  const e = err as Partial<SystemError>;
  if (typeof e.code !== 'string' || typeof e.errno !== 'number' || typeof e.syscall !== 'string') {
    return false;
  }
  return codes.length === 0 || codes.includes(e.code);
}

// errors.cc -----------------------------------------------------------------

/** The symbolic name of a positive errno ('ECONNRESET'). */
export function errnoName(errno: number): string {
  return raw.errnoName(checkInt('errno', errno, 0, 4095));
}

/** The C library's message for a positive errno ('Connection reset by peer'). */
export function strerror(errno: number): string {
  return raw.strerror(checkInt('errno', errno, 0, 4095));
}

/** A SystemError for `errno`, made by the same helper the system calls use. */
export function systemError(errno: number, syscall: string): SystemError {
  return raw.systemError(-checkInt('errno', errno, 0, 4095), String(syscall));
}

// epoll.cc ------------------------------------------------------------------

export const EPOLLIN = raw.epollConstants.EPOLLIN;
export const EPOLLOUT = raw.epollConstants.EPOLLOUT;
export const EPOLLERR = raw.epollConstants.EPOLLERR;
export const EPOLLHUP = raw.epollConstants.EPOLLHUP;
export const EPOLLRDHUP = raw.epollConstants.EPOLLRDHUP;
const EPOLL_CTL_ADD = raw.epollConstants.EPOLL_CTL_ADD;
const EPOLL_CTL_MOD = raw.epollConstants.EPOLL_CTL_MOD;
const EPOLL_CTL_DEL = raw.epollConstants.EPOLL_CTL_DEL;

/** epoll_create1(EPOLL_CLOEXEC). */
export function epollCreate(): number {
  return raw.epollCreate();
}

/** Registers `fd` with the event mask `events`. */
export function epollAdd(epfd: number, fd: number, events: number): void {
  raw.epollCtl(checkFd(epfd, 'epfd'), EPOLL_CTL_ADD, checkFd(fd), checkInt('events', events, 0, 0xffffffff));
}

/** Changes the event mask of a registered `fd`. */
export function epollModify(epfd: number, fd: number, events: number): void {
  raw.epollCtl(checkFd(epfd, 'epfd'), EPOLL_CTL_MOD, checkFd(fd), checkInt('events', events, 0, 0xffffffff));
}

/** Unregisters `fd`. */
export function epollDelete(epfd: number, fd: number): void {
  raw.epollCtl(checkFd(epfd, 'epfd'), EPOLL_CTL_DEL, checkFd(fd), 0);
}

/**
 * Waits for events; BLOCKS the calling thread (run_forever blocks its thread,
 * as asyncio's does). `timeoutMs` -1 waits forever, 0 polls; at most
 * 2^31-1 ms (~24.8 days), so callers clamp long timeouts.
 */
export function epollWait(epfd: number, timeoutMs = -1, maxEvents = 1024): EpollEvent[] {
  return raw.epollWait(
    checkFd(epfd, 'epfd'),
    checkInt('timeoutMs', timeoutMs, -1, 0x7fffffff),
    checkInt('maxEvents', maxEvents, 1, 65536),
  );
}

// poll.cc -------------------------------------------------------------------

export const POLLIN = raw.pollConstants.POLLIN;
export const POLLPRI = raw.pollConstants.POLLPRI;
export const POLLOUT = raw.pollConstants.POLLOUT;
export const POLLERR = raw.pollConstants.POLLERR;
export const POLLHUP = raw.pollConstants.POLLHUP;
export const POLLNVAL = raw.pollConstants.POLLNVAL;

/**
 * poll(2) over `fds`, each an fd and its event mask (POLLIN | POLLOUT...); the entries with
 * events, in the order given. BLOCKS the calling thread, as epollWait does. `timeoutMs` -1
 * waits forever, 0 polls; at most 2^31-1 ms, so callers clamp long timeouts.
 */
export function pollWait(fds: ReadonlyArray<readonly [fd: number, events: number]>, timeoutMs = -1): PollEvent[] {
  const pairs = new Int32Array(fds.length * 2);
  fds.forEach(([fd, events], i) => {
    pairs[2 * i] = checkFd(fd);
    pairs[2 * i + 1] = checkInt('events', events, 0, 0xffff);
  });
  return raw.pollWait(pairs, checkInt('timeoutMs', timeoutMs, -1, 0x7fffffff));
}

// select.cc -----------------------------------------------------------------

/** select(2)'s fd_set holds the descriptors 0 to FD_SETSIZE - 1 (1024 on Linux). */
export const FD_SETSIZE = raw.selectConstants.FD_SETSIZE;

/** The longest select(2) timeout taken, in microseconds: epollWait's 2^31-1 ms. */
const MAX_SELECT_TIMEOUT_US = 0x7fffffff * 1000;

/**
 * select(2) for reading on `readFds` and writing on `writeFds` (no exceptional set):
 * [readable, writable], each in the order given. BLOCKS the calling thread, as epollWait does.
 * Each fd must be below FD_SETSIZE. `timeoutUs` -1 waits forever, 0 polls, else microseconds
 * (at most 2^31-1 ms: callers clamp long timeouts).
 */
export function selectWait(readFds: readonly number[], writeFds: readonly number[], timeoutUs = -1): [readable: number[], writable: number[]] {
  const set = (name: string, fds: readonly number[]): Int32Array => Int32Array.from(fds, (fd) => checkInt(name, fd, 0, FD_SETSIZE - 1));
  return raw.selectWait(set('readFds', readFds), set('writeFds', writeFds), checkInt('timeoutUs', timeoutUs, -1, MAX_SELECT_TIMEOUT_US));
}

// socket.cc -----------------------------------------------------------------

export const SOL_SOCKET = raw.socketConstants.SOL_SOCKET;
export const SO_SNDBUF = raw.socketConstants.SO_SNDBUF;
export const SO_RCVBUF = raw.socketConstants.SO_RCVBUF;
export const IPPROTO_TCP = raw.socketConstants.IPPROTO_TCP;
export const TCP_NODELAY = raw.socketConstants.TCP_NODELAY;
export const SOCK_STREAM = raw.socketConstants.SOCK_STREAM;
export const SOCK_DGRAM = raw.socketConstants.SOCK_DGRAM;
export const SHUT_RD = raw.socketConstants.SHUT_RD;
export const SHUT_WR = raw.socketConstants.SHUT_WR;
export const SHUT_RDWR = raw.socketConstants.SHUT_RDWR;

/** A non-blocking, close-on-exec TCP socket (IPv4 unless `ipv6`). */
export function socketTcp(ipv6 = false): number {
  return raw.socketTcp(Boolean(ipv6));
}

/** A connected pair of non-blocking AF_UNIX stream sockets. */
export function socketpair(): [number, number] {
  return raw.socketpair();
}

/** connect(); true when connected at once, false while in progress (EINPROGRESS). */
export function connect(fd: number, host: string, port: number): boolean {
  if (typeof host !== 'string') throw new TypeError('host must be a string');
  return raw.connect(checkFd(fd), host, checkInt('port', port, 0, 65535));
}

/** The socket's pending error (SO_ERROR), 0 when none. */
export function socketError(fd: number): number {
  return raw.socketError(checkFd(fd));
}

/** send() with MSG_NOSIGNAL; returns bytes sent. */
export function send(fd: number, buf: Buffer, offset = 0, length = buf.length - offset): number {
  checkSpan(buf, offset, length);
  return raw.send(checkFd(fd), buf, offset, length);
}

/** recv(); returns bytes received, 0 at end of stream. */
export function recv(fd: number, buf: Buffer, offset = 0, length = buf.length - offset): number {
  checkSpan(buf, offset, length);
  return raw.recv(checkFd(fd), buf, offset, length);
}

/** shutdown(fd, how), how one of SHUT_RD / SHUT_WR / SHUT_RDWR. */
export function shutdown(fd: number, how: number = SHUT_RDWR): void {
  raw.shutdown(checkFd(fd), checkInt('how', how, 0, 2));
}

/** setsockopt() for an integer option. */
export function setsockoptInt(fd: number, level: number, name: number, value: number): void {
  raw.setsockoptInt(checkFd(fd), checkInt('level', level, 0, MAX_FD), checkInt('name', name, 0, MAX_FD),
    checkInt('value', value, -0x80000000, 0x7fffffff));
}

/** SO_LINGER; setLinger(fd, true, 0) makes close() reset the connection. */
export function setLinger(fd: number, on: boolean, seconds = 0): void {
  raw.setLinger(checkFd(fd), on ? 1 : 0, checkInt('seconds', seconds, 0, 0x7fffffff));
}

/** SO_TYPE of a socket (SOCK_STREAM...); throws ENOTSOCK for other fds. */
export function socketType(fd: number): number {
  return raw.socketType(checkFd(fd));
}

/** The socket's own address. */
export function getsockname(fd: number): SocketAddress {
  return raw.getsockname(checkFd(fd));
}

/** The connected peer's address. */
export function getpeername(fd: number): SocketAddress {
  return raw.getpeername(checkFd(fd));
}

/** A listening non-blocking TCP socket bound to host:port (port 0: any). */
export function listenTcp(host = '127.0.0.1', port = 0, backlog = 16): number {
  if (typeof host !== 'string') throw new TypeError('host must be a string');
  return raw.listenTcp(host, checkInt('port', port, 0, 65535), checkInt('backlog', backlog, 0, 65535));
}

/** accept4(); the new socket is non-blocking. */
export function accept(fd: number): number {
  return raw.accept(checkFd(fd));
}

// sendfile.cc ---------------------------------------------------------------

/** sendfile(2) from `inFd` at `offset` (the file position is untouched); bytes sent. */
export function sendfile(outFd: number, inFd: number, offset: number, count: number): number {
  return raw.sendfile(checkFd(outFd, 'outFd'), checkFd(inFd, 'inFd'),
    checkInt('offset', offset, 0, MAX_OFFSET), checkInt('count', count, 0, MAX_OFFSET));
}

// clock.cc ------------------------------------------------------------------

/** CLOCK_MONOTONIC in float seconds. */
export function monotonic(): number {
  return raw.monotonic();
}

/** Resolution of CLOCK_MONOTONIC in seconds. */
export function monotonicResolution(): number {
  return raw.monotonicResolution();
}

// fd.cc ---------------------------------------------------------------------

/** A non-blocking eventfd (the loop's wakeup descriptor). */
export function eventfdCreate(): number {
  return raw.eventfdCreate();
}

/** Adds 1 to an eventfd; callable from any thread. */
export function eventfdWrite(fd: number): void {
  raw.eventfdWrite(checkFd(fd));
}

/** Reads and resets an eventfd counter; 0 when it was not written. */
export function eventfdRead(fd: number): number {
  return raw.eventfdRead(checkFd(fd));
}

/** close(fd). */
export function close(fd: number): void {
  raw.close(checkFd(fd));
}

/** open(path, O_RDONLY | O_CLOEXEC). */
export function openRead(filePath: string): number {
  if (typeof filePath !== 'string') throw new TypeError('path must be a string');
  return raw.openRead(filePath);
}

/** fstat(): size and whether it is a regular file. */
export function fstat(fd: number): { size: number; isRegular: boolean } {
  return raw.fstat(checkFd(fd));
}

export const SEEK_SET = 0;
export const SEEK_CUR = 1;
export const SEEK_END = 2;

/** lseek(); returns the new position. */
export function lseek(fd: number, offset: number, whence: number = SEEK_SET): number {
  return raw.lseek(checkFd(fd), checkInt('offset', offset, -MAX_OFFSET, MAX_OFFSET), checkInt('whence', whence, 0, 2));
}

/** pread() into buf[offset, offset+length) from file position `position`. */
export function pread(fd: number, buf: Buffer, offset: number, length: number, position: number): number {
  checkSpan(buf, offset, length);
  return raw.pread(checkFd(fd), buf, offset, length, checkInt('position', position, 0, MAX_OFFSET));
}

/** write(); returns bytes written. */
export function write(fd: number, buf: Buffer, offset = 0, length = buf.length - offset): number {
  checkSpan(buf, offset, length);
  return raw.write(checkFd(fd), buf, offset, length);
}

/** dup() (close-on-exec, lowest fd >= 3). */
export function dup(fd: number): number {
  return raw.dup(checkFd(fd));
}

/** dup2(oldFd, newFd). */
export function dup2(oldFd: number, newFd: number): void {
  raw.dup2(checkFd(oldFd, 'oldFd'), checkFd(newFd, 'newFd'));
}

/** The descriptors this thread's addon instance opened and has not closed. */
export function openFds(): Array<{ fd: number; kind: string }> {
  return raw.openFds().map(([fd, kind]) => ({ fd, kind }));
}

// process.cc ----------------------------------------------------------------

/** prctl(PR_SET_CHILD_SUBREAPER): orphaned descendants are reparented to this process. */
export function setChildSubreaper(): void {
  raw.setChildSubreaper();
}

/** waitpid(pid, WNOHANG) for one named child: true once it is waited for (or is not ours). */
export function reap(pid: number): boolean {
  return raw.reap(checkInt('pid', pid, 1, 0x7fffffff));
}
