// Expectations: the scenarios an adapter is known to fail, each with the reason. The run
// passes when reality matches the file: a new failure fails it, and so does an expected
// failure that now passes (the file must then be updated).
import * as fs from 'node:fs';
import { UsageError } from './args';
import { compareVersions, parseVersion } from '../step_definitions/support/applicability';

/**
 * One expected failure. `versions`, when given, limits it to the Python versions the adapter
 * implements that satisfy every comparison in it (`">=3.12.0 <3.12.3"`): a deviation that one
 * interpreter's releases have and others do not.
 */
export interface Expectation { scenario: string; reason: string; versions?: string }

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

/** Reads and checks an expectations file; every entry, whatever its `versions`. */
export function loadExpectations(file: string, knownScenarios: Set<string>): Expectation[] {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (err) {
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
