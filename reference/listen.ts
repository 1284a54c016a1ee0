/**
 * The host/port branch of loop.create_server() (CPython's create_server in base_events.py):
 * one bound socket per distinct getaddrinfo() row of every host.
 */
import { addrinfoKey, ensureResolved, ResolvingLoop } from './addrinfos';
import { OSError, osError, ValueError } from './errors';
import type { Coroutine } from './futures';
import { AddrInfo, AF_INET6, IPPROTO_IPV6, IPV6_V6ONLY, pyRepr, SO_KEEPALIVE, SO_REUSEADDR, SO_REUSEPORT, SOCK_STREAM, Socket, SOL_SOCKET } from './socket';
import { gather, GatherLoop } from './tasks';

/** How create_server() was asked to listen. */
export interface ListenOptions {
  family: number;
  flags: number;
  reuseAddress: boolean;
  reusePort: boolean;
  keepAlive: boolean;
}

/**
 * The hosts to bind: "If host is a string, the TCP server is bound to a single network
 * interface specified by host. If host is a sequence of strings, the TCP server is bound to
 * all network interfaces specified by the sequence. If host is an empty string or None, all
 * interfaces are assumed".
 */
function hostsOf(host: unknown): unknown[] {
  if (host === '') return [null];
  if (typeof host === 'string' || host === null || host === undefined || !isIterable(host)) return [host ?? null];
  return [...host];
}

function isIterable(value: unknown): value is Iterable<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function' && !(value instanceof Uint8Array);
}

/** Every host's getaddrinfo() rows, looked up together (CPython gathers them), equal rows once. */
function* resolveHosts(loop: ResolvingLoop & GatherLoop, hosts: unknown[], port: unknown, options: ListenOptions): Coroutine<AddrInfo[]> {
  const lookups = hosts.map((host) => (function* (): Coroutine<AddrInfo[]> {
    const infos = yield* ensureResolved(loop, [host, port], options.family, SOCK_STREAM, 0, options.flags);
    if (infos.length === 0) throw new OSError(null, `getaddrinfo(${pyRepr(host)}) returned empty list`);
    return infos;
  })());
  const unique = new Map<string, AddrInfo>();
  for (const infos of yield* gather(loop, lookups)) for (const info of infos) if (!unique.has(addrinfoKey(info))) unique.set(addrinfoKey(info), info);
  // CPython keeps them in a set, so its order is the hashes'; here, the order first met.
  return [...unique.values()];
}

/**
 * The listening sockets of create_server(host, port): bound, not listening yet (the Server
 * listens when it starts serving). "If 0 or None (the default), a random unused port will be
 * selected (note that if host resolves to multiple network interfaces, a different random port
 * will be selected for each interface)." On any error every socket made is closed.
 */
export function* bindServerSockets(loop: ResolvingLoop & GatherLoop, host: unknown, port: unknown, options: ListenOptions): Coroutine<Socket[]> {
  const infos = yield* resolveHosts(loop, hostsOf(host), port, options);
  const sockets: Socket[] = [];
  let completed = false;
  try {
    for (const [family, type, proto, , address] of infos) {
      let sock: Socket;
      try {
        sock = Socket.create(family, type, proto);
      } catch (exc) {
        // A family, type or protocol this host cannot make: skipped, as CPython skips it.
        if (exc instanceof OSError) continue;
        throw exc;
      }
      sockets.push(sock);
      configure(sock, family, options);
      try {
        sock.bind(address);
      } catch (exc) {
        if (!(exc instanceof OSError) || exc.errno === null) throw exc;
        throw osError(exc.errno, `error while attempting to bind on address ${pyRepr(address)}: ${(exc.strerror ?? '').toLowerCase()}`);
      }
    }
    completed = true;
  } finally {
    if (!completed) for (const sock of sockets) sock.close();
  }
  return sockets;
}

/** The options create_server sets before binding. */
function configure(sock: Socket, family: number, options: ListenOptions): void {
  if (options.reuseAddress) sock.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
  if (options.reusePort) setReusePort(sock);
  if (options.keepAlive) sock.setsockopt(SOL_SOCKET, SO_KEEPALIVE, 1);
  // Linux makes an IPv6 socket listen on IPv4 too; one socket per family is what was asked.
  if (family === AF_INET6) sock.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, 1);
}

/** SO_REUSEPORT, or CPython's ValueError where the system has it defined but not implemented. */
export function setReusePort(sock: Socket): void {
  try {
    sock.setsockopt(SOL_SOCKET, SO_REUSEPORT, 1);
  } catch (exc) {
    if (exc instanceof OSError) throw new ValueError('reuse_port not supported by socket module, SO_REUSEPORT defined but not implemented.');
    throw exc;
  }
}
