/**
 * The reference's socket module: what asyncio's base_events.py and selector_events.py use of
 * Python's `socket`, over native/ (one system call per native function). Python's policy lives
 * here: checking addresses and giving them Python's shapes (socketmodule.c's getsockaddrarg,
 * setipaddr and makesockaddr), getaddrinfo's argument conversions, the exceptions raised.
 * Doc: https://docs.python.org/3/library/socket.html
 *
 * Addresses have Python's shapes (https://docs.python.org/3/library/socket.html#socket-families):
 *   AF_INET    [host, port]
 *   AF_INET6   [host, port, flowinfo, scope_id]   (bind and connect take 2 to 4 items)
 *   AF_UNIX    a path, as a string or as bytes (a Buffer); an abstract name (leading NUL)
 *              always comes back as bytes, as Linux's Python gives it
 */
import { domainToASCII } from 'url';
import * as native from '../native';
import { fromSystemError, OSError, OverflowError, PyTypeError, UnicodeError, ValueError } from './errors';
import { FdResource } from './resources';
import type { ReadSlab } from './read_slab';

// Linux's values, under Python's names.
export const {
  AF_UNSPEC, AF_UNIX, AF_INET, AF_INET6, SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, SOCK_NONBLOCK, SOCK_CLOEXEC,
  SOMAXCONN, SOL_SOCKET, SO_REUSEADDR, SO_REUSEPORT, SO_ERROR, SO_TYPE, SO_KEEPALIVE, SO_BROADCAST,
  SO_LINGER, SO_SNDBUF, SO_RCVBUF, IPPROTO_IP, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_IPV6, TCP_NODELAY,
  IPV6_V6ONLY, SHUT_RD, SHUT_WR, SHUT_RDWR,
  AI_PASSIVE, AI_CANONNAME, AI_NUMERICHOST, AI_NUMERICSERV, AI_V4MAPPED, AI_ALL, AI_ADDRCONFIG,
  NI_NUMERICHOST, NI_NUMERICSERV, NI_NOFQDN, NI_NAMEREQD, NI_DGRAM, NI_MAXHOST, NI_MAXSERV,
  EAI_BADFLAGS, EAI_NONAME, EAI_AGAIN, EAI_FAIL, EAI_NODATA, EAI_FAMILY, EAI_SOCKTYPE, EAI_SERVICE,
  EAI_ADDRFAMILY, EAI_MEMORY, EAI_SYSTEM, EAI_OVERFLOW,
} = native;

export type InetAddress = [host: string, port: number];
export type Inet6Address = [host: string, port: number, flowinfo: number, scopeId: number];
export type UnixAddress = string | Buffer;
/** A socket address, Python's shape for its family ((family, sa_data) for other families). */
export type Address = InetAddress | Inet6Address | UnixAddress | [family: number, data: Buffer];
/** What bind() and connect() take: an Address, or AF_INET6's shorter tuples. */
export type AddressArg = Address | [host: string, port: number, flowinfo?: number];

/** Flags that socket.type leaves out since Python 3.7: type is SOCK_STREAM, never SOCK_STREAM | SOCK_NONBLOCK. */
const TYPE_FLAGS = SOCK_NONBLOCK | SOCK_CLOEXEC;

/** socket.listen()'s backlog when none is given: min(SOMAXCONN, 128), as socketmodule.c has it. */
const DEFAULT_BACKLOG = Math.min(SOMAXCONN, 128);

/**
 * socket.socket. Those it makes (create, pair, accept) are non-blocking and close-on-exec from
 * their first moment, as asyncio needs; fromfd keeps the descriptor's mode, as Python does.
 */
export class Socket extends FdResource {
  /** The type without SOCK_NONBLOCK / SOCK_CLOEXEC (Python's socket.type). */
  readonly type: number;
  /** What getblocking() reports: Python keeps it with the socket, so it answers after close too. */
  private blocking: boolean;

  private constructor(fd: number, readonly family: number, type: number, readonly proto: number, blocking: boolean) {
    super('socket', fd);
    this.type = type & ~TYPE_FLAGS;
    this.blocking = blocking;
  }

  /** socket.socket(family, type, proto), non-blocking. https://docs.python.org/3/library/socket.html#socket.socket */
  static create(family: number = AF_INET, type: number = SOCK_STREAM, proto = 0): Socket {
    return new Socket(call(() => native.socket(family, type, proto)), family, type, proto, false);
  }

  /** socket.socket(AF_INET or AF_INET6, SOCK_STREAM). */
  static tcp(ipv6 = false): Socket {
    return Socket.create(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM);
  }

  /** socket.socketpair(): two connected non-blocking AF_UNIX stream sockets. */
  static pair(): [Socket, Socket] {
    const [a, b] = call(() => native.socketpair());
    return [new Socket(a, AF_UNIX, SOCK_STREAM, 0, false), new Socket(b, AF_UNIX, SOCK_STREAM, 0, false)];
  }

  /**
   * socket.fromfd(fd, family, type, proto): a socket on a duplicate of `fd` (close-on-exec),
   * in the blocking mode `fd` is in. https://docs.python.org/3/library/socket.html#socket.fromfd
   */
  static fromfd(fd: number, family: number, type: number, proto = 0): Socket {
    const copy = call(() => native.dup(fd));
    try {
      return new Socket(copy, family, type, proto, (call(() => native.fcntl(copy, native.F_GETFL)) & native.O_NONBLOCK) === 0);
    } catch (err) {
      native.close(copy);
      throw err;
    }
  }

  /** A listening TCP socket on host:port (port 0: any free port), with SO_REUSEADDR as create_server sets it. */
  static listen(host = '127.0.0.1', port = 0, backlog = 16): Socket {
    const sock = Socket.create(host.includes(':') ? AF_INET6 : AF_INET, SOCK_STREAM);
    try {
      sock.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
      sock.bind([host, port]);
      sock.listen(backlog);
    } catch (err) {
      sock.close();
      throw err;
    }
    return sock;
  }

  /** socket.bind(address). */
  bind(address: AddressArg): void {
    const addr = toSockAddr(this.family, address, 'bind');
    call(() => native.bind(this.checkedFd(), addr));
  }

  /** socket.listen([backlog]): a negative backlog is 0, none is min(SOMAXCONN, 128). */
  listen(backlog = DEFAULT_BACKLOG): void {
    call(() => native.listen(this.checkedFd(), Math.max(0, backlog)));
  }

  /**
   * socket.accept() -> [conn, address]; the new socket is non-blocking and close-on-exec
   * (accept4). BlockingIOError when no connection waits.
   */
  accept(): [Socket, Address | null] {
    const [fd, peer] = call(() => native.accept(this.checkedFd()));
    return [new Socket(fd, this.family, this.type, this.proto, false), fromSockAddr(peer)];
  }

  /**
   * socket.connect(address). Non-blocking, so a connection that goes on in the background
   * raises BlockingIOError (EINPROGRESS); its outcome is SO_ERROR once the socket is writable.
   */
  connect(address: AddressArg): void {
    const addr = toSockAddr(this.family, address, 'connect');
    call(() => native.connect(this.checkedFd(), addr));
  }

  /** socket.connect_ex(address): the errno connect() failed with (EINPROGRESS...), 0 when connected. */
  connectEx(address: AddressArg): number {
    const addr = toSockAddr(this.family, address, 'connect_ex');
    const fd = this.checkedFd();
    try {
      native.connect(fd, addr);
      return 0;
    } catch (err) {
      if (native.isSystemError(err)) return err.errno;
      throw err;
    }
  }

  /** socket.fileno(): -1 once closed. */
  fileno(): number {
    return this.fd;
  }

  /** socket.dup(): a new socket on a duplicate descriptor. */
  dup(): Socket {
    return Socket.fromfd(this.checkedFd(), this.family, this.type, this.proto);
  }

  /** socket.getblocking(). */
  getblocking(): boolean {
    return this.blocking;
  }

  /** socket.setblocking(flag): O_NONBLOCK off or on. */
  setblocking(flag: boolean): void {
    const fd = this.checkedFd();
    const flags = call(() => native.fcntl(fd, native.F_GETFL));
    const wanted = flag ? flags & ~native.O_NONBLOCK : flags | native.O_NONBLOCK;
    if (wanted !== flags) call(() => native.fcntl(fd, native.F_SETFL, wanted));
    this.blocking = Boolean(flag);
  }

  /** True for SOCK_STREAM sockets. */
  isStream(): boolean {
    return this.type === SOCK_STREAM;
  }

  /** socket.send(data): bytes sent; BlockingIOError when the buffer is full. */
  send(data: Buffer): number {
    return call(() => native.send(this.checkedFd(), data, 0, data.length));
  }

  /**
   * socket.recv(n) for a loop's "try now, else wait when readable": null instead of
   * BlockingIOError when nothing is there yet (no error is built on that path, taken on every
   * request of a sock_recv server). The bytes land in the loop's slab instead of in a new
   * buffer of n bytes.
   */
  recvOrNull(n: number, slab: ReadSlab): Buffer | null {
    return call(() => slab.recvOrNull(this.checkedFd(), n));
  }

  /** socket.recv(n): up to n bytes, empty at end of stream; BlockingIOError when none. */
  recv(n: number): Buffer {
    const buf = Buffer.allocUnsafe(n);
    const got = call(() => native.recv(this.checkedFd(), buf, 0, n));
    return buf.subarray(0, got);
  }

  /** socket.sendto(data, address): one datagram to address; bytes sent; BlockingIOError when the buffer is full. */
  sendto(data: Buffer, address: AddressArg): number {
    const addr = toSockAddr(this.family, address, 'sendto');
    return call(() => native.sendto(this.checkedFd(), data, 0, data.length, addr));
  }

  /** socket.recvfrom(n) -> [data, address]: one datagram (cut to n bytes) and its sender (null: none); BlockingIOError when none. */
  recvfrom(n: number): [Buffer, Address | null] {
    const buf = Buffer.allocUnsafe(n);
    const [got, from] = call(() => native.recvfrom(this.checkedFd(), buf, 0, n));
    return [buf.subarray(0, got), fromSockAddr(from)];
  }

  /** socket.shutdown(how). */
  shutdown(how: number): void {
    call(() => native.shutdown(this.checkedFd(), how));
  }

  /** socket.getsockname(): the socket's own address, in its family's shape. */
  getsockname(): Address | null {
    return fromSockAddr(call(() => native.getsockname(this.checkedFd())));
  }

  /** socket.getpeername(): the peer's address; OSError ENOTCONN when not connected. */
  getpeername(): Address | null {
    return fromSockAddr(call(() => native.getpeername(this.checkedFd())));
  }

  /** socket.getsockopt(level, optname) for an integer option (SO_ERROR, SO_TYPE, TCP_NODELAY...). */
  getsockopt(level: number, optname: number): number {
    return call(() => native.getsockoptInt(this.checkedFd(), level, optname));
  }

  /** socket.setsockopt(level, optname, value) for an integer option (True is 1, as in Python). */
  setsockopt(level: number, optname: number, value: number | boolean): void {
    call(() => native.setsockoptInt(this.checkedFd(), level, optname, Number(value)));
  }

  /** SO_LINGER on with 0 s: close() then resets the connection (RST). */
  setLingerReset(): void {
    call(() => native.setLinger(this.checkedFd(), true, 0));
  }

  /** setsockopt(SOL_SOCKET, SO_SNDBUF, size). */
  setSendBuffer(size: number): void {
    this.setsockopt(SOL_SOCKET, SO_SNDBUF, size);
  }

  private checkedFd(): number {
    if (this.closed) throw fromSystemError(native.systemError(9, 'socket'));
    return this.fd;
  }

  /** Python's repr: `<socket.socket fd=3, family=2, type=1, proto=0, laddr=('127.0.0.1', 8080)>`. */
  override toString(): string {
    let s = `<socket.socket${this.closed ? ' [closed]' : ''} fd=${this.fd}, family=${this.family}, type=${this.type}, proto=${this.proto}`;
    if (!this.closed) {
      for (const [label, get] of [['laddr', () => this.getsockname()], ['raddr', () => this.getpeername()]] as const) {
        try {
          const address = get();
          if (address !== null && address.length > 0) s += `, ${label}=${typeof address === 'string' ? address : pyRepr(address)}`;
        } catch (err) {
          if (!(err instanceof OSError)) throw err;
        }
      }
    }
    return `${s}>`;
  }
}

// ---------------------------------------------------------------------------
// Addresses: Python's shapes to the addon's SockAddr and back

/**
 * Python's getsockaddrarg(): `address` checked for `family` and made a SockAddr, its host
 * resolved as setipaddr() does. `caller` names the method in messages, as CPython's do.
 */
export function toSockAddr(family: number, address: unknown, caller: string): native.SockAddr {
  if (family === AF_UNIX) return { family, path: unixPath(address) };
  if (family !== AF_INET && family !== AF_INET6) throw new OSError(null, `${caller}(): bad family`);
  const name = family === AF_INET ? 'AF_INET' : 'AF_INET6';
  if (!Array.isArray(address)) throw new PyTypeError(`${caller}(): ${name} address must be tuple, not ${pyTypeName(address)}`);
  if (family === AF_INET ? address.length !== 2 : address.length < 2 || address.length > 4) {
    throw new PyTypeError(family === AF_INET ? 'AF_INET address must be a pair (host, port)'
      : 'AF_INET6 address must be a tuple (host, port[, flowinfo[, scopeid]])');
  }
  const [host, port, flowinfo = 0, scopeId = 0] = address as unknown[];
  const hostname = hostArg(host);
  const portNumber = cInt(port);
  const flow = cUnsigned(flowinfo);
  const scope = cUnsigned(scopeId);
  // CPython's order: the host is resolved before the port's range is checked.
  const numeric = setipaddr(hostname, family);
  if (portNumber < 0 || portNumber > 0xffff) throw new OverflowError(`${caller}(): port must be 0-65535.`);
  if (family === AF_INET) return { family, host: numeric, port: portNumber };
  if (flow > 0xfffff) throw new OverflowError(`${caller}(): flowinfo must be 0-1048575.`);
  return { family, host: numeric, port: portNumber, flowinfo: flow, scopeId: scope };
}

/** Python's makesockaddr(): a SockAddr of the addon in Python's shape (null: no address). */
export function fromSockAddr(addr: native.SockAddr | null): Address | null {
  if (addr === null) return null;
  // A Buffer that crossed from a worker thread arrives as a plain Uint8Array.
  if ('path' in addr) {
    const path = Buffer.from(addr.path.buffer, addr.path.byteOffset, addr.path.byteLength);
    return path.length > 0 && path[0] === 0 ? path : path.toString('utf8');
  }
  if ('data' in addr) return [addr.family, Buffer.from(addr.data)];
  if (addr.family === AF_INET6) return [addr.host, addr.port, addr.flowinfo ?? 0, addr.scopeId ?? 0];
  return [addr.host, addr.port];
}

/** An AF_UNIX address as sun_path's bytes; Linux's limits: 107 bytes and a NUL, or 108 for an abstract name. */
function unixPath(address: unknown): Buffer {
  let path: Buffer;
  if (typeof address === 'string') path = Buffer.from(address, 'utf8');
  else if (address instanceof Uint8Array) path = Buffer.from(address);
  else throw new PyTypeError(`a bytes-like object is required, not '${pyTypeName(address)}'`);
  const abstract = path.length === 0 || path[0] === 0;
  if (path.length > (abstract ? native.SUN_PATH_SIZE : native.SUN_PATH_SIZE - 1)) {
    throw new OSError(null, 'AF_UNIX path too long');
  }
  return path;
}

/** Python's idna_converter() for a bind/connect host: ASCII as it is, other text through the "idna" codec. */
function hostArg(host: unknown): string {
  let text: string;
  if (typeof host === 'string') text = isAscii(host) ? host : idnaEncode(host);
  else if (host instanceof Uint8Array) text = Buffer.from(host).toString('latin1');
  else throw new PyTypeError(`str, bytes or bytearray expected, not ${pyTypeName(host)}`);
  if (text.includes('\0')) throw new PyTypeError('host name must not contain null character');
  return text;
}

/**
 * Python's setipaddr(): '' is the wildcard address, '<broadcast>' INADDR_BROADCAST, a numeric
 * address is itself, and any other name is looked up with getaddrinfo on the calling thread, as
 * Python's socket.connect(('example.org', 80)) does. asyncio resolves names before it gets
 * here (on its executor), so the loop only passes numeric hosts.
 */
function setipaddr(name: string, family: number): string {
  if (name === '') {
    const rows = call(() => native.getaddrinfo(null, '0', family, SOCK_DGRAM, 0, AI_PASSIVE));
    if (rows.length > 1) throw new OSError(null, 'wildcard resolved to multiple address');
    return (rows[0][4] as native.InetSockAddr).host;
  }
  if (name === '255.255.255.255' || name === '<broadcast>') {
    if (family !== AF_INET && family !== AF_UNSPEC) throw new OSError(null, 'address family mismatched');
    return '255.255.255.255';
  }
  if ((family === AF_UNSPEC || family === AF_INET) && native.inetPton(AF_INET, name) !== null) return name;
  // A scope ("fe80::1%eth0") needs getaddrinfo to turn the interface name into its index.
  if ((family === AF_UNSPEC || family === AF_INET6) && !name.includes('%') && native.inetPton(AF_INET6, name) !== null) return name;
  const rows = call(() => native.getaddrinfo(name, null, family, 0, 0, 0));
  return (rows[0][4] as native.InetSockAddr).host;
}

// ---------------------------------------------------------------------------
// Name resolution

/** One socket.getaddrinfo() result: (family, type, proto, canonname, sockaddr). */
export type AddrInfo = [family: number, type: number, proto: number, canonname: string, sockaddr: Address];

/** native.getaddrinfo's arguments. */
export type GetaddrinfoCall = [host: string | null, service: string | null, family: number, type: number, proto: number, flags: number];

/**
 * socket.getaddrinfo(host, port, family=0, type=0, proto=0, flags=0): BLOCKS the calling
 * thread until the resolver answers (loop.getaddrinfo runs it on the executor instead).
 * https://docs.python.org/3/library/socket.html#socket.getaddrinfo
 */
export function getaddrinfo(host: unknown, port: unknown, family = 0, type = 0, proto = 0, flags = 0): AddrInfo[] {
  return addrinfoResult(call(() => native.getaddrinfo(...getaddrinfoCall(host, port, family, type, proto, flags))));
}

/**
 * socket.getaddrinfo()'s checks and conversions (the host through the "idna" codec, an int
 * port as its decimal text), with no lookup: the loop checks a call on its own thread, a worker
 * makes the native call, and addrinfoResult() gives the rows Python's shape.
 */
export function getaddrinfoCall(host: unknown, port: unknown, family: unknown = 0, type: unknown = 0, proto: unknown = 0, flags: unknown = 0): GetaddrinfoCall {
  let hostText: string | null;
  if (host === null || host === undefined) hostText = null;
  else if (typeof host === 'string') hostText = idnaEncode(host);
  else if (host instanceof Uint8Array) hostText = Buffer.from(host).toString('latin1');
  else throw new PyTypeError('getaddrinfo() argument 1 must be string or None');
  let service: string | null;
  if (port === null || port === undefined) service = null;
  // An exact int only: Python refuses True and 80.0 alike.
  else if (typeof port === 'number' && Number.isInteger(port)) service = String(port);
  else if (typeof port === 'string') service = port;
  else if (port instanceof Uint8Array) service = Buffer.from(port).toString('latin1');
  else throw new OSError(null, 'Int or String expected');
  return [hostText, service, cInt(family), cInt(type), cInt(proto), cInt(flags)];
}

/** The native getaddrinfo rows in Python's shape. */
export function addrinfoResult(rows: native.AddrInfo[]): AddrInfo[] {
  return rows.map(([family, type, proto, canonname, addr]) => [family, type, proto, canonname, fromSockAddr(addr) as Address]);
}

/**
 * socket.getnameinfo(sockaddr, flags) -> [host, port]: BLOCKS like getaddrinfo (a reverse lookup
 * unless NI_NUMERICHOST). https://docs.python.org/3/library/socket.html#socket.getnameinfo
 */
export function getnameinfo(sockaddr: unknown, flags: unknown): [host: string, port: string] {
  return call(() => native.getnameinfo(...getnameinfoCall(sockaddr, flags)));
}

/**
 * socket.getnameinfo()'s checks and its numeric getaddrinfo (AI_NUMERICHOST: no lookup, so
 * the loop's thread may run it): what is left is the native getnameinfo call, for a worker.
 */
export function getnameinfoCall(sockaddr: unknown, flags: unknown): [native.SockAddr, number] {
  const flagBits = cInt(flags);
  if (!Array.isArray(sockaddr)) throw new PyTypeError('getnameinfo() argument 1 must be a tuple');
  if (sockaddr.length < 2 || sockaddr.length > 4 || typeof sockaddr[0] !== 'string') {
    throw new PyTypeError('getnameinfo(): illegal sockaddr argument');
  }
  const [host, port, flowinfo = 0, scopeId = 0] = sockaddr as [string, ...unknown[]];
  const portNumber = cInt(port);
  const flow = cUnsigned(flowinfo);
  const scope = cUnsigned(scopeId);
  if (flow > 0xfffff) throw new OverflowError('getnameinfo(): flowinfo must be 0-1048575.');
  const rows = call(() => native.getaddrinfo(host, String(portNumber), AF_UNSPEC, SOCK_DGRAM, 0, AI_NUMERICHOST));
  if (rows.length > 1) throw new OSError(null, 'sockaddr resolved to multiple addresses');
  const addr = rows[0][4];
  if (addr.family === AF_INET && sockaddr.length !== 2) throw new OSError(null, 'IPv4 sockaddr must be 2 tuple');
  if (addr.family === AF_INET6) return [{ ...(addr as native.InetSockAddr), flowinfo: flow, scopeId: scope }, flagBits];
  return [addr, flagBits];
}

/**
 * Python's str.encode('idna') of a host name. An ASCII name passes the codec's label checks;
 * other names go through Node's domainToASCII (UTS #46 where Python's codec is IDNA 2003: they
 * differ on a few rare characters, never on ASCII).
 */
function idnaEncode(host: string): string {
  if (!isAscii(host)) {
    const ascii = domainToASCII(host);
    if (ascii === '') throw new UnicodeError('label empty or too long');
    return ascii;
  }
  if (host === '') return host;
  const labels = host.split('.');
  for (const label of labels.slice(0, -1)) {
    if (label.length === 0 || label.length >= 64) throw new UnicodeError('label empty or too long');
  }
  if (labels[labels.length - 1].length >= 64) throw new UnicodeError('label too long');
  return host;
}

function isAscii(text: string): boolean {
  return /^[\x00-\x7f]*$/.test(text);
}

// ---------------------------------------------------------------------------
// Python's argument conventions

/** Python's name of a value's type, for messages ("str", "int", "NoneType"). */
function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  if (value instanceof Uint8Array) return 'bytes';
  if (Array.isArray(value)) return 'list';
  return typeof value;
}

/** A C int argument ("i"): an integer (True is 1), else TypeError; out of the C range, OverflowError. */
function cInt(value: unknown): number {
  const n = pyInteger(value);
  if (n > 0x7fffffff) throw new OverflowError('signed integer is greater than maximum');
  if (n < -0x80000000) throw new OverflowError('signed integer is less than minimum');
  return n;
}

/** A C unsigned int argument ("I"): an integer, wrapped modulo 2**32 without a range check, as Python's "I" does. */
function cUnsigned(value: unknown): number {
  return Number(BigInt.asUintN(32, BigInt(pyInteger(value))));
}

function pyInteger(value: unknown): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  throw new PyTypeError(`'${pyTypeName(value)}' object cannot be interpreted as an integer`);
}

/** Python's repr of an address: ('127.0.0.1', 80) or b'\x00name'. */
export function pyRepr(value: unknown): string {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (value instanceof Uint8Array) {
    const escapes: Record<number, string> = { 0x09: '\\t', 0x0a: '\\n', 0x0d: '\\r', 0x27: "\\'", 0x5c: '\\\\' };
    const body = Array.from(value, (b) => escapes[b] ?? (b >= 0x20 && b < 0x7f
      ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('');
    return `b'${body}'`;
  }
  if (Array.isArray(value)) return `(${value.map(pyRepr).join(', ')}${value.length === 1 ? ',' : ''})`;
  return String(value);
}

/** Runs a native call, turning its SystemError into Python's OSError subclass (or gaierror). */
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
