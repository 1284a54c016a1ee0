// adapters/reference/driver.ts end to end: the handshake and a few
// operations over the JSON-lines protocol, started from another cwd.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

import { DIST } from '../../adapters/adapter-spec';

function drive(requests: object[]): Array<Record<string, unknown>> {
  const r = spawnSync(
    process.execPath,
    [path.join(DIST, 'adapters', 'reference', 'driver.js')],
    {
      cwd: os.tmpdir(),
      input: requests.map((r) => JSON.stringify(r)).join('\n') + '\n',
      encoding: 'utf8',
      timeout: 20_000,
    },
  );
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

const cb = (name: string, args: unknown[] = [], actions: object[] = []) => ({ name, args, actions });

test('hello, call_soon order, a threadsafe wakeup under a 400-day timer, a clean end', () => {
  const lines = drive([
    { id: 1, op: 'new_loop', args: {} },
    { id: 2, op: 'schedule', args: { method: 'call_soon', callback: cb('A', [1]) } },
    { id: 3, op: 'schedule', args: { method: 'call_soon', callback: cb('B', [], [{ do: 'stop' }]) } },
    { id: 4, op: 'run_once', args: {} },
    { id: 5, op: 'schedule', args: { method: 'call_later', delay: 400 * 86400, callback: cb('LATE') } },
    { id: 6, op: 'from_thread', args: { delay: 0.05, wait: false, schedule: { method: 'call_soon_threadsafe', callback: cb('T', [], [{ do: 'stop' }]) } } },
    { id: 7, op: 'run_forever', args: {} },
    { id: 8, op: 'events', args: {} },
    { id: 9, op: 'end_scenario', args: {} },
    { id: 10, op: 'nope', args: {} },
  ]);
  const [hello, ...responses] = lines;
  assert.equal(hello.type, 'hello');
  assert.deepEqual(hello.capabilities, ['threads', 'sendfile-syscall', 'transport-without-sendfile', 'unix-sockets']);
  assert.deepEqual((hello.language as { version: string }).version, '3.12.3');
  const byId = new Map(responses.map((r) => [r.id, r]));
  const events = ((byId.get(8)?.result as { events: Array<{ event: string; name?: string }> }).events);
  assert.deepEqual(events.map((e) => e.name ?? e.event), ['A', 'B', 'thread_done', 'T']);
  assert.deepEqual(byId.get(9)?.result, { leaks: [], dirty: false });
  assert.equal((byId.get(10)?.error as { type: string }).type, 'ProtocolError');
});

test('a closed loop answers RuntimeError in the protocol\'s error shape', () => {
  const lines = drive([
    { id: 1, op: 'new_loop', args: {} },
    { id: 2, op: 'close', args: {} },
    { id: 3, op: 'schedule', args: { method: 'call_later', delay: 1, callback: cb('A') } },
    { id: 4, op: 'end_scenario', args: {} },
  ]);
  assert.deepEqual(lines[3], {
    id: 3,
    ok: false,
    error: { type: 'RuntimeError', bases: ['Exception', 'BaseException', 'object'], module: 'builtins', message: 'Event loop is closed', errno: null },
  });
});
