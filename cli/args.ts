// The command line, parsed strictly: an unknown flag or a bad value is a UsageError, which the
// CLI prints as one line before exiting with status 2.
import parseTagExpression from '@cucumber/tag-expressions';
import { AdapterOptions } from '../adapters/adapter-spec';

export class UsageError extends Error {}

export interface CliOptions extends AdapterOptions {
  command: 'run' | 'verify' | 'spec';
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
}

export const HELP = `loopspec: a conformance kit for Python's asyncio event loop

Usage:
  loopspec [options] [FEATURE_PATH...]           run the features (default: all of features/)
  loopspec verify --repeat N [options]           run N times; list scenarios whose outcome changes
  loopspec spec [--reports DIR]                  rewrite DIR/spec/index.html, features/ as a page
                                                 with each run's last outcomes (also after each run)

Adapters (default: the reference loop):
  --adapter reference|python|driver
  --python PATH          the interpreter for the Python driver (implies --adapter python)
  --loop MODULE:FACTORY  a callable returning the loop (default asyncio:new_event_loop; implies python)
  --driver "COMMAND"     any executable speaking adapters/PROTOCOL.md (implies --adapter driver)

Run:
  --expectations FILE    scenarios expected to fail on this adapter, each with its reason (JSON)
  --strict               an expected failure that now passes fails the run (exit 1)
  --tags EXPR            a cucumber tag expression, e.g. "@loop.call_soon and not @undefined"
  --parallel N           N workers, each with its own driver (default 1)
  --timeout SECONDS      time limit of each driver request (default 5)
  --id NAME              the report folder name (default: derived from the adapter)
  --reports DIR          where reports go (default: reports/)
  --repeat N             with verify: how many runs (default 5)
  --sandbox              run each driver in new user and PID namespaces (unshare), so that
                         its end is the end of every process its loop started; where the
                         machine forbids unprivileged namespaces, says so and runs without
  --help                 this text

Writes REPORTS/<id>/: cucumber.html, cucumber.json, junit.xml, messages.ndjson, summary.json,
and REPORTS/matrix.md, REPORTS/spec/index.html.
Exit status: 0 when nothing failed unexpectedly, 1 when something did, 2 for bad input.`;

const FACTORY = /^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*$/;

function positiveInt(flag: string, v: string): number {
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`${flag} needs a whole number of at least 1, got "${v}"`);
  return Number(v);
}

export function parseArgs(argv: string[]): CliOptions {
  const o: CliOptions = { command: 'run', help: false, adapter: 'reference', parallel: 1, reportsDir: 'reports', repeat: 5, paths: [], strict: false };
  let explicitAdapter: string | undefined;
  const args = [...argv];
  const flags: string[] = [];
  const takes = new Set(['--adapter', '--python', '--loop', '--driver', '--expectations', '--tags', '--parallel', '--timeout', '--id', '--reports', '--repeat']);
  while (args.length) {
    let a = args.shift()!;
    let value: string | undefined;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq !== -1) { value = a.slice(eq + 1); a = a.slice(0, eq); }
    if (a.startsWith('-')) flags.push(a);
    if (a === '--help' || a === '-h') { o.help = true; continue; }
    if (a === '--strict') {
      if (value !== undefined) throw new UsageError('--strict takes no value');
      o.strict = true;
      continue;
    }
    if (a === '--sandbox') {
      if (value !== undefined) throw new UsageError('--sandbox takes no value');
      o.sandbox = true;
      continue;
    }
    if (a === 'verify' && o.command === 'run' && o.paths.length === 0) { o.command = 'verify'; continue; }
    if (a === 'spec' && o.command === 'run' && o.paths.length === 0) { o.command = 'spec'; continue; }
    if (!a.startsWith('-')) { o.paths.push(a); continue; }
    if (!takes.has(a)) throw new UsageError(`unknown option ${a} (see --help)`);
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
    }
  }
  if (o.command === 'spec') {
    const other = flags.find((f) => !['--reports', '--help', '-h'].includes(f)) ?? o.paths[0];
    if (other !== undefined) throw new UsageError(`loopspec spec takes only --reports DIR, got ${other}`);
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
