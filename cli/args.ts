// The command line, parsed strictly: an unknown flag or a bad value is a UsageError, which the
// CLI prints as one line before exiting with status 2.
import parseTagExpression from '@cucumber/tag-expressions';
import { AdapterOptions } from '../adapters/adapter-spec';
import { parseShard, Shard } from './shard';

export class UsageError extends Error {}

export interface CliOptions extends AdapterOptions {
  command: 'run' | 'verify' | 'merge' | 'matrix' | 'spec';
  /** With matrix: the JSON file listing the adapters to run (cli/matrix-config.ts). */
  config?: string;
  /** With matrix: run nothing; publish the pages from the runs named in paths (cli/pages.ts). */
  noRun: boolean;
  help: boolean;
  expectations?: string;
  tags?: string;
  parallel: number;
  id?: string;
  reportsDir: string;
  repeat: number;
  paths: string[];
  /** An expected failure that now passes fails the run, so expectations files only shrink. */
  strict: boolean;
  /** Write the run's unexpected failures into --expectations (and drop entries that now pass). */
  updateExpectations: boolean;
  /** Rerun a failing scenario up to this many times; one that then passes is flaky. */
  retry: number;
  shard?: Shard;
}

export const HELP = `loopspec: a conformance kit for Python's asyncio event loop

Usage:
  loopspec [options] [FEATURE_PATH...]           run the features (default: all of features/)
  loopspec verify --repeat N [options]           run N times; list scenarios whose outcome changes
  loopspec diff A B [options] [FEATURE_PATH...]  list the scenarios where two loops behave differently
  loopspec merge DIR... [--reports DIR] [--id NAME]
                                                 combine the report folders of --shard runs into
                                                 one summary and JUnit, as one run makes them
  loopspec matrix [--config FILE] [--tags EXPR] [--reports DIR] [FEATURE_PATH...]
                                                 run every loop of this machine (or those of FILE),
                                                 as many at a time as there are cores, each with
                                                 its expectations file and --strict, and publish
                                                 the conformance matrix REPORTS/matrix/index.html
                                                 and REPORTS/spec/index.html of those runs only
  loopspec matrix --no-run [--reports DIR] [RUN...]
                                                 run nothing: publish the matrix and the spec page
                                                 from the runs named, else every run in DIR
  loopspec batch PLAN [--parallel N]             many runs from one kit process: PLAN is JSON,
                                                 {"runs": [{"args": [...], "env": {...}}]}, each run
                                                 loopspec ARGS; one JSON line per run as it ends
  loopspec spec [--reports DIR] [RUN...]         write DIR/spec/index.html, features/ as a page
                                                 with the outcomes of the runs named, else of
                                                 every run in DIR
  A RUN is a run's report folder (reports/<id>/) or its summary.json.

Adapters (default: the reference loop):
  --adapter reference|python|driver
  --python PATH          the interpreter for the Python driver (implies --adapter python)
  --loop MODULE:FACTORY  a callable returning the loop (default asyncio:new_event_loop; implies python)
  --driver "COMMAND"     any executable speaking adapters/PROTOCOL.md (implies --adapter driver)

Run:
  --expectations FILE    scenarios expected to fail on this adapter, each with its reason (JSON)
  --strict               an expected failure that now passes fails the run (exit 1)
  --update-expectations  write this run's unexpected failures into the --expectations file (created
                         if missing) with a placeholder reason, which runs refuse until a person
                         writes the reason; drop the entries that now pass
  --retry N              rerun a failing scenario up to N times; one that passes on a retry is
                         reported as flaky (not a failure, never a plain pass)
  --shard I/N            run share I of N of the selected scenarios (their sorted IDs, every Nth
                         from the I-th), for CI job matrices; see merge
  --tags EXPR            a cucumber tag expression, e.g. "@loop.call_soon and not @undefined"
  --parallel N           N workers, each with its own driver (default 1)
  --timeout SECONDS      time limit of each driver request (default 5)
  --id NAME              the report folder name (default: derived from the adapter)
  --reports DIR          where reports go (default: reports/)
  --repeat N             with verify: how many runs (default 5)
  --config FILE          with matrix: the adapters to run, as JSON:
                         {"adapters": [{"name": "...", "python": "PATH", "loop": "M:F",
                         "expectations": "FILE", "timeout": S}, {"name": "...", "reference": true}]}
  --no-run               with matrix: run nothing, publish the pages of runs already made
  --sandbox              run each driver in new user and PID namespaces (unshare), so that
                         its end is the end of every process its loop started; where the
                         machine forbids unprivileged namespaces, says so and runs without
  --help                 this text

A run writes REPORTS/<id>/: cucumber.html, cucumber.json, junit.xml, messages.ndjson and
summary.json (which records the selection: --tags, feature paths, --shard), and nothing else;
matrix and spec publish the pages (REPORTS/matrix/index.html, matrix.md, matrix.json,
REPORTS/spec/index.html), where a run of part of features/ says so.
Diff (the status each loop had, passed/failed/skipped, not the outcome against expectations;
and for @undefined scenarios, what each loop recorded). A and B are each one of:
  reference              the reference loop, run now
  PYTHON                 an interpreter (a path, or a name on PATH) with asyncio's loop, run now
  PYTHON:MODULE:FACTORY  that interpreter with that loop, run now: /usr/bin/python3:uvloop:new_event_loop
  FILE.json | FOLDER     a summary.json of an earlier run, or its report folder (reports/<id>/)
  --a-expectations FILE, --b-expectations FILE   the expectations of the side that is run
  --format text|md|json  plain text (default), Markdown for a pull request, or complete JSON
  --tags, --timeout, --parallel, --sandbox and feature paths go to both runs (and narrow what
  summaries are compared); the runs' reports go to --reports DIR (default: a new temp folder).
  Exit status: 0 when nothing differs, 1 when something does, 2 for bad input.

Exit status: 0 when nothing failed unexpectedly, 1 when something did, 2 for bad input.`;

export const FACTORY = /^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*$/;

function positiveInt(flag: string, v: string): number {
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`${flag} needs a whole number of at least 1, got "${v}"`);
  return Number(v);
}

const TAKES_VALUE = new Set(['--adapter', '--python', '--loop', '--driver', '--expectations', '--tags', '--parallel', '--timeout', '--id', '--reports', '--repeat', '--retry', '--shard', '--config']);

/**
 * `loopspec [options] diff ...`: the arguments without the word "diff" when it is the first word
 * that is neither an option nor an option's value (cli/diff-command.ts parses them); else undefined.
 */
export function diffArguments(argv: string[]): string[] | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('-')) {
      if (!a.includes('=') && TAKES_VALUE.has(a)) i++;
      continue;
    }
    return a === 'diff' ? [...argv.slice(0, i), ...argv.slice(i + 1)] : undefined;
  }
  return undefined;
}

export function parseArgs(argv: string[]): CliOptions {
  const o: CliOptions = { command: 'run', help: false, noRun: false, adapter: 'reference', parallel: 1, reportsDir: 'reports', repeat: 5, paths: [], strict: false, updateExpectations: false, retry: 0 };
  let explicitAdapter: string | undefined;
  const args = [...argv];
  const given: string[] = [];
  while (args.length) {
    let a = args.shift()!;
    let value: string | undefined;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq !== -1) { value = a.slice(eq + 1); a = a.slice(0, eq); }
    if (a.startsWith('-')) given.push(a);
    if (a === '--help' || a === '-h') { o.help = true; continue; }
    if (a === '--strict') {
      if (value !== undefined) throw new UsageError('--strict takes no value');
      o.strict = true;
      continue;
    }
    if (a === '--update-expectations') {
      if (value !== undefined) throw new UsageError('--update-expectations takes no value');
      o.updateExpectations = true;
      continue;
    }
    if (a === '--sandbox') {
      if (value !== undefined) throw new UsageError('--sandbox takes no value');
      o.sandbox = true;
      continue;
    }
    if (a === '--no-run') {
      if (value !== undefined) throw new UsageError('--no-run takes no value');
      o.noRun = true;
      continue;
    }
    if ((a === 'verify' || a === 'matrix' || a === 'merge' || a === 'spec') && o.command === 'run' && o.paths.length === 0) { o.command = a; continue; }
    if (!a.startsWith('-')) { o.paths.push(a); continue; }
    if (!TAKES_VALUE.has(a)) throw new UsageError(`unknown option ${a} (see --help)`);
    if (value === undefined) {
      if (args.length === 0 || args[0].startsWith('--')) throw new UsageError(`${a} needs a value`);
      value = args.shift()!;
    }
    switch (a) {
      case '--adapter':
        if (!['reference', 'python', 'driver'].includes(value)) throw new UsageError(`--adapter must be reference, python or driver, got "${value}"`);
        explicitAdapter = value; break;
      case '--python': o.python = value; break;
      case '--loop':
        if (!FACTORY.test(value)) throw new UsageError(`--loop must look like module:factory (e.g. uvloop:new_event_loop), got "${value}"`);
        o.loop = value; break;
      case '--driver':
        if (!value.trim()) throw new UsageError('--driver needs a command');
        o.driver = value; break;
      case '--expectations': o.expectations = value; break;
      case '--tags':
        try {
          parseTagExpression(value);
        } catch (err) {
          throw new UsageError(`--tags "${value}" is not a tag expression: ${(err as Error).message.split('\n')[0]}`);
        }
        o.tags = value; break;
      case '--parallel': o.parallel = positiveInt(a, value); break;
      case '--timeout':
        if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0) throw new UsageError(`--timeout needs a number of seconds above 0, got "${value}"`);
        o.timeoutS = Number(value); break;
      case '--id':
        if (!/^[\w.-]+$/.test(value)) throw new UsageError(`--id may hold letters, digits, ".", "_" and "-", got "${value}"`);
        o.id = value; break;
      case '--reports': o.reportsDir = value; break;
      case '--repeat': o.repeat = positiveInt(a, value); break;
      case '--retry': o.retry = positiveInt(a, value); break;
      case '--shard': o.shard = parseShard(value); break;
      case '--config': o.config = value; break;
    }
  }
  if (o.updateExpectations && o.expectations === undefined) throw new UsageError('--update-expectations needs --expectations FILE (the file to write)');
  if (o.command === 'merge' && o.paths.length === 0) throw new UsageError('merge needs the report folders of the shards: loopspec merge DIR...');
  // A matrix run's adapters, and how each runs, come from its list; only the selection is shared.
  const ofMatrix = new Set(['--config', '--no-run', '--tags', '--reports']);
  const everyRun = new Set(['--tags', '--reports', '--strict', '--sandbox', '--help', '-h']);
  const misplaced = given.find((f) => ofMatrix.has(f) !== (o.command === 'matrix') && !everyRun.has(f));
  if (misplaced) throw new UsageError(o.command === 'matrix' ? `${misplaced} does not go with matrix: each adapter's options go in --config FILE` : `${misplaced} goes with matrix only`);
  // Publishing the pages of runs already made: the words are runs, and only --reports applies.
  if (o.command === 'spec' || o.noRun) {
    const other = given.find((f) => !['--reports', '--no-run', '--help', '-h'].includes(f));
    const usage = o.command === 'spec' ? 'loopspec spec' : 'loopspec matrix --no-run';
    if (other !== undefined) throw new UsageError(`${usage} takes only --reports DIR and runs (report folders or summary.json files), got ${other}`);
  }
  const implied = o.driver !== undefined ? 'driver' : (o.python !== undefined || o.loop !== undefined) ? 'python' : undefined;
  if (explicitAdapter && implied && explicitAdapter !== implied) {
    throw new UsageError(`--adapter ${explicitAdapter} does not go with ${implied === 'driver' ? '--driver' : '--python/--loop'}`);
  }
  if (o.driver !== undefined && (o.python !== undefined || o.loop !== undefined)) throw new UsageError('--driver does not go with --python or --loop');
  o.adapter = (explicitAdapter ?? implied ?? 'reference') as CliOptions['adapter'];
  if (o.adapter === 'driver' && o.driver === undefined) throw new UsageError('--adapter driver needs --driver "COMMAND"');
  return o;
}
