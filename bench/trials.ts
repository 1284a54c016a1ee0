// What npm run bench measures: each trial in words (printed above its table, and in
// reports/bench.json), how one run of it goes on a driver, and the columns of its table.
// bench/run.ts runs them on every adapter; the loops' side is the bench op (adapters/PROTOCOL.md).
// Last, the kit section's figures: the kit's own speed and memory (bench/kit.ts runs them).
import * as os from 'node:os';
import * as path from 'node:path';
import { AdapterOptions, ROOT } from '../adapters/adapter-spec';
import { DriverClient } from '../adapters/driver-client';
import { echoClient, rawSendfile, startSink } from './loadgen';

export const BASELINE = 'asyncio';
export const MiB = 1024 * 1024;
export const CPYTHON_312 = path.join(process.env.PYENV_ROOT ?? path.join(os.homedir(), '.pyenv'), 'versions/3.12.1/bin/python3');

/** What one run measured. */
export interface Run {
  /** The seconds the rate is over. */
  seconds: number;
  /** In the trial's unit. */
  rate: number;
  /** The trial's own figures of this run, as bench.json names them. */
  figures?: Record<string, number | null>;
}

/** One adapter's line of a trial. */
export interface Row {
  adapter: string;
  label: string;
  runs: Run[];
  /** The run with the highest rate. */
  best?: Run;
  idleRss?: number;
  peakRss?: number;
  /** best rate / the baseline's best rate */
  rateRatio?: number;
  /** RSS growth / the baseline's, when the baseline grew by at least 1 MiB */
  growthRatio?: number;
  /** The trial's figures of this row, from its runs (`Trial.derive`). */
  derived: Record<string, number | boolean | null>;
  /** Not measured: the loop lacks what the trial needs (NotImplementedError), and says what. */
  skipped?: string;
  /** Not measured: what went wrong. */
  error?: string;
}

export interface Column<R = Row> {
  header: string;
  cell: (row: R) => string;
  /** Numbers: right-aligned. */
  right?: boolean;
}

export interface Trial {
  name: string;
  /** The one-line description printed above the table (PROTOCOL.md says the same of the op). */
  what: string;
  unit: 'ops/s' | 'MiB/s' | 'req/s';
  n?: number;
  /** Each run on a driver process of its own, not only each trial (why: where it is set). */
  driverPerRun?: boolean;
  /** One run on a driver that has a new loop. */
  run: (driver: DriverClient) => Promise<Run>;
  /** After the adapter's name. */
  columns: Column[];
  /** A row measured without any loop (the raw syscall), run in the same rounds as the loops. */
  raw?: { adapter: string; label: string; run: () => Promise<Run> };
  /** The trial's own figures of a measured row (one with a best run), once every row has its runs. */
  derive?: (row: Row, rows: Row[]) => Row['derived'];
  /** Lines printed under the table. */
  notes?: (rows: Row[]) => string[];
}

// ---------------------------------------------------------------------------
// Columns.

export const count = (n: number): string => n.toLocaleString('en-US');
const mib = (bytes: number): string => (bytes / MiB).toFixed(1);
const percent = (share: number): string => `${(share * 100).toFixed(0)}%`;

function ratio(x: number): string {
  return x >= 10 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toFixed(2);
}

function vsBaseline(row: Row, value: number | undefined, words: string): string {
  if (row.adapter === BASELINE) return 'the baseline';
  return value === undefined ? '-' : `${ratio(value)}x ${words} of ${BASELINE}`;
}

const TIME: Column = { header: 'time', right: true, cell: (r) => `${r.best!.seconds.toFixed(3)} s` };
const rate = (unit: string): Column => ({
  header: unit, right: true,
  cell: (r) => (unit === 'MiB/s' ? r.best!.rate.toFixed(0) : count(Math.round(r.best!.rate))),
});
const PEAK_RSS: Column = {
  header: 'peak RSS (idle +growth)',
  cell: (r) => (r.peakRss === undefined ? '-' : `${mib(r.peakRss)} MiB (${mib(r.idleRss!)} +${mib(r.peakRss - r.idleRss!)})`),
};
/** Same work on every adapter: the time is the comparison. */
const TIME_VS: Column = { header: `time vs ${BASELINE}`, cell: (r) => vsBaseline(r, r.rateRatio === undefined ? undefined : 1 / r.rateRatio, 'the time') };
const GROWTH_VS: Column = { header: `RSS growth vs ${BASELINE}`, cell: (r) => vsBaseline(r, r.growthRatio, 'the growth') };
const FIXED_WORK_COLUMNS = (unit: string): Column[] => [TIME, rate(unit), PEAK_RSS, TIME_VS, GROWTH_VS];

// ---------------------------------------------------------------------------
// The timer trials: run inside the driver, timed there.

export function opTrial(name: string, n: number, what: string): Trial {
  return {
    name, n, what, unit: 'ops/s', columns: FIXED_WORK_COLUMNS('ops/s'),
    run: async (driver) => {
      const answer = (await driver.request('bench', { trial: name, n })) as Record<string, number>;
      return { seconds: answer.seconds, rate: n / answer.seconds, figures: answer };
    },
  };
}

/**
 * call_later, and the memory of its timers: the driver reads its RSS right before scheduling
 * and again with all n timers pending, before the first fires. Only a fresh driver's first run
 * counts, as the later ones reuse what the first freed and would show no growth.
 */
export function callLaterTrial(n: number): Trial {
  const trial = opTrial('call_later', n, `${count(n)} call_later timers with delays spread evenly over 0..50 ms, each incrementing a counter; the last to fire stops the loop. Bytes per pending timer: the driver's RSS with all ${count(n)} timers scheduled and none fired, less its RSS right before, over ${count(n)} (a fresh driver's first run).`);
  return {
    ...trial,
    columns: [...trial.columns, { header: 'bytes per pending timer', right: true, cell: (r) => (r.derived.bytes_per_pending_timer == null ? '-' : String(r.derived.bytes_per_pending_timer)) }],
    derive: (row) => {
      const first = row.runs[0]?.figures ?? {};
      const grown = first.rss_pending_bytes == null || first.rss_before_bytes == null ? null : first.rss_pending_bytes - first.rss_before_bytes;
      return { bytes_per_pending_timer: grown === null ? null : Math.round(grown / n) };
    },
  };
}

// ---------------------------------------------------------------------------
// sendfile: the loop sends a file to bench/loadgen.c's sink, a process of its own.

export function sendfileTrial(loadgen: string, file: string, bytes: number): Trial {
  const checked = (sent: number, received: number, seconds: number): Run => {
    if (sent !== bytes || received !== bytes) throw new Error(`${sent} bytes sent and ${received} received, not ${bytes}`);
    return { seconds, rate: bytes / MiB / seconds };
  };
  /** One sink per run: its byte count is that run's and no other's. */
  const toSink = async (send: (port: number) => Promise<{ sent: number; seconds: number }>): Promise<Run> => {
    const sink = await startSink(loadgen);
    try {
      const { sent, seconds } = await send(sink.port);
      return checked(sent, await sink.received(), seconds);
    } finally {
      sink.kill();
    }
  };
  const raw = 'raw sendfile(2)';
  return {
    name: 'sendfile', n: bytes, unit: 'MiB/s',
    what: `a ${bytes / MiB} MiB file sent with loop.sock_sendfile over a connected TCP socket to a sink on 127.0.0.1 in a process of its own (bench/loadgen.c: read and discard, count), timed around the sendfile request; "${raw}" is the same file to the same kind of sink from C, a plain blocking sendfile(2) loop: the ceiling of this path.`,
    columns: [...FIXED_WORK_COLUMNS('MiB/s'), { header: `% of ${raw}`, right: true, cell: (r) => (r.derived.percent_of_raw == null ? '-' : `${(r.derived.percent_of_raw as number).toFixed(0)}%`) }],
    run: (driver) => toSink(async (port) => {
      const { file: fileId } = await driver.request('open_file', { path: file });
      const { conn } = await driver.request('connect', { kind: 'socket', host: '127.0.0.1', port, tls: null, no_sendfile_syscall: false });
      const start = process.hrtime.bigint();
      const { value } = await driver.request('sendfile', { api: 'sock_sendfile', conn, file: fileId });
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      await driver.request('close_conn', { conn });
      return { sent: value as number, seconds };
    }),
    raw: {
      adapter: 'raw-sendfile', label: `${raw} from C`,
      run: () => toSink(async (port) => {
        const r = await rawSendfile(loadgen, port, file);
        return { sent: r.bytes, seconds: r.seconds };
      }),
    },
    derive: (row, rows) => {
      const ceiling = rows.find((r) => r.adapter === 'raw-sendfile')?.best;
      return { percent_of_raw: ceiling && row.best ? (row.best.rate / ceiling.rate) * 100 : null };
    },
  };
}

// ---------------------------------------------------------------------------
// tcp_echo: an echo server on the loop, bench/loadgen.c's echo client in a process of its own.

export interface EchoShape {
  connections: number;
  size: number;
  warmupS: number;
  seconds: number;
}

/** How long the server's loop runs beyond the client's time: the client's start, and the connections' end. */
const SERVE_SLACK_S = 1;
/** A client busy for this share of a core or more is at its own limit: its figure says so. */
export const CLIENT_BOUND_SHARE = 0.9;

/**
 * The echo server's two styles: `protocol`, a protocol on loop.create_server (tcp_echo);
 * `sockets`, sock_accept then sock_recv / sock_sendall in a task per connection (sock_echo).
 */
export type EchoStyle = 'protocol' | 'sockets';

const ECHO_SERVERS: Record<EchoStyle, { name: string; server: string }> = {
  protocol: { name: 'tcp_echo', server: 'loop.create_server on 127.0.0.1, a protocol whose data_received writes the data back' },
  sockets: { name: 'sock_echo', server: 'a non-blocking listening socket on 127.0.0.1, a task that awaits loop.sock_accept, and a task per connection that awaits loop.sock_recv (256 KiB) and loop.sock_sendall of what came until the end of the stream' },
};

export function tcpEchoTrial(loadgen: string, shape: EchoShape, style: EchoStyle = 'protocol'): Trial {
  const { connections, size, warmupS, seconds } = shape;
  const share = (r: Row, key: string): string => (r.derived[key] == null ? '-' : percent(r.derived[key] as number));
  const perRequest = (r: Row): string => (r.derived.server_cpu_us_per_request == null ? '-' : `${(r.derived.server_cpu_us_per_request as number).toFixed(1)} µs`);
  return {
    name: ECHO_SERVERS[style].name, unit: 'req/s',
    // What a read costs asyncio depends on the process's past: it receives into a new 256 KiB
    // bytes object per read, which in a fresh process glibc's malloc maps and unmaps each time
    // (mmap, mremap, munmap; with the threshold raised, brk up and down instead). Once the heap
    // holds a free block that size, the same loop answers ~4x the requests (measured here: 37k
    // req/s, then 140-170k on a second run in the same driver). Every run starts from the same
    // state, a fresh process, as a plain asyncio server script does.
    driverPerRun: true,
    what: `an echo server (${ECHO_SERVERS[style].server}) and a client in a process of its own (bench/loadgen.c, epoll, the same binary for every loop): ${connections} connections, ${size} B messages, one outstanding per connection, every echoed byte checked; ${warmupS} s of warm-up, then requests per second over ${seconds} s, each run in a fresh driver process (asyncio's reads cost far less once its heap has a free 256 KiB block: bench/trials.ts says why). CPU shares are user+system time as shares of one core over that window (the client reads the server's /proc/PID/stat at its start and end; the kernel's loopback work in softirq is in neither), so a client-bound figure shows as one; server CPU per request is that time over the requests answered, a figure that does not depend on the client keeping up.`,
    columns: [
      rate('req/s'),
      { header: 'server CPU', right: true, cell: (r) => share(r, 'server_cpu_share') },
      { header: 'server CPU/req', right: true, cell: perRequest },
      { header: 'client CPU', right: true, cell: (r) => share(r, 'client_cpu_share') },
      { header: 'server peak RSS', right: true, cell: (r) => (r.peakRss === undefined ? '-' : `${mib(r.peakRss)} MiB`) },
      { header: `req/s vs ${BASELINE}`, cell: (r) => vsBaseline(r, r.rateRatio, 'the req/s') },
    ],
    run: async (driver) => {
      const { port } = await driver.request('bench', { trial: 'echo_server', style });
      const client = echoClient(loadgen, { port: port as number, connections, size, warmupS, seconds, serverPid: driver.pid });
      const served = driver.request('bench', { trial: 'serve', seconds: warmupS + seconds + SERVE_SLACK_S });
      // Both settle before the next request: the driver answers one at a time.
      const [echoed, serve] = await Promise.allSettled([client, served]);
      if (echoed.status === 'rejected') throw echoed.reason;
      if (serve.status === 'rejected') throw serve.reason;
      const e = echoed.value;
      return {
        seconds: e.seconds, rate: e.requests / e.seconds,
        figures: { requests: e.requests, bytes_checked: e.bytesChecked, client_cpu_seconds: e.cpuSeconds, server_cpu_seconds: e.serverCpuSeconds },
      };
    },
    derive: (row) => {
      const f = row.best!.figures!;
      const clientShare = f.client_cpu_seconds! / row.best!.seconds;
      return {
        requests: f.requests,
        server_cpu_share: f.server_cpu_seconds == null ? null : f.server_cpu_seconds / row.best!.seconds,
        server_cpu_us_per_request: f.server_cpu_seconds == null || !f.requests ? null : (f.server_cpu_seconds / f.requests) * 1e6,
        client_cpu_share: clientShare,
        client_bound: clientShare >= CLIENT_BOUND_SHARE,
      };
    },
    notes: (rows) => rows.filter((r) => r.derived.client_bound).map((r) =>
      `${r.label}: client-bound: the client was busy ${percent(r.derived.client_cpu_share as number)} of a core, so this figure is near the client's own limit and the loop may do more.`),
  };
}

// ---------------------------------------------------------------------------
// kit: the kit's own speed and memory, the figures of its speed issue with their targets
// (bench/kit.ts runs them). The CLI is run as a user runs it, in the kit's folder:
// `npx loopspec --help`, and `node bin/loopspec.js` for the rest, each run with a fresh
// --reports folder. A time is from spawn to exit; each figure is the median of its runs, beside
// anchors timed in the same rounds: what Node, Node loading cucumber, and Python importing
// asyncio cost before the kit does anything of its own.

/** A command as the kit section runs it: in the kit's folder, timed from spawn to exit. */
export interface KitCommand {
  /** As a user types it. */
  label: string;
  argv: string[];
  /** Its exit status when all went well. */
  status: number;
}

/** In a command's arguments, stands for a fresh reports folder, made for each run and removed after it. */
export const REPORTS = '<reports>';

function loopspec(label: string, args: string[], status = 0): KitCommand {
  return { label, argv: [process.execPath, path.join(ROOT, 'bin/loopspec.js'), ...args, '--reports', REPORTS], status };
}

export type AnchorKey = 'node' | 'cucumber' | 'python' | 'npx';
/**
 * Bare Node's start and exit; Node loading @cucumber/cucumber, which every run loads; Python
 * starting and importing asyncio, what a Python driver does first. `python3` is the one on
 * PATH, run by the path it names itself (sys.executable, bench/kit.ts), so that a pyenv shim's
 * own start (a bash script choosing the version, 0.3-0.5 s here) is not counted as Python's.
 */
export const ANCHORS: Record<AnchorKey, KitCommand> = {
  node: { label: 'node -e 0', argv: [process.execPath, '-e', '0'], status: 0 },
  cucumber: { label: 'node -e "require(\'@cucumber/cucumber\')"', argv: [process.execPath, '-e', 'require(\'@cucumber/cucumber\')'], status: 0 },
  python: { label: 'python3 -c \'import asyncio\'', argv: ['python3', '-c', 'import asyncio'], status: 0 },
  // npx's own share of running a command in the kit's folder (npm exec loads its installer and
  // reads the installed tree, ~0.65 s here, before the command starts), beside bare Node's.
  npx: { label: 'npx --no -- node -e 0', argv: ['npx', '--no', '--', process.execPath, '-e', '0'], status: 0 },
};

/** This run's medians of an anchor: its time, and its peak RSS (Node's anchors only: bench/peak-rss.ts). */
export type AnchorFigures = Record<AnchorKey, { seconds?: number; peakRss?: number }>;

export interface KitTarget {
  words: string;
  /** The most the figure may be, from this run's anchors; undefined when an anchor it needs was not measured. */
  limit: (anchors: AnchorFigures) => number | undefined;
  /** The limit depends on an anchor: the table shows what it came to in this run. */
  relative?: boolean;
}

/** The processes a peak RSS figure is the largest of (bench/kit.ts tells them by their script). */
export type Role = 'cli' | 'cucumber worker' | 'reference driver';

export type KitMeasure =
  /** Timed. A whole-page run is one of the fewer, longer rounds, and its processes' peaks are kept. */
  | { kind: 'time'; command: KitCommand; page?: boolean }
  /** A fresh driver's VmRSS (and VmHWM) from /proc once warmed up as a cucumber worker warms up its drivers. */
  | { kind: 'driver'; options: AdapterOptions }
  /** In each run of the figure `of`, the largest peak RSS of its processes of that role. */
  | { kind: 'peak'; of: string; role: Role };

export interface KitFigure {
  /** Its key in bench.json. */
  name: string;
  label: string;
  what: string;
  /** The figure from before the work on the kit's speed. */
  before: string;
  /** None: shown to read the others by. */
  target?: KitTarget;
  measure: KitMeasure;
  /** A file the figure needs (an interpreter): without it, the figure is skipped with a note. */
  needs?: string;
}

const atMost = (limit: number, unit: 's' | 'MiB'): KitTarget => ({ words: `at most ${limit} ${unit}`, limit: () => (unit === 'MiB' ? limit * MiB : limit) });
const overBareNode = (seconds: number): KitTarget => ({
  words: `at most node -e 0 + ${seconds} s`, relative: true,
  limit: (a) => (a.node.seconds === undefined ? undefined : a.node.seconds + seconds),
});
/** For npx: npx's own share (the npx anchor), which no package can shorten, plus the kit's share. */
const overNpx = (seconds: number): KitTarget => ({
  words: `at most npx --no -- node -e 0 + ${seconds} s`, relative: true,
  limit: (a) => (a.npx.seconds === undefined ? undefined : a.npx.seconds + seconds),
});
const PAGE_REFERENCE = 'page_reference';

export const KIT_FIGURES: KitFigure[] = [
  {
    name: 'help', label: 'npx loopspec --help', before: '2.5 s', target: overNpx(0.3),
    what: 'the help as a user asks for it in the kit\'s folder: npm starts and finds the kit\'s bin (npx\'s own share, the npx anchor: about 0.8 s here, more than the issue\'s whole budget of node -e 0 + 0.3 s, which the next line holds the kit\'s own share to), then the CLI prints the help.',
    measure: { kind: 'time', command: { label: 'npx loopspec --help', argv: ['npx', 'loopspec', '--help'], status: 0 } },
  },
  {
    name: 'help_node', label: 'node bin/loopspec.js --help', before: '1.6 s', target: overBareNode(0.3),
    what: 'the same help without npx: the kit\'s own share of the line above.',
    measure: { kind: 'time', command: { label: 'node bin/loopspec.js --help', argv: [process.execPath, path.join(ROOT, 'bin/loopspec.js'), '--help'], status: 0 } },
  },
  {
    name: 'no_scenario', label: 'loopspec --tags @no-such-tag', before: '1.7 s', target: atMost(1, 's'),
    what: 'a run that selects no scenario: the CLI loads cucumber, parses features/, says that nothing matches and exits 2, starting no driver.',
    measure: { kind: 'time', command: loopspec('loopspec --tags @no-such-tag', ['--tags', '@no-such-tag'], 2) },
  },
  {
    name: 'call_soon', label: 'loopspec --tags @loop.call_soon', before: '7.7 s', target: atMost(2, 's'),
    what: 'the call_soon feature (15 scenarios) on the reference loop, the default adapter: the CLI\'s handshake with one reference driver, then the scenarios in the CLI\'s process on another, and the reports.',
    measure: { kind: 'time', command: loopspec('loopspec --tags @loop.call_soon', ['--tags', '@loop.call_soon']) },
  },
  {
    name: PAGE_REFERENCE, label: 'loopspec --parallel 2', before: '35 s', target: atMost(15, 's'),
    what: 'the whole page on the reference loop: 2 cucumber workers, each with its own reference driver.',
    measure: { kind: 'time', page: true, command: loopspec('loopspec --parallel 2', ['--parallel', '2']) },
  },
  {
    name: 'page_cpython', label: 'loopspec --python 3.12 --expectations … --parallel 2', before: '28 s', target: atMost(15, 's'), needs: CPYTHON_312,
    what: `the whole page on CPython 3.12 (${CPYTHON_312}) with its expectations file (adapters/python/expectations/cpython.json): 2 cucumber workers, each with its own Python driver.`,
    measure: { kind: 'time', page: true, command: loopspec('loopspec --python 3.12 --expectations … --parallel 2', ['--python', CPYTHON_312, '--expectations', 'adapters/python/expectations/cpython.json', '--parallel', '2']) },
  },
  {
    name: 'driver_rss_reference', label: 'reference driver RSS, warmed up', before: '173 MiB', target: atMost(64, 'MiB'),
    what: 'a fresh reference driver\'s resident memory (VmRSS; its VmHWM, the peak, in bench.json) once it has run one loop, as each cucumber worker warms its driver up.',
    measure: { kind: 'driver', options: { adapter: 'reference' } },
  },
  {
    name: 'driver_rss_cpython', label: 'CPython 3.12 driver RSS, warmed up', before: '25 MiB', needs: CPYTHON_312,
    what: 'the same of a fresh CPython 3.12 driver (adapters/python/loopspec_driver.py): what the reference driver\'s figure is read beside.',
    measure: { kind: 'driver', options: { adapter: 'python', python: CPYTHON_312 } },
  },
  {
    name: 'cli_peak_rss', label: 'CLI peak RSS, whole page on reference', before: '212 MiB', target: atMost(100, 'MiB'),
    what: 'the CLI process\'s peak resident memory (its own ru_maxrss at exit, bench/peak-rss.ts) during each whole-page run on the reference loop above.',
    measure: { kind: 'peak', of: PAGE_REFERENCE, role: 'cli' },
  },
  {
    name: 'worker_peak_rss', label: 'cucumber worker peak RSS, same runs', before: '-',
    what: 'the larger peak of the 2 cucumber workers in each of those runs.',
    measure: { kind: 'peak', of: PAGE_REFERENCE, role: 'cucumber worker' },
  },
  {
    name: 'run_driver_peak_rss', label: 'reference driver peak RSS, same runs', before: '-',
    what: 'the largest peak of the reference drivers of each of those runs (the CLI\'s handshake driver and the workers\' drivers), after every scenario of the page.',
    measure: { kind: 'peak', of: PAGE_REFERENCE, role: 'reference driver' },
  },
];
