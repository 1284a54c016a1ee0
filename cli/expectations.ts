// Expectations: the scenarios an adapter is known to fail, each with the reason. The run
// passes when reality matches the file: a new failure fails it, and so does an expected
// failure that now passes (the file must then be updated). --update-expectations writes the
// file from a run; what it adds carries a placeholder reason that every later run refuses.
import * as fs from 'node:fs';
import { UsageError } from './args';
import { compareVersions, parseVersion } from '../step_definitions/support/applicability';

/**
 * One expected failure. `versions`, when given, limits it to the Python versions the adapter
 * implements that satisfy every comparison in it (`">=3.12.0 <3.12.3"`): a deviation that one
 * interpreter's releases have and others do not.
 */
export interface Expectation { scenario: string; reason: string; versions?: string }

/** The reason --update-expectations gives a new entry; a run refuses the file until a person replaces it. */
export const PLACEHOLDER_REASON = 'TODO: why does this loop fail this scenario?';

const COMPARISON = /^(>=|<=|>|<|==)(\d+\.\d+(?:\.\d+)?)$/;

/** Whether `version` satisfies a `versions` condition. */
export function versionsMatch(condition: string, version: string): boolean {
  const v = parseVersion(version);
  return condition.trim().split(/\s+/).every((part) => {
    const m = COMPARISON.exec(part)!;
    const c = compareVersions(v, parseVersion(m[2]));
    return m[1] === '>=' ? c >= 0 : m[1] === '<=' ? c <= 0 : m[1] === '>' ? c > 0 : m[1] === '<' ? c < 0 : c === 0;
  });
}

/** The expectations that hold for an adapter implementing this Python version. */
export function expectationsFor(all: Expectation[], version: string, file: string): Map<string, Expectation> {
  const out = new Map<string, Expectation>();
  for (const e of all) {
    if (e.versions !== undefined && !versionsMatch(e.versions, version)) continue;
    if (out.has(e.scenario)) throw new UsageError(`the expectations file ${file}: "${e.scenario}" is listed twice for Python ${version}`);
    out.set(e.scenario, e);
  }
  return out;
}

/**
 * Reads and checks an expectations file; every entry, whatever its `versions`. An entry whose
 * reason is still the placeholder is refused unless `forUpdate` (--update-expectations keeps
 * it); with `forUpdate` a missing file is an empty one, to be created.
 */
export function loadExpectations(file: string, knownScenarios: Set<string>, forUpdate = false): Expectation[] {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (forUpdate && (err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new UsageError(`cannot read the expectations file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch (err) {
    throw new UsageError(`the expectations file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  const list = (doc as { expected_failures?: unknown })?.expected_failures;
  if (typeof doc !== 'object' || doc === null || !Array.isArray(list)) {
    throw new UsageError(`the expectations file ${file} must be an object with an "expected_failures" list`);
  }
  const out: Expectation[] = [];
  const unconditional = new Set<string>();
  list.forEach((e: unknown, i: number) => {
    const entry = e as Partial<Expectation>;
    if (typeof entry?.scenario !== 'string' || typeof entry.reason !== 'string' || entry.reason.trim() === '') {
      throw new UsageError(`the expectations file ${file}: entry ${i + 1} needs a "scenario" and a non-empty "reason"`);
    }
    if (!forUpdate && entry.reason === PLACEHOLDER_REASON) {
      throw new UsageError(`the expectations file ${file}: entry ${i + 1} ("${entry.scenario}") still has the placeholder reason; write why the loop fails it`);
    }
    if (!knownScenarios.has(entry.scenario)) {
      throw new UsageError(`the expectations file ${file}: entry ${i + 1} names no scenario of the features: "${entry.scenario}"`);
    }
    if (entry.versions !== undefined && (typeof entry.versions !== 'string' || !entry.versions.trim().split(/\s+/).every((p) => COMPARISON.test(p)))) {
      throw new UsageError(`the expectations file ${file}: entry ${i + 1} has "versions" ${JSON.stringify(entry.versions)}; write comparisons such as ">=3.12.0 <3.12.3"`);
    }
    if (entry.versions === undefined) {
      if (unconditional.has(entry.scenario)) throw new UsageError(`the expectations file ${file}: "${entry.scenario}" is listed twice`);
      unconditional.add(entry.scenario);
    }
    out.push({ scenario: entry.scenario, reason: entry.reason, ...(entry.versions === undefined ? {} : { versions: entry.versions }) });
  });
  return out;
}

export interface ExpectationsUpdate { added: string[]; removed: string[] }

/**
 * --update-expectations: rewrites the file so that it matches a run. Every entry is kept as
 * written (reason, order, other keys) except those that hold for this Python version and now
 * pass (stale: removed); each unexpected failure is appended, in the run's scenario order, with
 * the placeholder reason. 2-space JSON, so that the diff is the change.
 */
export function updateExpectations(file: string, version: string, nowFailing: string[], nowPassing: Set<string>): ExpectationsUpdate {
  let doc: { expected_failures: Array<Record<string, unknown>> } & Record<string, unknown> = { expected_failures: [] };
  if (fs.existsSync(file)) doc = JSON.parse(fs.readFileSync(file, 'utf8')); // checked by loadExpectations
  const applies = (e: Record<string, unknown>) => e.versions === undefined || versionsMatch(String(e.versions), version);
  const removed = doc.expected_failures.filter((e) => applies(e) && nowPassing.has(String(e.scenario))).map((e) => String(e.scenario));
  const kept = doc.expected_failures.filter((e) => !(applies(e) && nowPassing.has(String(e.scenario))));
  const listed = new Set(kept.filter(applies).map((e) => String(e.scenario)));
  const added = [...new Set(nowFailing)].filter((id) => !listed.has(id));
  doc.expected_failures = [...kept, ...added.map((scenario) => ({ scenario, reason: PLACEHOLDER_REASON }))];
  fs.writeFileSync(file, JSON.stringify(doc, null, 2) + '\n');
  return { added, removed };
}
