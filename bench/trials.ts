// What npm run bench measures: each trial in words (printed above its table, and in
// reports/bench.json), how one run of it goes on a driver, and the columns of its table.
// bench/run.ts runs them on every adapter; the loops' side is the bench op (adapters/PROTOCOL.md).
import { DriverClient } from '../adapters/driver-client';
import { echoClient, rawSendfile, startSink } from './loadgen';

export const BASELINE = 'asyncio';
export const MiB = 1024 * 1024;

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

export interface Column {
  header: string;
  cell: (row: Row) => string;
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

export function tcpEchoTrial(loadgen: string, shape: EchoShape): Trial {
  const { connections, size, warmupS, seconds } = shape;
  const share = (r: Row, key: string): string => (r.derived[key] == null ? '-' : percent(r.derived[key] as number));
  return {
    name: 'tcp_echo', unit: 'req/s',
    // What a read costs asyncio depends on the process's past: it receives into a new 256 KiB
    // bytes object per read, which in a fresh process glibc's malloc maps and unmaps each time
    // (mmap, mremap, munmap; with the threshold raised, brk up and down instead). Once the heap
    // holds a free block that size, the same loop answers ~4x the requests (measured here: 37k
    // req/s, then 140-170k on a second run in the same driver). Every run starts from the same
    // state, a fresh process, as a plain asyncio server script does.
    driverPerRun: true,
    what: `an echo server (loop.create_server on 127.0.0.1, a protocol whose data_received writes the data back) and a client in a process of its own (bench/loadgen.c, epoll, the same binary for every loop): ${connections} connections, ${size} B messages, one outstanding per connection, every echoed byte checked; ${warmupS} s of warm-up, then requests per second over ${seconds} s, each run in a fresh driver process (asyncio's reads cost far less once its heap has a free 256 KiB block: bench/trials.ts says why). CPU shares are user+system time as shares of one core over that window (the client reads the server's /proc/PID/stat at its start and end; the kernel's loopback work in softirq is in neither), so a client-bound figure shows as one.`,
    columns: [
      rate('req/s'),
      { header: 'server CPU', right: true, cell: (r) => share(r, 'server_cpu_share') },
      { header: 'client CPU', right: true, cell: (r) => share(r, 'client_cpu_share') },
      { header: 'server peak RSS', right: true, cell: (r) => (r.peakRss === undefined ? '-' : `${mib(r.peakRss)} MiB`) },
      { header: `req/s vs ${BASELINE}`, cell: (r) => vsBaseline(r, r.rateRatio, 'the req/s') },
    ],
    run: async (driver) => {
      const { port } = await driver.request('bench', { trial: 'echo_server' });
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
        client_cpu_share: clientShare,
        client_bound: clientShare >= CLIENT_BOUND_SHARE,
      };
    },
    notes: (rows) => rows.filter((r) => r.derived.client_bound).map((r) =>
      `${r.label}: client-bound: the client was busy ${percent(r.derived.client_cpu_share as number)} of a core, so this figure is near the client's own limit and the loop may do more.`),
  };
}
