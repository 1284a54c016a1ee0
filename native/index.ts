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
// Buffer from its module: the global is a getter, called on every use (checkSpan runs on
// every send and recv).
import { Buffer } from 'buffer';
import * as fs from 'fs';
import * as path from 'path';

/**
 * An error thrown by a system call of the addon (Node's SystemError shape). getaddrinfo and
 * getnameinfo fail with their own codes: code 'EAI_NONAME', errno the EAI_* value (-2, negative on
 * Linux), as Python's socket.gaierror carries it; their EAI_SYSTEM is a plain errno error.
 */
export interface SystemError extends Error {
  /** Symbolic errno name: 'EAGAIN' (or 'EAI_NONAME'). */
  code: string;
  /** Positive errno value: 11 (or the negative EAI_* value). */
  errno: number;
  /** The failing system call: 'sendfile'. */
  syscall: string;
  /** The C library's text for errno (gai_strerror's for EAI_*): 'Resource temporarily unavailable'. */
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
  gaiError(code: number, syscall: string): SystemError;
  epollCreate(): number;
  epollCtl(epfd: number, op: number, fd: number, events: number): void;
  epollWait(epfd: number, timeoutMs: number, out: Int32Array, maxEvents: number): number;
  epollConstants: Record<'EPOLLIN' | 'EPOLLOUT' | 'EPOLLERR' | 'EPOLLHUP' | 'EPOLLRDHUP' |
    'EPOLL_CTL_ADD' | 'EPOLL_CTL_MOD' | 'EPOLL_CTL_DEL', number>;
  pollWait(pairs: Int32Array, timeoutMs: number): PollEvent[];
  pollConstants: Record<'POLLIN' | 'POLLPRI' | 'POLLOUT' | 'POLLERR' | 'POLLHUP' | 'POLLNVAL', number>;
  selectWait(readFds: Int32Array, writeFds: Int32Array, timeoutUs: number): [number[], number[]];
  selectConstants: Record<'FD_SETSIZE', number>;
  inetPton(family: number, text: string): Buffer | null;
  sockaddrConstants: Record<'SUN_PATH_SIZE', number>;
  socket(family: number, type: number, proto: number): number;
  socketpair(): [number, number];
  bind(fd: number, address: SockAddr): void;
  listen(fd: number, backlog: number): void;
  accept(fd: number): [number, SockAddr | null];
  connect(fd: number, address: SockAddr): void;
  send(fd: number, buf: Buffer, offset: number, length: number): number;
  recv(fd: number, buf: Buffer, offset: number, length: number): number;
  recvOrAgain(fd: number, buf: Buffer, offset: number, length: number): number;
  sendto(fd: number, buf: Buffer, offset: number, length: number, address: SockAddr): number;
  recvfrom(fd: number, buf: Buffer, offset: number, length: number): [number, SockAddr | null];
  shutdown(fd: number, how: number): void;
  getsockoptInt(fd: number, level: number, name: number): number;
  setsockoptInt(fd: number, level: number, name: number, value: number): void;
  setLinger(fd: number, onoff: number, seconds: number): void;
  getsockname(fd: number): SockAddr | null;
  getpeername(fd: number): SockAddr | null;
  socketConstants: Record<SocketConstant, number>;
  getaddrinfo(host: string | null, service: string | null, family: number, type: number, proto: number, flags: number): AddrInfo[];
  getnameinfo(address: SockAddr, flags: number): [host: string, service: string];
  dnsConstants: Record<DnsConstant, number>;
  sendfile(outFd: number, inFd: number, offset: number, count: number): number;
  monotonic(): number;
  monotonicResolution(): number;
  eventfdCreate(): number;
  eventfdWrite(fd: number): void;
  eventfdRead(fd: number): number;
  close(fd: number): void;
  openRead(path: string): number;
  fstat(fd: number): { size: number; isRegular: boolean };
  stat(path: Buffer): { ino: number; isSocket: boolean };
  unlink(path: Buffer): void;
  lseek(fd: number, offset: number, whence: number): number;
  pread(fd: number, buf: Buffer, offset: number, length: number, position: number): number;
  write(fd: number, buf: Buffer, offset: number, length: number): number;
  dup(fd: number): number;
  dup2(oldFd: number, newFd: number): void;
  fcntl(fd: number, cmd: number, arg: number): number;
  fdConstants: Record<'F_GETFD' | 'F_SETFD' | 'F_GETFL' | 'F_SETFL' | 'FD_CLOEXEC' | 'O_NONBLOCK', number>;
  openFds(): Array<[number, string]>;
  setChildSubreaper(): void;
  reap(pid: number): boolean;
  tlsContext(server: boolean): TlsContextHandle;
  tlsLoadVerifyLocations(ctx: TlsContextHandle, cafile: string): void;
  tlsSetDefaultVerifyPaths(ctx: TlsContextHandle): void;
  tlsLoadCertChain(ctx: TlsContextHandle, certfile: string, keyfile: string): void;
  tlsSetVerify(ctx: TlsContextHandle, required: boolean): void;
  tlsSession(ctx: TlsContextHandle, server: boolean, hostname: string | null): TlsSessionHandle;
  tlsHandshake(session: TlsSessionHandle): number;
  tlsFeed(session: TlsSessionHandle, buf: Buffer, offset: number, length: number): number;
  tlsPending(session: TlsSessionHandle): number;
  tlsDrain(session: TlsSessionHandle, buf: Buffer, offset: number, length: number): number;
  tlsRead(session: TlsSessionHandle, buf: Buffer, offset: number, length: number): number;
  tlsWrite(session: TlsSessionHandle, buf: Buffer, offset: number, length: number): number;
  tlsShutdown(session: TlsSessionHandle): number;
  tlsInfo(session: TlsSessionHandle): TlsInfo;
}

type SocketConstant = 'AF_UNSPEC' | 'AF_UNIX' | 'AF_INET' | 'AF_INET6' | 'SOCK_STREAM' | 'SOCK_DGRAM' |
  'SOCK_RAW' | 'SOCK_NONBLOCK' | 'SOCK_CLOEXEC' | 'SOMAXCONN' | 'SOL_SOCKET' | 'SO_REUSEADDR' |
  'SO_REUSEPORT' | 'SO_ERROR' | 'SO_TYPE' | 'SO_KEEPALIVE' | 'SO_BROADCAST' | 'SO_LINGER' | 'SO_SNDBUF' |
  'SO_RCVBUF' | 'IPPROTO_IP' | 'IPPROTO_TCP' | 'IPPROTO_UDP' | 'IPPROTO_IPV6' | 'TCP_NODELAY' |
  'IPV6_V6ONLY' | 'SHUT_RD' | 'SHUT_WR' | 'SHUT_RDWR';

type DnsConstant = 'AI_PASSIVE' | 'AI_CANONNAME' | 'AI_NUMERICHOST' | 'AI_NUMERICSERV' | 'AI_V4MAPPED' |
  'AI_ALL' | 'AI_ADDRCONFIG' | 'NI_NUMERICHOST' | 'NI_NUMERICSERV' | 'NI_NOFQDN' | 'NI_NAMEREQD' |
  'NI_DGRAM' | 'NI_MAXHOST' | 'NI_MAXSERV' | 'EAI_BADFLAGS' | 'EAI_NONAME' | 'EAI_AGAIN' | 'EAI_FAIL' |
  'EAI_NODATA' | 'EAI_FAMILY' | 'EAI_SOCKTYPE' | 'EAI_SERVICE' | 'EAI_ADDRFAMILY' | 'EAI_MEMORY' |
  'EAI_SYSTEM' | 'EAI_OVERFLOW';

/**
 * A socket address as it crosses the addon (struct sockaddr unpacked, native/sockaddr.cc). Hosts
 * are numeric: resolving a name is the caller's decision, through getaddrinfo.
 */
export type SockAddr = InetSockAddr | UnixSockAddr | OtherSockAddr;

/** AF_INET {host, port}; AF_INET6 adds flowinfo and scopeId (0 when left out). */
export interface InetSockAddr {
  family: number;
  host: string;
  port: number;
  flowinfo?: number;
  scopeId?: number;
}

/**
 * AF_UNIX: sun_path's bytes. A pathname ends before its NUL; an abstract name starts with
 * a NUL and is all its bytes; the empty path is an unbound socket (bind: pick an abstract name).
 */
export interface UnixSockAddr {
  family: number;
  path: Buffer;
}

/** Any other family, as the kernel reported it (Python's (family, sa_data)). */
export interface OtherSockAddr {
  family: number;
  data: Buffer;
}

/** One getaddrinfo result, Python's order: canonname is '' unless AI_CANONNAME gave one. */
export type AddrInfo = [family: number, type: number, proto: number, canonname: string, address: SockAddr];

/**
 * Where the built addon is (workers load it by this path): under native/build/, beside
 * binding.gyp, whether this module runs as the kit's built dist/native/index.js or from source.
 */
export const addonPath: string = (() => {
  const dir = fs.existsSync(path.join(__dirname, 'binding.gyp')) ? __dirname : path.join(__dirname, '..', '..', 'native');
  for (const flavour of ['Release', 'Debug']) {
    const candidate = path.join(dir, 'build', flavour, 'loopspec_native.node');
    if (fs.existsSync(candidate)) return candidate;
  }
  return path.join(dir, 'build', 'Release', 'loopspec_native.node');
})();

// A copy of the addon's exports: the object the addon fills through the API is in V8's
// dictionary mode, and a property load from it is a hash lookup on every call (raw.send,
// raw.recv on every request); a plain object of the same functions has fast properties.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const raw: RawAddon = { ...(require(addonPath) as RawAddon) };

const MAX_FD = 0x7fffffff;
const MAX_INT = 0x7fffffff;
const MIN_INT = -0x80000000;
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

/** The error a failed getaddrinfo/getnameinfo throws, for EAI_* `code` (EAI_NONAME: -2). */
export function gaiError(code: number, syscall: string): SystemError {
  return raw.gaiError(checkInt('code', code, -4095, 0), String(syscall));
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
  const out = new Int32Array(2 * checkInt('maxEvents', maxEvents, 1, 65536));
  const n = epollWaitInto(epfd, timeoutMs, out, maxEvents);
  const events: EpollEvent[] = new Array(n);
  for (let i = 0; i < n; i++) events[i] = [out[2 * i], out[2 * i + 1] >>> 0];
  return events;
}

/**
 * epollWait() into `out` as (fd, events) pairs, at most maxEvents of them; returns how many.
 * No object per event: what the selector calls on every loop iteration.
 */
export function epollWaitInto(epfd: number, timeoutMs: number, out: Int32Array, maxEvents: number): number {
  if (!(out instanceof Int32Array)) throw new TypeError('out must be an Int32Array');
  checkInt('maxEvents', maxEvents, 1, Math.min(65536, out.length >> 1));
  return raw.epollWait(checkFd(epfd, 'epfd'), checkInt('timeoutMs', timeoutMs, -1, 0x7fffffff), out, maxEvents);
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

// sockaddr.cc ---------------------------------------------------------------

/** sizeof(sockaddr_un.sun_path): a pathname fits with its NUL, an abstract name in all of it. */
export const SUN_PATH_SIZE = raw.sockaddrConstants.SUN_PATH_SIZE;

/** inet_pton(): the address's bytes, or null when `text` is not a numeric address of `family`. */
export function inetPton(family: number, text: string): Buffer | null {
  if (typeof text !== 'string') throw new TypeError('text must be a string');
  return raw.inetPton(checkInt('family', family, 0, MAX_FD), text);
}

function checkUint32(name: string, value: number | undefined): number {
  return value === undefined ? 0 : checkInt(name, value, 0, 0xffffffff);
}

/** Checks a SockAddr before C++ packs it (ranges; the numeric host is C++'s check). */
function checkSockAddr(address: SockAddr): SockAddr {
  if (typeof address !== 'object' || address === null) throw new TypeError('address must be a SockAddr');
  const family = checkInt('address.family', address.family, 0, 0xffff);
  if (family === AF_UNIX) {
    const { path: p } = address as UnixSockAddr;
    if (!Buffer.isBuffer(p)) throw new TypeError('address.path must be a Buffer');
    const abstract = p.length === 0 || p[0] === 0;
    checkInt('address.path length', p.length, 0, abstract ? SUN_PATH_SIZE : SUN_PATH_SIZE - 1);
    return { family, path: p };
  }
  if (family !== AF_INET && family !== AF_INET6) throw new TypeError('address.family must be AF_INET, AF_INET6 or AF_UNIX');
  const a = address as InetSockAddr;
  if (typeof a.host !== 'string') throw new TypeError('address.host must be a string');
  const port = checkInt('address.port', a.port, 0, 65535);
  if (family === AF_INET) return { family, host: a.host, port };
  return { family, host: a.host, port, flowinfo: checkInt('address.flowinfo', a.flowinfo ?? 0, 0, 0xfffff), scopeId: checkUint32('address.scopeId', a.scopeId) };
}

// socket.cc -----------------------------------------------------------------

export const AF_UNSPEC = raw.socketConstants.AF_UNSPEC;
export const AF_UNIX = raw.socketConstants.AF_UNIX;
export const AF_INET = raw.socketConstants.AF_INET;
export const AF_INET6 = raw.socketConstants.AF_INET6;
export const SOCK_STREAM = raw.socketConstants.SOCK_STREAM;
export const SOCK_DGRAM = raw.socketConstants.SOCK_DGRAM;
export const SOCK_RAW = raw.socketConstants.SOCK_RAW;
export const SOCK_NONBLOCK = raw.socketConstants.SOCK_NONBLOCK;
export const SOCK_CLOEXEC = raw.socketConstants.SOCK_CLOEXEC;
export const SOMAXCONN = raw.socketConstants.SOMAXCONN;
export const SOL_SOCKET = raw.socketConstants.SOL_SOCKET;
export const SO_REUSEADDR = raw.socketConstants.SO_REUSEADDR;
export const SO_REUSEPORT = raw.socketConstants.SO_REUSEPORT;
export const SO_ERROR = raw.socketConstants.SO_ERROR;
export const SO_TYPE = raw.socketConstants.SO_TYPE;
export const SO_KEEPALIVE = raw.socketConstants.SO_KEEPALIVE;
export const SO_BROADCAST = raw.socketConstants.SO_BROADCAST;
export const SO_LINGER = raw.socketConstants.SO_LINGER;
export const SO_SNDBUF = raw.socketConstants.SO_SNDBUF;
export const SO_RCVBUF = raw.socketConstants.SO_RCVBUF;
export const IPPROTO_IP = raw.socketConstants.IPPROTO_IP;
export const IPPROTO_TCP = raw.socketConstants.IPPROTO_TCP;
export const IPPROTO_UDP = raw.socketConstants.IPPROTO_UDP;
export const IPPROTO_IPV6 = raw.socketConstants.IPPROTO_IPV6;
export const TCP_NODELAY = raw.socketConstants.TCP_NODELAY;
export const IPV6_V6ONLY = raw.socketConstants.IPV6_V6ONLY;
export const SHUT_RD = raw.socketConstants.SHUT_RD;
export const SHUT_WR = raw.socketConstants.SHUT_WR;
export const SHUT_RDWR = raw.socketConstants.SHUT_RDWR;

/** socket(family, type, proto), always non-blocking and close-on-exec. */
export function socket(family: number = AF_INET, type: number = SOCK_STREAM, proto = 0): number {
  return raw.socket(checkInt('family', family, 0, MAX_INT), checkInt('type', type, 0, MAX_INT), checkInt('proto', proto, 0, MAX_INT));
}

/** A connected pair of non-blocking AF_UNIX stream sockets. */
export function socketpair(): [number, number] {
  return raw.socketpair();
}

/** bind(fd, address). */
export function bind(fd: number, address: SockAddr): void {
  raw.bind(checkFd(fd), checkSockAddr(address));
}

/** listen(fd, backlog). */
export function listen(fd: number, backlog: number): void {
  raw.listen(checkFd(fd), checkInt('backlog', backlog, 0, MAX_INT));
}

/**
 * accept4(SOCK_NONBLOCK | SOCK_CLOEXEC): the new socket and its peer's address (null when
 * the kernel gives none). EAGAIN when no connection waits.
 */
export function accept(fd: number): [number, SockAddr | null] {
  return raw.accept(checkFd(fd));
}

/** connect(); a connection that goes on in the background throws EINPROGRESS (wait for writability, read SO_ERROR). */
export function connect(fd: number, address: SockAddr): void {
  raw.connect(checkFd(fd), checkSockAddr(address));
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

/** recv(), but -1 instead of an EAGAIN error: bytes received, 0 at end of stream, -1 when none yet. */
export function recvOrAgain(fd: number, buf: Buffer, offset = 0, length = buf.length - offset): number {
  checkSpan(buf, offset, length);
  return raw.recvOrAgain(checkFd(fd), buf, offset, length);
}

/** shutdown(fd, how), how one of SHUT_RD / SHUT_WR / SHUT_RDWR. */
export function shutdown(fd: number, how: number = SHUT_RDWR): void {
  raw.shutdown(checkFd(fd), checkInt('how', how, 0, 2));
}

/** getsockopt() of an integer option (SO_ERROR, SO_TYPE, TCP_NODELAY...). */
export function getsockoptInt(fd: number, level: number, name: number): number {
  return raw.getsockoptInt(checkFd(fd), checkInt('level', level, 0, MAX_INT), checkInt('name', name, 0, MAX_INT));
}

/** setsockopt() for an integer option. */
export function setsockoptInt(fd: number, level: number, name: number, value: number): void {
  raw.setsockoptInt(checkFd(fd), checkInt('level', level, 0, MAX_INT), checkInt('name', name, 0, MAX_INT),
    checkInt('value', value, MIN_INT, MAX_INT));
}

/** The socket's pending error (SO_ERROR), 0 when none; reading it clears it. */
export function socketError(fd: number): number {
  return getsockoptInt(fd, SOL_SOCKET, SO_ERROR);
}

/** SO_TYPE of a socket (SOCK_STREAM...); throws ENOTSOCK for other fds. */
export function socketType(fd: number): number {
  return getsockoptInt(fd, SOL_SOCKET, SO_TYPE);
}

/** SO_LINGER; setLinger(fd, true, 0) makes close() reset the connection. */
export function setLinger(fd: number, on: boolean, seconds = 0): void {
  raw.setLinger(checkFd(fd), on ? 1 : 0, checkInt('seconds', seconds, 0, MAX_INT));
}

/** The socket's own address. */
export function getsockname(fd: number): SockAddr | null {
  return raw.getsockname(checkFd(fd));
}

/** The connected peer's address (ENOTCONN when there is none). */
export function getpeername(fd: number): SockAddr | null {
  return raw.getpeername(checkFd(fd));
}

// datagram.cc ---------------------------------------------------------------

/** sendto() with MSG_NOSIGNAL: one datagram to `address`; returns bytes sent. */
export function sendto(fd: number, buf: Buffer, offset: number, length: number, address: SockAddr): number {
  checkSpan(buf, offset, length);
  return raw.sendto(checkFd(fd), buf, offset, length, checkSockAddr(address));
}

/** recvfrom(): one datagram (cut to the span) and its sender's address (null: none given). */
export function recvfrom(fd: number, buf: Buffer, offset = 0, length = buf.length - offset): [number, SockAddr | null] {
  checkSpan(buf, offset, length);
  return raw.recvfrom(checkFd(fd), buf, offset, length);
}

// dns.cc --------------------------------------------------------------------

export const AI_PASSIVE = raw.dnsConstants.AI_PASSIVE;
export const AI_CANONNAME = raw.dnsConstants.AI_CANONNAME;
export const AI_NUMERICHOST = raw.dnsConstants.AI_NUMERICHOST;
export const AI_NUMERICSERV = raw.dnsConstants.AI_NUMERICSERV;
export const AI_V4MAPPED = raw.dnsConstants.AI_V4MAPPED;
export const AI_ALL = raw.dnsConstants.AI_ALL;
export const AI_ADDRCONFIG = raw.dnsConstants.AI_ADDRCONFIG;
export const NI_NUMERICHOST = raw.dnsConstants.NI_NUMERICHOST;
export const NI_NUMERICSERV = raw.dnsConstants.NI_NUMERICSERV;
export const NI_NOFQDN = raw.dnsConstants.NI_NOFQDN;
export const NI_NAMEREQD = raw.dnsConstants.NI_NAMEREQD;
export const NI_DGRAM = raw.dnsConstants.NI_DGRAM;
export const NI_MAXHOST = raw.dnsConstants.NI_MAXHOST;
export const NI_MAXSERV = raw.dnsConstants.NI_MAXSERV;
export const EAI_BADFLAGS = raw.dnsConstants.EAI_BADFLAGS;
export const EAI_NONAME = raw.dnsConstants.EAI_NONAME;
export const EAI_AGAIN = raw.dnsConstants.EAI_AGAIN;
export const EAI_FAIL = raw.dnsConstants.EAI_FAIL;
export const EAI_NODATA = raw.dnsConstants.EAI_NODATA;
export const EAI_FAMILY = raw.dnsConstants.EAI_FAMILY;
export const EAI_SOCKTYPE = raw.dnsConstants.EAI_SOCKTYPE;
export const EAI_SERVICE = raw.dnsConstants.EAI_SERVICE;
export const EAI_ADDRFAMILY = raw.dnsConstants.EAI_ADDRFAMILY;
export const EAI_MEMORY = raw.dnsConstants.EAI_MEMORY;
export const EAI_SYSTEM = raw.dnsConstants.EAI_SYSTEM;
export const EAI_OVERFLOW = raw.dnsConstants.EAI_OVERFLOW;

function checkOptionalString(name: string, value: string | null): string | null {
  if (value !== null && typeof value !== 'string') throw new TypeError(`${name} must be a string or null`);
  return value;
}

/**
 * getaddrinfo(host, service, family, type, proto, flags); null host or service is NULL.
 * BLOCKS the calling thread until the resolver answers: the loop runs it on a worker thread
 * (the addon loads there too, and the call is thread-safe).
 */
export function getaddrinfo(host: string | null, service: string | null, family = 0, type = 0, proto = 0, flags = 0): AddrInfo[] {
  return raw.getaddrinfo(checkOptionalString('host', host), checkOptionalString('service', service),
    checkInt('family', family, MIN_INT, MAX_INT), checkInt('type', type, MIN_INT, MAX_INT),
    checkInt('proto', proto, MIN_INT, MAX_INT), checkInt('flags', flags, MIN_INT, MAX_INT));
}

/** getnameinfo(address, flags) -> [host, service]; BLOCKS like getaddrinfo (a reverse lookup). */
export function getnameinfo(address: SockAddr, flags: number): [host: string, service: string] {
  return raw.getnameinfo(checkSockAddr(address), checkInt('flags', flags, MIN_INT, MAX_INT));
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

export const F_GETFD = raw.fdConstants.F_GETFD;
export const F_SETFD = raw.fdConstants.F_SETFD;
export const F_GETFL = raw.fdConstants.F_GETFL;
export const F_SETFL = raw.fdConstants.F_SETFL;
export const FD_CLOEXEC = raw.fdConstants.FD_CLOEXEC;
export const O_NONBLOCK = raw.fdConstants.O_NONBLOCK;

/** fcntl(fd, cmd, arg) for F_GETFD / F_SETFD / F_GETFL / F_SETFL (the flag commands, nothing else). */
export function fcntl(fd: number, cmd: number, arg = 0): number {
  if (![F_GETFD, F_SETFD, F_GETFL, F_SETFL].includes(cmd)) throw new TypeError('cmd must be F_GETFD, F_SETFD, F_GETFL or F_SETFL');
  return raw.fcntl(checkFd(fd), cmd, checkInt('arg', arg, MIN_INT, MAX_INT));
}

/** The descriptors this thread's addon instance opened and has not closed. */
export function openFds(): Array<{ fd: number; kind: string }> {
  return raw.openFds().map(([fd, kind]) => ({ fd, kind }));
}

// paths.cc ------------------------------------------------------------------

/** A path as the bytes the system calls take (a string is UTF-8, as Python's os.fsencode). */
function pathBytes(filePath: string | Buffer): Buffer {
  const bytes = typeof filePath === 'string' ? Buffer.from(filePath, 'utf8') : filePath;
  if (!Buffer.isBuffer(bytes)) throw new TypeError('path must be a string or a Buffer');
  if (bytes.includes(0)) throw new TypeError('path must not contain NUL bytes');
  return bytes;
}

/** stat(path), symbolic links followed: the inode number and whether it is a socket. */
export function stat(filePath: string | Buffer): { ino: number; isSocket: boolean } {
  return raw.stat(pathBytes(filePath));
}

/** unlink(path). */
export function unlink(filePath: string | Buffer): void {
  raw.unlink(pathBytes(filePath));
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

// tls.cc --------------------------------------------------------------------
// TLS as a byte transformer over memory BIOs (Node's own OpenSSL): the caller moves ciphertext
// between the socket and the session (tlsFeed in, tlsDrain out) and nothing here blocks.

/** An OpenSSL SSL_CTX, freed when no session and no reference holds it. */
export type TlsContextHandle = { readonly __brand: 'TlsContext' };
/** An OpenSSL SSL with its two memory BIOs, freed when unreferenced. */
export type TlsSessionHandle = { readonly __brand: 'TlsSession' };

/** What a TLS call failed with: Python's ssl.SSLError fields (verifyCode not 0: SSLCertVerificationError). */
export interface TlsError extends Error {
  code: 'SSL_ERROR_SSL' | 'SSL_ERROR_SYSCALL' | 'SSL_ERROR_ZERO_RETURN' | 'SSL_ERROR';
  library: string | null;
  reason: string | null;
  verifyCode: number;
  verifyMessage: string;
}

/** A session's negotiated parameters, for get_extra_info(). */
export interface TlsInfo {
  version: string;
  cipher: [name: string, protocol: string, bits: number] | null;
  /** The peer's certificate, DER. */
  peerCertificate: Buffer | null;
  /** X509_V_OK (0), or why the peer's certificate did not verify. */
  verifyCode: number;
}

/** What a handshake step asks for next. */
export const TLS_DONE = 0;
export const TLS_WANT_READ = 1;
export const TLS_WANT_WRITE = 2;

/** A context for one side (server or client), TLS 1.2 and later, verifying nothing yet. */
export function tlsContext(server: boolean): TlsContextHandle {
  return raw.tlsContext(server);
}

/** Trusts the certificates of a PEM file (cafile). */
export function tlsLoadVerifyLocations(ctx: TlsContextHandle, cafile: string): void {
  raw.tlsLoadVerifyLocations(ctx, cafile);
}

/** Trusts the system's certificate authorities. */
export function tlsSetDefaultVerifyPaths(ctx: TlsContextHandle): void {
  raw.tlsSetDefaultVerifyPaths(ctx);
}

/** This side's certificate chain and private key (PEM files). */
export function tlsLoadCertChain(ctx: TlsContextHandle, certfile: string, keyfile: string): void {
  raw.tlsLoadCertChain(ctx, certfile, keyfile);
}

/** Whether the peer must present a certificate that verifies (CERT_REQUIRED) or nothing is checked (CERT_NONE). */
export function tlsSetVerify(ctx: TlsContextHandle, required: boolean): void {
  raw.tlsSetVerify(ctx, required);
}

/** A session: a client sends `hostname` as SNI and, when verifying, matches the certificate against it. */
export function tlsSession(ctx: TlsContextHandle, server: boolean, hostname: string | null = null): TlsSessionHandle {
  return raw.tlsSession(ctx, server, hostname);
}

/** One handshake step: TLS_DONE, or TLS_WANT_READ (feed the peer's bytes, drain ours, call again). */
export function tlsHandshake(session: TlsSessionHandle): number {
  return raw.tlsHandshake(session);
}

/** Ciphertext from the peer into the session: all of it is taken. */
export function tlsFeed(session: TlsSessionHandle, data: Buffer): number {
  return raw.tlsFeed(session, data, 0, data.length);
}

/** Ciphertext for the peer, all that is waiting (empty when none). */
export function tlsDrainAll(session: TlsSessionHandle): Buffer {
  const n = raw.tlsPending(session);
  if (n === 0) return Buffer.alloc(0);
  const out = Buffer.allocUnsafe(n);
  return out.subarray(0, raw.tlsDrain(session, out, 0, n));
}

/** Plaintext into buf: its length (> 0), -1 when more must come from the peer, 0 when the peer closed the session. */
export function tlsRead(session: TlsSessionHandle, buf: Buffer, offset = 0, length = buf.length - offset): number {
  checkSpan(buf, offset, length);
  return raw.tlsRead(session, buf, offset, length);
}

/** Plaintext out of data: how much was taken (> 0), or -1 / -2 when the session wants the peer's bytes / ours drained first. */
export function tlsWrite(session: TlsSessionHandle, data: Buffer, offset = 0, length = data.length - offset): number {
  checkSpan(data, offset, length);
  return raw.tlsWrite(session, data, offset, length);
}

/** The close_notify alert: 1 when both sides' are through, 0 when ours is queued (drain it). */
export function tlsShutdown(session: TlsSessionHandle): number {
  return raw.tlsShutdown(session);
}

/** The negotiated version and cipher, the peer's certificate and its verification result. */
export function tlsInfo(session: TlsSessionHandle): TlsInfo {
  return raw.tlsInfo(session);
}

/** Whether err is a TLS failure of the addon's. */
export function isTlsError(err: unknown): err is TlsError {
  return err instanceof Error && typeof (err as TlsError).code === 'string' && (err as TlsError).code.startsWith('SSL_ERROR');
}
