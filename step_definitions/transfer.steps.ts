// Files, connections to the kit's peers, and loop.sendfile()/loop.sock_sendfile().
import { Given, When, Then } from '@cucumber/cucumber';
import { LoopWorld } from './support/world';
import { check } from './support/parameters';

Given('a file of {size} opened in binary mode', async function (this: LoopWorld, size: number) {
  await this.makeFile(size);
});

Given(/^a (transport|non-blocking socket) connected to a peer on 127\.0\.0\.1(| that resets the connection after receiving \d+ (?:KiB|MiB))$/, async function (this: LoopWorld, what: string, reset: string) {
  const m = /(\d+) (KiB|MiB)$/.exec(reset);
  const resetAfterBytes = m ? Number(m[1]) * (m[2] === 'MiB' ? 1 << 20 : 1 << 10) : undefined;
  await this.connect(what === 'transport' ? 'transport' : 'socket', { resetAfterBytes });
});

Given('a transport that cannot use the sendfile syscall, connected to a peer on 127.0.0.1', async function (this: LoopWorld) {
  await this.connect('transport', { noSendfile: true });
});

async function send(world: LoopWorld, api: string, offset: string | undefined, count: string | undefined, fallbackDisabled: string): Promise<void> {
  if (!world.file || !world.conn) throw new Error('a file and a connection are needed first');
  const args: Record<string, unknown> = { api, conn: world.conn.id, file: world.file.id };
  if (offset !== undefined) args.offset = Number(offset);
  if (count !== undefined) args.count = Number(count);
  if (fallbackDisabled) args.fallback = false;
  const r = await world.attempt('sendfile', args);
  // The op answers the count alone: as a call's answer, for "it returns N".
  world.lastCall = r ? { value: r.value, type: Number.isInteger(r.value) ? 'int' : typeof r.value, bases: ['object'], time_before: null, time_after: null } : undefined;
}

When(/^the file is sent with loop\.(sendfile|sock_sendfile)(| from offset \d+)(| and fallback disabled)$/, async function (this: LoopWorld, api: string, from: string, fb: string) {
  await send(this, api, from ? from.replace(' from offset ', '') : undefined, undefined, fb);
});

When(/^(\d+) bytes of the file from offset (\d+) are sent with loop\.(sendfile|sock_sendfile)(| and fallback disabled)$/, async function (this: LoopWorld, count: string, offset: string, api: string, fb: string) {
  await send(this, api, offset, count, fb);
});

Then(/^it returns (\d+)$/, function (this: LoopWorld, n: string) {
  const r = this.lastResult();
  check(r.value === Number(n) && r.type === 'int', `it returned ${JSON.stringify(r.value)} (a ${r.type}), expected ${n}`);
});

function describeMismatch(got: Buffer, want: Buffer): string {
  if (got.length !== want.length) return `the peer received ${got.length} bytes, expected ${want.length}`;
  for (let i = 0; i < got.length; i++) if (got[i] !== want[i]) return `the bytes differ first at byte ${i} of ${want.length}`;
  return 'the bytes are the same';
}

Then(/^the peer received (the whole file|nothing|bytes \d+ to \d+ of the file)$/, async function (this: LoopWorld, what: string) {
  const peer = await this.finishConnection();
  const range = /^bytes (\d+) to (\d+)/.exec(what);
  const want = what === 'nothing' ? Buffer.alloc(0)
    : range ? this.fileBytes(Number(range[1]), Number(range[2]) + 1)
    : this.fileBytes();
  const got = peer.received;
  check(got.equals(want), describeMismatch(got, want));
});

async function position(world: LoopWorld): Promise<number> {
  const r = await world.op('file', { file: world.file!.id, method: 'tell' });
  return r.value as number;
}

Then(/^the file position is (\d+)$/, async function (this: LoopWorld, n: string) {
  const pos = await position(this);
  check(pos === Number(n), `file.tell() is ${pos}, expected ${n}`);
});

Then(/^the file position is past (\d+) and no less than what the peer received$/, async function (this: LoopWorld, offset: string) {
  const pos = await position(this);
  const received = this.conn!.peer.receivedBytes;
  check(pos > Number(offset), `the file position is ${pos}: it was not moved past the offset ${offset} although ${received} bytes arrived`);
  check(pos - Number(offset) >= received, `the file position ${pos} counts fewer bytes than the ${received} the peer received`);
});
