// Preloaded into every Node process of a timed kit run (NODE_OPTIONS="--require
// dist/bench/peak-rss.js", bench/kit.ts): at its exit, each process appends one JSON line, its
// pid, script and peak resident memory, to the file LOOPSPEC_BENCH_PEAK_RSS names.
//
// Why a preload: a process's peak (getrusage's ru_maxrss, the kernel's VmHWM) is readable by
// the process itself, and by its parent only as the largest of all its reaped descendants
// (RUSAGE_CHILDREN); the bench is the parent of the CLI alone, not of the cucumber workers
// and the reference drivers the CLI starts, and sampling /proc from outside misses peaks
// between samples and processes that come and go. NODE_OPTIONS reaches every Node process the
// CLI starts (cucumber forks its workers, the driver client spawns drivers, with the
// environment), so one run gives the CLI's peak and those of its workers and drivers.
// It costs each process one small file read at start and one append at exit; every process
// of the kit section carries it, the anchors' too, so comparisons stay fair.
import * as fs from 'node:fs';
import { isMainThread } from 'node:worker_threads';

export const PEAK_RSS_FILE_ENV = 'LOOPSPEC_BENCH_PEAK_RSS';

/** One process's line in the file. */
export interface PeakRecord {
  pid: number;
  ppid: number;
  /** process.argv[1]: what the process ran (null for `node -e`). */
  script: string | null;
  max_rss_bytes: number;
}

const file = process.env[PEAK_RSS_FILE_ENV];
// A worker thread (the reference loop's executors) shares its process's figure: one line each.
if (file && isMainThread) {
  process.on('exit', () => {
    const record: PeakRecord = { pid: process.pid, ppid: process.ppid, script: process.argv[1] ?? null, max_rss_bytes: process.resourceUsage().maxRSS * 1024 };
    // One short O_APPEND write per process: lines of processes exiting together do not mix.
    fs.appendFileSync(file, JSON.stringify(record) + '\n');
  });
}
