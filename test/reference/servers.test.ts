// reference: loop.create_server(), loop.create_unix_server(), loop.create_unix_connection() and
// Server objects (base_events.ts, listen.ts, server.ts, unix_events.ts, unix_paths.ts), on real
// sockets on 127.0.0.1, ::1 and Unix paths and abstract names, every port 0. Errors are
// checked by class and errno.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { constants } from 'node:os';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import {
  CancelledError, ConnectionRefusedError, FileNotFoundError, NotImplementedError, OSError, PyTypeError, RuntimeError, ValueError,
} from '../../reference/errors';
import { Protocol } from '../../reference/protocols';
import { Server } from '../../reference/server';
import * as socket from '../../reference/socket';
import { AddrInfo, Socket } from '../../reference/socket';
import type { Transport } from '../../reference/transports';
import { TransportSocket } from '../../reference/trsock';
import type { UnixSelectorEventLoop } from '../../reference/unix_events';
import { echoProtocol, RecordingProtocol, runUntil, sleep, withStreamLoop } from './helpers';

const { EADDRINUSE } = constants.errno;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-ref-servers-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Protocols a factory made, in order. */
function factory(): { make: () => RecordingProtocol; made: RecordingProtocol[] } {
  const made: RecordingProtocol[] = [];
  return { make: () => { const p = echoProtocol(); made.push(p); return p; }, made };
}

function portOf(server: Server, i = 0): number {
  return (server.sockets[i].getsockname() as [string, number])[1];
}

/** Connects, sends `text` and waits for the echo; the client transport is closed again. */
function echoes(loop: UnixSelectorEventLoop, connect: () => ReturnType<UnixSelectorEventLoop['createConnection']>, text = 'echo'): boolean {
  const [transport, protocol] = loop.runUntilComplete(connect()) as unknown as [Transport, RecordingProtocol];
  transport.write(Buffer.from(text));
  runUntil(loop, () => protocol.received().length === text.length);
  transport.close();
  runUntil(loop, () => protocol.lost());
  return protocol.received().toString() === text;
}

function tcpClient(loop: UnixSelectorEventLoop, host: string, port: number) {
  return () => loop.createConnection(() => new RecordingProtocol(), host, port);
}

function closed(loop: UnixSelectorEventLoop, server: Server): void {
  server.close();
  loop.runUntilComplete(server.waitClosed());
}

/** Makes loop.getaddrinfo record what it is asked and answer these rows. */
function resolveTo(loop: UnixSelectorEventLoop, rows: AddrInfo[]): unknown[][] {
  const asked: unknown[][] = [];
  // eslint-disable-next-line require-yield
  loop.getaddrinfo = function* (...args: unknown[]) {
    asked.push(args);
    return rows;
  };
  return asked;
}

// ---------------------------------------------------------------------------
// create_server

test('create_server on 127.0.0.1: a Server with one TransportSocket, SO_REUSEADDR, serving; one protocol per connection', () => {
  withStreamLoop((loop) => {
    const f = factory();
    const server = loop.runUntilComplete(loop.createServer(f.make, '127.0.0.1', 0));
    assert.ok(server instanceof Server);
    assert.equal(server.getLoop(), loop);
    assert.equal(server.isServing(), true);
    assert.ok(Object.isFrozen(server.sockets), 'a tuple');
    assert.equal(server.sockets.length, 1);
    const [listening] = server.sockets;
    assert.ok(listening instanceof TransportSocket);
    assert.equal(listening.family, socket.AF_INET);
    assert.equal(listening.type, socket.SOCK_STREAM);
    assert.equal(listening.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR), 1);
    assert.ok(portOf(server) > 0, 'port 0 chose a free port');
    assert.ok(echoes(loop, tcpClient(loop, '127.0.0.1', portOf(server)), 'one'));
    assert.ok(echoes(loop, tcpClient(loop, '127.0.0.1', portOf(server)), 'two'));
    assert.equal(f.made.length, 2);
    for (const p of f.made) assert.equal(p.methods()[0], 'connection_made');
    closed(loop, server);
    assert.deepEqual(server.sockets, []);
  });
});

test('a sequence of hosts: one socket each, IPV6_V6ONLY on ::1; a host given twice is bound once', () => {
  withStreamLoop((loop) => {
    const server = loop.runUntilComplete(loop.createServer(factory().make, ['127.0.0.1', '::1', '127.0.0.1'], 0));
    assert.deepEqual(server.sockets.map((s) => s.family), [socket.AF_INET, socket.AF_INET6]);
    const v6 = server.sockets[1];
    assert.equal(v6.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY), 1);
    assert.notEqual(portOf(server, 0), portOf(server, 1), 'each interface its own port 0');
    assert.ok(echoes(loop, tcpClient(loop, '::1', portOf(server, 1))));
    assert.ok(echoes(loop, tcpClient(loop, '127.0.0.1', portOf(server, 0))));
    closed(loop, server);
  });
});

test('host "" or None means all interfaces: getaddrinfo(None, port, flags=AI_PASSIVE); port None is 0', () => {
  withStreamLoop((loop) => {
    const rows: AddrInfo[] = [
      [socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, '', ['127.0.0.1', 0]],
      [socket.AF_INET6, socket.SOCK_STREAM, socket.IPPROTO_TCP, '', ['::1', 0, 0, 0]],
    ];
    const asked = resolveTo(loop, rows);
    const server = loop.runUntilComplete(loop.createServer(factory().make, '', 0));
    assert.deepEqual(asked, [[null, 0, socket.AF_UNSPEC, socket.SOCK_STREAM, 0, socket.AI_PASSIVE]]);
    assert.equal(server.sockets.length, 2);
    closed(loop, server);
    const again = loop.runUntilComplete(loop.createServer(factory().make, null, 0, socket.AF_INET));
    assert.deepEqual(asked[1], [null, 0, socket.AF_INET, socket.SOCK_STREAM, 0, socket.AI_PASSIVE]);
    closed(loop, again);
    // A numeric host needs no lookup, and a port of None is any port.
    const numeric = loop.runUntilComplete(loop.createServer(factory().make, '127.0.0.1'));
    assert.equal(asked.length, 2);
    assert.ok(portOf(numeric) > 0);
    closed(loop, numeric);
  });
});

test('a port in use: OSError EADDRINUSE; reuse_port lets two servers share one', () => {
  withStreamLoop((loop) => {
    const first = loop.runUntilComplete(loop.createServer(factory().make, '127.0.0.1', 0));
    const port = portOf(first);
    assert.throws(() => loop.runUntilComplete(loop.createServer(factory().make, '127.0.0.1', port)),
      (e: unknown) => e instanceof OSError && e.constructor === OSError && e.errno === EADDRINUSE);
    closed(loop, first);
    const a = loop.runUntilComplete(loop.createServer(factory().make, '127.0.0.1', 0, socket.AF_UNSPEC, socket.AI_PASSIVE, null, 100, null, null, true));
    const b = loop.runUntilComplete(loop.createServer(factory().make, '127.0.0.1', portOf(a), socket.AF_UNSPEC, socket.AI_PASSIVE, null, 100, null, null, true));
    assert.equal(portOf(b), portOf(a));
    assert.equal(b.sockets[0].getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT), 1);
    closed(loop, a);
    closed(loop, b);
  });
});

test('reuse_address=False leaves SO_REUSEADDR off; keep_alive sets SO_KEEPALIVE', () => {
  withStreamLoop((loop) => {
    const server = loop.runUntilComplete(loop.createServer(factory().make, '127.0.0.1', 0, socket.AF_UNSPEC, socket.AI_PASSIVE, null, 100, null, false, null, true));
    assert.equal(server.sockets[0].getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR), 0);
    assert.equal(server.sockets[0].getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE), 1);
    closed(loop, server);
  });
});

test('sock instead of host/port, and the arguments CPython refuses', () => {
  withStreamLoop((loop) => {
    const sock = Socket.create(socket.AF_INET, socket.SOCK_STREAM);
    sock.bind(['127.0.0.1', 0]);
    const server = loop.runUntilComplete(loop.createServer(factory().make, null, null, socket.AF_UNSPEC, socket.AI_PASSIVE, sock));
    assert.equal(server.sockets[0].fileno(), sock.fileno());
    assert.ok(echoes(loop, tcpClient(loop, '127.0.0.1', portOf(server))));
    const dgram = Socket.create(socket.AF_INET, socket.SOCK_DGRAM);
    const refuses = (args: unknown[], cls: Function): void => {
      assert.throws(() => loop.runUntilComplete((loop.createServer as (...a: unknown[]) => never)(() => new Protocol(), ...args)), (e: unknown) => e instanceof cls, String(args));
    };
    try {
      refuses(['127.0.0.1', 0, socket.AF_UNSPEC, socket.AI_PASSIVE, dgram], ValueError);
      refuses([null, null], ValueError);
      refuses([null, null, socket.AF_UNSPEC, socket.AI_PASSIVE, dgram], ValueError);
      refuses(['127.0.0.1', 0, socket.AF_UNSPEC, socket.AI_PASSIVE, null, 100, true], PyTypeError);
      refuses(['127.0.0.1', 0, socket.AF_UNSPEC, socket.AI_PASSIVE, null, 100, {}], NotImplementedError);
      refuses(['127.0.0.1', 0, socket.AF_UNSPEC, socket.AI_PASSIVE, null, 100, null, null, null, null, 5], ValueError);
    } finally {
      dgram.close();
    }
    closed(loop, server);
    assert.equal(sock.closed, true, 'the server closes the socket it was given');
  });
});

test('many clients at once: every one is accepted, each with its own protocol', () => {
  withStreamLoop((loop) => {
    const f = factory();
    const server = loop.runUntilComplete(loop.createServer(f.make, '127.0.0.1', 0));
    const clients = Array.from({ length: 20 }, () => Socket.create(socket.AF_INET, socket.SOCK_STREAM));
    for (const c of clients) c.connectEx(['127.0.0.1', portOf(server)]);
    runUntil(loop, () => f.made.filter((p) => p.transport !== null).length === 20);
    for (const c of clients) c.close();
    runUntil(loop, () => f.made.every((p) => p.lost()));
    closed(loop, server);
  });
});

// ---------------------------------------------------------------------------
// Server objects

test('start_serving=False: bound but not listening until start_serving() (idempotent)', () => {
  withStreamLoop((loop) => {
    const server = loop.runUntilComplete(loop.createServer(factory().make, '127.0.0.1', 0, socket.AF_UNSPEC, socket.AI_PASSIVE, null, 100, null, null, null, null, null, null, false));
    assert.equal(server.isServing(), false);
    assert.throws(() => loop.runUntilComplete(tcpClient(loop, '127.0.0.1', portOf(server))()), ConnectionRefusedError);
    loop.runUntilComplete(server.startServing());
    loop.runUntilComplete(server.startServing());
    assert.equal(server.isServing(), true);
    assert.ok(echoes(loop, tcpClient(loop, '127.0.0.1', portOf(server))));
    closed(loop, server);
    assert.equal(server.isServing(), false);
    assert.throws(() => loop.runUntilComplete(server.startServing()), PyTypeError, 'as CPython 3.12, on a closed server');
  });
});

test('serve_forever: one at a time, cancelled it closes the server and waits; on a closed server RuntimeError', () => {
  withStreamLoop((loop) => {
    const server = loop.runUntilComplete(loop.createServer(factory().make, '127.0.0.1', 0, socket.AF_UNSPEC, socket.AI_PASSIVE, null, 100, null, null, null, null, null, null, false));
    const forever = loop.createTask(server.serveForever());
    loop.runUntilComplete(sleep(loop, 0.01));
    assert.equal(server.isServing(), true, 'serve_forever starts serving');
    assert.throws(() => loop.runUntilComplete(server.serveForever()), RuntimeError);
    assert.ok(echoes(loop, tcpClient(loop, '127.0.0.1', portOf(server))));
    forever.cancel();
    assert.throws(() => loop.runUntilComplete(forever), CancelledError);
    assert.equal(server.isServing(), false);
    assert.deepEqual(server.sockets, []);
    assert.throws(() => loop.runUntilComplete(server.serveForever()), RuntimeError);
  });
});

test('close() while serve_forever runs: serve_forever ends cancelled', () => {
  withStreamLoop((loop) => {
    const server = loop.runUntilComplete(loop.createServer(factory().make, '127.0.0.1', 0));
    const forever = loop.createTask(server.serveForever());
    loop.runUntilComplete(sleep(loop, 0.01));
    server.close();
    assert.throws(() => loop.runUntilComplete(forever), CancelledError);
    assert.equal(forever.cancelled(), true);
  });
});

test('close() stops listening; accepted connections stay open; wait_closed (3.12.1) waits for the close and for them', () => {
  withStreamLoop((loop) => {
    const f = factory();
    const server = loop.runUntilComplete(loop.createServer(f.make, '127.0.0.1', 0));
    const port = portOf(server);
    const waiting = loop.createTask(server.waitClosed());
    loop.runUntilComplete(sleep(loop, 0.02));
    assert.equal(waiting.done(), false, 'an open server without connections: still waiting');
    const [transport, protocol] = loop.runUntilComplete(tcpClient(loop, '127.0.0.1', port)());
    runUntil(loop, () => f.made.length === 1 && f.made[0].transport !== null);
    server.close();
    assert.throws(() => loop.runUntilComplete(tcpClient(loop, '127.0.0.1', port)()), ConnectionRefusedError);
    transport.write(Buffer.from('still here'));
    runUntil(loop, () => protocol.received().length === 10);
    loop.runUntilComplete(sleep(loop, 0.02));
    assert.equal(waiting.done(), false, 'closed, but a connection is still active');
    transport.close();
    runUntil(loop, () => waiting.done());
    assert.equal(f.made[0].lost(), true);
    loop.runUntilComplete(server.waitClosed());
    server.close();
  });
});

test('the asynchronous context manager: __aenter__ gives the server, __aexit__ closes it and waits', () => {
  withStreamLoop((loop) => {
    const server = loop.runUntilComplete(loop.createServer(factory().make, '127.0.0.1', 0));
    assert.equal(loop.runUntilComplete(server.__aenter__()), server);
    loop.runUntilComplete(server.__aexit__(null, null, null));
    assert.equal(server.isServing(), false);
    assert.deepEqual(server.sockets, []);
    assert.match(String(server), /^<Server sockets=\(\)>$/);
  });
});

// ---------------------------------------------------------------------------
// Unix servers and connections

let names = 0;
function unixPath(): string {
  return path.join(dir, `s${++names}.sock`);
}

test('create_unix_server and create_unix_connection on a path, given as str or bytes', () => {
  withStreamLoop((loop) => {
    for (const asBytes of [false, true]) {
      const p = unixPath();
      const name = asBytes ? Buffer.from(p) : p;
      const f = factory();
      const server = loop.runUntilComplete(loop.createUnixServer(f.make, name));
      assert.equal(server.sockets[0].family, socket.AF_UNIX);
      assert.equal(server.sockets[0].getsockname(), p);
      assert.ok(echoes(loop, () => loop.createUnixConnection(() => new RecordingProtocol(), name)));
      assert.equal(f.made[0].transport!.getExtraInfo('sockname'), p);
      closed(loop, server);
    }
  });
});

test('an abstract name (leading NUL): in no directory, reported as bytes', () => {
  withStreamLoop((loop) => {
    const name = `\0loopspec-${process.pid}-${Date.now()}`;
    const server = loop.runUntilComplete(loop.createUnixServer(factory().make, name));
    assert.deepEqual(server.sockets[0].getsockname(), Buffer.from(name));
    assert.ok(echoes(loop, () => loop.createUnixConnection(() => new RecordingProtocol(), name)));
    closed(loop, server);
  });
});

test('a stale socket file at the path is removed first; any other file there makes it fail with EADDRINUSE', () => {
  withStreamLoop((loop) => {
    const p = unixPath();
    const stale = Socket.create(socket.AF_UNIX, socket.SOCK_STREAM);
    stale.bind(p);
    stale.close();
    assert.ok(fs.statSync(p).isSocket(), 'the socket file stays after its socket is closed');
    const server = loop.runUntilComplete(loop.createUnixServer(factory().make, p));
    assert.ok(echoes(loop, () => loop.createUnixConnection(() => new RecordingProtocol(), p)));
    closed(loop, server);

    const plain = unixPath();
    fs.writeFileSync(plain, 'not a socket');
    assert.throws(() => loop.runUntilComplete(loop.createUnixServer(factory().make, plain)), (e: unknown) => e instanceof OSError && e.errno === EADDRINUSE);
    assert.equal(fs.readFileSync(plain, 'utf8'), 'not a socket', 'left alone');
  });
});

test('cleanup_socket (3.13): the file goes when the server closes, unless replaced meanwhile or asked not to', () => {
  withStreamLoop((loop) => {
    const p = unixPath();
    closed(loop, loop.runUntilComplete(loop.createUnixServer(factory().make, p)));
    assert.equal(fs.existsSync(p), false);

    const kept = unixPath();
    closed(loop, loop.runUntilComplete(loop.createUnixServer(factory().make, kept, null, 100, null, null, null, true, false)));
    assert.equal(fs.existsSync(kept), true);

    const replaced = unixPath();
    const server = loop.runUntilComplete(loop.createUnixServer(factory().make, replaced));
    fs.unlinkSync(replaced);
    fs.writeFileSync(replaced, 'someone else');
    closed(loop, server);
    assert.equal(fs.readFileSync(replaced, 'utf8'), 'someone else');
  });
});

test('unix: sock instead of path, and the arguments CPython refuses', () => {
  withStreamLoop((loop) => {
    const p = unixPath();
    const sock = Socket.create(socket.AF_UNIX, socket.SOCK_STREAM);
    sock.bind(p);
    const server = loop.runUntilComplete(loop.createUnixServer(factory().make, null, sock));
    const client = Socket.create(socket.AF_UNIX, socket.SOCK_STREAM);
    loop.runUntilComplete(loop.sockConnect(client, p));
    const [transport, protocol] = loop.runUntilComplete(loop.createUnixConnection(() => new RecordingProtocol(), null, null, client));
    transport.write(Buffer.from('sock'));
    runUntil(loop, () => protocol.received().length === 4);
    transport.close();
    runUntil(loop, () => protocol.lost());

    const tcp = Socket.create(socket.AF_INET, socket.SOCK_STREAM);
    try {
      assert.throws(() => loop.runUntilComplete(loop.createUnixServer(factory().make, null, tcp)), ValueError);
      assert.throws(() => loop.runUntilComplete(loop.createUnixServer(factory().make, p, tcp)), ValueError);
      assert.throws(() => loop.runUntilComplete(loop.createUnixServer(factory().make)), ValueError);
      assert.throws(() => loop.runUntilComplete(loop.createUnixServer(factory().make, 42)), PyTypeError);
      assert.throws(() => loop.runUntilComplete(loop.createUnixConnection(() => new Protocol(), null, null, tcp)), ValueError);
      assert.throws(() => loop.runUntilComplete(loop.createUnixConnection(() => new Protocol())), ValueError);
      assert.throws(() => loop.runUntilComplete(loop.createUnixConnection(() => new Protocol(), p, null, null, 'host')), ValueError);
    } finally {
      tcp.close();
    }
    assert.throws(() => loop.runUntilComplete(loop.createUnixConnection(() => new Protocol(), path.join(dir, 'nobody.sock'))), FileNotFoundError);
    closed(loop, server);
  });
});
