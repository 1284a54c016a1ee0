// `loopspec batch PLAN [--parallel N]`: many runs from one kit process. Each run of the plan is
// `loopspec ARGS` as one would type it, with its own reports, output and exit status; they go
// through N lanes (cli/batch-lane.ts), processes that load the kit and its step definitions once
// and then take run after run, each run's scenarios in the lane itself. So a hundred small runs
// (the broken loops of the kit's own tests) pay one start-up per lane instead of one per run
// (a CLI, a cucumber coordinator and its workers, each loading the kit).
//
// PLAN is a JSON file (or - for stdin): {"runs": [{"args": [...], "env": {"NAME": "VALUE"}}]}.
// stdout gets one JSON line per run as it ends: {"run", "args", "code", "stdout", "stderr", "ms"}.
// Exit status: 0 when every run exited 0, 1 when one exited 1 (and none worse), 2 for a plan that
// is not one (nothing runs), 3 when a run hit an internal error or its lane died.
import { ChildProcess, fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UsageError } from './args';

export interface BatchRun {
  args: string[];
  /** Set for this run only, over the batch's own environment. */
  env?: Record<string, string>;
}

/** What a lane sends back for each run. */
export interface RunOutcome {
  run: number;
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** A run as the lane receives it. */
export interface LaneRequest extends BatchRun { run: number }

const USAGE = 'loopspec batch PLAN.json|- [--parallel N]';

function parseBatchArgs(argv: string[]): { plan: string; parallel: number } {
  let plan: string | undefined;
  let parallel = os.availableParallelism();
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].startsWith('--') ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
    if (flag === '--parallel') {
      const v = inline ?? argv[++i];
      if (!/^\d+$/.test(v ?? '') || Number(v) < 1) throw new UsageError(`--parallel needs a whole number of at least 1, got "${v ?? ''}"`);
      parallel = Number(v);
    } else if (flag.startsWith('-') && flag !== '-') {
      throw new UsageError(`batch takes only --parallel N, got ${flag} (usage: ${USAGE})`);
    } else if (plan === undefined) {
      plan = flag;
    } else {
      throw new UsageError(`batch takes one plan, got ${plan} and ${flag} (usage: ${USAGE})`);
    }
  }
  if (plan === undefined) throw new UsageError(`batch needs a plan (usage: ${USAGE})`);
  return { plan, parallel };
}

/** The plan's runs, checked whole before any starts. */
export function readPlan(file: string): BatchRun[] {
  let text: string;
  try {
    text = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read the plan ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let plan: unknown;
  try {
    plan = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`the plan ${file} is not JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  const runs = (plan as { runs?: unknown })?.runs;
  if (!Array.isArray(runs)) throw new UsageError(`the plan ${file} needs "runs": a list of {"args": [...], "env": {...}}`);
  return runs.map((r: unknown, i) => {
    const { args, env, ...rest } = (r ?? {}) as Record<string, unknown>;
    const where = `the plan ${file}: run ${i + 1}`;
    if (Object.keys(rest).length) throw new UsageError(`${where}: unknown key "${Object.keys(rest)[0]}" (a run has args and env)`);
    if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) throw new UsageError(`${where}: "args" must be a list of strings`);
    if (env !== undefined && (typeof env !== 'object' || env === null || Object.values(env).some((v) => typeof v !== 'string'))) {
      throw new UsageError(`${where}: "env" must map names to strings`);
    }
    return { args, env: env as Record<string, string> | undefined };
  });
}

const LANE = path.join(__dirname, 'batch-lane.js');

/** Runs every run of the plan through `parallel` lanes; `onOutcome` gets each as it ends. */
export async function runBatch(runs: BatchRun[], parallel: number, onOutcome: (o: RunOutcome) => void): Promise<number> {
  let next = 0;
  let worst = 0;
  /** Lanes in a row that died before taking a run: the kit itself cannot start, so stop. */
  let stillborn = 0;
  const lanes = new Set<ChildProcess>();
  const stop = () => { for (const lane of lanes) lane.kill('SIGTERM'); };
  const onSignal = (sig: NodeJS.Signals) => { stop(); process.exit(sig === 'SIGINT' ? 130 : 143); };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const record = (o: RunOutcome) => {
    worst = Math.max(worst, o.code === 0 ? 0 : o.code === 1 || o.code === 2 ? 1 : 3);
    onOutcome(o);
  };
  const lane = (): Promise<void> => new Promise((resolve) => {
    // A run's output reaches its outcome; the lane's own stderr (a crash) is the batch's.
    const child = fork(LANE, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv: [] });
    lanes.add(child);
    let current: LaneRequest | undefined;
    let took = false;
    let started = 0;
    const give = () => {
      if (next >= runs.length) { child.disconnect(); return; }
      current = { run: next, ...runs[next++] };
      took = true;
      started = Date.now();
      child.send(current);
    };
    child.on('message', (o: RunOutcome) => { current = undefined; record(o); give(); });
    child.on('exit', (code, signal) => {
      lanes.delete(child);
      const died = `the lane running it died (${signal ?? `exit status ${code}`})`;
      // A lane that dies takes only its current run with it; a new lane takes the rest.
      if (current) record({ ...outcome(current, 3, died), ms: Date.now() - started });
      stillborn = took ? 0 : stillborn + 1;
      if (next < runs.length && stillborn < 3) { resolve(lane()); return; }
      while (next < runs.length && lanes.size === 0) record(outcome({ run: next, ...runs[next++] }, 3, `not run: ${died} three times in a row`));
      resolve();
    });
    give();
  });
  try {
    await Promise.all(Array.from({ length: Math.min(parallel, runs.length) }, lane));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    stop();
  }
  return worst;
}

function outcome(r: LaneRequest, code: number, why: string): RunOutcome {
  return { run: r.run, args: r.args, code, stdout: '', stderr: `loopspec: batch: ${why}\n`, ms: 0 };
}

export async function batchCommand(argv: string[]): Promise<number> {
  const { plan, parallel } = parseBatchArgs(argv);
  const runs = readPlan(plan);
  return runBatch(runs, parallel, (o) => process.stdout.write(JSON.stringify(o) + '\n'));
}
