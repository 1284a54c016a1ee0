/**
 * Addresses as create_connection(), create_server() and sock_connect() resolve them (CPython
 * keeps these helpers at the top of base_events.py): a numeric host needs no lookup
 * (_ipaddr_info), any other is looked up with loop.getaddrinfo() on the executor
 * (_ensure_resolved), and Happy Eyeballs interleaves the results by family
 * (_interleave_addrinfos).
 */
import * as native from '../native';
import { PyTypeError } from './errors';
import type { Coroutine } from './futures';
import { AddrInfo, AF_INET, AF_INET6, AF_UNSPEC, IPPROTO_TCP, IPPROTO_UDP, SOCK_DGRAM, SOCK_STREAM } from './socket';

/** What the resolution needs of the loop: its getaddrinfo() coroutine. */
export interface ResolvingLoop {
  getaddrinfo(host: unknown, port: unknown, family?: unknown, type?: unknown, proto?: unknown, flags?: unknown): Coroutine<AddrInfo[]>;
}

/**
 * Python's int(port) for a port: an int (True is 1), a float truncated, or the text of a
 * decimal integer (spaces and digit underscores allowed); null when int() would raise (a
 * service name such as "http": that one is for getaddrinfo).
 */
function portNumber(port: unknown): number | null {
  if (typeof port === 'boolean') return port ? 1 : 0;
  if (typeof port === 'number') return Number.isFinite(port) ? Math.trunc(port) : null;
  const text = typeof port === 'string' ? port : port instanceof Uint8Array ? Buffer.from(port).toString('latin1') : null;
  if (text === null || !/^\s*[+-]?\d+(_\d+)*\s*$/.test(text)) return null;
  return Number(text.replace(/_/g, ''));
}

/**
 * CPython's _ipaddr_info(): the one getaddrinfo() row for a host that is already a numeric
 * address, or null when a lookup is needed (a name, a scoped IPv6 address, a service name, a
 * type or protocol getaddrinfo would have to choose).
 */
export function ipaddrInfo(host: unknown, port: unknown, family: number, type: number, proto: number, flowinfo = 0, scopeId = 0): AddrInfo | null {
  if (host === null || host === undefined || ![0, IPPROTO_TCP, IPPROTO_UDP].includes(proto)) return null;
  if (type === SOCK_STREAM) proto = IPPROTO_TCP;
  else if (type === SOCK_DGRAM) proto = IPPROTO_UDP;
  else return null;
  let number: number | null;
  if (port === null || port === undefined || port === '' || (port instanceof Uint8Array && port.length === 0)) number = 0;
  else number = portNumber(port);
  if (number === null) return null;
  const text = host instanceof Uint8Array ? Buffer.from(host).toString('latin1') : host;
  if (typeof text !== 'string') throw new PyTypeError(`argument of type '${typeof host}' is not iterable`);
  // Linux's inet_pton takes no zone index ('::1%lo'): getaddrinfo resolves it.
  if (text.includes('%')) return null;
  for (const af of family === AF_UNSPEC ? [AF_INET, AF_INET6] : [family]) {
    if ((af !== AF_INET && af !== AF_INET6) || native.inetPton(af, text) === null) continue;
    return af === AF_INET6 ? [af, type, proto, '', [text, number, flowinfo, scopeId]] : [af, type, proto, '', [text, number]];
  }
  return null;
}

/**
 * CPython's _ensure_resolved(): the getaddrinfo() rows of an (host, port, ...) address; a
 * numeric host without a lookup, any other through loop.getaddrinfo().
 */
export function* ensureResolved(loop: ResolvingLoop, address: unknown, family = 0, type = SOCK_STREAM, proto = 0, flags = 0): Coroutine<AddrInfo[]> {
  if (!Array.isArray(address)) throw new PyTypeError(`'${address === null ? 'NoneType' : typeof address}' object is not subscriptable`);
  const [host, port, flowinfo, scopeId] = address as unknown[];
  const info = ipaddrInfo(host, port, family, type, proto, (flowinfo as number | undefined) ?? 0, (scopeId as number | undefined) ?? 0);
  if (info !== null) return [info];
  return yield* loop.getaddrinfo(host, port, family, type, proto, flags);
}

/**
 * CPython's _interleave_addrinfos(): the rows regrouped by family, in the order each family
 * first appears, then taken one per family in turn; `firstAddressFamilyCount` rows of the
 * first family lead ("First Address Family Count", RFC 8305).
 */
export function interleaveAddrinfos(addrinfos: AddrInfo[], firstAddressFamilyCount = 1): AddrInfo[] {
  const byFamily = new Map<number, AddrInfo[]>();
  for (const info of addrinfos) {
    const list = byFamily.get(info[0]);
    if (list === undefined) byFamily.set(info[0], [info]);
    else list.push(info);
  }
  const lists = [...byFamily.values()];
  const reordered: AddrInfo[] = [];
  if (firstAddressFamilyCount > 1 && lists.length > 0) reordered.push(...lists[0].splice(0, firstAddressFamilyCount - 1));
  for (let i = 0; lists.some((list) => i < list.length); i++) {
    for (const list of lists) if (i < list.length) reordered.push(list[i]);
  }
  return reordered;
}

/** A getaddrinfo() row as a key: equal rows (the same address reached from two hosts) are one socket. */
export function addrinfoKey(info: AddrInfo): string {
  const [family, type, proto, canonname, address] = info;
  const shown = Buffer.isBuffer(address) ? address.toString('hex') : address;
  return JSON.stringify([family, type, proto, canonname, shown]);
}
