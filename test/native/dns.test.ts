// native/dns.cc: getaddrinfo and getnameinfo, synchronous and thread-safe, run on worker
// threads so the loop's own thread never waits for a lookup. Only names the hosts file
// answers (localhost) and numeric addresses: no lookup leaves the machine.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import * as native from '../../native';

test('getaddrinfo gives [family, type, proto, canonname, address] rows with numeric hosts', () => {
  const rows = native.getaddrinfo('127.0.0.1', '80', native.AF_UNSPEC, native.SOCK_STREAM, 0, 0);
  assert.deepEqual(rows, [[native.AF_INET, native.SOCK_STREAM, native.IPPROTO_TCP, '', { family: native.AF_INET, host: '127.0.0.1', port: 80 }]]);
  const v6 = native.getaddrinfo('::1', null, native.AF_INET6, native.SOCK_STREAM, 0, native.AI_NUMERICHOST);
  assert.deepEqual(v6[0][4], { family: native.AF_INET6, host: '::1', port: 0, flowinfo: 0, scopeId: 0 });
  const passive = native.getaddrinfo(null, '0', native.AF_INET, native.SOCK_STREAM, 0, native.AI_PASSIVE);
  assert.equal((passive[0][4] as native.InetSockAddr).host, '0.0.0.0');
  const named = native.getaddrinfo('localhost', '80', native.AF_INET, native.SOCK_STREAM, 0, native.AI_CANONNAME);
  assert.equal(named[0][3], 'localhost');
});

test('failures carry the EAI_* code as a negative errno; EAI names and values are glibc\'s', () => {
  const cases: Array<[() => unknown, string, number]> = [
    [() => native.getaddrinfo('localhost', null, 0, 0, 0, native.AI_NUMERICHOST), 'EAI_NONAME', -2],
    [() => native.getaddrinfo('127.0.0.1', '80', 99, 0, 0, 0), 'EAI_FAMILY', -6],
    [() => native.getaddrinfo('127.0.0.1', '80', 0, 99, 0, 0), 'EAI_SOCKTYPE', -7],
    [() => native.getaddrinfo('127.0.0.1', '80', 0, 0, 0, 0x10000), 'EAI_BADFLAGS', -1],
    [() => native.getnameinfo({ family: native.AF_INET, host: '127.0.0.1', port: 80 }, 0x10000), 'EAI_BADFLAGS', -1],
  ];
  for (const [fn, code, errno] of cases) {
    assert.throws(fn, (e: unknown) => {
      assert.ok(native.isSystemError(e, code), String(e));
      assert.equal(e.errno, errno);
      assert.equal(e.errno, (native as unknown as Record<string, number>)[code]);
      assert.match(e.syscall, /^get(addr|name)info$/);
      return true;
    });
  }
  const made = native.gaiError(native.EAI_NONAME, 'getaddrinfo');
  assert.deepEqual([made.code, made.errno, made.strerror], ['EAI_NONAME', -2, 'Name or service not known']);
});

test('getnameinfo turns an address into [host, service], numerically or from the hosts file', () => {
  const flags = native.NI_NUMERICHOST | native.NI_NUMERICSERV;
  assert.deepEqual(native.getnameinfo({ family: native.AF_INET, host: '127.0.0.1', port: 80 }, flags), ['127.0.0.1', '80']);
  assert.deepEqual(native.getnameinfo({ family: native.AF_INET6, host: '::1', port: 443, flowinfo: 0, scopeId: 0 }, flags), ['::1', '443']);
  assert.deepEqual(native.getnameinfo({ family: native.AF_INET, host: '127.0.0.1', port: 80 }, native.NI_NUMERICSERV), ['localhost', '80']);
});

test('a lookup on a worker thread leaves the main thread free: its timer fires while the worker looks up', async () => {
  // Once the worker says it has started (flag[1]), it looks names up until the main thread has
  // counted three timer ticks (flag[0]): it stops on the flag only if the main thread ran
  // while it was busy with lookups.
  const flag = new Int32Array(new SharedArrayBuffer(8));
  const worker = new Worker(
    `const { parentPort, workerData } = require('worker_threads');
     const n = require(workerData.addonPath);
     const flag = new Int32Array(workerData.flag);
     const deadline = Date.now() + 10000;
     let lookups = 0, rows = null;
     Atomics.store(flag, 1, 1);
     while (Atomics.load(flag, 0) === 0 && Date.now() < deadline) {
       rows = n.getaddrinfo('localhost', '80', 0, n.socketConstants.SOCK_STREAM, 0, 0);
       lookups++;
     }
     parentPort.postMessage({ lookups, rows, byFlag: Atomics.load(flag, 0) === 1, tracked: n.openFds().length });`,
    { eval: true, execArgv: [], workerData: { addonPath: native.addonPath, flag: flag.buffer } },
  );
  let ticks = 0;
  const timer = setInterval(() => {
    if (Atomics.load(flag, 1) === 1 && ++ticks === 3) Atomics.store(flag, 0, 1);
  }, 5);
  try {
    const [result] = (await once(worker, 'message')) as [{ lookups: number; rows: native.AddrInfo[]; byFlag: boolean; tracked: number }];
    assert.ok(result.byFlag, 'the worker stopped because the main thread ticked');
    assert.ok(result.lookups > 0);
    assert.ok(ticks >= 3);
    assert.deepEqual(result.rows, native.getaddrinfo('localhost', '80', 0, native.SOCK_STREAM, 0, 0));
    assert.equal(result.tracked, 0, 'a lookup opens no descriptor the addon keeps');
    await once(worker, 'exit');
  } finally {
    clearInterval(timer);
    await worker.terminate();
  }
});
