// native/sendfile.cc: sendfile(2) with an explicit offset.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import * as native from '../../native';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-sendfile-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;

function tempFile(bytes: Buffer): string {
  const p = path.join(dir, `data-${fileCount++}.bin`);
  fs.writeFileSync(p, bytes);
  return p;
}

test('sends count bytes from offset and leaves the file position alone', () => {
  const data = Buffer.from('0123456789abcdefghij');
  const file = native.openRead(tempFile(data));
  const [a, b] = native.socketpair();
  try {
    assert.equal(native.sendfile(a, file, 5, 7), 7);
    const buf = Buffer.alloc(32);
    assert.equal(native.recv(b, buf), 7);
    assert.equal(buf.subarray(0, 7).toString(), '56789ab');
    assert.equal(native.lseek(file, 0, native.SEEK_CUR), 0);
    assert.equal(native.sendfile(a, file, 20, 10), 0, 'at end of file: 0');
  } finally {
    native.close(a);
    native.close(b);
    native.close(file);
  }
});

test('a full socket buffer is EAGAIN', () => {
  const file = native.openRead(tempFile(Buffer.alloc(8 * 1024 * 1024, 1)));
  const [a, b] = native.socketpair();
  try {
    let sent = 0;
    assert.throws(() => {
      for (;;) sent += native.sendfile(a, file, sent, 1024 * 1024);
    }, (e: unknown) => native.isSystemError(e, 'EAGAIN') && e.syscall === 'sendfile');
    assert.ok(sent > 0);
  } finally {
    native.close(a);
    native.close(b);
    native.close(file);
  }
});

test('a source that is not a regular file is EINVAL (what makes asyncio fall back)', () => {
  const [a, b] = native.socketpair();
  const [c, d] = native.socketpair();
  try {
    native.send(d, Buffer.from('x'));
    assert.throws(() => native.sendfile(a, c, 0, 1), (e: unknown) => native.isSystemError(e, 'EINVAL', 'ESPIPE'));
  } finally {
    for (const fd of [a, b, c, d]) native.close(fd);
  }
});

test('a closed peer is EPIPE', () => {
  const file = native.openRead(tempFile(Buffer.from('data')));
  const [a, b] = native.socketpair();
  native.close(b);
  try {
    assert.throws(() => native.sendfile(a, file, 0, 4), (e: unknown) => native.isSystemError(e, 'EPIPE'));
  } finally {
    native.close(a);
    native.close(file);
  }
});
