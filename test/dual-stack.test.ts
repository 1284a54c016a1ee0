// The scenarios that need a name with more than one address (@needs:dual-stack-localhost): this
// machine's /etc/hosts gives localhost 127.0.0.1 only, so they run here in a user and mount
// namespace whose /etc/hosts also gives it ::1, as Debian's default hosts file does. Every loop
// the kit is judged on passes them there, nothing skipped, and a loop that connects to the first
// address only fails the one whose accepting address the resolver gives second.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CPYTHON_312, DEBIAN_PYTHON, lastLine, loopspec, pyenvPython, summary } from './helpers';

const TAGS = '@needs:dual-stack-localhost';
const CPYTHON = 'adapters/python/expectations/cpython.json';
const FEATURE = 'features/opening-network-connections/loop.create_connection.feature';

/** The command prefix that runs a command with the dual-stack hosts file, or why it cannot. */
function dualStackHosts(): { wrap?: string[]; why?: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-hosts-'));
  const hosts = path.join(dir, 'hosts');
  fs.writeFileSync(hosts, '127.0.0.1 localhost\n::1 localhost\n');
  const wrap = ['unshare', '--user', '--map-current-user', '--mount', 'sh', '-c', `mount --bind ${hosts} /etc/hosts && exec "$@"`, 'sh'];
  const probe = spawnSync(wrap[0], [...wrap.slice(1), 'getent', 'ahosts', 'localhost'], { encoding: 'utf8' });
  if (probe.status !== 0) return { why: `no user and mount namespace here (${(probe.stderr || String(probe.error)).trim().split('\n')[0]})` };
  if (!/::1/.test(probe.stdout)) return { why: 'the bind-mounted hosts file did not take' };
  return { wrap };
}

const ns = dualStackHosts();
const skip = ns.why;

const runs: Array<[string, string[]]> = [
  ['the reference loop', []],
  ['CPython 3.7', ['--python', pyenvPython('3.7.16'), '--expectations', CPYTHON]],
  ['CPython 3.12', ['--python', CPYTHON_312, '--expectations', CPYTHON]],
  ['CPython 3.13', ['--python', pyenvPython('3.13.0'), '--expectations', CPYTHON]],
  ['PyPy3', ['--python', '/usr/bin/pypy3', '--expectations', CPYTHON]],
  ['uvloop', ['--python', DEBIAN_PYTHON, '--loop', 'uvloop:new_event_loop', '--expectations', 'adapters/python/expectations/uvloop-0.17.json']],
  ['gbulb', ['--python', DEBIAN_PYTHON, '--loop', 'gbulb:GLibEventLoop', '--timeout', '2', '--expectations', 'adapters/python/expectations/gbulb-0.6.json']],
];

for (const [name, args] of runs) {
  test(`with localhost on both loopback addresses, its scenarios pass on ${name}, none skipped`, { skip }, async () => {
    const run = await loopspec([...args, '--tags', TAGS, '--strict'], { wrap: ns.wrap });
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(lastLine(run.stdout), /^[1-9]\d* passed, 0 failed, 0 skipped$/);
  });
}

test('a loop that connects to the first address of a name only fails the scenario whose address comes second', { skip }, async () => {
  const run = await loopspec(['--python', CPYTHON_312, '--loop', 'broken_loops.connections:first_address_only', '--id', 'first', '--tags', TAGS], { wrap: ns.wrap });
  assert.equal(run.code, 1, `${run.stdout}\n${run.stderr}`);
  // The resolver's order decides which: the example listening on the address it gives second.
  const order = spawnSync(ns.wrap![0], [...ns.wrap!.slice(1), CPYTHON_312, '-c', 'import socket; print(socket.getaddrinfo("localhost", 1, type=socket.SOCK_STREAM)[1][4][0])'], { encoding: 'utf8' }).stdout.trim();
  const outcomes = Object.fromEntries(summary(run, 'first').scenarios.map((s) => [s.id, s.outcome]));
  assert.deepEqual(outcomes, {
    [`${FEATURE}: a connection to "localhost" is made on 127.0.0.1, the one of its addresses that accepts`]: order === '127.0.0.1' ? 'failed' : 'passed',
    [`${FEATURE}: a connection to "localhost" is made on ::1, the one of its addresses that accepts`]: order === '::1' ? 'failed' : 'passed',
  });
});

test('where localhost has one address, the scenarios are skipped, saying the machine lacks it', async () => {
  const run = await loopspec(['--tags', TAGS, '--id', 'plain']);
  const hasBoth = /::1/.test(spawnSync('getent', ['ahosts', 'localhost'], { encoding: 'utf8' }).stdout);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  for (const s of summary(run, 'plain').scenarios) {
    if (hasBoth) assert.equal(s.outcome, 'passed');
    else assert.match(s.skipReason ?? '', /needs the capability "dual-stack-localhost", which this machine does not have/);
  }
});
