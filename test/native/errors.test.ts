// native/errors.cc: -errno becomes an Error shaped like Node's SystemError.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import * as native from '../../native';

test('systemError has the SystemError shape {code, errno, syscall}', () => {
  const err = native.systemError(11, 'sendfile');
  assert.ok(err instanceof Error);
  assert.equal(err.code, 'EAGAIN');
  assert.equal(err.errno, 11);
  assert.equal(err.syscall, 'sendfile');
  assert.equal(err.strerror, 'Resource temporarily unavailable');
  assert.match(err.message, /^EAGAIN: .*, sendfile$/);
});

test('a failing system call throws that shape', () => {
  assert.throws(() => native.close(1 << 20), (err: unknown) => {
    assert.ok(native.isSystemError(err, 'EBADF'));
    assert.equal(err.errno, 9);
    assert.equal(err.syscall, 'close');
    return true;
  });
});

test('errno names and texts come from the C library', () => {
  assert.equal(native.errnoName(104), 'ECONNRESET');
  assert.equal(native.errnoName(4000), 'UNKNOWN');
  assert.equal(native.strerror(32), 'Broken pipe');
});

test('wrong argument types throw TypeError instead of crashing (child process)', () => {
  const script = `
    const raw = require(${JSON.stringify(native.addonPath)});
    const calls = [
      () => raw.close('x'), () => raw.send(0, 'not a buffer', 0, 1), () => raw.epollWait(),
      () => raw.pread(0, Buffer.alloc(4), 2, 8, 0), () => raw.sendfile(1, 0, -1, 1),
      () => raw.epollWait(0, 0, 0),
    ];
    let thrown = 0;
    for (const c of calls) { try { c(); } catch (e) { thrown++; } }
    process.stdout.write(String(thrown));
  `;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(r.signal, null, r.stderr);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '6');
});
