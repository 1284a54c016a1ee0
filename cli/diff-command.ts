// `loopspec diff A B [options] [feature paths]`: finds each side — a summary.json, a report
// folder holding one, or an adapter it runs now through the normal CLI (bin/loopspec.js, a
// child process) — then compares them (cli/diff.ts). Exit status as diff(1): 0 when the sides
// agree, 1 when some scenario differs, 2 for bad input.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import parseTagExpression from '@cucumber/tag-expressions';
import { ROOT } from '../adapters/adapter-spec';
import { parseArgs, UsageError } from './args';
import { loadCatalogue } from './catalogue';
import { compareSummaries, renderJson, renderMarkdown, renderText } from './diff';
import { listFeatureFiles, loadScenarios } from './features';
import { FORCE_PROGRESS_ENV } from './progress';
import { ensureReportsDir, Summary } from './reports';
import { readSummaryFile, shownPath } from './summaries';

export type Side =
  | { name: 'A' | 'B'; kind: 'summary'; file: string }
  | { name: 'A' | 'B'; kind: 'adapter'; args: string[]; label: string };

export interface DiffOptions {
  sides: [Side, Side];
  format: 'text' | 'md' | 'json';
  expectations: { A?: string; B?: string };
  /** Passed to each run: --tags, --timeout, --parallel, --sandbox and the feature paths. */
  runArgs: string[];
  paths: string[];
  tags?: string;
  reportsDir?: string;
}

const MODULE_FACTORY = /^(.+):([A-Za-z_][\w.]*:[A-Za-z_][\w.]*)$/;
const SPELLINGS = '"reference", a summary.json, a report folder, a Python interpreter or PYTHON:MODULE:FACTORY';

function executable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** A bare command name (python3, pypy3) is looked up on PATH, as a shell would. */
function onPath(name: string): string | undefined {
  if (name.includes('/')) return undefined;
  for (const dir of (process.env.PATH ?? '').split(':').filter(Boolean)) {
    if (executable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
}

/** What a word of the command line names: see SPELLINGS, and HELP in cli/args.ts. */
export function resolveSide(name: 'A' | 'B', word: string): Side {
  // The reference loop by name; a folder called "reference" is written ./reference.
  if (word === 'reference') return { name, kind: 'adapter', args: ['--adapter', 'reference'], label: 'the reference loop' };
  const p = expandHome(word);
  const withLoop = MODULE_FACTORY.exec(p);
  const loopPython = withLoop && (executable(withLoop[1]) ? withLoop[1] : onPath(withLoop[1]));
  const st = fs.statSync(p, { throwIfNoEntry: false });
  if (st && loopPython) throw new UsageError(`${name}: "${word}" is both a file and PYTHON:MODULE:FACTORY; rename one`);
  if (loopPython) return { name, kind: 'adapter', args: ['--python', loopPython, '--loop', withLoop![2]], label: `${loopPython} with ${withLoop![2]}` };
  if (st?.isDirectory()) {
    const f = path.join(p, 'summary.json');
    if (!fs.existsSync(f)) throw new UsageError(`${name}: the folder ${word} holds no summary.json`);
    return { name, kind: 'summary', file: f };
  }
  if (st?.isFile()) {
    if (p.endsWith('.json')) return { name, kind: 'summary', file: p };
    if (executable(p)) return { name, kind: 'adapter', args: ['--python', p], label: `${p} with asyncio's loop` };
    throw new UsageError(`${name}: "${word}" is neither a .json summary nor an executable Python interpreter`);
  }
  const found = onPath(p);
  if (found) return { name, kind: 'adapter', args: ['--python', found], label: `${found} with asyncio's loop` };
  if (withLoop) throw new UsageError(`${name}: no Python interpreter ${withLoop[1]} (in "${word}")`);
  throw new UsageError(`${name}: "${word}" is not one of ${SPELLINGS}`);
}

/** The options of the runs diff starts, checked by the run's own parser so both agree on them. */
const SHARED_FLAGS = new Set(['--tags', '--timeout', '--parallel', '--sandbox', '--reports']);
const NO_VALUE = new Set(['--sandbox']);

export function parseDiffArgs(argv: string[]): DiffOptions {
  const words: string[] = [];
  const shared: string[] = [];
  const expectations: DiffOptions['expectations'] = {};
  let format: DiffOptions['format'] = 'text';
  const args = [...argv];
  while (args.length) {
    let a = args.shift()!;
    let value: string | undefined;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq !== -1) { value = a.slice(eq + 1); a = a.slice(0, eq); }
    if (!a.startsWith('-')) { words.push(a); continue; }
    const takesValue = a === '--format' || a === '--a-expectations' || a === '--b-expectations' || (SHARED_FLAGS.has(a) && !NO_VALUE.has(a));
    if (!takesValue && !SHARED_FLAGS.has(a)) throw new UsageError(`diff: unknown option ${a} (see --help; the adapters are the words A and B)`);
    if (takesValue && value === undefined) {
      if (args.length === 0 || args[0].startsWith('--')) throw new UsageError(`${a} needs a value`);
      value = args.shift()!;
    }
    if (a === '--format') {
      if (value !== 'text' && value !== 'md' && value !== 'json') throw new UsageError(`--format must be text, md or json, got "${value}"`);
      format = value;
    } else if (a === '--a-expectations') expectations.A = value;
    else if (a === '--b-expectations') expectations.B = value;
    else shared.push(value === undefined ? a : `${a}=${value}`);
  }
  if (words.length < 2) throw new UsageError('diff needs two sides: loopspec diff A B (see --help)');
  const sides: [Side, Side] = [resolveSide('A', words[0]), resolveSide('B', words[1])];
  const paths = words.slice(2);
  const checked = parseArgs([...shared, ...paths]);
  for (const s of sides) {
    if (s.kind === 'summary' && expectations[s.name]) throw new UsageError(`--${s.name.toLowerCase()}-expectations is for a side that is run; ${s.name} is the summary ${s.file}`);
  }
  const runArgs = shared.filter((f) => !f.startsWith('--reports'));
  return { sides, format, expectations, runArgs, paths, ...(checked.tags ? { tags: checked.tags } : {}), ...(shared.some((f) => f.startsWith('--reports')) ? { reportsDir: checked.reportsDir } : {}) };
}

function readSummary(side: Side & { kind: 'summary' }): Summary {
  return readSummaryFile(side.file, side.name);
}

/** The children running now: ended with diff itself, however it ends. */
const running = new Set<ReturnType<typeof spawn>>();
process.on('exit', () => { for (const c of running) c.kill('SIGTERM'); });

/**
 * Runs one side through the normal CLI, into `reportsDir`, and returns its summary. On a
 * terminal the run's own progress line shows; elsewhere its stderr is kept for the error line.
 */
function runSide(side: Side & { kind: 'adapter' }, opts: DiffOptions, reportsDir: string): Promise<{ summary: Summary; file: string }> {
  const exp = opts.expectations[side.name];
  const args = [path.join(ROOT, 'bin/loopspec.js'), ...side.args, '--reports', reportsDir, ...(exp ? ['--expectations', exp] : []), ...opts.runArgs, ...opts.paths];
  // On a terminal the run draws its progress line there although diff reads its stdout.
  const onTerminal = process.stdout.isTTY === true && process.stderr.isTTY === true;
  const env: NodeJS.ProcessEnv = { ...process.env, [FORCE_PROGRESS_ENV]: '1' };
  if (!onTerminal) delete env[FORCE_PROGRESS_ENV];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', onTerminal ? 'inherit' : 'pipe'], env });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => { stdout += d; });
  child.stderr?.on('data', (d) => { stderr += d; });
  if (onTerminal) process.stderr.write(`loopspec diff: ${side.name} = ${side.label}\n`);
  return new Promise((resolve, reject) => {
    child.on('close', (code, signal) => {
      running.delete(child);
      const reports = /^reports: (.+)$/m.exec(stdout)?.[1];
      if ((code === 0 || code === 1) && reports) {
        const file = path.join(path.resolve(reports), 'summary.json');
        resolve({ summary: readSummary({ name: side.name, kind: 'summary', file }), file });
        return;
      }
      const last = stderr.trim().split('\n').filter((l) => l.startsWith('loopspec: ')).pop()?.replace(/^loopspec: /, '') ?? `ended with ${signal ?? `status ${code}`}`;
      reject(new UsageError(`${side.name} (${side.label}): ${last}`));
    });
  });
}

export async function diffCommand(argv: string[]): Promise<number> {
  const opts = parseDiffArgs(argv);
  const featureFiles = listFeatureFiles(ROOT, opts.paths.length ? opts.paths.map((p) => path.resolve(p)) : ['features']);
  // Compare what the selection holds: a summary of a wider run is narrowed to it.
  let only: Set<string> | undefined;
  if (opts.tags || opts.paths.length) {
    const matches = opts.tags ? parseTagExpression(opts.tags) : undefined;
    only = new Set(loadScenarios(ROOT, featureFiles).filter((s) => !matches || matches.evaluate(s.tags)).map((s) => s.id));
    if (only.size === 0) throw new UsageError(`no scenario matches --tags "${opts.tags}"`);
  }
  // A summary that does not read is bad input before any run starts.
  const given = opts.sides.map((s) => (s.kind === 'summary' ? { summary: readSummary(s), file: s.file } : undefined));
  let reportsDir = opts.reportsDir;
  if (opts.sides.some((s) => s.kind === 'adapter')) {
    if (reportsDir) ensureReportsDir(reportsDir);
    else {
      reportsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-diff-'));
      process.stderr.write(`loopspec diff: the runs' reports go to ${reportsDir}\n`);
    }
  }
  const loaded: Array<{ summary: Summary; file: string }> = [];
  // One side after the other: the two runs would otherwise share the machine and time out.
  for (const [i, s] of opts.sides.entries()) loaded.push(given[i] ?? await runSide(s as Side & { kind: 'adapter' }, opts, reportsDir!));
  const [a, b] = loaded;
  if (a.file === b.file && opts.sides.every((s) => s.kind === 'adapter')) {
    process.stderr.write(`loopspec diff: both runs wrote ${a.file}; it holds B's, A's was compared from memory\n`);
  }
  const result = compareSummaries(a.summary, b.summary, loadCatalogue(), [shownPath(a.file), shownPath(b.file)], only);
  const render = opts.format === 'md' ? renderMarkdown : opts.format === 'json' ? renderJson : renderText;
  process.stdout.write(render(result));
  return result.differences.length === 0 ? 0 : 1;
}
