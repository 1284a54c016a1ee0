// The bench op (adapters/PROTOCOL.md) on the reference driver and on CPython 3.12, and the
// bench's separate-process client (bench/loadgen.c): every trial answers its keys, bad
// arguments are a ProtocolError, and the client checks what comes back; and the kit section's
// output (bench/kit.ts). The shape only: speed is npm run bench's business, never a test's.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { DriverClient } from '../adapters/driver-client';
import { adapterSpec, AdapterOptions, DIST } from '../adapters/adapter-spec';
import { LoopError } from '../adapters/errors';
import { DEFAULT_KIT_RUNS, KitRow, kitNotes, kitReport, kitTable, roleOf } from '../bench/kit';
import { buildLoadgen, echoClient } from '../bench/loadgen';
import { benchOptions, BenchUsageError } from '../bench/options';
import { PEAK_RSS_FILE_ENV, PeakRecord } from '../bench/peak-rss';
import { sendfileTrial } from '../bench/trials';
import { CPYTHON_312 } from './helpers';

const DRIVERS: Array<[string, AdapterOptions]> = [
  ['reference', { adapter: 'reference' }],
  ['CPython 3.12', { adapter: 'python', python: CPYTHON_312 }],
];
const noCpython = fs.existsSync(CPYTHON_312) ? false : `${CPYTHON_312} not found`;
const TIMED_KEYS: Record<string, string[]> = {
  call_soon: ['n', 'peak_rss_bytes', 'seconds'],
  call_later: ['n', 'peak_rss_bytes', 'rss_before_bytes', 'rss_pending_bytes', 'seconds'],
  cancel: ['n', 'peak_rss_bytes', 'seconds'],
};

const isA = (type: string) => (e: unknown): boolean => e instanceof LoopError && e.info.type === type;

async function withDriver(options: AdapterOptions, body: (driver: DriverClient) => Promise<void>): Promise<void> {
  const driver = new DriverClient(adapterSpec(options));
  await driver.start();
  try {
    await driver.request('new_loop');
    await body(driver);
    assert.deepEqual(await driver.request('end_scenario'), { leaks: [], dirty: false });
  } finally {
    await driver.shutdown();
  }
}

for (const [name, options] of DRIVERS) {
  const skip = options.python ? noCpython : false;

  test(`the timed bench trials on the ${name} driver`, { skip }, () => withDriver(options, async (driver) => {
    for (const [trial, keys] of Object.entries(TIMED_KEYS)) {
      const result = await driver.request('bench', { trial, n: 100 });
      assert.deepEqual(Object.keys(result).sort(), keys, trial);
      assert.equal(result.n, 100);
      assert.ok((result.seconds as number) > 0, `${trial}: seconds ${String(result.seconds)}`);
      for (const key of keys.filter((k) => k.endsWith('_bytes'))) {
        assert.ok(Number.isInteger(result[key]) && (result[key] as number) > 1024 * 1024, `${trial}: ${key} ${String(result[key])}`);
      }
    }
    for (const args of [{ trial: 'nope', n: 100 }, { trial: 'call_soon', n: 0 }, { trial: 'call_soon' }, { trial: 'serve', seconds: 0 }, { trial: 'serve', seconds: 1 }]) {
      await assert.rejects(driver.request('bench', args), isA('ProtocolError'), JSON.stringify(args));
    }
  }));

  for (const style of ['protocol', 'sockets']) {
    test(`the echo trials on the ${name} driver serve a connection (${style})`, { skip }, () => withDriver(options, async (driver) => {
      await assert.rejects(driver.request('bench', { trial: 'echo_server', style: 'threads' }), isA('ProtocolError'), 'an unknown style');
      const started = await driver.request('bench', { trial: 'echo_server', style });
      assert.deepEqual(Object.keys(started).sort(), ['peak_rss_bytes', 'port']);
      await assert.rejects(driver.request('bench', { trial: 'echo_server' }), isA('ProtocolError'), 'a second server');
      // One message through the server, by hand, while serve runs the loop.
      const echoed = new Promise<string>((resolve, reject) => {
        const sock = net.connect(started.port as number, '127.0.0.1', () => sock.end('ping'));
        let got = '';
        sock.on('data', (d) => { got += d.toString(); });
        sock.on('close', () => resolve(got));
        sock.on('error', reject);
      });
      const served = await driver.request('bench', { trial: 'serve', seconds: 0.3 });
      assert.deepEqual(Object.keys(served).sort(), ['peak_rss_bytes', 'seconds']);
      assert.equal(await echoed, 'ping');
      await assert.rejects(driver.request('bench', { trial: 'serve', seconds: 0.1 }), isA('ProtocolError'), 'serve closed the server');
    }));
  }
}

// ---------------------------------------------------------------------------
// bench/loadgen.c

const loadgen = (() => {
  try {
    return buildLoadgen();
  } catch (err) {
    return err as Error;
  }
})();

test('bench/loadgen.c builds', () => {
  assert.ok(typeof loadgen === 'string', String(loadgen));
  fs.accessSync(loadgen, fs.constants.X_OK);
});

const binary = typeof loadgen === 'string' ? loadgen : '';
const noLoadgen = typeof loadgen === 'string' ? false : 'loadgen did not build';

test('the echo client against asyncio\'s echo server through the driver checks every byte it counts', { skip: noLoadgen || noCpython }, () =>
  withDriver({ adapter: 'python', python: CPYTHON_312 }, async (driver) => {
    const { port } = await driver.request('bench', { trial: 'echo_server' });
    const shape = { connections: 3, size: 1024, warmupS: 0.1, seconds: 0.2 };
    const client = echoClient(binary, { port: port as number, ...shape, serverPid: driver.pid });
    const [result] = await Promise.all([client, driver.request('bench', { trial: 'serve', seconds: 1 })]);
    assert.ok(result.requests > 0, `requests ${result.requests}`);
    // Messages straddle the window's edges: at most one per connection on each side.
    assert.ok(Math.abs(result.bytesChecked - result.requests * shape.size) <= shape.connections * shape.size, `${result.bytesChecked} bytes for ${result.requests} requests`);
    assert.equal(typeof result.cpuSeconds, 'number');
    assert.equal(typeof result.serverCpuSeconds, 'number');
  }));

/** A server on 127.0.0.1 that answers each connection with `answer`; closed when the body is done. */
async function withServer(answer: (sock: net.Socket) => void, body: (port: number) => Promise<void>): Promise<void> {
  const server = net.createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await body((server.address() as net.AddressInfo).port);
  } finally {
    server.close();
  }
}

const shortRun = { connections: 1, size: 64, warmupS: 0, seconds: 0.5 };

test('the echo client fails on a wrong byte, a closed connection and a refused one', { skip: noLoadgen }, async () => {
  await withServer((sock) => sock.on('data', (d: Buffer) => {
    d[0] ^= 1;
    sock.write(d);
  }), (port) => assert.rejects(echoClient(binary, { port, ...shortRun }), 'a wrong byte'));
  await withServer((sock) => sock.destroy(), (port) => assert.rejects(echoClient(binary, { port, ...shortRun }), 'a closed connection'));
  let free = 0;
  await withServer(() => {}, async (port) => { free = port; });
  await assert.rejects(echoClient(binary, { port: free, ...shortRun }), 'a refused connection');
});

test('the sendfile trial: asyncio\'s sock_sendfile and the raw syscall each reach a sink with every byte', { skip: noLoadgen || noCpython }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-bench-test-'));
  try {
    const file = path.join(dir, 'file.bin');
    fs.writeFileSync(file, Buffer.alloc(1024 * 1024, 7));
    const trial = sendfileTrial(binary, file, 1024 * 1024);
    assert.ok((await trial.raw!.run()).rate > 0);
    await withDriver({ adapter: 'python', python: CPYTHON_312 }, async (driver) => {
      assert.ok((await trial.run(driver)).rate > 0);
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------
// The kit section (bench/kit.ts): its preload's records, its table and bench.json entry from
// rows made here, and the bench's arguments. Nothing is timed.

function peakRecords(args: string[]): PeakRecord[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-bench-test-'));
  try {
    const file = path.join(dir, 'peaks.ndjson');
    const r = spawnSync(process.execPath, ['--require', path.join(DIST, 'bench/peak-rss.js'), ...args], { env: { ...process.env, [PEAK_RSS_FILE_ENV]: file }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return fs.readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as PeakRecord);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('the peak RSS preload appends one line per process at its exit, none for its worker threads', () => {
  const [bare] = peakRecords(['-e', '0']);
  assert.deepEqual(Object.keys(bare).sort(), ['max_rss_bytes', 'pid', 'ppid', 'script']);
  assert.equal(bare.ppid, process.pid);
  assert.equal(bare.script, null);
  assert.ok(Number.isInteger(bare.max_rss_bytes) && bare.max_rss_bytes > 1024 * 1024, String(bare.max_rss_bytes));
  const withThread = peakRecords(['-e', 'new (require("node:worker_threads").Worker)("0", { eval: true })']);
  assert.equal(withThread.length, 1);
});

test('the kit section tells the CLI, cucumber workers and reference drivers by their script', () => {
  const role = (script: string | null) => roleOf({ pid: 1, ppid: 1, script, max_rss_bytes: 1 });
  assert.equal(role('/x/bin/loopspec.js'), 'cli');
  assert.equal(role('/x/node_modules/@cucumber/cucumber/lib/runtime/parallel/run_worker.js'), 'cucumber worker');
  assert.equal(role('/x/dist/adapters/reference/driver.js'), 'reference driver');
  assert.equal(role(null), undefined);
  assert.equal(role('/x/node_modules/npm/bin/npx-cli.js'), undefined);
});

const kitRow = (over: Partial<KitRow>): KitRow => ({ name: 'x', label: 'x', unit: 's', samples: [], over: {}, extra: {}, notes: [], ...over });
const KIT_ROWS: KitRow[] = [
  kitRow({ name: 'anchor_node', label: 'node -e 0', anchor: true, samples: [0.05, 0.04, 0.06], median: 0.05 }),
  kitRow({ name: 'help', label: 'npx loopspec --help', samples: [0.3, 0.2, 0.4], median: 0.3, before: '2.5 s', target: { words: 'at most node -e 0 + 0.3 s', limit: 0.35, relative: true }, met: true, over: { node: 0.25 } }),
  kitRow({ name: 'cli_peak_rss', label: 'CLI peak RSS', unit: 'bytes', samples: [150 * 1024 * 1024], median: 150 * 1024 * 1024, target: { words: 'at most 100 MiB', limit: 100 * 1024 * 1024 }, met: false, notes: ['run 1 exited 1 (expected 0), counted: 1 failed'] }),
  kitRow({ name: 'page_cpython', label: 'loopspec --python 3.12', skipped: '/nowhere/python3 not found' }),
];

test('the kit table: a header, a line per measured row with its target and whether it is met, then why the others were not', () => {
  const lines = kitTable(KIT_ROWS).split('\n');
  assert.equal(lines.length, 1 + KIT_ROWS.length);
  for (const header of ['figure', 'median', 'target', 'met', 'before', 'over node -e 0', 'over cucumber', 'over asyncio']) assert.ok(lines[0].includes(header), header);
  assert.match(lines[1], /^node -e 0 .* anchor/);
  assert.match(lines[2], /^npx loopspec --help .* at most node -e 0 \+ 0\.3 s = 0\.35 s +yes .* \+0\.25 s \(6\.0x\)/);
  assert.match(lines[3], /^CLI peak RSS .* 150\.0 MiB .* at most 100 MiB +no/);
  assert.match(lines[4], /^loopspec --python 3\.12 +skipped: \/nowhere\/python3 not found$/);
  assert.deepEqual(kitNotes(KIT_ROWS), ['CLI peak RSS: run 1 exited 1 (expected 0), counted: 1 failed']);
});

test('the kit section\'s entry of bench.json: its runs, the anchors, and each figure with its samples, median, target and verdict', () => {
  const report = kitReport(KIT_ROWS, DEFAULT_KIT_RUNS, { start: [1, 1, 1], end: [2, 2, 2] });
  assert.deepEqual(Object.keys(report).sort(), ['anchors', 'figures', 'load_average', 'runs']);
  assert.deepEqual((report.anchors as Array<Record<string, unknown>>).map((a) => a.figure), ['anchor_node']);
  const [help, rss, skipped] = report.figures as Array<Record<string, unknown>>;
  assert.deepEqual({ ...help, description: undefined }, {
    figure: 'help', label: 'npx loopspec --help', description: undefined, before: '2.5 s', unit: 'seconds', samples: [0.3, 0.2, 0.4], median: 0.3,
    target: 'at most node -e 0 + 0.3 s', limit: 0.35, met: true, over_anchors: { node: 0.25 }, notes: undefined, skipped: undefined, error: undefined,
  });
  assert.equal(rss.unit, 'bytes');
  assert.equal(rss.met, false);
  assert.equal(skipped.skipped, '/nowhere/python3 not found');
});

test('npm run bench\'s arguments: every section by default, --only one, the kit\'s run counts; anything else is refused', () => {
  assert.deepEqual(benchOptions([]), { sections: ['loops', 'kit'], kitRuns: DEFAULT_KIT_RUNS });
  assert.deepEqual(benchOptions(['--only', 'kit', '--kit-runs', '3', '--kit-page-runs', '1']), { sections: ['kit'], kitRuns: { quick: 3, page: 1 } });
  for (const bad of [['--only', 'nope'], ['--only'], ['--kit-runs', '0'], ['--kit-page-runs', 'x'], ['--fast']]) {
    assert.throws(() => benchOptions(bad), BenchUsageError, bad.join(' '));
  }
});
