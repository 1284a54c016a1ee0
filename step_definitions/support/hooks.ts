// Scenario lifecycle: skip what does not apply (with the reason), give each scenario a live
// driver, and after it: end the scenario in the driver, fail it for leaks, for an exception
// nobody checked, or for calls to the loop's exception handler; attach the transcript.
import { After, AfterAll, Before, BeforeAll, setDefaultTimeout, setWorldConstructor, Status } from '@cucumber/cucumber';
import { LoopWorld, LoopEvent } from './world';
import { adapterSpecFromEnv, beginRun, liveDriver, preflightHello, stopDriver } from './driver-pool';
import { skipReason } from './applicability';
import { DriverError } from '../../adapters/errors';
import { driverVariant } from '../../adapters/adapter-spec';
import { GherkinDocument, Pickle } from '@cucumber/messages';

setWorldConstructor(LoopWorld);
// The driver client enforces the per-request limit; cucumber's own limit is only a backstop.
setDefaultTimeout(adapterSpecFromEnv().timeoutMs * 4 + 15_000);

// A warm start, so the first scenario's time is its own. A driver that cannot start fails no
// hook (cucumber would end the whole run, reports and all): every scenario then fails with it.
BeforeAll(async function () {
  beginRun();
  await liveDriver().catch(() => undefined);
});

AfterAll(async function () {
  await stopDriver();
});

Before(async function (this: LoopWorld, { pickle }) {
  const reason = skipReason(pickle.tags.map((t) => t.name), preflightHello());
  if (reason) {
    this.attach(`skipped: ${reason}`, 'text/plain');
    return 'skipped';
  }
  // A scenario tagged @driver-env / @driver-flag runs on a driver started with them.
  this.driver = await liveDriver(driverVariant(pickle.tags.map((t) => t.name)));
  this.driver.resetTranscript();
  return undefined;
});

/** Events that mean something went wrong inside the loop without any step asking for it. */
function unexpectedEvents(events: LoopEvent[], checked: Set<string>): string[] {
  return events
    .filter((e) => e.event === 'exception_handler' || e.event === 'action_error' || e.event === 'thread_error')
    .map((e) => JSON.stringify(e))
    .filter((e) => !checked.has(e));
}

/** The Rule's quoted sentence and the feature's doc link: what a failing scenario disproves. */
function specOf(doc: GherkinDocument, pickle: Pickle): string {
  const feature = doc.feature;
  if (!feature) return '';
  const link = /Spec: (\S+)/.exec(feature.description)?.[1] ?? '';
  const scenarioId = pickle.astNodeIds[0];
  const rule = feature.children.map((c) => c.rule).find((r) => r?.children.some((c) => c.scenario?.id === scenarioId));
  return `sentence: ${rule?.name ?? '(none)'}\ndoc: ${link}`;
}

After(async function (this: LoopWorld, { result, pickle, gherkinDocument }) {
  if (!this.driver) return; // skipped before a driver was needed
  const problems: string[] = [];
  try {
    if (this.unchecked) problems.push(`an exception no step checked: ${this.unchecked.message}`);
    if (this.driver.alive) {
      const events = (await this.driver.request('events')).events as LoopEvent[];
      problems.push(...unexpectedEvents(events, this.checkedEvents).map((e) => `the loop reported an error no step expected: ${e}`));
      const end = await this.driver.request('end_scenario');
      const leaks = (end.leaks as string[]) ?? [];
      problems.push(...leaks.map((l) => `leaked: ${l}`));
      problems.push(...this.driver.takeTempLeftovers().map((f) => `leaked: temporary file ${f} left in the driver's TMPDIR`));
      if (end.dirty) this.driver.kill(); // replaced before the next scenario
    }
  } catch (err) {
    if (!(err instanceof DriverError) || result?.status !== Status.FAILED) problems.push(`could not end the scenario: ${(err as Error).message}`);
  } finally {
    await this.cleanUp();
  }
  const failed = result?.status === Status.FAILED || problems.length > 0;
  if (failed) {
    const transcript = this.driver.transcript.map((t) => `${t.dir} ${t.line}`).join('\n');
    this.attach(`${specOf(gherkinDocument, pickle)}\ndriver: ${this.driver.spec.label}\n\n${transcript}`, 'text/plain');
    if (this.driver.stderrSinceMark.trim()) this.attach(`stderr of the driver:\n${this.driver.stderrSinceMark}`, 'text/plain');
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
});
