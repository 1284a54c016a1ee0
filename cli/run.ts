// One run of the features on one adapter, through cucumber-js's API: the steps checked first (an
// undefined or ambiguous step is bad input, reported before any loop starts), then the run with
// every report written into a staging folder.
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfiguration, loadSupport, runCucumber } from '@cucumber/cucumber/api';
import { Envelope } from '@cucumber/messages';
import { DIST, ROOT } from '../adapters/adapter-spec';
import { UsageError } from './args';
import { ResultCollector } from './results';
import { ScenarioRef } from './features';

export interface RunRequest {
  featureFiles: string[];
  /** The scenarios the run selects (their steps are checked before it starts). */
  scenarios: ScenarioRef[];
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

async function configure(req: RunRequest) {
  const { runConfiguration } = await loadConfiguration({
    file: false,
    provided: {
      paths: req.featureFiles,
      require: [path.join(DIST, 'step_definitions/**/*.js')],
      format: formats(req.staging),
      tags: req.tags ?? '',
      parallel: req.parallel > 1 ? req.parallel : 0,
      retry: req.retry ?? 0,
      strict: true,
    },
  }, environment());
  return runConfiguration;
}

// The library's definitions, as cucumber-js 12 keeps them (the API types the library opaque).
type Definition = { matchesStepName(text: string): boolean; expression?: { regexp?: unknown } };

function definitionsOf(support: Awaited<ReturnType<typeof loadSupport>>): Definition[] {
  const definitions = (support as unknown as { stepDefinitions: Definition[] }).stepDefinitions;
  if (!Array.isArray(definitions)) throw new Error('the support code library has no stepDefinitions: is @cucumber/cucumber still 12.x?');
  return definitions;
}

/**
 * Whether a step's text matches a definition, as cheaply as can be: a definition matches a text
 * exactly when its expression's regular expression does. cucumber's own matchesStepName builds
 * the step's arguments to answer (cucumber-expressions measures group indices by parsing the
 * regular expression again with regexp-tree): ~0.3 s of the kit's process on the whole page,
 * when cucumber pairs every step with its definition before the workers start.
 */
function quickMatcher(d: Definition): (text: string) => boolean {
  const re = d.expression?.regexp;
  const original = d.matchesStepName.bind(d);
  return re instanceof RegExp && !re.global && !re.sticky ? (text: string) => re.test(text) : original;
}

/**
 * Fails with one line naming the first undefined or ambiguous step of the scenarios about to run,
 * before any loop starts: each step's text matched against the step definitions as cucumber
 * itself matches them when it assembles a test case (a full dry run of cucumber did the same,
 * at the cost of a second run's messages and memory).
 */
function checkSteps(scenarios: ScenarioRef[], support: Awaited<ReturnType<typeof loadSupport>>): void {
  const definitions = definitionsOf(support);
  const problems: string[] = [];
  const seen = new Map<string, number>();
  for (const s of scenarios) {
    for (const text of s.steps) {
      const n = seen.get(text) ?? definitions.filter((d) => d.matchesStepName(text)).length;
      seen.set(text, n);
      if (n === 0) problems.push(`${s.uri}: undefined step "${text}"`);
      if (n > 1) problems.push(`${s.uri}: ambiguous step "${text}" (${n} definitions match)`);
    }
  }
  if (problems.length) throw new UsageError(problems[0] + (problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''));
}

/** The step definitions, loaded once per process (require caches them): every run shares them. */
let supportLibrary: ReturnType<typeof loadSupport> | undefined;

/**
 * Loads the step definitions, or gives those already loaded. A run starts this while its
 * driver's handshake is under way (cli/run-command.ts): the two take about as long, in two
 * processes. LOOPSPEC_ADAPTER must be set first (the hooks read the request time limit).
 */
export function loadStepDefinitions(): ReturnType<typeof loadSupport> {
  supportLibrary ??= configure({ featureFiles: [], scenarios: [], parallel: 1 }).then((config) => loadSupport(config, environment())).then((support) => {
    // This process's cucumber (and checkSteps) pairs steps with definitions through the quick
    // test; the arguments are still built by cucumber where the step runs.
    for (const d of definitionsOf(support)) d.matchesStepName = quickMatcher(d);
    return support;
  });
  return supportLibrary;
}

export async function runFeatures(req: RunRequest, collector: ResultCollector): Promise<void> {
  const config = await configure(req);
  const support = await loadStepDefinitions();
  checkSteps(req.scenarios, support);
  await runCucumber({ ...config, support }, environment(), (env) => {
    collector.onMessage(env);
    req.onMessage?.(env);
  });
}
