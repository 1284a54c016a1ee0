// `loopspec [options] [features]` (and `verify`, `matrix`): checks the selection, shakes hands
// with the adapter, runs the features and reports. The last line of a run is
// "N passed, N failed, N skipped". cli/main.ts loads this only for a command that runs.
import * as path from 'node:path';
import { Envelope } from '@cucumber/messages';
import { sandboxUnavailable } from '../adapters/sandbox';
import { adapterSpec, AdapterSpec, CLEARED_ENV, ROOT } from '../adapters/adapter-spec';
import { DriverClient, killAllDrivers, parkDriver } from '../adapters/driver-client';
import { Hello } from '../adapters/errors';
import { CliOptions, UsageError } from './args';
import { expectationsFor, loadExpectations, Expectation, updateExpectations } from './expectations';
import { featureUri, listFeatureFiles, loadScenarios, ScenarioRef } from './features';
import { countOutcomes, ResultCollector } from './results';
import { discard, ensureReportsDir, publish, stagingDir, summaryOf } from './reports';
import { printCounts, printResults, writeSummaryFiles } from './finish';
import { cucumberPaths, shardOf } from './shard';
import parseTagExpression from '@cucumber/tag-expressions';
import { machineCapabilities } from '../adapters/machine-capabilities';
import { Progress, progressWanted } from './progress';
import { selectionOf } from './selection';

/**
 * Checks that the loop can be loaded at all, and learns its versions and capabilities. When the
 * scenarios run in this process (no cucumber workers), the driver is left running for them.
 */
async function preflight(spec: AdapterSpec, keep: boolean): Promise<Hello> {
  const driver = new DriverClient(spec);
  let hello: Hello | undefined;
  try {
    return (hello = await driver.start());
  } finally {
    if (hello && keep) parkDriver(driver);
    else await driver.shutdown();
  }
}

function adapterId(spec: AdapterSpec, hello: Hello): string {
  const clean = (s: string) => s.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '');
  if (spec.kind === 'reference') return 'reference';
  const loopModule = (hello.loop ?? 'asyncio').split(':')[0].split('.')[0];
  if (spec.kind === 'python') return clean(`python-${hello.language.version}-${loopModule}`);
  return clean(`driver-${hello.implementation.name}-${hello.implementation.version}`);
}

/** Feeds the progress line (cli/progress.ts) as scenarios finish. */
function progress(expectations: Map<string, Expectation>, collector: ResultCollector, line: Progress) {
  return (env: Envelope) => {
    if (env.testCaseStarted) line.scenarioStarted();
    if (!env.testCaseFinished || env.testCaseFinished.willBeRetried) return;
    const r = collector.resultOf(env.testCaseFinished.testCaseStartedId, expectations);
    if (r) line.finished(r.outcome === 'failed' || r.outcome === 'xpass');
  };
}

/** The error of a scenario that failed because its driver could not be used at all. */
const DRIVER_UNUSABLE = /^(Error: )?driver unusable/;

/**
 * Runs the features (or verify, or the matrix) as opts say. `onInterrupt` takes what SIGINT and
 * SIGTERM do from the start of the run on: write the partial reports.
 */
export async function runCommand(opts: CliOptions, onInterrupt: (handler: (sig: NodeJS.Signals) => void) => void): Promise<number> {
  const reportsDir = path.resolve(opts.reportsDir);
  const allFeatureFiles = listFeatureFiles(ROOT, opts.paths.length ? opts.paths.map((p) => path.resolve(p)) : ['features']);
  const scenarios = loadScenarios(ROOT, allFeatureFiles);
  const matches = opts.tags ? parseTagExpression(opts.tags) : undefined;
  const selected = matches ? scenarios.filter((s) => matches.evaluate(s.tags)) : scenarios;
  if (opts.tags && selected.length === 0) throw new UsageError(`no scenario matches --tags "${opts.tags}"`);
  // A shard runs its scenarios by file:line, so cucumber sees only them.
  const mine = opts.shard ? shardOf(selected, opts.shard) : selected;
  // Otherwise cucumber gets only the files that hold a selected scenario (it parses each it gets).
  const holding = new Set(mine.map((s) => s.uri));
  const featureFiles = opts.shard ? cucumberPaths(ROOT, mine) : allFeatureFiles.filter((f) => holding.has(featureUri(ROOT, f)));
  ensureReportsDir(reportsDir);
  // The selection is checked above, once, before any of the matrix's runs starts.
  if (opts.command === 'matrix') return (await import('./matrix')).runMatrix(opts);
  // An expectations file names scenarios of all of features/, whichever of them this run selects.
  const everyFeature = opts.paths.length ? loadScenarios(ROOT, listFeatureFiles(ROOT, ['features'])) : [];
  const knownIds = new Set([...scenarios, ...everyFeature].map((s) => s.id));
  const selection = selectionOf(ROOT, opts.tags, opts.paths, selected, opts.paths.length ? everyFeature : scenarios);
  const allExpectations = opts.expectations ? loadExpectations(opts.expectations, knownIds, opts.updateExpectations) : [];
  if (opts.sandbox) {
    const why = sandboxUnavailable();
    if (why) {
      process.stderr.write(`loopspec: --sandbox: this machine does not allow unprivileged user and PID namespaces (${why}); running without the sandbox\n`);
      opts.sandbox = false;
    }
  }
  const spec = adapterSpec(opts);
  // Drivers (this one and every worker's) start without these, whatever the caller's shell has;
  // a scenario that needs one says so with @driver-env (adapters/PROTOCOL.md).
  for (const name of CLEARED_ENV) delete process.env[name];
  const handshake = preflight(spec, opts.command === 'run' && opts.parallel <= 1);
  // Every cucumber worker starts its own driver from this (and LOOPSPEC_HELLO, below). The step
  // definitions load while the driver starts (an error of theirs waits for its turn).
  process.env.LOOPSPEC_ADAPTER = JSON.stringify(spec);
  // cucumber's API itself loads only now (~0.2 s), after the driver has been started.
  const run = import('./run');
  run.then((r) => r.loadStepDefinitions()).catch(() => undefined);
  const hello = await handshake;
  hello.capabilities = [...hello.capabilities, ...(await machineCapabilities())];
  // The entries that hold for the Python version this adapter implements.
  let expectations: Map<string, Expectation> = expectationsFor(allExpectations, hello.language.version, opts.expectations ?? '');
  const id = opts.id ?? adapterId(spec, hello);
  process.env.LOOPSPEC_HELLO = JSON.stringify(hello);
  process.stderr.write(`loopspec: ${hello.implementation.name} ${hello.implementation.version} (Python ${hello.language.version}) via ${spec.label}${spec.sandboxed ? ', in the sandbox' : ''}\n`);

  if (opts.command === 'verify') return verify(opts, featureFiles, mine, expectations, id);

  const collector = new ResultCollector();
  for (const s of scenarios) collector.lines.set(s.id, s.line);
  const staging = stagingDir(reportsDir, id);
  const started = new Date();
  const finish = (partial: boolean) => {
    const results = collector.results(expectations);
    const counts = countOutcomes(results);
    const shard = opts.shard && { ...opts.shard, selected: selected.length, adapter_id: adapterId(spec, hello) };
    writeSummaryFiles(staging, { ...summaryOf(spec, id, hello, started, results, counts, partial), strict: opts.strict, selection, ...(shard ? { shard } : {}) });
    const dir = publish(reportsDir, id, staging);
    return { results, counts, dir };
  };
  const onSignal = (sig: NodeJS.Signals) => {
    killAllDrivers();
    const { counts, dir } = finish(true);
    process.stdout.write(`\nloopspec: interrupted by ${sig}; partial reports in ${path.relative(process.cwd(), dir)}\n`);
    printCounts(counts, true);
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  onInterrupt(onSignal);
  const line = new Progress(mine.length, progressWanted() ? process.stderr : undefined);
  try {
    // A shard may get no scenario at all (more shards than scenarios): its reports say so.
    if (mine.length) await (await run).runFeatures({ featureFiles, scenarios: mine, tags: opts.tags, parallel: opts.parallel, retry: opts.retry, staging, onMessage: progress(expectations, collector, line) }, collector);
    else collector.runFinished = true;
  } catch (err) {
    discard(staging);
    throw err;
  } finally {
    line.end();
  }
  if (opts.updateExpectations) expectations = rewriteExpectations(opts.expectations!, hello.language.version, collector, expectations, knownIds, mine.map((s) => s.id));
  const { results, counts, dir } = finish(!collector.runFinished);
  printResults(results);
  const unusable = results.find((r) => DRIVER_UNUSABLE.test(r.error ?? ''));
  if (unusable) process.stdout.write(`\nloopspec: ${unusable.error!.replace(/^Error: /, '').split('\n')[0]}\n`);
  process.stdout.write(`\nreports: ${path.relative(process.cwd(), dir) || dir}\n`);
  return printCounts(counts, opts.strict);
}

/**
 * --update-expectations: the file made to match the run (cli/expectations.ts says how), what
 * changed printed, and the expectations that now hold, against which the run is then reported.
 */
function rewriteExpectations(file: string, version: string, collector: ResultCollector, expectations: Map<string, Expectation>, knownIds: Set<string>, runOrder: string[]): Map<string, Expectation> {
  const results = collector.results(expectations);
  // A run that broke off, or whose driver could not be used, says nothing about the loop.
  const why = !collector.runFinished ? 'the run did not finish' : results.some((r) => DRIVER_UNUSABLE.test(r.error ?? '')) ? 'the driver was unusable' : undefined;
  if (why) {
    process.stdout.write(`expectations: ${file} not updated: ${why}\n`);
    return expectations;
  }
  const order = new Map(runOrder.map((sid, i) => [sid, i]));
  const failing = results.filter((r) => r.outcome === 'failed').map((r) => r.id).sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  const { added, removed } = updateExpectations(file, version, failing, new Set(results.filter((r) => r.outcome === 'xpass').map((r) => r.id)));
  for (const sid of added) process.stdout.write(`expectations: added ${sid} (write its reason in ${file})\n`);
  for (const sid of removed) process.stdout.write(`expectations: removed ${sid} (it passes now)\n`);
  process.stdout.write(`expectations: ${file}: ${added.length} added, ${removed.length} removed\n`);
  return expectationsFor(loadExpectations(file, knownIds, true), version, file);
}

/** Runs the features N times and lists the scenarios whose outcome changed between runs. */
async function verify(opts: CliOptions, featureFiles: string[], scenarios: ScenarioRef[], expectations: Map<string, Expectation>, id: string): Promise<number> {
  const outcomes = new Map<string, string[]>();
  for (let i = 1; i <= opts.repeat; i++) {
    const collector = new ResultCollector();
    await (await import('./run')).runFeatures({ featureFiles, scenarios, tags: opts.tags, parallel: opts.parallel }, collector);
    const results = collector.results(expectations);
    for (const r of results) outcomes.set(r.id, [...(outcomes.get(r.id) ?? []), r.outcome]);
    const c = countOutcomes(results);
    process.stderr.write(`loopspec verify (${id}): run ${i} of ${opts.repeat}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped\n`);
  }
  const flaky = [...outcomes].filter(([, o]) => new Set(o).size > 1 || o.length !== opts.repeat);
  for (const [sid, o] of flaky) process.stdout.write(`FLAKY ${sid}: ${o.join(', ')}\n`);
  const stable = outcomes.size - flaky.length;
  process.stdout.write(`${stable} passed, ${flaky.length} failed, 0 skipped\n`);
  return flaky.length === 0 ? 0 : 1;
}
