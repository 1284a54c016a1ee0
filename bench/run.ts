// npm run bench: the reference loop, CPython's asyncio and uvloop measured side by side in one
// run, each through its own driver (adapters/PROTOCOL.md, op "bench"), reported as ratios to
// asyncio (the loops section); then the kit's own speed and memory (the kit section,
// bench/kit.ts). `npm run bench -- --only kit` runs one section (bench/options.ts). Nothing
// here passes or fails: the numbers are for reading. The trials, in words, are in
// bench/trials.ts; the network ones talk to bench/loadgen.c, built here at the start.
//
// Every trial gets fresh drivers (peak RSS is a high-water mark, so a driver's peak belongs to
// the one trial it ran; a trial may ask for a fresh one per run), reads their idle RSS first,
// then runs round-robin across the adapters RUNS times and keeps the best run, so a burst of
// load elsewhere hurts all of them alike.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AdapterOptions, adapterSpec, ROOT } from '../adapters/adapter-spec';
import { DriverClient } from '../adapters/driver-client';
import { Hello, LoopError } from '../adapters/errors';
import { kitSection } from './kit';
import { buildLoadgen } from './loadgen';
import { BENCH_USAGE, BenchOptions, benchOptions, BenchUsageError } from './options';
import { table } from './table';
import { BASELINE, callLaterTrial, count, CPYTHON_312, MiB, opTrial, Row, Run, sendfileTrial, tcpEchoTrial, Trial } from './trials';

const RUNS = 3;
const REQUEST_TIMEOUT_S = 120;
/** Big enough that the loops' fixed costs (a request, a connect) vanish beside the copying. */
const SENDFILE_BYTES = 256 * MiB;
const ECHO = { connections: 10, size: 1024, warmupS: 1, seconds: 5 };
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

// ---------------------------------------------------------------------------
// Running.

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

/** One run into the row; a failure ends the row's runs, with the reason (a loop that lacks what the trial needs: skipped). */
async function runOnce(row: Row, run: () => Promise<Run>): Promise<boolean> {
  try {
    row.runs.push(await run());
    return true;
  } catch (err) {
    if (err instanceof LoopError && err.info.type === 'NotImplementedError') row.skipped = err.info.message || `${err.op} raised NotImplementedError: the loop does not implement it`;
    else row.error = why(err);
    return false;
  }
}

async function runTrial(trial: Trial, adapters: Adapter[]): Promise<Row[]> {
  const rows = adapters.map((a): Row => ({ adapter: a.key, label: labelOf(a), runs: [], derived: {} }));
  const raw: Row | undefined = trial.raw && { adapter: trial.raw.adapter, label: trial.raw.label, runs: [], derived: {} };
  const drivers: Array<DriverClient | undefined> = [];
  const done = (row: Row): boolean => row.error !== undefined || row.skipped !== undefined;
  try {
    for (const [i, a] of adapters.entries()) {
      try {
        drivers[i] = await startDriver(a);
        rows[i].idleRss = await peakRss(drivers[i]!);
      } catch (err) {
        rows[i].error = why(err);
      }
    }
    /** The peak of each driver process a row used (a trial with a driver per run has several). */
    const keepPeak = async (i: number): Promise<void> => {
      rows[i].peakRss = Math.max(rows[i].peakRss ?? 0, await peakRss(drivers[i]!));
    };
    for (let r = 0; r < RUNS; r++) {
      for (const [i, a] of adapters.entries()) {
        if (!drivers[i] || done(rows[i])) continue;
        const ok = await runOnce(rows[i], async () => {
          if (trial.driverPerRun && r > 0) {
            await keepPeak(i);
            await drivers[i]!.shutdown();
            drivers[i] = await startDriver(a);
          }
          const driver = drivers[i]!;
          await driver.request('new_loop');
          const run = await trial.run(driver);
          await driver.request('end_scenario');
          return run;
        });
        if (!ok && !drivers[i]!.alive) drivers[i] = undefined;
      }
      if (raw && !done(raw)) await runOnce(raw, trial.raw!.run);
    }
    for (const i of drivers.keys()) {
      if (drivers[i] && !done(rows[i])) await keepPeak(i);
    }
  } finally {
    await Promise.all(drivers.map((d) => d?.shutdown()));
  }
  const all = raw ? [...rows, raw] : rows;
  for (const row of all) {
    if (!done(row) && row.runs.length > 0) row.best = row.runs.reduce((a, b) => (b.rate > a.rate ? b : a));
  }
  const base = rows.find((r) => r.adapter === BASELINE && r.best !== undefined);
  for (const row of all) {
    if (row.best === undefined) continue;
    row.derived = trial.derive?.(row, all) ?? {};
    if (!base) continue;
    row.rateRatio = row.best.rate / base.best!.rate;
    const baseGrowth = base.peakRss! - base.idleRss!;
    if (baseGrowth >= MiB && row.peakRss !== undefined) row.growthRatio = (row.peakRss - row.idleRss!) / baseGrowth;
  }
  return all;
}

/** A trial's entry of reports/bench.json. */
function reportOf(trial: Trial, rows: Row[]): Record<string, unknown> {
  return {
    trial: trial.name, description: trial.what, n: trial.n, unit: trial.unit,
    results: rows.map((r) => ({
      adapter: r.adapter, label: r.label, skipped: r.skipped, error: r.error,
      runs: r.runs, best_seconds: r.best?.seconds, rate: r.best?.rate,
      peak_rss_bytes: r.peakRss, idle_rss_bytes: r.idleRss,
      rate_ratio_to_asyncio: r.rateRatio, rss_growth_ratio_to_asyncio: r.growthRatio,
      ...r.derived,
    })),
  };
}

// ---------------------------------------------------------------------------

/** A file of `bytes` for the sendfile trial, in `dir`. */
function makeFile(dir: string, bytes: number): string {
  const file = path.join(dir, `sendfile-${bytes / MiB}MiB.bin`);
  const chunk = Buffer.alloc(MiB);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 7 + 3) & 0xff;
  const fd = fs.openSync(file, 'w');
  for (let written = 0; written < bytes; written += chunk.length) fs.writeSync(fd, chunk);
  fs.closeSync(fd);
  return file;
}

/** The loops side by side: every trial on every adapter, each trial's table; its fields of bench.json. */
async function loopsSection(tmp: string): Promise<Record<string, unknown>> {
  const trials: Trial[] = [
    opTrial('call_soon', 1_000_000, `${count(1_000_000)} callbacks scheduled with call_soon from a callback chain in batches of 1,000, each incrementing a counter; the last one stops the loop (timed from the first call_soon to run_forever's return).`),
    callLaterTrial(200_000),
    opTrial('cancel', 500_000, `${count(500_000)} call_later(10 s) timers scheduled, then all cancelled, then one loop iteration (the purge).`),
  ];
  // The network trials need the separate-process client: without a C compiler, they are left out.
  let loadgenMissing: string | undefined;
  try {
    const loadgen = buildLoadgen();
    trials.push(sendfileTrial(loadgen, makeFile(tmp, SENDFILE_BYTES), SENDFILE_BYTES), tcpEchoTrial(loadgen, ECHO), tcpEchoTrial(loadgen, ECHO, 'sockets'));
  } catch (err) {
    loadgenMissing = why(err);
  }

  await Promise.all(ADAPTERS.map(probe));
  console.log(`--- loops: best of ${RUNS} runs per trial; ratios are to ${BASELINE}, not pass/fail.`);
  for (const a of ADAPTERS) console.log(`  ${a.key.padEnd(10)} ${a.skipped ? `skipped: ${a.skipped}` : labelOf(a)}`);
  const adapters = ADAPTERS.filter((a) => !a.skipped);
  if (!adapters.some((a) => a.key === BASELINE)) console.log(`  (no ${BASELINE}: no ratios)`);
  console.log('Peak RSS is each driver process\'s high-water mark; idle is read before the trial (the reference');
  console.log('driver\'s includes Node). A "-" growth ratio: asyncio grew by less than 1 MiB.');
  if (loadgenMissing) console.log(`sendfile, tcp_echo and sock_echo not run: ${loadgenMissing}`);

  const report: Record<string, unknown>[] = [];
  for (const trial of trials) {
    const rows = await runTrial(trial, adapters);
    console.log(`\n--- ${trial.name}: ${trial.what}`);
    console.log(table(rows, [{ header: 'adapter', cell: (r) => r.label }, ...trial.columns], (r) => r.best !== undefined));
    for (const note of trial.notes?.(rows) ?? []) console.log(`Note: ${note}`);
    report.push(reportOf(trial, rows));
  }
  if (loadgenMissing) report.push({ trial: 'sendfile', skipped: loadgenMissing }, { trial: 'tcp_echo', skipped: loadgenMissing }, { trial: 'sock_echo', skipped: loadgenMissing });
  return {
    runs: RUNS, baseline: BASELINE,
    adapters: ADAPTERS.map((a) => ({ adapter: a.key, label: labelOf(a), command: adapterSpec(a.options).command, hello: a.hello, skipped: a.skipped })),
    trials: report,
  };
}

async function main(opts: BenchOptions): Promise<void> {
  const started = Date.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-bench-'));
  const cleanUp = (): void => fs.rmSync(tmp, { recursive: true, force: true });
  process.once('SIGINT', () => {
    cleanUp();
    process.exit(130); // the exit handlers kill every driver and the kit section's command; loadgen dies with us
  });
  try {
    console.log(`loopspec bench: ${opts.sections.join(' and ')}; ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}).`);
    const out: Record<string, unknown> = {
      date: new Date().toISOString(), sections: opts.sections,
      host: { platform: `${os.platform()} ${os.release()}`, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version },
    };
    if (opts.sections.includes('loops')) Object.assign(out, await loopsSection(tmp));
    if (opts.sections.includes('kit')) out.kit = await kitSection(opts.kitRuns, tmp);

    const file = path.join(ROOT, 'reports', 'bench.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
    console.log(`\n${path.relative(process.cwd(), file)} written; ${((Date.now() - started) / 1000).toFixed(0)} s in all.`);
  } finally {
    cleanUp();
  }
}

let options: BenchOptions | undefined;
try {
  options = benchOptions(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof BenchUsageError)) throw err;
  console.error(`bench: ${err.message}\n${BENCH_USAGE}`);
  process.exitCode = 2;
}
if (options) {
  main(options).catch((err: unknown) => {
    console.error(`bench failed: ${err instanceof Error ? err.stack : String(err)}`);
    process.exitCode = 1;
  });
}
