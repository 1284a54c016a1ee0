/**
 * The address branch of loop.create_datagram_endpoint() (CPython 3.12's
 * create_datagram_endpoint in base_events.py, the part before the transport): which
 * (family, proto) pairs the local and remote addresses resolve to, and the first of them whose
 * socket takes its options, binds and connects.
 */
import { ensureResolved, ResolvingLoop } from './addrinfos';
import { OSError, PyTypeError, ValueError } from './errors';
import type { Coroutine } from './futures';
import { setReusePort } from './listen';
import { Address, AF_UNIX, SO_BROADCAST, SOCK_DGRAM, Socket, SOL_SOCKET } from './socket';
import { removeStaleSocket } from './unix_paths';

/** What opening an endpoint needs of the loop. */
export interface DatagramLoop extends ResolvingLoop {
  sockConnect(sock: Socket, address: unknown): Coroutine<void>;
}

/** How create_datagram_endpoint() was asked to make its socket. */
export interface DatagramOptions {
  localAddr: unknown;
  remoteAddr: unknown;
  family: number;
  proto: number;
  flags: number;
  reusePort: boolean;
  allowBroadcast: boolean;
}

/** One candidate: a (family, proto) pair and the local and remote address of that pair. */
type AddrPair = [family: number, proto: number, local: unknown, remote: unknown];

/**
 * The pairs to try, in order: none of the addresses (the family alone, an unbound socket);
 * AF_UNIX paths as they are; or the rows of each address grouped by (family, proto), keeping
 * only the groups that have every address given.
 */
function* addrPairs(loop: DatagramLoop, o: DatagramOptions): Coroutine<AddrPair[]> {
  if (!o.localAddr && !o.remoteAddr) {
    if (o.family === 0) throw new ValueError('unexpected address family');
    return [[o.family, o.proto, null, null]];
  }
  if (o.family === AF_UNIX) {
    for (const addr of [o.localAddr, o.remoteAddr]) {
      if (addr !== null && addr !== undefined && typeof addr !== 'string') throw new PyTypeError('string is expected');
    }
    // A socket file left at the local path by an earlier endpoint is removed before binding.
    if (o.localAddr && (o.localAddr as string)[0] !== '\0') removeStaleSocket(o.localAddr as string);
    return [[o.family, o.proto, o.localAddr, o.remoteAddr]];
  }
  const byKey = new Map<string, AddrPair>();
  for (const [index, addr] of [[2, o.localAddr], [3, o.remoteAddr]] as const) {
    if (addr === null || addr === undefined) continue;
    if (!Array.isArray(addr) || addr.length !== 2) throw new PyTypeError('2-tuple is expected');
    const infos = yield* ensureResolved(loop, addr, o.family, SOCK_DGRAM, o.proto, o.flags);
    if (infos.length === 0) throw new OSError(null, 'getaddrinfo() returned empty list');
    for (const [family, , proto, , address] of infos) {
      const key = `${family}/${proto}`;
      if (!byKey.has(key)) byKey.set(key, [family, proto, null, null]);
      byKey.get(key)![index] = address;
    }
  }
  const pairs = [...byKey.values()].filter(([, , local, remote]) => !((o.localAddr && local === null) || (o.remoteAddr && remote === null)));
  if (pairs.length === 0) throw new ValueError('can not get address information');
  return pairs;
}

/**
 * The endpoint's socket and the remote address its transport sends to (null: none): the first
 * pair whose socket takes SO_REUSEPORT and SO_BROADCAST as asked, binds to the local address and
 * connects to the remote one ("allow_broadcast": not connected, so that it can send to the
 * broadcast address). When every pair fails, the first pair's error.
 */
export function* openDatagramSocket(loop: DatagramLoop, o: DatagramOptions): Coroutine<[Socket, Address | null]> {
  const exceptions: unknown[] = [];
  for (const [family, proto, local, remote] of yield* addrPairs(loop, o)) {
    let sock: Socket | null = null;
    try {
      sock = Socket.create(family, SOCK_DGRAM, proto);
      if (o.reusePort) setReusePort(sock);
      if (o.allowBroadcast) sock.setsockopt(SOL_SOCKET, SO_BROADCAST, 1);
      if (o.localAddr) sock.bind(local as Address);
      if (o.remoteAddr && !o.allowBroadcast) yield* loop.sockConnect(sock, remote);
      return [sock, o.remoteAddr ? (remote as Address) : null];
    } catch (exc) {
      sock?.close();
      if (!(exc instanceof OSError)) throw exc;
      exceptions.push(exc);
    }
  }
  throw exceptions[0];
}
