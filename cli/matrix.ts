// `loopspec matrix`: runs a set of adapters — this machine's loops (cli/loops-of-this-machine.ts)
// or those of --config FILE — each as its own `loopspec ... --strict` process, as many at a time
// as the machine has cores, then publishes the conformance matrix and the spec page of exactly
// the runs it made (cli/pages.ts), whatever else the reports folder holds. An adapter that is
// not installed is skipped with a note, not failed.
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from '../adapters/adapter-spec';
import { CliOptions } from './args';
import { loadMatrixConfig } from './matrix-config';
import { loopsOfThisMachine, MatrixAdapter } from './loops-of-this-machine';
import { publishPages } from './pages';
import { Summary } from './reports';
import { readSummaryFile } from './summaries';

/** How a run ended: its exit status, its last line, and the report folder it wrote, if any. */
interface RunResult { code: number; last: string; reports?: string }

/** Runs still going, ended with the matrix (a run ended by a signal writes its partial reports). */
const running = new Set<ChildProcess>();
process.on('exit', () => { for (const child of running) child.kill('SIGTERM'); });

function runOne(a: MatrixAdapter, shared: string[]): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'loopspec.js'), ...a.args, ...shared], { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('close', (code, signal) => {
      running.delete(child);
      // The run's last line ("N passed, ..."), else its error: the one line of bad input, or
      // the first line of an internal error (whose stack follows it).
      const counts = /^\d+ passed, \d+ failed, \d+ skipped$/m.test(out) ? out.trim().split('\n').pop() : undefined;
      const error = err.split('\n').find((l) => l.startsWith('loopspec: ') && !/^loopspec: .* via /.test(l));
      // A run names its report folder last, from the working directory it shares with this process.
      const reports = [...out.matchAll(/^reports: (.+)$/gm)].pop()?.[1];
      resolve({ code: code ?? 1, last: counts ?? error ?? `ended by ${signal ?? `exit status ${code}`}`, ...(reports ? { reports: path.resolve(reports) } : {}) });
    });
  });
}

export async function runMatrix(opts: CliOptions): Promise<number> {
  const reportsDir = path.resolve(opts.reportsDir);
  const { adapters, notes } = opts.config ? { adapters: loadMatrixConfig(opts.config), notes: [] } : loopsOfThisMachine();
  for (const n of notes) process.stdout.write(`note: ${n}\n`);
  // Every run gets the same selection, with paths made absolute (the runs may start elsewhere).
  const shared = ['--strict', '--reports', reportsDir, ...(opts.tags ? ['--tags', opts.tags] : []), ...(opts.sandbox ? ['--sandbox'] : []), ...opts.paths.map((p) => path.resolve(p))];
  const workers = Math.max(1, os.availableParallelism());
  process.stdout.write(`loopspec matrix: ${adapters.length} adapters, ${Math.min(workers, adapters.length)} at a time\n`);
  const tally = { passed: 0, failed: 0, skipped: 0 };
  const made = new Map<MatrixAdapter, string>();
  const queue = [...adapters];
  const worker = async (): Promise<void> => {
    for (let a = queue.shift(); a; a = queue.shift()) {
      if (a.needs && !fs.existsSync(a.needs)) {
        tally.skipped++;
        process.stdout.write(`skipped ${a.name}: ${a.needs} is not installed\n`);
        continue;
      }
      const r = await runOne(a, shared);
      // A loop that does not load (its module is not installed) is a one-line error and exit 2: a note.
      if (r.code === 2 && a.loadsLoop) {
        tally.skipped++;
        process.stdout.write(`skipped ${a.name}: ${r.last.replace(/^loopspec: /, '')}\n`);
        continue;
      }
      if (r.reports) made.set(a, r.reports);
      if (r.code === 0) tally.passed++;
      else tally.failed++;
      process.stdout.write(`${r.code === 0 ? 'ok  ' : 'FAIL'} ${a.name}: ${r.last}\n`);
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  // The runs made, in the order of the list; two adapters of one report id wrote one folder.
  const folders = [...new Set(adapters.filter((a) => made.has(a)).map((a) => made.get(a)!))];
  const summaries: Summary[] = folders.map((dir) => readSummaryFile(path.join(dir, 'summary.json'), 'matrix'));
  publishPages(reportsDir, summaries);
  // The last line counts loops (adapters), as a run's counts scenarios.
  process.stdout.write(`${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped\n`);
  return tally.failed === 0 ? 0 : 1;
}
