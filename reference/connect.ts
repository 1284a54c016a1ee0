/**
 * The host/port branch of loop.create_connection() (CPython's create_connection and
 * _connect_sock in base_events.py): resolve the host, and the local address if one is given;
 * try each resolved address in turn (or staggered, with Happy Eyeballs) until one connects;
 * when none does, raise what they raised, combined as CPython combines it.
 */
import { ensureResolved, interleaveAddrinfos, ResolvingLoop } from './addrinfos';
import { ExceptionGroup, OSError, osError } from './errors';
import type { Coroutine } from './futures';
import { AddrInfo, AF_INET, AF_INET6, AF_UNIX, AF_UNSPEC, pyRepr, SOCK_STREAM, Socket } from './socket';
import { RaceLoop, staggeredRace } from './staggered';

/** What opening a connection needs of the loop. */
export interface ConnectingLoop extends ResolvingLoop, RaceLoop {
  sockConnect(sock: Socket, address: unknown): Coroutine<void>;
}

/** How create_connection() was asked to reach the host. */
export interface ConnectOptions {
  family: number;
  proto: number;
  flags: number;
  localAddr: unknown;
  happyEyeballsDelay: number | null;
  interleave: number | null;
  allErrors: boolean;
}

/** Python's repr of an address family in messages ("<AddressFamily.AF_INET: 2>"). */
function familyRepr(family: number): string {
  const names: Record<number, string> = { [AF_UNSPEC]: 'AF_UNSPEC', [AF_UNIX]: 'AF_UNIX', [AF_INET]: 'AF_INET', [AF_INET6]: 'AF_INET6' };
  return family in names ? `<AddressFamily.${names[family]}: ${family}>` : String(family);
}

/** The rows of a resolution; none at all is an error of its own, as CPython's. */
function* resolvedOrRaise(loop: ConnectingLoop, address: unknown, options: ConnectOptions): Coroutine<AddrInfo[]> {
  const infos = yield* ensureResolved(loop, address, options.family, SOCK_STREAM, options.proto, options.flags);
  if (infos.length === 0) throw new OSError(null, 'getaddrinfo() returned empty list');
  return infos;
}

/**
 * A connected socket to (host, port): every resolved address is tried, in getaddrinfo()'s
 * order (interleaved by family when `interleave` is set: 1 by default with Happy Eyeballs),
 * one after the other, or with starts `happyEyeballsDelay` seconds apart.
 */
export function* openConnection(loop: ConnectingLoop, host: unknown, port: unknown, options: ConnectOptions): Coroutine<Socket> {
  let infos = yield* resolvedOrRaise(loop, [host, port], options);
  const localInfos = options.localAddr === null || options.localAddr === undefined ? null : yield* resolvedOrRaise(loop, options.localAddr, options);
  if (options.interleave) infos = interleaveAddrinfos(infos, options.interleave);
  // One list per attempt, in the order the attempts started: the errors each one met.
  const exceptions: unknown[][] = [];
  let sock: Socket | null = null;
  if (options.happyEyeballsDelay === null) {
    for (const info of infos) {
      try {
        sock = yield* connectSock(loop, exceptions, info, localInfos);
        break;
      } catch (exc) {
        if (!(exc instanceof OSError)) throw exc;
      }
    }
  } else {
    const attempts = infos.map((info) => () => connectSock(loop, exceptions, info, localInfos));
    const race = yield* staggeredRace(loop, attempts, options.happyEyeballsDelay, (extra) => extra.close());
    sock = race.winnerResult;
  }
  if (sock === null) throw combinedError(exceptions.flat(), options.allErrors);
  return sock;
}

/**
 * CPython's _connect_sock(): a socket for one resolved address, bound to the first local
 * address of its family if any were given, connected with sock_connect(). Its errors are
 * added to a list of its own in `exceptions`.
 */
function* connectSock(loop: ConnectingLoop, exceptions: unknown[][], info: AddrInfo, localInfos: AddrInfo[] | null): Coroutine<Socket> {
  const myExceptions: unknown[] = [];
  exceptions.push(myExceptions);
  const [family, type, proto, , address] = info;
  let sock: Socket | null = null;
  try {
    sock = Socket.create(family, type, proto);
    if (localInfos !== null) bindLocal(sock, family, localInfos, myExceptions);
    yield* loop.sockConnect(sock, address);
    return sock;
  } catch (exc) {
    if (exc instanceof OSError) myExceptions.push(exc);
    sock?.close();
    throw exc;
  }
}

/** Binds to the first local address of the family that works; else raises the last bind error (or that there was none of that family). */
function bindLocal(sock: Socket, family: number, localInfos: AddrInfo[], myExceptions: unknown[]): void {
  for (const [localFamily, , , , localAddress] of localInfos) {
    if (localFamily !== family) continue;
    try {
      sock.bind(localAddress);
      return;
    } catch (exc) {
      if (!(exc instanceof OSError)) throw exc;
      const message = `error while attempting to bind on address ${pyRepr(localAddress)}: ${(exc.strerror ?? exc.message).toLowerCase()}`;
      myExceptions.push(exc.errno === null ? new OSError(null, message) : osError(exc.errno, message));
    }
  }
  if (myExceptions.length > 0) throw myExceptions.pop();
  throw new OSError(null, `no matching local address with family=${familyRepr(family)} found`);
}

/**
 * What create_connection() raises when no address connected: with all_errors (3.12) an
 * ExceptionGroup of them all; else the one error, or the first when they all read the same,
 * or an OSError listing them ("Multiple exceptions: ...").
 */
function combinedError(exceptions: unknown[], allErrors: boolean): unknown {
  if (allErrors) return new ExceptionGroup('create_connection failed', exceptions);
  if (exceptions.length === 1) return exceptions[0];
  const text = exceptions.map((exc) => (exc instanceof Error ? exc.message : String(exc)));
  if (text.every((t) => t === text[0])) return exceptions[0];
  return new OSError(null, `Multiple exceptions: ${text.join(', ')}`);
}
