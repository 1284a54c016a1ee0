// npm run bench's kit section: the kit's own speed and memory, each figure the median of
// several runs beside anchors measured in the same run (the figures, their targets and the
// anchors, in words: KIT_FIGURES and ANCHORS in bench/trials.ts). Nothing passes or fails
// here: a missed target is a "no" to read, never an exit status, and no test times anything.
//
// The runs go round-robin (each round: the anchors, then every quick figure once; then the
// whole-page rounds; then the drivers), so a burst of other work on the machine spreads over
// them all instead of landing on one figure, and the median drops what is left of it.
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { adapterSpec, AdapterOptions, DIST, ROOT } from '../adapters/adapter-spec';
import { DriverClient } from '../adapters/driver-client';
import { PEAK_RSS_FILE_ENV, PeakRecord } from './peak-rss';
import { Line, table } from './table';
import { AnchorFigures, AnchorKey, ANCHORS, Column, KIT_FIGURES, KitCommand, KitFigure, MiB, REPORTS, Role } from './trials';

/** How many runs each figure gets: the quick ones, and the whole-page runs (tens of seconds each). */
export interface KitRuns {
  quick: number;
  page: number;
}
export const DEFAULT_KIT_RUNS: KitRuns = { quick: 5, page: 3 };

/** Each process of a timed run loads this first (NODE_OPTIONS): it records its peak RSS at exit. */
const PRELOAD = path.join(DIST, 'bench/peak-rss.js');

/** One line of the kit's table: an anchor or a figure, in seconds or in bytes. */
export interface KitRow extends Line {
  name: string;
  unit: 's' | 'bytes';
  samples: number[];
  median?: number;
  /** An anchor is measured to read the figures by; it has no target. */
  anchor?: boolean;
  target?: { words: string; limit?: number; relative?: boolean };
  met?: boolean;
  /** How far the median is over each anchor of the same unit (seconds or bytes). */
  over: Partial<Record<AnchorKey, number>>;
  /** The figure's own extra data, as bench.json names it. */
  extra: Record<string, unknown>;
  /** Lines printed under the table (runs that ended unexpectedly). */
  notes: string[];
  what?: string;
  before?: string;
}

// ---------------------------------------------------------------------------
// A timed run.

interface Timed {
  seconds: number;
  status: number | null;
  /** The last line the command printed, to say why a run ended as it should not have. */
  lastLine: string;
  peaks: PeakRecord[];
}

/** The command being run, so that an interrupted bench does not leave it behind. */
let current: ChildProcess | undefined;
process.on('exit', () => current?.kill());

/**
 * The environment of a timed run: this one, with the preload, and without what `npm run bench`
 * adds for its scripts (npm_* variables, which npx would read as its configuration), as a
 * user's shell would have it. npx is kept off the network (the bench talks to no one but
 * 127.0.0.1): where the kit's bin is found locally, which is the case measured, that changes
 * nothing; elsewhere npx fails instead of fetching a package.
 */
function runEnv(peaksFile: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_')));
  return {
    ...env,
    NODE_OPTIONS: [process.env.NODE_OPTIONS, `--require ${JSON.stringify(PRELOAD)}`].filter(Boolean).join(' '),
    [PEAK_RSS_FILE_ENV]: peaksFile,
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
  };
}

function readPeaks(file: string): PeakRecord[] {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as PeakRecord);
}

/** Runs a command in the kit's folder, with its own reports folder (removed after), timed from spawn to exit. */
async function timeCommand(command: KitCommand, scratch: string): Promise<Timed> {
  const dir = fs.mkdtempSync(path.join(scratch, 'run-'));
  try {
    const peaksFile = path.join(dir, 'peaks.ndjson');
    const argv = command.argv.map((a) => (a === REPORTS ? path.join(dir, 'reports') : a));
    const start = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { cwd: ROOT, env: runEnv(peaksFile), stdio: ['ignore', 'pipe', 'pipe'] });
    current = child;
    let tail = '';
    const keep = (chunk: Buffer): void => { tail = (tail + chunk.toString()).slice(-4096); };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    // Timed to the process's exit; its output is read to the end (close) after.
    const exited = new Promise<{ status: number | null; seconds: number }>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (status) => resolve({ status, seconds: Number(process.hrtime.bigint() - start) / 1e9 }));
    });
    const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
    const { status, seconds } = await exited;
    await closed;
    current = undefined;
    const lastLine = tail.trimEnd().split('\n').pop() ?? '';
    return { seconds, status, lastLine, peaks: readPeaks(peaksFile) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Whether a run counts: it ended as it should, or (a run that should pass) a scenario failed,
 * which makes it no shorter; bad input, a crash or a signal end it early: it does not count.
 */
function counts(command: KitCommand, t: Timed): boolean {
  return t.status === command.status || (command.status === 0 && t.status === 1);
}

function unexpected(command: KitCommand, t: Timed, run: number): string {
  return `run ${run + 1} exited ${t.status ?? 'on a signal'} (expected ${command.status})${counts(command, t) ? ', counted' : ', not counted'}: ${t.lastLine}`;
}

// ---------------------------------------------------------------------------
// Peaks by role, and drivers' memory.

/** What a process recorded by the preload was, by the script it ran. */
export function roleOf(record: PeakRecord): Role | undefined {
  const script = (record.script ?? '').split(path.sep).join('/');
  if (script.endsWith('/bin/loopspec.js')) return 'cli';
  if (script.endsWith('/@cucumber/cucumber/lib/runtime/parallel/run_worker.js')) return 'cucumber worker';
  if (script.endsWith('/dist/adapters/reference/driver.js')) return 'reference driver';
  return undefined;
}

/** The largest peak of that role among a run's processes, and how many there were. */
function peakOf(peaks: PeakRecord[], role: Role): { bytes?: number; processes: number } {
  const mine = peaks.filter((p) => roleOf(p) === role);
  return { bytes: mine.length ? Math.max(...mine.map((p) => p.max_rss_bytes)) : undefined, processes: mine.length };
}

/** VmRSS and VmHWM of a live process, in bytes. */
function procMemory(pid: number): { rss: number; hwm: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)![1]) * 1024;
  return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
}

/** A fresh driver's memory after the warm-up a cucumber worker gives each new driver (step_definitions/support/driver-pool.ts): one loop, one callback that stops it. */
async function warmDriverMemory(options: AdapterOptions): Promise<{ rss: number; hwm: number }> {
  const driver = new DriverClient(adapterSpec(options));
  await driver.start();
  try {
    await driver.request('new_loop');
    await driver.request('schedule', { method: 'call_soon', callback: { name: 'WARMUP', args: [], actions: [{ do: 'stop' }] } });
    await driver.request('run_forever');
    await driver.request('end_scenario');
    return procMemory(driver.pid!);
  } finally {
    await driver.shutdown();
  }
}

// ---------------------------------------------------------------------------
// The rows.

function median(xs: number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function newRow(name: string, label: string, unit: KitRow['unit']): KitRow {
  return { name, label, unit, samples: [], over: {}, extra: {}, notes: [] };
}

/** The anchors' rows: each one's time, and the peak RSS of the Node ones. */
function anchorRows(): { time: Record<AnchorKey, KitRow>; memory: Partial<Record<AnchorKey, KitRow>> } {
  const anchor = (k: AnchorKey, unit: KitRow['unit']): KitRow => ({
    ...newRow(unit === 's' ? `anchor_${k}` : `anchor_${k}_peak_rss`, unit === 's' ? ANCHORS[k].label : `${ANCHORS[k].label}: peak RSS`, unit),
    anchor: true,
  });
  const keys = Object.keys(ANCHORS) as AnchorKey[];
  const time = Object.fromEntries(keys.map((k) => [k, anchor(k, 's')])) as Record<AnchorKey, KitRow>;
  // Python's peak would need Python to report it (the preload is Node's): the CPython driver's row is read instead.
  return { time, memory: { node: anchor('node', 'bytes'), cucumber: anchor('cucumber', 'bytes') } };
}

/** One timed run into its row (and, for an anchor, its peak into the memory row). */
async function sample(row: KitRow, command: KitCommand, scratch: string, run: number, memory?: KitRow): Promise<Timed | undefined> {
  try {
    const t = await timeCommand(command, scratch);
    if (t.status !== command.status) row.notes.push(unexpected(command, t, run));
    if (!counts(command, t)) return undefined;
    row.samples.push(t.seconds);
    const own = t.peaks.find((p) => p.ppid === process.pid);
    if (memory && own) memory.samples.push(own.max_rss_bytes);
    return t;
  } catch (err) {
    row.notes.push(`run ${run + 1}: ${(err as Error).message}`);
    return undefined;
  }
}

function figureRow(f: KitFigure): KitRow {
  const row = { ...newRow(f.name, f.label, f.measure.kind === 'time' ? 's' : 'bytes'), what: f.what, before: f.before };
  if (f.needs && !fs.existsSync(f.needs)) row.skipped = `${f.needs} not found`;
  return row;
}

/** Median, target and met, and the differences to the anchors, once every run is in. */
function settle(row: KitRow, target: KitFigure['target'], anchors: AnchorFigures): void {
  row.median = median(row.samples);
  if (row.median === undefined) {
    if (!row.skipped && !row.error) row.error = row.notes[0] ?? 'no run completed';
    return;
  }
  for (const k of Object.keys(anchors) as AnchorKey[]) {
    const base = row.unit === 's' ? anchors[k].seconds : anchors[k].peakRss;
    if (base !== undefined && !row.anchor) row.over[k] = row.median - base;
  }
  if (!target) return;
  const limit = target.limit(anchors);
  row.target = { words: target.words, limit, relative: target.relative };
  if (limit !== undefined) row.met = row.median <= limit;
}

/** The command a timed figure runs, and whether it is a whole-page one. */
function timedCommand(f: KitFigure): { command: KitCommand; page: boolean } | undefined {
  return f.measure.kind === 'time' ? { command: f.measure.command, page: f.measure.page === true } : undefined;
}

/** The anchors as run: `python3` by the interpreter's own path (why: ANCHORS), when it answers. */
function anchorCommands(): Record<AnchorKey, KitCommand> {
  const python = ANCHORS.python;
  const found = spawnSync(python.argv[0], ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  const executable = found.status === 0 ? found.stdout.trim() : '';
  return executable ? { ...ANCHORS, python: { ...python, argv: [executable, ...python.argv.slice(1)] } } : ANCHORS;
}

/** Runs every figure and anchor; the rows in the table's order, anchors first. */
export async function measureKit(runs: KitRuns, scratch: string): Promise<KitRow[]> {
  const anchors = anchorRows();
  const anchorCommand = anchorCommands();
  const rows = new Map(KIT_FIGURES.map((f) => [f.name, figureRow(f)]));
  const live = KIT_FIGURES.filter((f) => !rows.get(f.name)!.skipped);
  const rowOf = (f: KitFigure): KitRow => rows.get(f.name)!;
  const keys = Object.keys(ANCHORS) as AnchorKey[];
  /** The counted runs of each whole-page figure, for the peaks of their processes. */
  const pageRuns = new Map<string, Timed[]>();

  for (let r = 0; r < runs.quick; r++) {
    for (const k of keys) await sample(anchors.time[k], anchorCommand[k], scratch, r, anchors.memory[k]);
    for (const f of live) {
      const t = timedCommand(f);
      if (t && !t.page) await sample(rowOf(f), t.command, scratch, r);
    }
  }
  for (let r = 0; r < runs.page; r++) {
    for (const f of live) {
      const t = timedCommand(f);
      const run = t?.page ? await sample(rowOf(f), t.command, scratch, r) : undefined;
      if (run) pageRuns.set(f.name, [...(pageRuns.get(f.name) ?? []), run]);
    }
  }
  for (let r = 0; r < runs.quick; r++) {
    for (const f of live) if (f.measure.kind === 'driver') await driverSample(rowOf(f), f.measure.options, r);
  }
  for (const f of live) if (f.measure.kind === 'peak') peakSamples(rowOf(f), pageRuns.get(f.measure.of) ?? [], f.measure.role);

  const figures = settleAnchors(anchors);
  for (const f of KIT_FIGURES) settle(rowOf(f), f.target, figures);
  anchors.time.python.extra.executable = anchorCommand.python.argv[0];
  return [...Object.values(anchors.time), ...Object.values(anchors.memory), ...rows.values()];
}

/** The anchors' medians, which the figures are then read against. */
function settleAnchors(anchors: ReturnType<typeof anchorRows>): AnchorFigures {
  const figures: AnchorFigures = { node: {}, cucumber: {}, python: {}, npx: {} };
  for (const k of Object.keys(ANCHORS) as AnchorKey[]) {
    settle(anchors.time[k], undefined, figures);
    if (anchors.memory[k]) settle(anchors.memory[k]!, undefined, figures);
    figures[k] = { seconds: anchors.time[k].median, peakRss: anchors.memory[k]?.median };
  }
  return figures;
}

async function driverSample(row: KitRow, options: AdapterOptions, run: number): Promise<void> {
  try {
    const m = await warmDriverMemory(options);
    row.samples.push(m.rss);
    ((row.extra.vm_hwm_bytes ??= []) as number[]).push(m.hwm);
  } catch (err) {
    row.notes.push(`run ${run + 1}: ${(err as Error).message.split('\n')[0]}`);
  }
}

function peakSamples(row: KitRow, runs: Timed[], role: Role): void {
  const found = runs.map((t) => peakOf(t.peaks, role));
  row.samples = found.flatMap((p) => (p.bytes === undefined ? [] : [p.bytes]));
  row.extra.processes_per_run = found.map((p) => p.processes);
  if (runs.length === 0) row.error = 'no whole-page run counted';
  else if (row.samples.length < runs.length) row.notes.push(`${runs.length - row.samples.length} of ${runs.length} runs left no record of a ${role} (one that did not reach its exit handler)`);
}

// ---------------------------------------------------------------------------
// The table and bench.json.

const mib = (bytes: number): string => `${(bytes / MiB).toFixed(1)} MiB`;
const amount = (row: KitRow, x: number): string => (row.unit === 's' ? `${x.toFixed(x >= 10 ? 1 : 2)} s` : mib(x));
const signed = (row: KitRow, x: number): string => `${x < 0 ? '-' : '+'}${amount(row, Math.abs(x))}`;
/** `5: 0.41-0.52 s`: how many runs counted, and the fastest and slowest (or smallest and largest). */
function spread(row: KitRow): string {
  const [lo, hi] = [Math.min(...row.samples), Math.max(...row.samples)];
  const [a, b] = [amount(row, lo), amount(row, hi)];
  return `${row.samples.length}: ${a.split(' ')[0]}-${b}`;
}
function targetCell(row: KitRow): string {
  if (row.anchor) return 'anchor';
  if (!row.target) return '-';
  const { words, limit, relative } = row.target;
  return relative && limit !== undefined ? `${words} = ${amount(row, limit)}` : words;
}

/** The anchors in the columns' headers (the legend names them in full). */
const ANCHOR_SHORT: Record<AnchorKey, string> = { node: 'node -e 0', cucumber: 'cucumber', python: 'asyncio', npx: 'npx' };

function overCell(key: AnchorKey): Column<KitRow> {
  return {
    header: `over ${ANCHOR_SHORT[key]}`,
    cell: (r) => {
      const d = r.over[key];
      if (d === undefined) return r.anchor ? '' : '-';
      return `${signed(r, d)} (${(r.median! / (r.median! - d)).toFixed(1)}x)`;
    },
  };
}

const KIT_COLUMNS: Column<KitRow>[] = [
  { header: 'figure', cell: (r) => r.label },
  { header: 'median', right: true, cell: (r) => amount(r, r.median!) },
  { header: 'runs: range', right: true, cell: spread },
  { header: 'target', cell: targetCell },
  { header: 'met', cell: (r) => (r.met === undefined ? '' : r.met ? 'yes' : 'no') },
  { header: 'before', right: true, cell: (r) => r.before ?? '' },
  overCell('node'), overCell('cucumber'), overCell('python'),
];

export function kitTable(rows: KitRow[]): string {
  return table(rows, KIT_COLUMNS, (r) => r.median !== undefined);
}

/** The notes printed under the table: each figure's runs that did not end as they should. */
export function kitNotes(rows: KitRow[]): string[] {
  return rows.flatMap((r) => r.notes.map((n) => `${r.label}: ${n}`));
}

/** Each figure in words, under the table: what it is, and the issue's figure from before. */
export function kitLegend(rows: KitRow[]): string[] {
  const python = rows.find((r) => r.name === 'anchor_python')?.extra.executable;
  return [
    `  Anchors ("over" columns: the figure's median less the anchor's, and their ratio): node -e 0, bare Node; cucumber, node -e "require('@cucumber/cucumber')", which every run loads; asyncio, python3 -c 'import asyncio' (python3 run as ${String(python ?? 'python3')}, not through a shim). Node's peak RSS: bench/peak-rss.ts.`,
    ...KIT_FIGURES.map((f) => `  ${f.label}: ${f.what}${f.before === '-' ? '' : ` Before: ${f.before}.`}`),
  ];
}

/** The kit section's entry of reports/bench.json. */
export function kitReport(rows: KitRow[], runs: KitRuns, load: { start: number[]; end: number[] }): Record<string, unknown> {
  const entry = (r: KitRow): Record<string, unknown> => ({
    figure: r.name, label: r.label, description: r.what, before: r.before, unit: r.unit === 's' ? 'seconds' : 'bytes',
    samples: r.samples, median: r.median, target: r.target?.words, limit: r.target?.limit, met: r.met,
    over_anchors: r.over, ...r.extra, notes: r.notes.length ? r.notes : undefined, skipped: r.skipped, error: r.error,
  });
  return {
    runs, load_average: load,
    anchors: rows.filter((r) => r.anchor).map(entry),
    figures: rows.filter((r) => !r.anchor).map(entry),
  };
}

const loadavg = (l: number[]): string => l.map((x) => x.toFixed(1)).join(' ');

/** The kit section: measures, prints its table, and returns its entry of bench.json. */
export async function kitSection(runs: KitRuns, scratch: string): Promise<Record<string, unknown>> {
  const start = os.loadavg();
  const rows = await measureKit(runs, scratch);
  const load = { start, end: os.loadavg() };
  console.log(`\n--- kit: the kit's own speed and memory as a user runs it (bench/trials.ts, KIT_FIGURES): each figure the`);
  console.log(`median of ${runs.quick} runs (${runs.page} of each whole-page run), beside anchors measured in the same run; targets are the`);
  console.log(`speed issue's, for reading, not pass/fail. Load average ${loadavg(start)} at the start, ${loadavg(load.end)} at the end, ${os.cpus().length} CPUs.`);
  console.log(kitTable(rows));
  for (const note of kitNotes(rows)) console.log(`Note: ${note}`);
  console.log('What each line is:');
  for (const line of kitLegend(rows)) console.log(line);
  return kitReport(rows, runs, load);
}
