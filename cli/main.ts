// loopspec's command line: checks its input, shakes hands with the adapter, runs the features
// and reports. Bad input is one line and exit status 2; the last line of a run is
// "N passed, N failed, N skipped".
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Envelope } from '@cucumber/messages';
import { sandboxUnavailable } from '../adapters/sandbox';
import { adapterSpec, AdapterSpec, CLEARED_ENV, ROOT } from '../adapters/adapter-spec';
import { DriverClient, killAllDrivers } from '../adapters/driver-client';
import { DriverError, Hello } from '../adapters/errors';
import { CliOptions, HELP, parseArgs, UsageError } from './args';
import { expectationsFor, loadExpectations, Expectation } from './expectations';
import { listFeatureFiles, loadScenarios } from './features';
import { countOutcomes, ResultCollector, ScenarioResult } from './results';
import { discard, ensureReportsDir, publish, stagingDir, summaryOf } from './reports';
import parseTagExpression from '@cucumber/tag-expressions';
import { runFeatures } from './run';
import { writeSpecPage } from './spec-page';

/** Checks that the loop can be loaded at all, and learns its versions and capabilities. */
async function preflight(spec: AdapterSpec): Promise<Hello> {
  const driver = new DriverClient(spec);
  try {
    return await driver.start();
  } finally {
    await driver.shutdown();
  }
}

function adapterId(spec: AdapterSpec, hello: Hello): string {
  const clean = (s: string) => s.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '');
  if (spec.kind === 'reference') return 'reference';
  const loopModule = (hello.loop ?? 'asyncio').split(':')[0].split('.')[0];
  if (spec.kind === 'python') return clean(`python-${hello.language.version}-${loopModule}`);
  return clean(`driver-${hello.implementation.name}-${hello.implementation.version}`);
}

/** One character per finished scenario, as it happens: . passed, F failed, x expected failure, - skipped. */
function progress(expectations: Map<string, Expectation>, collector: ResultCollector) {
  const marks: Record<string, string> = { passed: '.', failed: 'F', skipped: '-', xfail: 'x', xpass: 'P' };
  return (env: Envelope) => {
    if (!env.testCaseFinished || env.testCaseFinished.willBeRetried) return;
    const r = collector.resultOf(env.testCaseFinished.testCaseStartedId, expectations);
    if (r) process.stderr.write(marks[r.outcome]);
  };
}

function printResults(results: ScenarioResult[]): void {
  // Skips are preconditions, not failures: say why, once per reason.
  const reasons = new Map<string, number>();
  for (const r of results) if (r.outcome === 'skipped') reasons.set(r.skipReason ?? 'skipped', (reasons.get(r.skipReason ?? 'skipped') ?? 0) + 1);
  for (const [reason, n] of reasons) process.stdout.write(`skipped ${n}: ${reason}\n`);
  for (const r of results) {
    if (r.outcome === 'failed') {
      process.stdout.write(`\nFAILED ${r.uri}:${r.line} ${r.name}\n  ${(r.error ?? '').split('\n').slice(0, 8).join('\n  ')}\n`);
    } else if (r.outcome === 'xpass') {
      process.stdout.write(`\nNOW PASSES ${r.uri}:${r.line} ${r.name}\n  expected to fail because: ${r.expectedReason}\n  remove it from the expectations file\n`);
    }
  }
}

async function main(argv: string[]): Promise<number> {
  const opts: CliOptions = parseArgs(argv);
  if (opts.help) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const reportsDir = path.resolve(opts.reportsDir);
  if (opts.command === 'spec') {
    if (!fs.existsSync(reportsDir)) throw new UsageError(`no reports folder ${opts.reportsDir}`);
    process.stdout.write(`${path.relative(process.cwd(), writeSpecPage(reportsDir))}\n`);
    return 0;
  }
  const featureFiles = listFeatureFiles(ROOT, opts.paths.length ? opts.paths.map((p) => path.resolve(p)) : ['features']);
  const scenarios = loadScenarios(ROOT, featureFiles);
  if (opts.tags) {
    const matches = parseTagExpression(opts.tags);
    if (!scenarios.some((s) => matches.evaluate(s.tags))) throw new UsageError(`no scenario matches --tags "${opts.tags}"`);
  }
  ensureReportsDir(reportsDir);
  const allExpectations = opts.expectations ? loadExpectations(opts.expectations, new Set(scenarios.map((s) => s.id))) : [];
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
  const hello = await preflight(spec);
  // The entries that hold for the Python version this adapter implements.
  const expectations: Map<string, Expectation> = expectationsFor(allExpectations, hello.language.version, opts.expectations ?? '');
  const id = opts.id ?? adapterId(spec, hello);
  // Every cucumber worker starts its own driver from these.
  process.env.LOOPSPEC_ADAPTER = JSON.stringify(spec);
  process.env.LOOPSPEC_HELLO = JSON.stringify(hello);
  process.stderr.write(`loopspec: ${hello.implementation.name} ${hello.implementation.version} (Python ${hello.language.version}) via ${spec.label}${spec.sandboxed ? ', in the sandbox' : ''}\n`);

  if (opts.command === 'verify') return verify(opts, featureFiles, expectations, id);

  const collector = new ResultCollector();
  for (const s of scenarios) collector.lines.set(s.id, s.line);
  const staging = stagingDir(reportsDir, id);
  const started = new Date();
  const finish = (partial: boolean) => {
    const results = collector.results(expectations);
    const counts = countOutcomes(results);
    fs.writeFileSync(path.join(staging, 'summary.json'), JSON.stringify(summaryOf(spec, id, hello, started, results, counts, partial), null, 2));
    const dir = publish(reportsDir, id, staging);
    return { results, counts, dir };
  };
  const onSignal = (sig: NodeJS.Signals) => {
    killAllDrivers();
    const { counts, dir } = finish(true);
    process.stdout.write(`\nloopspec: interrupted by ${sig}; partial reports in ${path.relative(process.cwd(), dir)}\n`);
    process.stdout.write(`${counts.passed} passed, ${counts.failed + counts.xpass} failed, ${counts.skipped} skipped\n`);
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  interrupted = onSignal;
  try {
    await runFeatures({ featureFiles, tags: opts.tags, parallel: opts.parallel, staging, onMessage: progress(expectations, collector) }, collector);
  } catch (err) {
    discard(staging);
    throw err;
  }
  process.stderr.write('\n');
  const { results, counts, dir } = finish(!collector.runFinished);
  printResults(results);
  const unusable = results.find((r) => /^(Error: )?driver unusable/.test(r.error ?? ''));
  if (unusable) process.stdout.write(`\nloopspec: ${unusable.error!.replace(/^Error: /, '').split('\n')[0]}\n`);
  process.stdout.write(`\nreports: ${path.relative(process.cwd(), dir) || dir}\n`);
  if (counts.xfail) process.stdout.write(`${counts.xfail} failed as the expectations file says\n`);
  if (counts.xpass) process.stdout.write(`${counts.xpass} expected to fail but passed: the expectations file is out of date${opts.strict ? ' (--strict: that fails the run)' : ''}\n`);
  const failed = counts.failed + (opts.strict ? counts.xpass : 0);
  process.stdout.write(`${counts.passed} passed, ${failed} failed, ${counts.skipped} skipped\n`);
  return failed === 0 && (counts.xpass === 0 || !opts.strict) ? 0 : 1;
}

/** Runs the features N times and lists the scenarios whose outcome changed between runs. */
async function verify(opts: CliOptions, featureFiles: string[], expectations: Map<string, Expectation>, id: string): Promise<number> {
  const outcomes = new Map<string, string[]>();
  for (let i = 1; i <= opts.repeat; i++) {
    const collector = new ResultCollector();
    await runFeatures({ featureFiles, tags: opts.tags, parallel: opts.parallel }, collector);
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

/**
 * What an interrupt does: before the run, kill any driver and go; during it, also write the
 * partial reports (main() replaces this).
 */
let interrupted = (sig: NodeJS.Signals): void => {
  killAllDrivers();
  process.stderr.write(`loopspec: interrupted by ${sig}\n`);
  process.exit(sig === 'SIGINT' ? 130 : 143);
};

export function cli(argv: string[]): void {
  process.on('SIGINT', () => interrupted('SIGINT'));
  process.on('SIGTERM', () => interrupted('SIGTERM'));
  main(argv).then(
    (code) => { killAllDrivers(); process.exitCode = code; },
    (err) => {
      killAllDrivers();
      if (err instanceof UsageError || err instanceof DriverError) {
        process.stderr.write(`loopspec: ${err instanceof DriverError ? err.brief : err.message.split('\n')[0]}\n`);
        process.exitCode = 2;
      } else {
        process.stderr.write(`loopspec: internal error: ${(err as Error)?.stack ?? err}\n`);
        process.exitCode = 3;
      }
    },
  );
}
