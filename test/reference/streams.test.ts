// reference: loop.create_connection(), loop.connect_accepted_socket() and the socket transport
// (base_events.ts, connect.ts, selector_transport.ts), on real sockets on 127.0.0.1 and ::1,
// every port 0. Errors are checked by class and errno.
import assert from 'node:assert/strict';
import { constants } from 'node:os';
import { test } from 'node:test';
import { AddrInfo } from '../../reference/socket';
import {
  ConnectionRefusedError, ConnectionResetError, ExceptionGroup, NotImplementedError, OSError, PyTypeError, RuntimeError, ValueError,
} from '../../reference/errors';
import { Protocol } from '../../reference/protocols';
import { SelectorSocketTransport } from '../../reference/selector_transport';
import type { Server } from '../../reference/server';
import * as socket from '../../reference/socket';
import { Socket } from '../../reference/socket';
import type { Transport } from '../../reference/transports';
import { TransportSocket } from '../../reference/trsock';
import type { UnixSelectorEventLoop } from '../../reference/unix_events';
import { echoProtocol, RecordingProtocol, runUntil, sleep, withStreamLoop } from './helpers';

const { ECONNREFUSED, EADDRINUSE, ECONNRESET } = constants.errno;

/** An echo server of the loop's own on host, port 0; its port and the protocols it made. */
function echoServer(loop: UnixSelectorEventLoop, host = '127.0.0.1'): { server: Server; port: number; accepted: RecordingProtocol[] } {
  const accepted: RecordingProtocol[] = [];
  const server = loop.runUntilComplete(loop.createServer(() => {
    const p = echoProtocol();
    accepted.push(p);
    return p;
  }, host, 0));
  return { server, port: (server.sockets[0].getsockname() as [string, number])[1], accepted };
}

function closeServer(loop: UnixSelectorEventLoop, server: Server, ...transports: Transport[]): void {
  for (const t of transports) t.close();
  server.close();
  loop.runUntilComplete(sleep(loop, 0.02));
}

/** A port nothing listens on: bound (so no one else takes it) but never listening. */
function deadPort(): { sock: Socket; port: number } {
  const sock = Socket.create(socket.AF_INET, socket.SOCK_STREAM);
  sock.bind(['127.0.0.1', 0]);
  return { sock, port: (sock.getsockname() as [string, number])[1] };
}

/** Records the loop's exception handler calls. */
function handlerCalls(loop: UnixSelectorEventLoop): Array<{ message: string; exception?: unknown }> {
  const calls: Array<{ message: string; exception?: unknown }> = [];
  loop.setExceptionHandler((_l, context) => calls.push(context));
  return calls;
}

// ---------------------------------------------------------------------------
// create_connection

test('create_connection returns (transport, protocol) after connection_made, with TCP_NODELAY on both ends', () => {
  withStreamLoop((loop) => {
    const { server, port, accepted } = echoServer(loop);
    let made = 0;
    const [transport, protocol] = loop.runUntilComplete(loop.createConnection((...args: unknown[]) => {
      assert.equal(args.length, 0, 'protocol_factory is called without arguments');
      made++;
      return new RecordingProtocol();
    }, '127.0.0.1', port));
    assert.equal(made, 1);
    assert.ok(transport instanceof SelectorSocketTransport);
    assert.deepEqual(protocol.methods(), ['connection_made'], 'connection_made before the pair is returned');
    assert.equal(protocol.transport, transport);
    const sock = transport.getExtraInfo('socket') as TransportSocket;
    assert.ok(sock instanceof TransportSocket);
    assert.equal(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY), 1);
    assert.deepEqual(transport.getExtraInfo('peername'), ['127.0.0.1', port]);
    assert.equal((transport.getExtraInfo('sockname') as [string, number])[0], '127.0.0.1');
    assert.equal(transport.getExtraInfo('nothing', 'dflt'), 'dflt');
    transport.write(Buffer.from('ping'));
    runUntil(loop, () => protocol.received().length === 4);
    assert.equal(protocol.received().toString(), 'ping');
    const serverSide = accepted[0].transport!;
    assert.equal((serverSide.getExtraInfo('socket') as TransportSocket).getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY), 1);
    assert.deepEqual(serverSide.getExtraInfo('peername'), transport.getExtraInfo('sockname'));
    closeServer(loop, server, transport);
    runUntil(loop, () => protocol.lost() && accepted[0].lost());
    assert.equal(protocol.lostWith(), null);
  });
});

test('create_connection over IPv6 (::1)', () => {
  withStreamLoop((loop) => {
    const { server, port } = echoServer(loop, '::1');
    const [transport, protocol] = loop.runUntilComplete(loop.createConnection(() => new RecordingProtocol(), '::1', port));
    assert.deepEqual(transport.getExtraInfo('peername'), ['::1', port, 0, 0]);
    transport.write(Buffer.from('six'));
    runUntil(loop, () => protocol.received().length === 3);
    closeServer(loop, server, transport);
  });
});

test('a host name is looked up with loop.getaddrinfo (SOCK_STREAM, the family, proto and flags given)', () => {
  withStreamLoop((loop) => {
    const { server, port } = echoServer(loop);
    const asked: unknown[][] = [];
    const lookup = loop.getaddrinfo.bind(loop);
    loop.getaddrinfo = function* (...args: unknown[]) {
      asked.push(args);
      return yield* lookup(...(args as [unknown, unknown]));
    };
    const [transport] = loop.runUntilComplete(loop.createConnection(() => new RecordingProtocol(), 'localhost', port, null, socket.AF_INET, 0, socket.AI_ADDRCONFIG));
    assert.deepEqual(asked, [['localhost', port, socket.AF_INET, socket.SOCK_STREAM, 0, socket.AI_ADDRCONFIG]]);
    assert.deepEqual(transport.getExtraInfo('peername'), ['127.0.0.1', port]);
    // A numeric host needs no lookup.
    const [numeric] = loop.runUntilComplete(loop.createConnection(() => new RecordingProtocol(), '127.0.0.1', port));
    assert.equal(asked.length, 1);
    closeServer(loop, server, transport, numeric);
  });
});

/** Makes loop.getaddrinfo answer these rows (the resolver of this host has one address per name). */
function resolveTo(loop: UnixSelectorEventLoop, rows: AddrInfo[]): void {
  // eslint-disable-next-line require-yield
  loop.getaddrinfo = function* () {
    return rows;
  };
}

function row(host: string, port: number): AddrInfo {
  return host.includes(':')
    ? [socket.AF_INET6, socket.SOCK_STREAM, socket.IPPROTO_TCP, '', [host, port, 0, 0]]
    : [socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, '', [host, port]];
}

test('a refused connection raises ConnectionRefusedError; every address is tried in turn', () => {
  withStreamLoop((loop) => {
    const dead = deadPort();
    try {
      assert.throws(() => loop.runUntilComplete(loop.createConnection(() => new Protocol(), '127.0.0.1', dead.port)),
        (e: unknown) => e instanceof ConnectionRefusedError && e.errno === ECONNREFUSED);
      const { server, port } = echoServer(loop);
      resolveTo(loop, [row('127.0.0.1', dead.port), row('127.0.0.1', port)]);
      const [transport] = loop.runUntilComplete(loop.createConnection(() => new RecordingProtocol(), 'two.example', 0));
      assert.deepEqual(transport.getExtraInfo('peername'), ['127.0.0.1', port], 'the second address, after the first was refused');
      closeServer(loop, server, transport);
    } finally {
      dead.sock.close();
    }
  });
});

test('all attempts failing: the one error, the same error once, "Multiple exceptions" otherwise, an ExceptionGroup with all_errors', () => {
  withStreamLoop((loop) => {
    const a = deadPort();
    const b = deadPort();
    try {
      const attempt = (allErrors = false): unknown => {
        try {
          loop.runUntilComplete(loop.createConnection(() => new Protocol(), 'many.example', 0, null, 0, 0, 0, null, null, null, null, null, null, null, allErrors));
        } catch (exc) {
          return exc;
        }
        assert.fail('connected');
      };
      resolveTo(loop, [row('127.0.0.1', a.port), row('127.0.0.1', a.port)]);
      const same = attempt();
      assert.ok(same instanceof ConnectionRefusedError, 'two errors that read the same: the first one');
      resolveTo(loop, [row('127.0.0.1', a.port), row('127.0.0.1', b.port)]);
      const multiple = attempt();
      assert.ok(multiple instanceof OSError && multiple.constructor === OSError && multiple.errno === null, 'an OSError without errno');
      const group = attempt(true);
      assert.ok(group instanceof ExceptionGroup);
      assert.equal(group.exceptions.length, 2);
      assert.ok(group.exceptions.every((e) => e instanceof ConnectionRefusedError));
      resolveTo(loop, []);
      assert.ok(attempt() instanceof OSError, 'getaddrinfo() returned empty list');
    } finally {
      a.sock.close();
      b.sock.close();
    }
  });
});

test('interleave reorders the addresses by family; happy_eyeballs_delay starts the next attempt while one hangs', () => {
  withStreamLoop((loop) => {
    const { server, port } = echoServer(loop);
    const tried: string[] = [];
    const connect = loop.sockConnect.bind(loop);
    const hung: Socket[] = [];
    loop.sockConnect = function* (sock: Socket, address: unknown) {
      const [host, p] = address as [string, number];
      tried.push(`${host}:${p}`);
      if (p === 1) {
        // This address never answers: the attempt waits until it is cancelled.
        hung.push(sock);
        yield* loop.createFuture<void>();
      }
      yield* connect(sock, address);
    };
    resolveTo(loop, [row('::1', 2), row('::1', 3), row('127.0.0.1', 4)]);
    const refused = (): unknown => {
      try {
        loop.runUntilComplete(loop.createConnection(() => new Protocol(), 'h.example', 0, null, 0, 0, 0, null, null, null, null, null, null, 1));
      } catch (exc) {
        return exc;
      }
      return null;
    };
    assert.ok(refused() instanceof OSError);
    assert.deepEqual(tried, ['::1:2', '127.0.0.1:4', '::1:3'], 'interleave=1: one of each family in turn');

    tried.length = 0;
    resolveTo(loop, [row('127.0.0.1', 1), row('127.0.0.1', port)]);
    const start = loop.time();
    const [transport] = loop.runUntilComplete(loop.createConnection(() => new RecordingProtocol(), 'h.example', 0, null, 0, 0, 0, null, null, null, null, null, 0.05));
    assert.ok(loop.time() - start >= 0.04, 'the second attempt waited for the delay');
    assert.deepEqual(tried, ['127.0.0.1:1', `127.0.0.1:${port}`]);
    assert.deepEqual(transport.getExtraInfo('peername'), ['127.0.0.1', port]);
    runUntil(loop, () => hung[0].closed);
    assert.ok(hung[0].closed, 'the losing attempt was cancelled and its socket closed');
    closeServer(loop, server, transport);
  });
});

test('local_addr is resolved and bound; no local address of the family, or one in use, is an OSError', () => {
  withStreamLoop((loop) => {
    const { server, port } = echoServer(loop);
    const [transport] = loop.runUntilComplete(loop.createConnection(() => new RecordingProtocol(), '127.0.0.1', port, null, 0, 0, 0, null, ['127.0.0.1', 0]));
    const [host, localPort] = transport.getExtraInfo('sockname') as [string, number];
    assert.equal(host, '127.0.0.1');
    assert.ok(localPort > 0);
    assert.throws(() => loop.runUntilComplete(loop.createConnection(() => new Protocol(), '127.0.0.1', port, null, 0, 0, 0, null, ['::1', 0])),
      (e: unknown) => e instanceof OSError && e.errno === null, 'no local address of the family');
    const taken = server.sockets[0].getsockname() as [string, number];
    assert.throws(() => loop.runUntilComplete(loop.createConnection(() => new Protocol(), '127.0.0.1', port, null, 0, 0, 0, null, taken)),
      (e: unknown) => e instanceof OSError && e.errno === EADDRINUSE);
    closeServer(loop, server, transport);
  });
});

test('sock instead of host/port; the arguments CPython refuses', () => {
  withStreamLoop((loop) => {
    const { server, port } = echoServer(loop);
    const sock = Socket.create(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP);
    loop.runUntilComplete(loop.sockConnect(sock, ['127.0.0.1', port]));
    const [transport, protocol] = loop.runUntilComplete(loop.createConnection(() => new RecordingProtocol(), null, null, null, 0, 0, 0, sock));
    assert.equal((transport as SelectorSocketTransport).socket, sock);
    transport.write(Buffer.from('via sock'));
    runUntil(loop, () => protocol.received().length === 8);

    const dgram = Socket.create(socket.AF_INET, socket.SOCK_DGRAM);
    const refuses = (args: unknown[], cls: Function): void => {
      assert.throws(() => loop.runUntilComplete((loop.createConnection as (...a: unknown[]) => never)(() => new Protocol(), ...args)), (e: unknown) => e instanceof cls, String(args));
    };
    try {
      refuses(['127.0.0.1', port, null, 0, 0, 0, dgram], ValueError);
      refuses([null, null], ValueError);
      refuses([null, null, null, 0, 0, 0, dgram], ValueError);
      refuses(['127.0.0.1', port, null, 0, 0, 0, null, null, 'name'], ValueError);
      refuses(['127.0.0.1', port, null, 0, 0, 0, null, null, null, 5], ValueError);
      refuses(['127.0.0.1', port, null, 0, 0, 0, null, null, null, null, 5], ValueError);
      refuses(['127.0.0.1', port, true], NotImplementedError);
      refuses([null, port, true], ValueError);
    } finally {
      dgram.close();
    }
    closeServer(loop, server, transport);
  });
});

/**
 * A client transport connected to a plain listening socket, and the connection that socket
 * accepted outside the loop: run(client, clientProtocol, conn), then everything is closed.
 */
function withPeerOutside(loop: UnixSelectorEventLoop, run: (client: Transport, clientProtocol: RecordingProtocol, conn: Socket) => void): void {
  const listener = Socket.listen('127.0.0.1', 0);
  let conn: Socket | null = null;
  try {
    const port = (listener.getsockname() as [string, number])[1];
    const [client, clientProtocol] = loop.runUntilComplete(loop.createConnection(() => new RecordingProtocol(), '127.0.0.1', port));
    [conn] = listener.accept();
    run(client, clientProtocol, conn);
    client.abort();
    runUntil(loop, () => clientProtocol.lost());
  } finally {
    conn?.close();
    listener.close();
  }
}

test('connect_accepted_socket: a socket accepted outside the loop becomes a transport', () => {
  withStreamLoop((loop) => {
    withPeerOutside(loop, (client, clientProtocol, conn) => {
      const [transport, protocol] = loop.runUntilComplete(loop.connectAcceptedSocket(echoProtocol, conn));
      assert.deepEqual(protocol.methods(), ['connection_made']);
      assert.deepEqual(transport.getExtraInfo('peername'), client.getExtraInfo('sockname'));
      client.write(Buffer.from('accepted'));
      runUntil(loop, () => clientProtocol.received().length === 8);
      const dgram = Socket.create(socket.AF_INET, socket.SOCK_DGRAM);
      assert.throws(() => loop.runUntilComplete(loop.connectAcceptedSocket(() => new Protocol(), dgram)), ValueError);
      assert.throws(() => loop.runUntilComplete(loop.connectAcceptedSocket(() => new Protocol(), conn, null, 1)), ValueError);
      dgram.close();
      client.close();
      runUntil(loop, () => protocol.lost() && clientProtocol.lost());
    });
  });
});

// ---------------------------------------------------------------------------
// The transport

/** A connected pair of transports on the loop: the client's and the one its server accepted. */
function pair(loop: UnixSelectorEventLoop, server: (p: RecordingProtocol) => RecordingProtocol = (p) => p, client = new RecordingProtocol()): {
  client: Transport; clientProtocol: RecordingProtocol; peer: RecordingProtocol; close(): void;
} {
  const accepted: RecordingProtocol[] = [];
  const srv = loop.runUntilComplete(loop.createServer(() => {
    const p = server(new RecordingProtocol());
    accepted.push(p);
    return p;
  }, '127.0.0.1', 0));
  const port = (srv.sockets[0].getsockname() as [string, number])[1];
  const [transport] = loop.runUntilComplete(loop.createConnection(() => client, '127.0.0.1', port));
  runUntil(loop, () => accepted.length === 1 && accepted[0].transport !== null);
  return {
    client: transport, clientProtocol: client, peer: accepted[0],
    close: () => {
      transport.abort();
      accepted[0].transport!.abort();
      srv.close();
      loop.runUntilComplete(srv.waitClosed());
    },
  };
}

test('writes buffer when the socket would block: pause_writing above the high mark, resume_writing at the low one, every byte in order', () => {
  withStreamLoop((loop) => {
    // The peer reads nothing until told to: the client's writes pile up.
    const p = pair(loop, () => new RecordingProtocol({ onMade: (t) => t.pauseReading() }));
    (p.client.getExtraInfo('socket') as TransportSocket).setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096);
    assert.deepEqual(p.client.getWriteBufferLimits(), [16 * 1024, 64 * 1024], 'the defaults: 64 KiB high, a quarter of it low');
    const data = Buffer.from(Array.from({ length: 4 * 1024 * 1024 }, (_, i) => (i * 31) & 0xff));
    for (let off = 0; off < data.length; off += 256 * 1024) p.client.write(data.subarray(off, off + 256 * 1024));
    assert.ok(p.client.getWriteBufferSize() > 64 * 1024);
    assert.deepEqual(p.clientProtocol.methods(), ['connection_made', 'pause_writing'], 'paused once');
    p.peer.transport!.resumeReading();
    runUntil(loop, () => p.peer.received().length === data.length, 10);
    assert.ok(p.peer.received().equals(data));
    assert.equal(p.client.getWriteBufferSize(), 0);
    assert.deepEqual(p.clientProtocol.methods(), ['connection_made', 'pause_writing', 'resume_writing']);
    p.close();
  });
});

test('set_write_buffer_limits: its defaults, its check, and new limits apply at once', () => {
  withStreamLoop((loop) => {
    const p = pair(loop, () => new RecordingProtocol({ onMade: (t) => t.pauseReading() }));
    const t = p.client;
    t.setWriteBufferLimits(1000);
    assert.deepEqual(t.getWriteBufferLimits(), [250, 1000], 'low defaults to a quarter of high');
    t.setWriteBufferLimits(null, 100);
    assert.deepEqual(t.getWriteBufferLimits(), [100, 400], 'high defaults to four times low');
    t.setWriteBufferLimits(10, 10);
    assert.throws(() => t.setWriteBufferLimits(10, 11), ValueError);
    assert.throws(() => t.setWriteBufferLimits(-1), ValueError);
    // Far above anything buffered: no pause while the buffer fills.
    t.setWriteBufferLimits(1 << 30);
    (t.getExtraInfo('socket') as TransportSocket).setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096);
    const chunk = Buffer.alloc(1024 * 1024, 1);
    for (let i = 0; i < 64 && t.getWriteBufferSize() < 256 * 1024; i++) t.write(chunk);
    const buffered = t.getWriteBufferSize();
    assert.ok(buffered >= 256 * 1024, `buffered ${buffered}`);
    assert.deepEqual(p.clientProtocol.methods(), ['connection_made']);
    t.setWriteBufferLimits(buffered - 1, 0);
    assert.deepEqual(p.clientProtocol.methods(), ['connection_made', 'pause_writing'], 'over the new high mark: paused at once');
    p.peer.transport!.resumeReading();
    runUntil(loop, () => t.getWriteBufferSize() === 0, 10);
    assert.deepEqual(p.clientProtocol.methods(), ['connection_made', 'pause_writing', 'resume_writing'], 'resumed at the low mark (0)');
    p.close();
  });
});

test('write_eof: the peer sees eof_received; eof_received returning true keeps the transport half open', () => {
  withStreamLoop((loop) => {
    // The peer answers after the EOF, then closes: its eof_received kept it open.
    const p = pair(loop, () => new RecordingProtocol({ keepOpen: true }));
    assert.equal(p.client.canWriteEof(), true);
    p.client.write(Buffer.from('last words'));
    p.client.writeEof();
    assert.throws(() => p.client.write(Buffer.from('more')), RuntimeError);
    runUntil(loop, () => p.peer.methods().includes('eof_received'));
    assert.equal(p.peer.received().toString(), 'last words');
    const peerTransport = p.peer.transport!;
    assert.equal(peerTransport.isClosing(), false, 'kept open');
    peerTransport.write(Buffer.from('reply'));
    peerTransport.close();
    runUntil(loop, () => p.clientProtocol.lost() && p.peer.lost());
    assert.equal(p.clientProtocol.received().toString(), 'reply');
    assert.deepEqual(p.clientProtocol.methods(), ['connection_made', 'data_received', 'eof_received', 'connection_lost']);
    assert.equal(p.clientProtocol.lostWith(), null);
    p.close();
  });
});

test('eof_received returning a false value closes the transport: connection_lost(None)', () => {
  withStreamLoop((loop) => {
    const p = pair(loop);
    p.client.writeEof();
    runUntil(loop, () => p.peer.lost());
    assert.deepEqual(p.peer.methods(), ['connection_made', 'eof_received', 'connection_lost']);
    assert.equal(p.peer.lostWith(), null);
    p.close();
  });
});

test('pause_reading holds data_received back until resume_reading; is_reading says which', () => {
  withStreamLoop((loop) => {
    const p = pair(loop);
    const peer = p.peer.transport!;
    assert.equal(peer.isReading(), true);
    peer.pauseReading();
    peer.pauseReading();
    assert.equal(peer.isReading(), false);
    p.client.write(Buffer.from('held'));
    loop.runUntilComplete(sleep(loop, 0.05));
    assert.deepEqual(p.peer.methods(), ['connection_made']);
    peer.resumeReading();
    assert.equal(peer.isReading(), true);
    runUntil(loop, () => p.peer.received().length === 4);
    peer.close();
    assert.equal(peer.isReading(), false, 'a closing transport reads no more');
    p.close();
  });
});

test('close() flushes what is buffered, then connection_lost(None); abort() drops it at once', () => {
  withStreamLoop((loop) => {
    for (const how of ['close', 'abort'] as const) {
      const p = pair(loop, () => new RecordingProtocol({ onMade: (t) => t.pauseReading() }));
      (p.client.getExtraInfo('socket') as TransportSocket).setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096);
      const data = Buffer.alloc(2 * 1024 * 1024, 7);
      p.client.write(data);
      assert.ok(p.client.getWriteBufferSize() > 0);
      p.client[how]();
      assert.equal(p.client.isClosing(), true);
      if (how === 'abort') {
        assert.equal(p.client.getWriteBufferSize(), 0, 'abort drops the buffer');
        runUntil(loop, () => p.clientProtocol.lost());
      } else {
        loop.runUntilComplete(sleep(loop, 0.05));
        assert.equal(p.clientProtocol.lost(), false, 'close waits for the buffer to drain');
      }
      p.peer.transport!.resumeReading();
      runUntil(loop, () => p.peer.lost() && p.clientProtocol.lost(), 10);
      assert.equal(p.clientProtocol.lostWith(), null);
      if (how === 'close') assert.equal(p.peer.received().length, data.length, 'close: every byte arrives');
      else assert.ok(p.peer.received().length < data.length, 'abort: the buffered bytes never leave');
      p.close();
    }
  });
});

test('a reset connection: connection_lost with the ConnectionResetError', () => {
  withStreamLoop((loop) => {
    withPeerOutside(loop, (transport, protocol, conn) => {
      conn.send(Buffer.from('x'));
      runUntil(loop, () => protocol.received().length === 1);
      conn.setLingerReset();
      conn.close();
      runUntil(loop, () => protocol.lost());
      const exc = protocol.lostWith();
      assert.ok(exc instanceof ConnectionResetError && exc.errno === ECONNRESET, String(exc));
      assert.equal(transport.isClosing(), true);
      // Writes after the loss are dropped, silently.
      transport.write(Buffer.from('into the void'));
    });
  });
});

test('data_received raising: the exception handler hears of it and connection_lost gets the error', () => {
  withStreamLoop((loop) => {
    const calls = handlerCalls(loop);
    const boom = new RuntimeError('boom');
    const p = pair(loop, () => new RecordingProtocol({ onData: () => { throw boom; } }));
    p.client.write(Buffer.from('x'));
    runUntil(loop, () => p.peer.lost());
    assert.equal(p.peer.lostWith(), boom);
    assert.equal(calls.length, 1);
    assert.equal(calls[0].exception, boom);
    p.close();
  });
});

test('the bytes given to data_received are the protocol\'s to keep; write takes bytes-like objects only', () => {
  withStreamLoop((loop) => {
    const p = pair(loop);
    p.client.write(Buffer.from('first'));
    runUntil(loop, () => p.peer.received().length === 5);
    p.client.write(new Uint8Array([0x73, 0x65, 0x63, 0x6f, 0x6e, 0x64]) as Buffer);
    runUntil(loop, () => p.peer.received().length === 11);
    const chunks = p.peer.events.flatMap((e) => (e.method === 'data_received' ? [e.data.toString()] : []));
    assert.deepEqual(chunks, ['first', 'second'], 'the first chunk was not overwritten by the second read');
    assert.throws(() => p.client.write('text' as unknown as Buffer), PyTypeError);
    p.client.write(Buffer.alloc(0));
    p.client.writelines([Buffer.from('a'), Buffer.from('b'), Buffer.from('c')]);
    runUntil(loop, () => p.peer.received().length === 14);
    assert.equal(p.peer.received().subarray(11).toString(), 'abc');
    p.close();
  });
});

test('a transport owns its descriptor: add_reader on it raises RuntimeError until the transport closes', () => {
  withStreamLoop((loop) => {
    const p = pair(loop);
    const fd = (p.client.getExtraInfo('socket') as TransportSocket).fileno();
    assert.throws(() => loop.addReader(fd, () => undefined), RuntimeError);
    assert.throws(() => loop.removeWriter(fd), RuntimeError);
    assert.throws(() => (p.client.getExtraInfo('socket') as TransportSocket).setblocking(true), ValueError);
    p.close();
  });
});

test('set_protocol and get_protocol', () => {
  withStreamLoop((loop) => {
    const p = pair(loop);
    const other = new RecordingProtocol();
    assert.equal(p.client.getProtocol(), p.clientProtocol);
    p.client.setProtocol(other);
    assert.equal(p.client.getProtocol(), other);
    p.peer.transport!.write(Buffer.from('to the new one'));
    runUntil(loop, () => other.received().length > 0);
    assert.deepEqual(p.clientProtocol.methods(), ['connection_made']);
    p.close();
  });
});
