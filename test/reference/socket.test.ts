// reference/socket.ts: Python's socket module over native/, checked against Python itself
// (/usr/bin/python3) for lookups, address shapes and the exceptions raised. Only 127.0.0.1,
// ::1, Unix sockets, the hosts file and one name under .invalid, which the resolver refuses.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import * as native from '../../native';
import { BaseException, BlockingIOError, ConnectionRefusedError, describeException, gaierror, OSError, osError } from '../../reference/errors';
import { Resource } from '../../reference/resources';
import * as socket from '../../reference/socket';
import { Socket } from '../../reference/socket';
import { DEBIAN_PYTHON } from '../helpers';

/** A value as both sides print it: bytes as {bytes: hex}, tuples as lists. */
type Plain = null | number | string | { bytes: string } | Plain[];

/** What a call gave: its value, or its exception's class and errno. */
type Outcome = { ok: Plain } | { error: string; errno: number | null };

function plain(value: unknown): Plain {
  if (value instanceof Uint8Array) return { bytes: Buffer.from(value).toString('hex') };
  if (Array.isArray(value)) return value.map(plain);
  return value as Plain;
}

function outcome(fn: () => unknown): Outcome {
  try {
    return { ok: plain(fn()) };
  } catch (err) {
    if (!(err instanceof BaseException)) throw err;
    const info = describeException(err);
    return { error: info.type, errno: info.errno };
  }
}

/** Runs each call on Python's socket module: [function, args] with bytes as {bytes: hex}. */
function python(calls: Array<[string, unknown[]]>): Outcome[] {
  const script = `
import json, socket, sys
def arg(v):
    if isinstance(v, dict): return bytes.fromhex(v['bytes'])
    if isinstance(v, list): return tuple(arg(x) for x in v)
    return v
def plain(v):
    if isinstance(v, bytes): return {'bytes': v.hex()}
    if isinstance(v, (tuple, list)): return [plain(x) for x in v]
    return int(v) if isinstance(v, int) else v
def bind(family, address):
    with socket.socket(family) as s:
        s.bind(address)
        return s.getsockname()
out = []
for name, args in json.loads(sys.stdin.read()):
    try:
        fn = bind if name == 'bind' else getattr(socket, name)
        out.append({'ok': plain(fn(*[arg(a) for a in args]))})
    except Exception as e:
        out.append({'error': type(e).__name__, 'errno': e.errno if isinstance(e, OSError) else None})
print(json.dumps(out))
`;
  return JSON.parse(execFileSync(DEBIAN_PYTHON, ['-c', script], { input: JSON.stringify(calls) }).toString());
}

/** The reference's side of python(): the same calls, with the same arguments. */
function reference(calls: Array<[string, unknown[]]>): Outcome[] {
  const arg = (v: unknown): unknown => (Array.isArray(v) ? v.map(arg)
    : v !== null && typeof v === 'object' ? Buffer.from((v as { bytes: string }).bytes, 'hex') : v);
  return calls.map(([name, args]) => outcome(() => {
    const a = args.map(arg);
    if (name === 'getaddrinfo') return socket.getaddrinfo(a[0], a[1], ...(a.slice(2) as number[]));
    if (name === 'getnameinfo') return socket.getnameinfo(a[0], a[1]);
    const sock = Socket.create(a[0] as number);
    try {
      sock.bind(a[1] as socket.AddressArg);
      return sock.getsockname();
    } finally {
      sock.close();
    }
  }));
}

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-refsock-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Closes the sockets it was given when the test ends. */
function closer(): <T extends Socket>(sock: T) => T {
  const socks: Socket[] = [];
  after(() => socks.reverse().forEach((s) => s.close()));
  return (sock) => {
    socks.push(sock);
    return sock;
  };
}

function waitFor(sock: Socket, events: number): void {
  const ep = native.epollCreate();
  try {
    native.epollAdd(ep, sock.fileno(), events);
    native.epollWait(ep, 2000);
  } finally {
    native.close(ep);
  }
}

/** connect() as asyncio's sock_connect does it: BlockingIOError, wait for writability, SO_ERROR. */
function connectNow(sock: Socket, address: socket.AddressArg): number {
  try {
    sock.connect(address);
    return 0;
  } catch (err) {
    if (!(err instanceof BlockingIOError)) throw err;
    waitFor(sock, native.EPOLLOUT);
    return sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR);
  }
}

/** A connection to `server`: [client, accepted, the address accept() reported]. */
function connection(keep: ReturnType<typeof closer>, server: Socket): [Socket, Socket, socket.Address | null] {
  const client = keep(Socket.create(server.family));
  assert.equal(connectNow(client, server.getsockname() as socket.AddressArg), 0);
  waitFor(server, native.EPOLLIN);
  const [conn, peer] = server.accept();
  keep(conn);
  return [client, conn, peer];
}

function echo(from: Socket, to: Socket, text: string): string {
  from.send(Buffer.from(text));
  waitFor(to, native.EPOLLIN);
  return to.recv(64).toString();
}

test('getaddrinfo and getnameinfo give what Python gives, results and errors alike', () => {
  const { AF_INET, AF_INET6, AI_PASSIVE, AI_CANONNAME, SOCK_STREAM, NI_NUMERICHOST, NI_NUMERICSERV } = socket;
  const calls: Array<[string, unknown[]]> = [
    ['getaddrinfo', ['localhost', 80]],
    ['getaddrinfo', ['127.0.0.1', 'http']],
    ['getaddrinfo', ['::1', 0, AF_INET6]],
    ['getaddrinfo', [null, 0, 0, 0, 0, AI_PASSIVE]],
    ['getaddrinfo', ['no.such.host.invalid', 80]],
    ['getaddrinfo', ['localhost', 80, AF_INET, SOCK_STREAM, 0, AI_CANONNAME]],
    ['getaddrinfo', ['localhost', null]],
    ['getaddrinfo', [{ bytes: Buffer.from('127.0.0.1').toString('hex') }, { bytes: Buffer.from('80').toString('hex') }]],
    ['getaddrinfo', ['localhost', 'no-such-service']],
    ['getaddrinfo', ['localhost', 80, 99]],
    ['getaddrinfo', ['localhost', 80.5]],
    ['getaddrinfo', ['a..b', 80]],
    ['getaddrinfo', [5, 80]],
    ['getnameinfo', [['127.0.0.1', 80], NI_NUMERICHOST | NI_NUMERICSERV]],
    ['getnameinfo', [['::1', 80, 0, 0], NI_NUMERICHOST | NI_NUMERICSERV]],
    ['getnameinfo', [['127.0.0.1', 80], 0]],
    ['getnameinfo', [['127.0.0.1', 80, 0], 0]],
    ['getnameinfo', [['localhost', 80], 0]],
    ['getnameinfo', [['::1', 80, 2000000], 0]],
    ['getnameinfo', ['127.0.0.1', 0]],
  ];
  const expected = python(calls);
  assert.deepEqual(reference(calls), expected);
  // The lookups the brief names, spelled out, so a change on both sides is seen too.
  assert.deepEqual(expected[13], { ok: ['127.0.0.1', '80'] });
  assert.deepEqual(expected[4], { error: 'gaierror', errno: socket.EAI_NONAME });
});

test('bind checks addresses as Python does: the same exception classes and errnos, the same addresses', () => {
  const { AF_INET, AF_INET6, AF_UNIX } = socket;
  const bytes = (text: string): { bytes: string } => ({ bytes: Buffer.from(text, 'latin1').toString('hex') });
  const calls: Array<[string, unknown[]]> = [
    ['bind', [AF_INET, ['127.0.0.1', 0]]],
    ['bind', [AF_INET, ['', 0]]],
    ['bind', [AF_INET, ['localhost', 0]]],
    ['bind', [AF_INET, ['127.0.0.1']]],
    ['bind', [AF_INET, '127.0.0.1']],
    ['bind', [AF_INET, ['127.0.0.1', 70000]]],
    ['bind', [AF_INET, ['127.0.0.1', '80']]],
    ['bind', [AF_INET, [1, 0]]],
    ['bind', [AF_INET, ['::1', 0]]],
    ['bind', [AF_INET, ['no.such.host.invalid', 70000]]],
    ['bind', [AF_INET, ['local\0host', 0]]],
    ['bind', [AF_INET6, ['::1', 0]]],
    ['bind', [AF_INET6, ['', 0]]],
    ['bind', [AF_INET6, ['::1', 0, 2000000]]],
    ['bind', [AF_INET6, ['::1']]],
    ['bind', [AF_INET6, ['127.0.0.1', 0]]],
    ['bind', [AF_INET6, ['<broadcast>', 0]]],
    ['bind', [AF_UNIX, 'x'.repeat(200)]],
    ['bind', [AF_UNIX, bytes('x'.repeat(108))]],
    ['bind', [AF_UNIX, bytes(`\0${'x'.repeat(108)}`)]],
    ['bind', [AF_UNIX, bytes(`\0loopspec-${process.pid}-${'x'.repeat(80)}`.slice(0, 108))]],
    ['bind', [AF_UNIX, ['a', 1]]],
    ['bind', [AF_UNIX, 5]],
  ];
  // Ports picked at random differ between the two runs: compare the shape, and the rest exactly.
  const portless = (o: Outcome): Outcome => ('ok' in o && Array.isArray(o.ok) ? { ok: o.ok.map((v, i) => (i === 1 ? 0 : v)) } : o);
  const expected = python(calls).map(portless);
  assert.deepEqual(reference(calls).map(portless), expected);
  assert.deepEqual(expected[17], { error: 'OSError', errno: null }, 'AF_UNIX path too long');
});

test('IPv4 and IPv6 loopback: accept gives the peer\'s address; getsockname is (host, port) or (host, port, flowinfo, scope_id)', () => {
  const keep = closer();
  for (const [host, family] of [['127.0.0.1', socket.AF_INET], ['::1', socket.AF_INET6]] as const) {
    const server = keep(Socket.listen(host, 0));
    assert.equal(server.family, family);
    const bound = server.getsockname() as socket.Address[];
    assert.equal(bound.length, family === socket.AF_INET ? 2 : 4);
    assert.equal(bound[0], host);
    const [client, conn, peer] = connection(keep, server);
    assert.deepEqual(peer, client.getsockname());
    assert.deepEqual(client.getpeername(), bound);
    assert.equal(echo(client, conn, `over ${host}`), `over ${host}`);
    assert.equal(conn.family, family);
    assert.equal(conn.type, socket.SOCK_STREAM);
    assert.match(String(conn), new RegExp(`^<socket.socket fd=\\d+, family=${family}, type=1, proto=0, laddr=\\('${host.replace(/\./g, '\\.')}', \\d+.*\\), raddr=`));
  }
});

test('AF_UNIX: a path comes back as str, an abstract name as bytes, an unbound peer as \'\'', () => {
  const keep = closer();
  const file = path.join(tempDir(), 'server.sock');
  const server = keep(Socket.create(socket.AF_UNIX));
  server.bind(file);
  server.listen();
  assert.equal(server.getsockname(), file);
  const [client, conn, peer] = connection(keep, server);
  assert.equal(peer, '');
  assert.equal(client.getpeername(), file);
  assert.equal(echo(conn, client, 'path'), 'path');

  const name = Buffer.from(`\0loopspec-ref-${process.pid}`);
  const abstract = keep(Socket.create(socket.AF_UNIX));
  abstract.bind(name.toString('latin1'));
  abstract.listen(1);
  assert.deepEqual(abstract.getsockname(), name);
  const [, , abstractPeer] = connection(keep, abstract);
  assert.equal(abstractPeer, '');
  assert.match(String(abstract), /laddr=b'\\x00loopspec-ref-\d+'>$/);
});

test('errors are Python\'s classes: BlockingIOError, ConnectionRefusedError, OSError by errno', () => {
  const keep = closer();
  const server = keep(Socket.listen('127.0.0.1', 0));
  const taken = server.getsockname() as socket.InetAddress;
  const errorOf = (fn: () => unknown): [string, number | null] => {
    try {
      fn();
    } catch (err) {
      const info = describeException(err as BaseException);
      return [info.type, info.errno];
    }
    return ['none', null];
  };
  assert.deepEqual(errorOf(() => server.accept()), ['BlockingIOError', 11]);
  const [client, conn] = connection(keep, server);
  assert.deepEqual(errorOf(() => conn.recv(8)), ['BlockingIOError', 11]);
  assert.deepEqual(errorOf(() => keep(Socket.create()).bind(taken)), ['OSError', 98]);
  assert.deepEqual(errorOf(() => keep(Socket.create()).getpeername()), ['OSError', 107]);

  const probe = Socket.create();
  probe.bind(['127.0.0.1', 0]);
  const free = probe.getsockname() as socket.InetAddress;
  probe.close();
  assert.deepEqual(errorOf(() => probe.getsockname()), ['OSError', 9]);
  const refused = keep(Socket.create());
  const err = refused.connectEx(free);
  assert.ok(err === 115 || err === 111, `connect_ex gave ${err}`);
  let final = err;
  if (err === 115) {
    waitFor(refused, native.EPOLLOUT);
    final = refused.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR);
  }
  assert.ok(osError(final, 'Connect call failed') instanceof ConnectionRefusedError);
  const gai = errorOf(() => socket.getaddrinfo('localhost', null, 0, 0, 0, socket.AI_NUMERICHOST));
  assert.deepEqual(gai, ['gaierror', socket.EAI_NONAME]);
  assert.deepEqual(describeException(new gaierror(-2, 'Name or service not known')).bases, ['OSError', 'Exception', 'BaseException', 'object']);
  assert.equal(describeException(new gaierror(-2, 'x')).module, 'socket');
  assert.ok(client instanceof Socket);
});

test('options: SO_REUSEPORT shares a port between two listeners; TCP_NODELAY and IPV6_V6ONLY read back', () => {
  const keep = closer();
  const first = keep(Socket.create());
  first.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, true);
  first.bind(['127.0.0.1', 0]);
  first.listen(4);
  const second = keep(Socket.create());
  second.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, true);
  second.bind(first.getsockname() as socket.InetAddress);
  second.listen(4);
  assert.deepEqual(second.getsockname(), first.getsockname());
  // The kernel hands the connection to either listener.
  const client = keep(Socket.create());
  assert.equal(connectNow(client, first.getsockname() as socket.InetAddress), 0);
  const ep = native.epollCreate();
  try {
    for (const l of [first, second]) native.epollAdd(ep, l.fileno(), native.EPOLLIN);
    const [[ready]] = native.epollWait(ep, 2000);
    const [conn] = ([first, second].find((l) => l.fileno() === ready) as Socket).accept();
    keep(conn);
  } finally {
    native.close(ep);
  }
  assert.equal(client.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY), 0);
  client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, true);
  assert.equal(client.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY), 1);
  const v6 = keep(Socket.create(socket.AF_INET6));
  v6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1);
  assert.equal(v6.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY), 1);
});

test('fromfd and dup duplicate the descriptor and keep its blocking mode; setblocking switches it', () => {
  const keep = closer();
  const [a, b] = Socket.pair().map(keep);
  assert.equal(a.getblocking(), false);
  const copy = keep(a.dup());
  assert.notEqual(copy.fileno(), a.fileno());
  assert.equal(copy.getblocking(), false);
  copy.send(Buffer.from('via dup'));
  waitFor(b, native.EPOLLIN);
  assert.equal(b.recv(16).toString(), 'via dup');
  a.setblocking(true);
  assert.equal(a.getblocking(), true);
  assert.equal(native.fcntl(a.fileno(), native.F_GETFL) & native.O_NONBLOCK, 0);
  const blocking = keep(Socket.fromfd(a.fileno(), socket.AF_UNIX, socket.SOCK_STREAM));
  assert.equal(blocking.getblocking(), true);
  a.setblocking(false);
  assert.ok(native.fcntl(blocking.fileno(), native.F_GETFL) & native.O_NONBLOCK, 'one open file, one mode');
  assert.ok(native.fcntl(copy.fileno(), native.F_GETFD) & native.FD_CLOEXEC);
  a.close();
  assert.equal(a.getblocking(), false, 'getblocking answers after close, as in Python');
});

test('the tests above closed every socket and descriptor they opened', () => {
  assert.deepEqual(Resource.counters(), {});
  assert.deepEqual(native.openFds(), []);
  assert.ok(new OSError(null, 'x') instanceof OSError);
});
