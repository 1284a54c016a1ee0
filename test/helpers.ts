// Runs the loopspec CLI as a user would, for the end-to-end tests.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from '../adapters/adapter-spec';

export { ROOT };
export const CPYTHON_312 = path.join(process.env.PYENV_ROOT ?? path.join(os.homedir(), '.pyenv'), 'versions/3.12.1/bin/python3');
export const DEBIAN_PYTHON = '/usr/bin/python3';
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');

export interface CliRun { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number; reports: string }

/** Runs `loopspec ARGS` with its own reports folder; never hangs the test for more than limitMs. */
export function loopspec(args: string[], opts: { env?: Record<string, string>; limitMs?: number; reports?: string; wrap?: string[] } = {}): Promise<CliRun> {
  const reports = opts.reports ?? fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-reports-'));
  const t0 = Date.now();
  // `wrap`: a command the run is started under (e.g. unshare), given the run's own command line.
  const command = [...(opts.wrap ?? []), process.execPath, path.join(ROOT, 'bin/loopspec.js'), '--reports', reports, ...args];
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), {
      cwd: ROOT, env: { ...process.env, PYTHONPATH: FIXTURES, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.limitMs ?? 240_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - t0, reports });
    });
  });
}

export interface SummaryScenario { id: string; outcome: string; status: string; error?: string; skipReason?: string }

export function summary(run: CliRun, id: string): { partial: boolean; scenarios: SummaryScenario[]; counts: Record<string, number> } {
  return JSON.parse(fs.readFileSync(path.join(run.reports, id, 'summary.json'), 'utf8'));
}

/** Bad input: exit status 2 and one line on stderr matching the pattern, no stack trace. */
export function oneLineError(run: { code: number | null; stderr: string }, pattern: RegExp): void {
  assert.equal(run.code, 2, run.stderr);
  const lines = run.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${run.stderr}`);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
}

export function lastLine(text: string): string {
  const lines = text.trimEnd().split('\n');
  return lines[lines.length - 1];
}

/** A broken loop (test/fixtures/broken_loops): its factory, the sentence it breaks, the scenarios that must fail. */
export type BrokenLoop = [factory: string, sentence: string, mustFail: string[], python?: string];

/** An interpreter of $(pyenv root)/versions, for a broken loop whose sentence 3.12.1 itself breaks. */
export function pyenvPython(version: string): string {
  return path.join(process.env.PYENV_ROOT ?? path.join(os.homedir(), '.pyenv'), `versions/${version}/bin/python3`);
}

/**
 * The runs of `loopspec batch` (cli/batch.ts), started together on first use: one kit process
 * for many runs, each run's result as `loopspec(args)` would give it.
 */
/** A batch never hangs a test file for longer (a hung loop is already cut off per request by --timeout). */
const BATCH_LIMIT_MS = 600_000;

export class Batch {
  private readonly runs: Array<{ args: string[]; env: Record<string, string> }> = [];
  private results: Map<number, Promise<CliRun>> | undefined;

  /** Adds a run (its own reports folder); its result once the batch has run it (the batch starts at the first await). */
  add(args: string[]): () => Promise<CliRun> {
    if (this.results) throw new Error('the batch has started');
    const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-reports-'));
    const index = this.runs.push({ args: ['--reports', reports, ...args], env: { PYTHONPATH: FIXTURES } }) - 1;
    return () => this.start().get(index)!.then((r) => ({ ...r, reports }));
  }

  private start(): Map<number, Promise<CliRun>> {
    if (this.results) return this.results;
    const settle = new Map<number, (r: CliRun) => void>();
    this.results = new Map(this.runs.map((_, i) => [i, new Promise<CliRun>((resolve) => settle.set(i, resolve))]));
    const plan = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-batch-')), 'plan.json');
    fs.writeFileSync(plan, JSON.stringify({ runs: this.runs }));
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/loopspec.js'), 'batch', plan, '--parallel', '2'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let pending = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      pending += d;
      for (let nl = pending.indexOf('\n'); nl !== -1; nl = pending.indexOf('\n')) {
        const o = JSON.parse(pending.slice(0, nl)) as { run: number; code: number; stdout: string; stderr: string; ms: number };
        pending = pending.slice(nl + 1);
        settle.get(o.run)?.({ code: o.code, signal: null, stdout: o.stdout, stderr: o.stderr, ms: o.ms, reports: '' });
        settle.delete(o.run);
      }
    });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), BATCH_LIMIT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      fs.rmSync(path.dirname(plan), { recursive: true, force: true });
      // A run the batch never reported fails its test with what the batch said.
      for (const resolve of settle.values()) resolve({ code: null, signal, stdout: '', stderr: `the batch ended (${signal ?? code}) without this run: ${stderr}`, ms: 0, reports: '' });
    });
    return this.results;
  }
}

/**
 * One test per broken loop: the features of the scenarios it names run on it, with no
 * expectations file, and every scenario it names must fail (for the reason in `becauseOf`, when
 * given). It runs on CPython 3.12 unless it names another interpreter: one that keeps the
 * sentence the loop breaks. An area's broken loops live in a file of their own
 * (test/broken-loops/<area>.test.ts) that only lists them; they all run in one `loopspec batch`.
 */
export function testBrokenLoops(broken: BrokenLoop[], becauseOf: Record<string, RegExp> = {}): void {
  const batch = new Batch();
  for (const [factory, sentence, mustFail, python = CPYTHON_312] of broken) {
    const loop = factory.includes(':') ? `broken_loops.${factory}` : `broken_loops:${factory}`;
    const id = factory.replace(':', '-');
    // The features holding the scenarios it must fail: what the test asserts, and no more.
    const features = [...new Set(mustFail.map((sid) => sid.split(': ')[0]))];
    const result = batch.add(['--python', python, '--loop', loop, '--id', id, '--parallel', '2', '--timeout', '3', ...features]);
    test(`broken_loops:${factory} (breaks "${sentence}") fails the scenarios quoting it`, async () => {
      const run = await result();
      assert.equal(run.code, 1, `${run.stdout}\n${run.stderr}`);
      const results = new Map(summary(run, id).scenarios.map((s) => [s.id, s]));
      for (const sid of mustFail) {
        assert.equal(results.get(sid)?.outcome, 'failed', `${sid} must fail on ${factory}`);
        if (becauseOf[factory]) assert.match(results.get(sid)?.error ?? '', becauseOf[factory]);
      }
    });
  }
}
