// The driver client under every fault a driver can commit: each must end in one typed error,
// quickly, with the driver's process group gone.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { DriverClient } from '../adapters/driver-client';
import { AdapterSpec } from '../adapters/adapter-spec';
import { FIXTURES } from './helpers';
import { DriverCrashed, DriverFatal, DriverProtocolViolation, DriverTimeout, LoopError } from '../adapters/errors';

const FAKE = path.join(FIXTURES, 'fake-drivers/fake-driver.js');

function fake(mode: string, timeoutMs = 500): DriverClient {
  const spec: AdapterSpec = { kind: 'driver', label: `fake ${mode}`, command: [process.execPath, FAKE, mode], env: {}, cwd: __dirname, timeoutMs };
  return new DriverClient(spec);
}

function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try { process.kill(pid, 0); return true; } catch { return false; }
}

test('a well-behaved driver answers requests in order', async () => {
  const d = fake('ok');
  const hello = await d.start();
  assert.equal(hello.implementation.name, 'fake');
  assert.deepEqual(await d.request('events'), { count: 1 });
  assert.deepEqual(await d.request('events'), { count: 2 });
  await d.shutdown();
});

test('an exception from the loop arrives as a LoopError with its class and bases', async () => {
  const d = fake('raises');
  await d.start();
  await assert.rejects(d.request('sendfile'), (e: unknown) => e instanceof LoopError && e.isA('RuntimeError') && e.isA('SendfileNotAvailableError') && !e.isA('OSError'));
  await d.shutdown();
});

test('a request that is never answered times out, and the driver is killed', async () => {
  const d = fake('hang', 300);
  await d.start();
  const pid = d.pid;
  const t0 = Date.now();
  await assert.rejects(d.request('run_forever'), (e: unknown) => e instanceof DriverTimeout && /timed out/.test((e as Error).message) && /run_forever/.test((e as Error).message));
  assert.ok(Date.now() - t0 < 2000);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(alive(pid), false, 'the hung driver is gone');
  assert.equal(d.alive, false);
});

test('a hung driver\'s children are killed with it', async () => {
  const d = fake('hang-with-child', 500);
  await d.start();
  await assert.rejects(d.request('run_forever'), DriverTimeout);
  await new Promise((r) => setTimeout(r, 200));
  // Zombies (state Z) are dead already, waiting for init to reap them.
  const left = execFileSync('ps', ['-eo', 'pgid=,stat=,comm=']).toString().split('\n')
    .map((l) => l.trim().split(/\s+/)).filter(([pgid, stat]) => pgid === String(d.pid) && !stat.startsWith('Z'));
  assert.deepEqual(left, [], 'nothing of its process group survives');
});

test('a driver that dies mid-request fails it with the signal and its last stderr lines', async () => {
  const d = fake('crash', 2000);
  await d.start();
  await assert.rejects(d.request('run_forever'), (e: unknown) => e instanceof DriverCrashed && /SIGSEGV/.test((e as Error).message) && /Segmentation fault/.test((e as Error).message));
});

test('a driver that exits before its handshake is reported with its status and stderr', async () => {
  const d = fake('exit-early');
  await assert.rejects(d.start(), (e: unknown) => e instanceof DriverCrashed && /status 5/.test((e as Error).message) && /something broke/.test((e as Error).message));
});

test('a driver that never says hello fails within the handshake limit', async () => {
  const d = fake('silent');
  await assert.rejects(d.start(400), (e: unknown) => e instanceof DriverFatal && /handshake/.test((e as Error).message));
  assert.equal(d.alive, false);
});

test('a driver that begins with something else than hello is a protocol violation', async () => {
  const d = fake('garbage-hello');
  await assert.rejects(d.start(), (e: unknown) => e instanceof DriverProtocolViolation && /not JSON/.test((e as Error).message));
});

test('a driver that says fatal at the handshake is reported with its message', async () => {
  const d = fake('fatal');
  await assert.rejects(d.start(), (e: unknown) => e instanceof DriverFatal && /No module named mypkg/.test((e as Error).message));
});

test('garbage on the protocol channel ends the session with a clear error', async () => {
  const d = fake('garbage');
  await d.start();
  await assert.rejects(d.request('run_forever'), (e: unknown) => e instanceof DriverProtocolViolation && /DEBUG: loop iteration/.test((e as Error).message));
});

test('an answer to the wrong request is a protocol violation', async () => {
  const d = fake('wrong-id');
  await d.start();
  await assert.rejects(d.request('events'), DriverProtocolViolation);
});

test('an enormous line is refused without buffering it all', async () => {
  const d = fake('huge');
  await assert.rejects(d.start(), (e: unknown) => e instanceof DriverProtocolViolation && /longer than 16 MiB/.test((e as Error).message));
});

test('an interpreter that does not exist is one clear error', async () => {
  const spec: AdapterSpec = { kind: 'python', label: 'python', command: ['/no/such/python3'], env: {}, cwd: __dirname, timeoutMs: 500 };
  await assert.rejects(new DriverClient(spec).start(), (e: unknown) => e instanceof DriverFatal && /not found/.test((e as Error).message));
});
