// reference: loop.sendfile() and loop.sock_sendfile() (base_events.ts,
// selector_events.ts, unix_events.ts) against a peer on 127.0.0.1.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { ConnectionError, SendfileNotAvailableError, ValueError } from '../../reference/errors';
import { BinaryFile } from '../../reference/fileio';
import { Coroutine } from '../../reference/futures';
import { Protocol } from '../../reference/protocols';
import { SelectorSocketTransport } from '../../reference/selector_transport';
import { Socket } from '../../reference/socket';
import { UnixSelectorEventLoop } from '../../reference/unix_events';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-ref-sendfile-'));
const DATA = Buffer.from(Array.from({ length: 100_000 }, (_, i) => i % 251));
fs.writeFileSync(path.join(dir, 'data.bin'), DATA);
fs.writeFileSync(path.join(dir, 'big.bin'), Buffer.alloc(64 * 1024 * 1024, 7));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Peer {
  listener: Socket;
  port: number;
  /** Accepted connections and what each received. */
  received: Map<Socket, Buffer[]>;
}

/** A peer served by the loop itself: accepts and reads everything. */
function startPeer(loop: UnixSelectorEventLoop): Peer {
  const listener = Socket.listen('127.0.0.1', 0);
  const peer: Peer = { listener, port: (listener.getsockname() as [string, number])[1], received: new Map() };
  loop.addReader(listener, () => {
    const [conn] = listener.accept();
    peer.received.set(conn, []);
    loop.addReader(conn, () => {
      try {
        const data = conn.recv(1 << 20);
        if (data.length === 0) loop.removeReader(conn);
        else peer.received.get(conn)?.push(data);
      } catch {
        loop.removeReader(conn);
      }
    });
  });
  return peer;
}

function stopPeer(loop: UnixSelectorEventLoop, peer: Peer): void {
  loop.removeReader(peer.listener);
  peer.listener.close();
  for (const conn of peer.received.keys()) {
    loop.removeReader(conn);
    conn.close();
  }
}

/** Runs the loop a little so the peer reads what is in flight. */
function settle(loop: UnixSelectorEventLoop): void {
  function* pause(): Coroutine<void> {
    const fut = loop.createFuture<void>();
    loop.callLater(0.05, () => fut.setResult(undefined));
    yield* fut;
  }
  loop.runUntilComplete(pause());
}

function receivedBytes(peer: Peer): Buffer {
  return Buffer.concat([...peer.received.values()].flat());
}

test('sock_sendfile honours offset and count and moves the file position', () => {
  const loop = new UnixSelectorEventLoop();
  const peer = startPeer(loop);
  const sock = Socket.tcp();
  const file = BinaryFile.open(path.join(dir, 'data.bin'));
  try {
    loop.runUntilComplete(loop.sockConnect(sock, ['127.0.0.1', peer.port]));
    assert.equal(loop.runUntilComplete(loop.sockSendfile(sock, file, 1000, 5000)), 5000);
    assert.equal(file.tell(), 6000);
    assert.equal(loop.runUntilComplete(loop.sockSendfile(sock, file, 99_000)), 1000, 'to end of file');
    assert.equal(file.tell(), 100_000);
    assert.throws(() => loop.runUntilComplete(loop.sockSendfile(sock, file, 0, 0)), ValueError);
    settle(loop);
    assert.deepEqual(receivedBytes(peer), Buffer.concat([DATA.subarray(1000, 6000), DATA.subarray(99_000)]));
  } finally {
    file.close();
    sock.close();
    stopPeer(loop, peer);
    loop.close();
  }
});

test('loop.sendfile: the syscall path, and the fallback on a transport that cannot use it', () => {
  const loop = new UnixSelectorEventLoop();
  const peer = startPeer(loop);
  const file = BinaryFile.open(path.join(dir, 'data.bin'));
  const transports: Array<{ close(): void }> = [];
  try {
    const [tcp] = loop.runUntilComplete(loop.createConnection(() => new Protocol(), '127.0.0.1', peer.port));
    transports.push(tcp);
    assert.equal(loop.runUntilComplete(loop.sendfile(tcp, file, 10, 20)), 20);
    assert.equal(file.tell(), 30);

    // The stand-in for TLS: a TCP transport that cannot use the syscall.
    const [noSyscall] = loop.runUntilComplete(loop.createConnection(() => new Protocol(), '127.0.0.1', peer.port));
    (noSyscall as SelectorSocketTransport).sendfileSyscallUsable = false;
    transports.push(noSyscall);
    assert.throws(() => loop.runUntilComplete(loop.sendfile(noSyscall, file, 50, 10, false)), SendfileNotAvailableError);
    assert.equal(file.tell(), 50, 'the position is updated even when it raises');
    assert.equal(loop.runUntilComplete(loop.sendfile(noSyscall, file, 50, 10, true)), 10);
    assert.equal(file.tell(), 60);
    settle(loop);
    const byConn = [...peer.received.values()].map((chunks) => Buffer.concat(chunks));
    assert.deepEqual(byConn, [DATA.subarray(10, 30), DATA.subarray(50, 60)]);
  } finally {
    for (const t of transports) t.close();
    settle(loop);
    file.close();
    stopPeer(loop, peer);
    loop.close();
  }
});

test('a peer reset mid-transfer raises ConnectionError and the position tells what was sent', () => {
  for (const api of ['sock_sendfile', 'sendfile', 'fallback'] as const) {
    const loop = new UnixSelectorEventLoop();
    const listener = Socket.listen('127.0.0.1', 0);
    const port = (listener.getsockname() as [string, number])[1];
    const file = BinaryFile.open(path.join(dir, 'big.bin'));
    const closers: Array<() => void> = [() => listener.close(), () => file.close()];
    try {
      // The peer accepts, reads nothing, and resets the connection after 50 ms.
      loop.addReader(listener, () => {
        const [conn] = listener.accept();
        closers.push(() => conn.close());
        loop.removeReader(listener);
        loop.callLater(0.05, () => {
          conn.setLingerReset();
          conn.close();
        });
      });
      let run: Coroutine<number>;
      if (api === 'sock_sendfile') {
        const sock = Socket.tcp();
        closers.push(() => sock.close());
        loop.runUntilComplete(loop.sockConnect(sock, ['127.0.0.1', port]));
        run = loop.sockSendfile(sock, file, 3);
      } else {
        const [t] = loop.runUntilComplete(loop.createConnection(() => new Protocol(), '127.0.0.1', port));
        (t as SelectorSocketTransport).sendfileSyscallUsable = api === 'sendfile';
        closers.push(() => t.close());
        run = loop.sendfile(t, file, 3);
      }
      assert.throws(() => loop.runUntilComplete(run), (e: unknown) => e instanceof ConnectionError, api);
      const position = file.tell();
      assert.ok(position > 3 && position < 3 + 64 * 1024 * 1024, `${api}: position ${position}`);
    } finally {
      for (const close of closers.reverse()) close();
      settle(loop);
      loop.close();
    }
  }
});
