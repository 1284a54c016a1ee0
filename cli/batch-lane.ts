// A lane of `loopspec batch` (cli/batch.ts): a process that takes runs one at a time from the
// batch and runs each as `loopspec ARGS` would, in this process: cucumber, the step definitions
// and the kit's modules load once, for every run the lane takes.
//
// What a run would print goes into its outcome, not to the lane's stdout; the environment it
// was given holds for that run only; its scenarios run here, one after the other (the lanes
// side by side are the batch's parallelism, so a run's --parallel does not fork workers).
import { execute, keepHeapSmall } from './main';
import type { LaneRequest, RunOutcome } from './batch';

type Write = typeof process.stdout.write;

/** Everything written to stream while fn runs, and fn's result. */
async function capturing<T>(fn: () => Promise<T>): Promise<{ result: T; stdout: string; stderr: string }> {
  const chunks = { stdout: [] as string[], stderr: [] as string[] };
  const original = { stdout: process.stdout.write, stderr: process.stderr.write };
  const into = (list: string[]): Write => ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    list.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
    const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    cb?.();
    return true;
  }) as Write;
  process.stdout.write = into(chunks.stdout);
  process.stderr.write = into(chunks.stderr);
  try {
    const result = await fn();
    return { result, stdout: chunks.stdout.join(''), stderr: chunks.stderr.join('') };
  } finally {
    process.stdout.write = original.stdout;
    process.stderr.write = original.stderr;
  }
}

/** Runs fn with env set over this process's environment, and puts the environment back after. */
async function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}

async function take(req: LaneRequest): Promise<RunOutcome> {
  const t0 = Date.now();
  const { result: code, stdout, stderr } = await capturing(() => withEnv(req.env ?? {}, () => execute(req.args, { inLane: true })));
  return { run: req.run, args: req.args, code, stdout, stderr, ms: Date.now() - t0 };
}

keepHeapSmall();

// One run at a time, in the order given; the batch sends the next when this one's outcome is in.
let queue = Promise.resolve();
process.on('message', (req: LaneRequest) => {
  queue = queue.then(async () => { process.send!(await take(req)); });
});
// The batch going away (its end, or its interrupt) ends the lane; drivers go with it
// (adapters/driver-client.ts kills them at exit).
process.on('disconnect', () => { void queue.then(() => process.exit(0)); });
process.on('SIGTERM', () => process.exit(143));
process.on('SIGINT', () => process.exit(130));
