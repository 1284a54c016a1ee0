// reference/selectors.ts: the selectors module (register, modify, unregister, select, close) on
// epoll, poll and select, and the selector loop that uses nothing else for its I/O.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as native from '../../native';
import { KeyError, OSError, PyTypeError, RuntimeError, ValueError } from '../../reference/errors';
import { BaseSelector, DefaultSelector, EpollSelector, EVENT_READ, EVENT_WRITE, PollSelector, SelectSelector } from '../../reference/selectors';
import { Socket } from '../../reference/socket';
import { UnixSelectorEventLoop } from '../../reference/unix_events';
import { pushFromWorker } from './helpers';

const KINDS: Array<[string, () => BaseSelector]> = [
  ['EpollSelector', () => new EpollSelector()],
  ['PollSelector', () => new PollSelector()],
  ['SelectSelector', () => new SelectSelector()],
];

/** Runs fn with a new selector and a connected socket pair, then closes all three. */
function withPair(make: () => BaseSelector, fn: (sel: BaseSelector, a: Socket, b: Socket) => void): void {
  const sel = make();
  const [a, b] = Socket.pair();
  try {
    fn(sel, a, b);
  } finally {
    sel.close();
    a.close();
    b.close();
  }
}

/** select()'s answer as [fd, events] pairs, in fd order. */
function ready(sel: BaseSelector, timeout: number | null = 0): Array<[number, number]> {
  return sel.select(timeout).map(([key, events]): [number, number] => [key.fd, events]).sort((x, y) => x[0] - y[0]);
}

test('DefaultSelector is the most efficient selector of the platform: epoll on Linux, as in Python', () => {
  assert.equal(DefaultSelector, EpollSelector);
});

for (const [name, make] of KINDS) {
  test(`${name}: register returns a SelectorKey; get_key and get_map find it; unregister returns it`, () => {
    withPair(make, (sel, a) => {
      const key = sel.register(a, EVENT_READ, 'data');
      assert.deepEqual({ ...key }, { fileobj: a, fd: a.fileno(), events: EVENT_READ, data: 'data' });
      assert.ok(Object.isFrozen(key), 'a key is immutable, as a namedtuple');
      assert.equal(sel.getKey(a), key);
      assert.equal(sel.getKey(a.fileno()), key, 'by its fd too');
      assert.equal(sel.getMap()?.get(a.fileno()), key);
      assert.equal(sel.unregister(a), key);
      assert.throws(() => sel.getKey(a), KeyError);
      assert.equal(sel.getMap()?.size, 0);
    });
  });

  test(`${name}: ValueError for an invalid event mask or fd, KeyError for a second register or an unknown file object`, () => {
    withPair(make, (sel, a, b) => {
      for (const events of [0, 4, EVENT_READ | 8, 1.5]) assert.throws(() => sel.register(a, events), ValueError, String(events));
      assert.throws(() => sel.register(-1, EVENT_READ), ValueError);
      sel.register(a, EVENT_READ);
      assert.throws(() => sel.register(a.fileno(), EVENT_WRITE), KeyError);
      assert.throws(() => sel.unregister(b), KeyError);
      assert.throws(() => sel.modify(b, EVENT_READ), KeyError);
      assert.throws(() => sel.modify(a, 0), ValueError);
    });
  });

  test(`${name}: select reports readable and writable fds, each with the events it watches`, () => {
    withPair(make, (sel, a, b) => {
      sel.register(a, EVENT_READ);
      sel.register(b, EVENT_READ | EVENT_WRITE);
      assert.deepEqual(ready(sel), [[b.fileno(), EVENT_WRITE]].sort((x, y) => x[0] - y[0]));
      b.send(Buffer.from('!'));
      assert.deepEqual(ready(sel), [[a.fileno(), EVENT_READ], [b.fileno(), EVENT_WRITE]].sort((x, y) => x[0] - y[0]));
      // Only what it watches: a is writable too, but is not watched for writing.
      sel.modify(b, EVENT_READ);
      assert.deepEqual(ready(sel), [[a.fileno(), EVENT_READ]]);
    });
  });

  test(`${name}: modify changes the events or only the data, and returns the new key`, () => {
    withPair(make, (sel, a) => {
      const first = sel.register(a, EVENT_READ, 'one');
      const same = sel.modify(a, EVENT_READ, 'one');
      assert.equal(same, first, 'nothing changed: the same key');
      const data = sel.modify(a, EVENT_READ, 'two');
      assert.equal(data.data, 'two');
      assert.equal(sel.getKey(a), data);
      const events = sel.modify(a, EVENT_WRITE, 'three');
      assert.deepEqual({ ...events }, { fileobj: a, fd: a.fileno(), events: EVENT_WRITE, data: 'three' });
      assert.deepEqual(ready(sel), [[a.fileno(), EVENT_WRITE]]);
    });
  });

  test(`${name}: select(timeout) waits that long when nothing is ready; timeout <= 0 does not block`, () => {
    withPair(make, (sel, a) => {
      sel.register(a, EVENT_READ);
      let t0 = native.monotonic();
      assert.deepEqual(sel.select(0.05), []);
      let elapsed = native.monotonic() - t0;
      assert.ok(elapsed >= 0.049 && elapsed < 1, `waited ${elapsed}s`);
      t0 = native.monotonic();
      assert.deepEqual(sel.select(-1), []);
      elapsed = native.monotonic() - t0;
      assert.ok(elapsed < 0.04, `waited ${elapsed}s for a negative timeout`);
    });
  });

  test(`${name}: select(None) blocks until another thread makes an fd readable`, async () => {
    const sel = make();
    const loop = new UnixSelectorEventLoop(); // only for a ticket that writes an eventfd from a worker
    const efd = native.eventfdCreate();
    try {
      sel.register(efd, EVENT_READ);
      const { ticket } = loop.prepareThreadsafeCall(() => undefined);
      const pushed = pushFromWorker({ ...ticket, wakeupFd: efd }, 0.05);
      assert.deepEqual(ready(sel, null), [[efd, EVENT_READ]]);
      assert.equal(await pushed, true);
    } finally {
      sel.close();
      native.close(efd);
      loop.close();
    }
  });

  test(`${name}: a hang-up is reported as readable (the reader sees the end)`, () => {
    withPair(make, (sel, a, b) => {
      sel.register(a, EVENT_READ | EVENT_WRITE);
      b.close();
      const [[fd, events]] = ready(sel);
      assert.equal(fd, a.fileno());
      assert.ok(events & EVENT_READ, `events ${events}`);
    });
  });

  test(`${name}: close() forgets every key; a closed selector raises RuntimeError`, () => {
    const sel = make();
    const [a, b] = Socket.pair();
    try {
      sel.register(a, EVENT_READ);
      sel.close();
      sel.close();
      assert.equal(sel.getMap(), null);
      assert.throws(() => sel.getKey(a), RuntimeError);
      assert.throws(() => sel.register(b, EVENT_READ), RuntimeError);
      assert.throws(() => sel.select(0), RuntimeError);
    } finally {
      a.close();
      b.close();
    }
  });

  test(`${name}: a socket closed while registered can still be unregistered`, () => {
    const sel = make();
    const [a, b] = Socket.pair();
    try {
      const key = sel.register(a, EVENT_READ);
      a.close();
      assert.equal(sel.unregister(a), key);
      assert.equal(sel.getMap()?.size, 0);
    } finally {
      sel.close();
      b.close();
    }
  });

  test(`${name}: a SelectorEventLoop on it runs readers, writers, timers and threadsafe calls, and closes it`, async () => {
    const sel = make();
    const loop = new UnixSelectorEventLoop(sel);
    const [a, b] = Socket.pair();
    try {
      const ran: string[] = [];
      loop.addReader(a, () => {
        ran.push('reader');
        loop.removeReader(a);
      });
      loop.addWriter(b, () => {
        ran.push('writer');
        loop.removeWriter(b);
        b.send(Buffer.from('!'));
      });
      loop.callLater(0.05, () => ran.push('timer'));
      const { ticket } = loop.prepareThreadsafeCall(() => {
        ran.push('threadsafe');
        loop.stop();
      });
      const pushed = pushFromWorker(ticket, 0.1);
      loop.runForever();
      assert.deepEqual(ran, ['writer', 'reader', 'timer', 'threadsafe']);
      assert.equal(await pushed, true);
      assert.equal(loop.watchedFds(), 0);
      assert.equal(sel.getMap()?.size, 1, 'the wakeup eventfd stays registered');
    } finally {
      loop.close();
      a.close();
      b.close();
    }
    assert.equal(sel.getMap(), null, 'loop.close() closed the selector it was given');
  });
}

test('SelectSelector: an fd from FD_SETSIZE up registers, but select() raises ValueError, as select.select() does', () => {
  const sel = new SelectSelector();
  try {
    sel.register({ fileno: () => native.FD_SETSIZE }, EVENT_READ);
    assert.throws(() => sel.select(0), ValueError);
  } finally {
    sel.close();
  }
});

test('a system call failure is a Python OSError: select(2) on a closed fd is EBADF', () => {
  const sel = new SelectSelector();
  const efd = native.eventfdCreate();
  try {
    sel.register(efd, EVENT_READ);
    native.close(efd);
    assert.throws(() => sel.select(0), (e: unknown) => e instanceof OSError && e.errno === 9);
  } finally {
    sel.close();
  }
});

test('EpollSelector: fileno() is its epoll fd, and close() closes it', () => {
  const sel = new EpollSelector();
  const fd = sel.fileno();
  assert.ok(native.openFds().some((e) => e.fd === fd && e.kind === 'epoll'));
  sel.close();
  assert.ok(!native.openFds().some((e) => e.fd === fd));
});

test('SelectorEventLoop: no selector makes a DefaultSelector; a closed one or a non-selector is refused, leaving nothing open', () => {
  const before = native.openFds().length;
  const loop = new UnixSelectorEventLoop();
  assert.equal(native.openFds().length, before + 2, 'an epoll fd and the wakeup eventfd');
  loop.close();
  assert.equal(native.openFds().length, before);
  const closed = new PollSelector();
  closed.close();
  assert.throws(() => new UnixSelectorEventLoop(closed), RuntimeError);
  assert.throws(() => new UnixSelectorEventLoop({} as BaseSelector), PyTypeError);
  assert.equal(native.openFds().length, before);
});
