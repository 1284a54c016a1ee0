// native/paths.cc: stat(2) and unlink(2) by path, as create_unix_server uses them on a stale
// socket file.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import * as native from '../../native';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-paths-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('stat tells a socket file from a regular one and gives its inode', () => {
  const file = path.join(dir, 'plain');
  fs.writeFileSync(file, 'x');
  assert.deepEqual(native.stat(file), { ino: fs.statSync(file).ino, isSocket: false });

  const sockPath = path.join(dir, 'sock');
  const fd = native.socket(native.AF_UNIX, native.SOCK_STREAM, 0);
  try {
    native.bind(fd, { family: native.AF_UNIX, path: Buffer.from(sockPath) });
    const st = native.stat(Buffer.from(sockPath));
    assert.equal(st.isSocket, true);
    assert.equal(st.ino, fs.statSync(sockPath).ino);
  } finally {
    native.close(fd);
  }
});

test('unlink removes the name; a missing one is ENOENT for both calls', () => {
  const file = path.join(dir, 'gone');
  fs.writeFileSync(file, 'x');
  native.unlink(file);
  assert.equal(fs.existsSync(file), false);
  assert.throws(() => native.unlink(file), (e: unknown) => native.isSystemError(e, 'ENOENT') && e.syscall === 'unlink');
  assert.throws(() => native.stat(file), (e: unknown) => native.isSystemError(e, 'ENOENT') && e.syscall === 'stat');
});

test('a path with a NUL byte is refused before any system call', () => {
  assert.throws(() => native.stat('a\0b'), TypeError);
  assert.throws(() => native.unlink(Buffer.from([0x61, 0, 0x62])), TypeError);
});
