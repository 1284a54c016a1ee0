// The end of a run (or of a merge of shards): the summary and JUnit files, what failed and why,
// and the closing lines, of which the last is always "N passed, N failed, N skipped".
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderJunit } from './junit';
import type { Summary } from './reports';
import { Counts, ScenarioResult } from './results';

/** summary.json and junit.xml into a report folder. */
export function writeSummaryFiles(dir: string, summary: Summary): void {
  fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify(summary, null, 2));
  fs.writeFileSync(path.join(dir, 'junit.xml'), renderJunit(summary));
}

const indent = (text: string, lines = 8) => text.split('\n').slice(0, lines).join('\n  ');

export function printResults(results: ScenarioResult[]): void {
  // Skips are preconditions, not failures: say why, once per reason.
  const reasons = new Map<string, number>();
  for (const r of results) if (r.outcome === 'skipped') reasons.set(r.skipReason ?? 'skipped', (reasons.get(r.skipReason ?? 'skipped') ?? 0) + 1);
  for (const [reason, n] of reasons) process.stdout.write(`skipped ${n}: ${reason}\n`);
  for (const r of results) {
    if (r.outcome === 'failed') {
      process.stdout.write(`\nFAILED ${r.uri}:${r.line} ${r.name}\n  ${indent(r.error ?? '')}\n`);
    } else if (r.outcome === 'xpass') {
      process.stdout.write(`\nNOW PASSES ${r.uri}:${r.line} ${r.name}\n  expected to fail because: ${r.expectedReason}\n  remove it from the expectations file\n`);
    } else if (r.outcome === 'flaky') {
      process.stdout.write(`\nFLAKY ${r.uri}:${r.line} ${r.name}\n  passed on attempt ${r.attempts}; attempt 1 failed:\n  ${indent(r.retriedErrors?.[0] ?? '', 4)}\n`);
    }
  }
}

/** The closing lines; returns the exit status: 1 if anything failed unexpectedly (xpass too, under --strict). */
export function printCounts(counts: Counts, strict: boolean): number {
  if (counts.xfail) process.stdout.write(`${counts.xfail} failed as the expectations file says\n`);
  if (counts.xpass) process.stdout.write(`${counts.xpass} expected to fail but passed: the expectations file is out of date${strict ? ' (--strict: that fails the run)' : ''}\n`);
  if (counts.flaky) process.stdout.write(`${counts.flaky} flaky: passed only on a retry\n`);
  const failed = counts.failed + (strict ? counts.xpass : 0);
  process.stdout.write(`${counts.passed} passed, ${failed} failed, ${counts.skipped} skipped\n`);
  return failed === 0 ? 0 : 1;
}
