// reference: loop.create_datagram_endpoint() and the datagram transport (base_events.ts,
// datagram.ts, datagram_transport.ts) on real sockets: UDP on 127.0.0.1, AF_UNIX datagram
// sockets on paths in a directory of the test's; every port 0.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { SelectorDatagramTransport } from '../../reference/datagram_transport';
import { BlockingIOError, ConnectionRefusedError, PyTypeError, ValueError } from '../../reference/errors';
import { DatagramProtocol } from '../../reference/protocols';
import * as socket from '../../reference/socket';
import { Socket } from '../../reference/socket';
import type { UnixSelectorEventLoop } from '../../reference/unix_events';
import { runUntil, sleep, withStreamLoop } from './helpers';

/** A datagram protocol that keeps what it is told. */
class Recorder extends DatagramProtocol {
  readonly datagrams: Array<[string, unknown]> = [];
  readonly errors: unknown[] = [];
  readonly events: string[] = [];
  override connectionMade(): void { this.events.push('connection_made'); }
  override datagramReceived(data: Buffer, addr: unknown): void { this.datagrams.push([data.toString(), addr]); }
  override errorReceived(exc: unknown): void { this.errors.push(exc); }
  override pauseWriting(): void { this.events.push('pause_writing'); }
  override resumeWriting(): void { this.events.push('resume_writing'); }
  override connectionLost(exc: unknown): void { this.events.push(`connection_lost ${String(exc)}`); }
}

function endpoint(loop: UnixSelectorEventLoop, ...args: unknown[]): [SelectorDatagramTransport, Recorder] {
  const make = loop.createDatagramEndpoint.bind(loop) as (factory: () => Recorder, ...rest: unknown[]) => ReturnType<UnixSelectorEventLoop['createDatagramEndpoint']>;
  return loop.runUntilComplete(make(() => new Recorder(), ...args)) as [SelectorDatagramTransport, Recorder];
}

function closeAll(loop: UnixSelectorEventLoop, ...transports: SelectorDatagramTransport[]): void {
  for (const t of transports) t.close();
  loop.runUntilComplete(sleep(loop, 0.01));
}

/** Every datagram waiting at a non-blocking socket of the test's, as text. */
function drain(receiver: Socket): string[] {
  const out: string[] = [];
  for (;;) {
    try {
      out.push(receiver.recvfrom(1024)[0].toString());
    } catch (exc) {
      if (exc instanceof BlockingIOError) return out;
      throw exc;
    }
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ldgram-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('two UDP endpoints exchange datagrams: sendto(data, addr) and datagram_received(data, addr)', () => {
  withStreamLoop((loop) => {
    const [a, pa] = endpoint(loop, ['127.0.0.1', 0]);
    const aAddress = a.getExtraInfo('sockname') as [string, number];
    const [b, pb] = endpoint(loop, null, aAddress);
    assert.deepEqual(pb.events, ['connection_made']);
    b.sendto(Buffer.from('one'));
    runUntil(loop, () => pa.datagrams.length === 1);
    assert.deepEqual(pa.datagrams, [['one', b.getExtraInfo('sockname')]]);
    a.sendto(Buffer.from('two'), b.getExtraInfo('sockname') as [string, number]);
    runUntil(loop, () => pb.datagrams.length === 1);
    assert.deepEqual(pb.datagrams, [['two', aAddress]]);
    // A connected endpoint sends to its peer only.
    assert.throws(() => b.sendto(Buffer.from('x'), ['127.0.0.1', 9]), ValueError);
    closeAll(loop, a, b);
    assert.deepEqual(pa.events.slice(-1), ['connection_lost null']);
  });
});

test('a datagram the peer refuses comes back as error_received(ConnectionRefusedError); the transport stays open', () => {
  withStreamLoop((loop) => {
    const dead = Socket.create(socket.AF_INET, socket.SOCK_DGRAM);
    dead.bind(['127.0.0.1', 0]);
    const port = (dead.getsockname() as [string, number])[1];
    dead.close();
    const [t, p] = endpoint(loop, null, ['127.0.0.1', port]);
    t.sendto(Buffer.from('anyone?'));
    runUntil(loop, () => p.errors.length > 0);
    assert.ok(p.errors[0] instanceof ConnectionRefusedError);
    assert.equal(t.isClosing(), false);
    closeAll(loop, t);
  });
});

/**
 * A socket of the test's bound to a path in `dir` and an endpoint connected to it. An AF_UNIX
 * datagram socket whose receiver does not read blocks its sender (EAGAIN), so the endpoint's
 * sendto() buffers once the receiver's queue is full.
 */
function slowReceiver(loop: UnixSelectorEventLoop, name: string): [Socket, [SelectorDatagramTransport, Recorder]] {
  const file = path.join(dir, name);
  const receiver = Socket.create(socket.AF_UNIX, socket.SOCK_DGRAM);
  receiver.bind(file);
  return [receiver, endpoint(loop, null, file, socket.AF_UNIX)];
}

test('what the socket will not take now is buffered, flow-controlled, and sent in order once it can', () => {
  withStreamLoop((loop) => {
    const [receiver, [t, p]] = slowReceiver(loop, 'slow.sock');
    t.setWriteBufferLimits(4096);
    let sent = 0;
    while (t.getWriteBufferSize() === 0 && sent < 100000) t.sendto(Buffer.from(`d${sent++}`.padEnd(512, '.')));
    for (let i = 0; i < 20; i++) t.sendto(Buffer.from(`d${sent++}`.padEnd(512, '.')));
    assert.ok(t.getWriteBufferSize() > 4096);
    assert.ok(p.events.includes('pause_writing'));
    const got: string[] = [];
    runUntil(loop, () => {
      got.push(...drain(receiver).map((d) => d.replace(/\.+$/, '')));
      return got.length === sent;
    });
    assert.deepEqual(got, Array.from({ length: sent }, (_, i) => `d${i}`));
    assert.equal(t.getWriteBufferSize(), 0);
    assert.ok(p.events.includes('resume_writing'));
    closeAll(loop, t);
    receiver.close();
  });
});

test('close() with datagrams still buffered sends them, then connection_lost(None); abort() drops them', () => {
  withStreamLoop((loop) => {
    const [receiver, [t, p]] = slowReceiver(loop, 'close.sock');
    const file = receiver.getsockname() as string;
    let sent = 0;
    while (t.getWriteBufferSize() === 0) t.sendto(Buffer.from(`c${sent++}`));
    t.close();
    assert.equal(t.isClosing(), true);
    let got = 0;
    runUntil(loop, () => {
      got += drain(receiver).length;
      return p.events.includes('connection_lost null');
    });
    assert.equal(got, sent);
    const [u, q] = endpoint(loop, null, file, socket.AF_UNIX);
    while (u.getWriteBufferSize() === 0) u.sendto(Buffer.from('x'));
    u.abort();
    loop.runUntilComplete(sleep(loop, 0.01));
    assert.deepEqual(q.events.slice(-1), ['connection_lost null']);
    receiver.close();
  });
});

test('create_datagram_endpoint checks its arguments as CPython 3.12 does', () => {
  withStreamLoop((loop) => {
    assert.throws(() => endpoint(loop), (e: unknown) => e instanceof ValueError && /unexpected address family/.test(e.message));
    assert.throws(() => endpoint(loop, ['127.0.0.1', 0], null, 0, 0, 0, true), PyTypeError);
    assert.throws(() => endpoint(loop, '127.0.0.1'), (e: unknown) => e instanceof PyTypeError && /2-tuple/.test(e.message));
    assert.throws(() => endpoint(loop, ['127.0.0.1', 0], null, socket.AF_UNIX), (e: unknown) => e instanceof PyTypeError && /string is expected/.test(e.message));
    const stream = Socket.create(socket.AF_INET, socket.SOCK_STREAM);
    assert.throws(() => endpoint(loop, null, null, 0, 0, 0, undefined, null, null, stream), (e: unknown) => e instanceof ValueError && /A UDP Socket/.test(e.message));
    stream.close();
    const udp = Socket.create(socket.AF_INET, socket.SOCK_DGRAM);
    assert.throws(() => endpoint(loop, null, null, 0, 0, 0, undefined, true, null, udp), (e: unknown) => e instanceof ValueError && /reuse_port=true/.test(e.message));
    udp.close();
  });
});

test('allow_broadcast with a remote address leaves the socket unconnected and sends there with sendto()', () => {
  withStreamLoop((loop) => {
    const [a, pa] = endpoint(loop, ['127.0.0.1', 0]);
    const [b] = endpoint(loop, null, a.getExtraInfo('sockname'), 0, 0, 0, undefined, null, true);
    assert.equal(b.getExtraInfo('peername'), null);
    b.sendto(Buffer.from('to the address given'));
    runUntil(loop, () => pa.datagrams.length === 1);
    assert.equal(pa.datagrams[0][0], 'to the address given');
    closeAll(loop, a, b);
  });
});
