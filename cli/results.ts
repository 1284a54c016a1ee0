// Turns cucumber's message stream into one record per scenario: status, error, skip reason,
// how long it took, the attempts that failed before a retry, and whether it matched the
// expectations.
import { Envelope, TestStepResultStatus } from '@cucumber/messages';
import { scenarioId } from './features';
import { Expectation } from './expectations';

export type Status = 'passed' | 'failed' | 'skipped' | 'undefined' | 'ambiguous' | 'pending' | 'unknown';
/**
 * passed / failed / skipped as run, xfail (failed as expected), xpass (expected to fail, passed),
 * flaky (failed, then passed on a retry: not a failure of the run, never a plain pass).
 */
export type Outcome = 'passed' | 'failed' | 'skipped' | 'xfail' | 'xpass' | 'flaky';

export interface ScenarioResult {
  id: string;
  uri: string;
  line: number;
  name: string;
  tags: string[];
  status: Status;
  outcome: Outcome;
  error?: string;
  skipReason?: string;
  expectedReason?: string;
  /** Seconds, from the start of its last attempt to its end. */
  duration?: number;
  /** With --retry: how many times it ran, and the error of each attempt that failed before the last. */
  attempts?: number;
  retriedErrors?: string[];
  /** What the loop did where the doc leaves the outcome open (@undefined): `Then what happened is recorded`. */
  recorded?: string;
}

/** The attachment of `Then what happened is recorded` (step_definitions/api.steps.ts) starts so. */
const RECORDED = 'recorded, not checked (@undefined): ';

const SEVERITY: Status[] = ['unknown', 'passed', 'skipped', 'pending', 'undefined', 'ambiguous', 'failed'];

function statusOf(s: TestStepResultStatus): Status {
  return String(s).toLowerCase() as Status;
}

export class ResultCollector {
  private pickles = new Map<string, { uri: string; name: string; tags: string[]; astNodeIds: readonly string[] }>();
  private testCases = new Map<string, string>(); // testCase id -> pickle id
  private started = new Map<string, { testCaseId: string; status: Status; error?: string; skipReason?: string; recorded?: string; finished: boolean; attempt: number; start: number; end?: number }>();
  private retried = new Map<string, string[]>(); // testCase id -> errors of the attempts that were retried
  private order: string[] = [];
  lines = new Map<string, number>(); // scenario id -> line, filled by the caller from its parse
  runFinished = false;

  onMessage = (env: Envelope): void => {
    if (env.pickle) {
      const p = env.pickle;
      this.pickles.set(p.id, { uri: p.uri, name: p.name, tags: p.tags.map((t) => t.name), astNodeIds: p.astNodeIds });
    } else if (env.testCase) {
      this.testCases.set(env.testCase.id, env.testCase.pickleId);
    } else if (env.testCaseStarted) {
      const s = env.testCaseStarted;
      this.started.set(s.id, { testCaseId: s.testCaseId, status: 'unknown', finished: false, attempt: s.attempt, start: seconds(s.timestamp) });
    } else if (env.testStepFinished) {
      const f = env.testStepFinished;
      const rec = this.started.get(f.testCaseStartedId);
      if (!rec) return;
      const st = statusOf(f.testStepResult.status);
      if (SEVERITY.indexOf(st) > SEVERITY.indexOf(rec.status)) rec.status = st;
      if (st === 'failed' && !rec.error) rec.error = f.testStepResult.message ?? f.testStepResult.exception?.message ?? 'failed';
    } else if (env.attachment) {
      const a = env.attachment;
      const rec = a.testCaseStartedId ? this.started.get(a.testCaseStartedId) : undefined;
      if (rec && a.body.startsWith('skipped: ')) rec.skipReason = a.body.slice('skipped: '.length);
      if (rec && a.body.startsWith(RECORDED)) {
        const what = a.body.slice(RECORDED.length);
        rec.recorded = rec.recorded === undefined ? what : `${rec.recorded}\n${what}`;
      }
    } else if (env.testCaseFinished) {
      const rec = this.started.get(env.testCaseFinished.testCaseStartedId);
      if (rec && env.testCaseFinished.willBeRetried) {
        this.retried.set(rec.testCaseId, [...(this.retried.get(rec.testCaseId) ?? []), cleanError(rec.error ?? rec.status)]);
      } else if (rec) {
        rec.finished = true;
        rec.end = seconds(env.testCaseFinished.timestamp);
        this.order.push(env.testCaseFinished.testCaseStartedId);
      }
    } else if (env.testRunFinished) {
      this.runFinished = true;
    }
  };

  /** The finished scenarios, with their outcome against the expectations. */
  results(expectations: Map<string, Expectation>): ScenarioResult[] {
    return this.order.map((startedId) => this.resultOf(startedId, expectations)).filter((r): r is ScenarioResult => r !== undefined);
  }

  /** One finished scenario (by its testCaseStarted id), or undefined if its pickle is unknown. */
  resultOf(startedId: string, expectations: Map<string, Expectation>): ScenarioResult | undefined {
    const rec = this.started.get(startedId);
    const pickle = rec && this.pickles.get(this.testCases.get(rec.testCaseId) ?? '');
    if (!rec || !pickle) return undefined;
    const id = scenarioId(pickle.uri, pickle.name);
    const exp = expectations.get(id);
    const failed = rec.status !== 'passed' && rec.status !== 'skipped';
    const retriedErrors = this.retried.get(rec.testCaseId) ?? [];
    const outcome: Outcome = rec.status === 'skipped' ? 'skipped'
      : exp ? (failed ? 'xfail' : 'xpass')
      : failed ? 'failed' : retriedErrors.length ? 'flaky' : 'passed';
    return {
      id, uri: pickle.uri, line: this.lines.get(id) ?? 0, name: pickle.name, tags: pickle.tags,
      status: rec.status, outcome,
      ...(rec.error ? { error: cleanError(rec.error) } : {}),
      ...(rec.skipReason ? { skipReason: rec.skipReason } : {}),
      ...(exp ? { expectedReason: exp.reason } : {}),
      ...(rec.end !== undefined ? { duration: Math.max(0, Math.round((rec.end - rec.start) * 1000) / 1000) } : {}),
      ...(retriedErrors.length ? { attempts: rec.attempt + 1, retriedErrors } : {}),
      ...(rec.recorded !== undefined ? { recorded: rec.recorded } : {}),
    };
  }
}

function seconds(t: { seconds: number; nanos: number }): number {
  return t.seconds + t.nanos / 1e9;
}

/** The assertion message without the stack trace lines. */
function cleanError(text: string): string {
  return text.split('\n').filter((l) => !/^\s+at /.test(l)).join('\n').trim();
}

export interface Counts { passed: number; failed: number; skipped: number; xfail: number; xpass: number; flaky: number }

export function countOutcomes(results: ScenarioResult[]): Counts {
  const c: Counts = { passed: 0, failed: 0, skipped: 0, xfail: 0, xpass: 0, flaky: 0 };
  for (const r of results) c[r.outcome]++;
  return c;
}
