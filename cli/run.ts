// One run of the features on one adapter, through cucumber-js's API: a dry run first (an
// undefined or ambiguous step is bad input, reported before any loop starts), then the real
// run with every report written into a staging folder.
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfiguration, loadSupport, runCucumber } from '@cucumber/cucumber/api';
import { Envelope } from '@cucumber/messages';
import { DIST, ROOT } from '../adapters/adapter-spec';
import { UsageError } from './args';
import { ResultCollector } from './results';

export interface RunRequest {
  featureFiles: string[];
  tags?: string;
  parallel: number;
  /** How many times a failing scenario is rerun (cucumber's retry). */
  retry?: number;
  staging?: string;
  onMessage?: (e: Envelope) => void;
}

const nowhere = () => new Writable({ write(_c, _e, cb) { cb(); } });

function environment() {
  return { cwd: ROOT, stdout: nowhere(), stderr: process.stderr, env: process.env };
}

function formats(staging: string | undefined): string[] {
  if (!staging) return [];
  const f = (name: string) => path.join(staging, name);
  // junit.xml is the kit's own (cli/junit.ts), written from the summary so that merge can too.
  return [`html:${f('cucumber.html')}`, `json:${f('cucumber.json')}`, `message:${f('messages.ndjson')}`];
}

async function configure(req: RunRequest, dryRun: boolean) {
  const { runConfiguration } = await loadConfiguration({
    file: false,
    provided: {
      paths: req.featureFiles,
      require: [path.join(DIST, 'step_definitions/**/*.js')],
      format: dryRun ? [] : formats(req.staging),
      tags: req.tags ?? '',
      parallel: dryRun ? 0 : Math.max(0, req.parallel > 1 ? req.parallel : 0),
      dryRun,
      retry: dryRun ? 0 : req.retry ?? 0,
      strict: true,
    },
  }, environment());
  return runConfiguration;
}

/** Fails with one line per undefined or ambiguous step, before anything runs. */
async function dryRun(req: RunRequest, support: Awaited<ReturnType<typeof loadSupport>>): Promise<void> {
  const config = await configure(req, true);
  const stepText = new Map<string, string>();
  const where = new Map<string, string>();
  const problems: string[] = [];
  await runCucumber({ ...config, support }, environment(), (env) => {
    if (env.pickle) for (const s of env.pickle.steps) { stepText.set(s.id, s.text); where.set(s.id, env.pickle.uri); }
    if (env.testCase) {
      for (const s of env.testCase.testSteps) {
        if (!s.pickleStepId) continue;
        const n = s.stepDefinitionIds?.length ?? 0;
        if (n === 0) problems.push(`${where.get(s.pickleStepId)}: undefined step "${stepText.get(s.pickleStepId)}"`);
        if (n > 1) problems.push(`${where.get(s.pickleStepId)}: ambiguous step "${stepText.get(s.pickleStepId)}" (${n} definitions match)`);
      }
    }
  });
  if (problems.length) throw new UsageError(problems[0] + (problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''));
}

/** Step definitions load once per process (require caches them), so both runs share one library. */
let supportLibrary: Awaited<ReturnType<typeof loadSupport>> | undefined;

export async function runFeatures(req: RunRequest, collector: ResultCollector): Promise<void> {
  const config = await configure(req, false);
  supportLibrary ??= await loadSupport(config, environment());
  await dryRun(req, supportLibrary);
  await runCucumber({ ...config, support: supportLibrary }, environment(), (env) => {
    collector.onMessage(env);
    req.onMessage?.(env);
  });
}
