// npm run bench: the reference loop, CPython's asyncio and uvloop measured side by side in one
// run, each through its own driver (adapters/PROTOCOL.md, op "bench"), reported as ratios to
// asyncio. Nothing here passes or fails: the numbers are for reading.
//
// Every trial gets fresh drivers (peak RSS is a high-water mark, so a driver's peak belongs to
// the one trial it ran), reads their idle RSS first, then runs round-robin across the adapters
// RUNS times and keeps the best time, so a burst of load elsewhere hurts all of them alike.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { AdapterOptions, adapterSpec, ROOT } from '../adapters/adapter-spec';
import { DriverClient } from '../adapters/driver-client';
import { DriverError, Hello, LoopError } from '../adapters/errors';

const RUNS = 3;
const REQUEST_TIMEOUT_S = 120;
const SENDFILE_BYTES = 64 * 1024 * 1024;
const MiB = 1024 * 1024;
const CPYTHON_312 = path.join(process.env.PYENV_ROOT ?? path.join(os.homedir(), '.pyenv'), 'versions/3.12.1/bin/python3');
const SYSTEM_PYTHON = '/usr/bin/python3';

// ---------------------------------------------------------------------------
// What is compared, and on what.

interface Adapter {
  key: string;
  options: AdapterOptions;
  /** The interpreter, checked before starting so a missing one is a clear note. */
  interpreter?: string;
  hello?: Hello;
  skipped?: string;
}

const ADAPTERS: Adapter[] = [
  { key: 'reference', options: { adapter: 'reference', timeoutS: REQUEST_TIMEOUT_S } },
  { key: 'asyncio', interpreter: CPYTHON_312, options: { adapter: 'python', python: CPYTHON_312, loop: 'asyncio:new_event_loop', timeoutS: REQUEST_TIMEOUT_S } },
  { key: 'uvloop', interpreter: SYSTEM_PYTHON, options: { adapter: 'python', python: SYSTEM_PYTHON, loop: 'uvloop:new_event_loop', timeoutS: REQUEST_TIMEOUT_S } },
];
const BASELINE = 'asyncio';

interface Trial {
  name: string;
  /** The one-line description printed above the table (PROTOCOL.md says the same). */
  what: string;
  n: number;
  unit: 'ops/s' | 'MiB/s';
  /** One timed run on a driver that has a new loop; its seconds. */
  run: (driver: DriverClient) => Promise<number>;
}

const count = (n: number): string => n.toLocaleString('en-US');

function opTrial(name: string, n: number, what: string): Trial {
  return {
    name, n, what, unit: 'ops/s',
    run: async (driver) => {
      const result = await driver.request('bench', { trial: name, n });
      return result.seconds as number;
    },
  };
}

function sendfileTrial(receiver: Receiver, file: string): Trial {
  return {
    name: 'sendfile', n: SENDFILE_BYTES, unit: 'MiB/s',
    what: `a ${SENDFILE_BYTES / MiB} MiB file sent with loop.sock_sendfile over a connected TCP socket to a receiver on 127.0.0.1 that this process hosts (timed around the sendfile request).`,
    run: async (driver) => {
      const { file: fileId } = await driver.request('open_file', { path: file });
      const arrived = receiver.nextTotal();
      const { conn } = await driver.request('connect', { kind: 'socket', host: '127.0.0.1', port: receiver.port, tls: null, no_sendfile_syscall: false });
      const start = process.hrtime.bigint();
      const { value } = await driver.request('sendfile', { api: 'sock_sendfile', conn, file: fileId });
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      await driver.request('close_conn', { conn });
      const bytes = await arrived;
      if (value !== SENDFILE_BYTES || bytes !== SENDFILE_BYTES) {
        throw new Error(`sendfile returned ${String(value)} and the receiver got ${bytes} bytes, not ${SENDFILE_BYTES}`);
      }
      return seconds;
    },
  };
}

// ---------------------------------------------------------------------------
// The receiver of the sendfile trial: counts the bytes of each connection.

class Receiver {
  port = 0;
  private readonly server = net.createServer((sock) => this.accept(sock));
  private readonly sockets = new Set<net.Socket>();
  private waiter: ((bytes: number) => void) | undefined;

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        this.port = (this.server.address() as net.AddressInfo).port;
        resolve();
      });
    });
  }

  /**
   * The byte count of the next connection, once it is closed; NaN if none is within 30 s.
   * One waiter at a time: asking again gives up on the previous one (a run that failed).
   */
  nextTotal(): Promise<number> {
    this.waiter?.(NaN);
    return new Promise((resolve) => {
      const settle = (bytes: number): void => {
        clearTimeout(timer);
        if (this.waiter === settle) this.waiter = undefined;
        resolve(bytes);
      };
      const timer = setTimeout(() => settle(NaN), 30_000).unref();
      this.waiter = settle;
    });
  }

  private accept(sock: net.Socket): void {
    const done = this.waiter;
    this.waiter = undefined;
    let bytes = 0;
    this.sockets.add(sock);
    sock.on('data', (chunk: Buffer) => { bytes += chunk.length; });
    sock.on('error', () => { /* counted as far as it got */ });
    sock.on('close', () => {
      this.sockets.delete(sock);
      done?.(bytes);
    });
  }

  close(): Promise<void> {
    for (const sock of this.sockets) sock.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

// ---------------------------------------------------------------------------
// Running.

interface Row {
  adapter: string;
  label: string;
  seconds?: number[];
  best?: number;
  rate?: number;
  peakRss?: number;
  idleRss?: number;
  timeRatio?: number;
  growthRatio?: number;
  error?: string;
}

function labelOf(a: Adapter): string {
  const h = a.hello;
  if (!h) return a.key;
  if (a.options.adapter === 'reference') return `${h.implementation.name} ${h.implementation.version} on Node ${process.version.slice(1)}`;
  if (h.implementation.name === 'cpython') return `asyncio on CPython ${h.implementation.version}`;
  return `${h.implementation.name} ${h.implementation.version} on Python ${h.language.version}`;
}

function why(err: unknown): string {
  if (err instanceof LoopError) return `${err.op} raised ${err.info.type}${err.info.message ? `: ${err.info.message}` : ''}`;
  if (err instanceof Error) return err.message.split('\n')[0];
  return String(err);
}

async function startDriver(a: Adapter): Promise<DriverClient> {
  const driver = new DriverClient(adapterSpec(a.options));
  await driver.start();
  return driver;
}

/** The driver's peak RSS so far, read with the smallest bench trial (the high-water mark barely moves). */
async function peakRss(driver: DriverClient): Promise<number> {
  await driver.request('new_loop');
  try {
    return (await driver.request('bench', { trial: 'call_soon', n: 1 })).peak_rss_bytes as number;
  } finally {
    await driver.request('end_scenario');
  }
}

/** Starts every adapter once: its hello names it; one that cannot start is skipped with the reason. */
async function probe(a: Adapter): Promise<void> {
  if (a.interpreter && !fs.existsSync(a.interpreter)) {
    a.skipped = `${a.interpreter} not found`;
    return;
  }
  try {
    const driver = await startDriver(a);
    a.hello = driver.hello;
    await driver.shutdown();
  } catch (err) {
    a.skipped = why(err);
  }
}

async function runTrial(trial: Trial, adapters: Adapter[]): Promise<Row[]> {
  const rows = adapters.map((a): Row => ({ adapter: a.key, label: labelOf(a), seconds: [] }));
  const drivers: Array<DriverClient | undefined> = [];
  try {
    for (const [i, a] of adapters.entries()) {
      try {
        drivers[i] = await startDriver(a);
        rows[i].idleRss = await peakRss(drivers[i]!);
      } catch (err) {
        rows[i].error = why(err);
      }
    }
    for (let r = 0; r < RUNS; r++) {
      for (const [i, driver] of drivers.entries()) {
        if (!driver || rows[i].error) continue;
        try {
          await driver.request('new_loop');
          rows[i].seconds!.push(await trial.run(driver));
          await driver.request('end_scenario');
        } catch (err) {
          rows[i].error = why(err);
          if (err instanceof DriverError) drivers[i] = undefined;
        }
      }
    }
    for (const [i, driver] of drivers.entries()) {
      const row = rows[i];
      if (!driver || row.error) continue;
      row.best = Math.min(...row.seconds!);
      row.rate = trial.unit === 'MiB/s' ? trial.n / MiB / row.best : trial.n / row.best;
      row.peakRss = await peakRss(driver);
    }
  } finally {
    await Promise.all(drivers.map((d) => d?.shutdown()));
  }
  const base = rows.find((r) => r.adapter === BASELINE && r.best !== undefined);
  for (const row of rows) {
    if (!base || row.best === undefined) continue;
    row.timeRatio = row.best / base.best!;
    const baseGrowth = base.peakRss! - base.idleRss!;
    if (baseGrowth >= MiB) row.growthRatio = (row.peakRss! - row.idleRss!) / baseGrowth;
  }
  return rows;
}

// ---------------------------------------------------------------------------
// Printing.

const mib = (bytes: number): string => (bytes / MiB).toFixed(1);

function ratio(x: number): string {
  return x >= 10 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toFixed(2);
}

function table(rows: Row[], unit: string): string {
  const header = ['adapter', 'time', unit, 'peak RSS (idle +growth)', `time vs ${BASELINE}`, `RSS growth vs ${BASELINE}`];
  const cells: string[][] = [header];
  for (const r of rows) {
    if (r.error !== undefined) continue;
    const isBase = r.adapter === BASELINE;
    cells.push([
      r.label,
      `${r.best!.toFixed(3)} s`,
      unit === 'MiB/s' ? r.rate!.toFixed(0) : count(Math.round(r.rate!)),
      `${mib(r.peakRss!)} MiB (${mib(r.idleRss!)} +${mib(r.peakRss! - r.idleRss!)})`,
      isBase ? 'the baseline' : r.timeRatio === undefined ? '-' : `${ratio(r.timeRatio)}x the time of ${BASELINE}`,
      isBase ? 'the baseline' : r.growthRatio === undefined ? '-' : `${ratio(r.growthRatio)}x the growth of ${BASELINE}`,
    ]);
  }
  const widths = header.map((_, c) => Math.max(...cells.map((l) => l[c].length), ...rows.map((r) => (c === 0 ? r.label.length : 0))));
  const lines = cells.map((l) => l.map((cell, c) => ((c === 1 || c === 2) && l !== header ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd());
  for (const r of rows) if (r.error !== undefined) lines.push(`${r.label.padEnd(widths[0])}  not measured: ${r.error}`);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = Date.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-bench-'));
  const receiver = new Receiver();
  const cleanUp = (): void => fs.rmSync(tmp, { recursive: true, force: true });
  process.once('SIGINT', () => {
    cleanUp();
    process.exit(130); // the exit handler of driver-client kills every driver
  });
  try {
    await receiver.listen();
    const file = path.join(tmp, 'sendfile-64MiB.bin');
    const chunk = Buffer.alloc(MiB);
    for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 7 + 3) & 0xff;
    const fd = fs.openSync(file, 'w');
    for (let written = 0; written < SENDFILE_BYTES; written += chunk.length) fs.writeSync(fd, chunk);
    fs.closeSync(fd);

    const trials: Trial[] = [
      opTrial('call_soon', 1_000_000, `${count(1_000_000)} callbacks scheduled with call_soon from a callback chain in batches of 1,000, each incrementing a counter; the last one stops the loop (timed from the first call_soon to run_forever's return).`),
      opTrial('call_later', 200_000, `${count(200_000)} call_later timers with delays spread evenly over 0..50 ms, each incrementing a counter; the last to fire stops the loop.`),
      opTrial('cancel', 500_000, `${count(500_000)} call_later(10 s) timers scheduled, then all cancelled, then one loop iteration (the purge).`),
      sendfileTrial(receiver, file),
    ];

    await Promise.all(ADAPTERS.map(probe));
    console.log(`loopspec bench: best of ${RUNS} runs per trial, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}); ratios are to ${BASELINE}, not pass/fail.`);
    for (const a of ADAPTERS) console.log(`  ${a.key.padEnd(10)} ${a.skipped ? `skipped: ${a.skipped}` : labelOf(a)}`);
    const adapters = ADAPTERS.filter((a) => !a.skipped);
    if (!adapters.some((a) => a.key === BASELINE)) console.log(`  (no ${BASELINE}: no ratios)`);
    console.log('Peak RSS is each driver process\'s high-water mark; idle is read before the trial (the reference');
    console.log('driver\'s includes Node and ts-node). A "-" growth ratio: asyncio grew by less than 1 MiB.');

    const report: Record<string, unknown>[] = [];
    for (const trial of trials) {
      const rows = await runTrial(trial, adapters);
      console.log(`\n--- ${trial.name}: ${trial.what}`);
      console.log(table(rows, trial.unit));
      report.push({
        trial: trial.name, description: trial.what, n: trial.n, unit: trial.unit,
        results: rows.map((r) => ({
          adapter: r.adapter, label: r.label, error: r.error, seconds: r.seconds, best_seconds: r.best, rate: r.rate,
          peak_rss_bytes: r.peakRss, idle_rss_bytes: r.idleRss,
          time_ratio_to_asyncio: r.timeRatio, rss_growth_ratio_to_asyncio: r.growthRatio,
        })),
      });
    }

    const out = path.join(ROOT, 'reports', 'bench.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify({
      date: new Date().toISOString(), runs: RUNS, baseline: BASELINE,
      host: { platform: `${os.platform()} ${os.release()}`, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version },
      adapters: ADAPTERS.map((a) => ({ adapter: a.key, label: labelOf(a), command: adapterSpec(a.options).command, hello: a.hello, skipped: a.skipped })),
      trials: report,
    }, null, 2) + '\n');
    console.log(`\n${path.relative(process.cwd(), out)} written; ${((Date.now() - started) / 1000).toFixed(0)} s in all.`);
  } finally {
    await receiver.close();
    cleanUp();
  }
}

main().catch((err: unknown) => {
  console.error(`bench failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exitCode = 1;
});
