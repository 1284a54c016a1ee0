// Expectations: the scenarios an adapter is known to fail, each with the reason. The run
// passes when reality matches the file: a new failure fails it, and so does an expected
// failure that now passes (the file must then be updated).
import * as fs from 'node:fs';
import { UsageError } from './args';

export interface Expectation { scenario: string; reason: string }

export function loadExpectations(file: string, knownScenarios: Set<string>): Map<string, Expectation> {
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
  const out = new Map<string, Expectation>();
  list.forEach((e: unknown, i: number) => {
    const entry = e as Partial<Expectation>;
    if (typeof entry?.scenario !== 'string' || typeof entry.reason !== 'string' || entry.reason.trim() === '') {
      throw new UsageError(`the expectations file ${file}: entry ${i + 1} needs a "scenario" and a non-empty "reason"`);
    }
    if (!knownScenarios.has(entry.scenario)) {
      throw new UsageError(`the expectations file ${file}: entry ${i + 1} names no scenario of the features: "${entry.scenario}"`);
    }
    if (out.has(entry.scenario)) throw new UsageError(`the expectations file ${file}: "${entry.scenario}" is listed twice`);
    out.set(entry.scenario, { scenario: entry.scenario, reason: entry.reason });
  });
  return out;
}
