// The glossary: parameter types every step shares. Their names are the doc's vocabulary.
import { defineParameterType } from '@cucumber/cucumber';

// Note on regular-expression steps: cucumber-js drops capture groups nested in an optional
// group that did not match, so optional parts of a step are captured whole and read in code.

/** A callback's name in a scenario: A, B, LONG, T. */
export const CALLBACK = /[A-Z][A-Z0-9]*/;

/** "A", "A and B", "A, B and C" */
export function parseNames(text: string | string[]): string[] {
  if (Array.isArray(text)) return text; // already read by the {callbacks} parameter type
  return text.split(/, | and /).map((s) => s.trim()).filter(Boolean);
}

/** Positional arguments as JSON values: 1, "two", 3.5, true, null */
export function parseValues(text: string): unknown[] {
  try {
    return JSON.parse(`[${text}]`) as unknown[];
  } catch {
    throw new Error(`arguments must be JSON values separated by commas, got: ${text}`);
  }
}

defineParameterType({
  name: 'callback',
  regexp: CALLBACK,
  transformer: (s: string) => s,
});

defineParameterType({
  name: 'callbacks',
  regexp: /[A-Z][A-Z0-9]*(?:(?:, | and )[A-Z][A-Z0-9]*)*/,
  transformer: parseNames,
});

defineParameterType({
  name: 'exception',
  regexp: /[A-Z][A-Za-z]*(?:Error|Exception|Warning)/,
  transformer: (s: string) => s,
});

defineParameterType({
  name: 'size',
  regexp: /\d+ (?:bytes|KiB|MiB)/,
  transformer: (s: string) => {
    const [n, unit] = s.split(' ');
    return Number(n) * (unit === 'MiB' ? 1024 * 1024 : unit === 'KiB' ? 1024 : 1);
  },
});

/** A duration as the scenario says it: "0.2 seconds", "1 second", "30 days". */
export function seconds(amount: string, unit: string): number {
  return Number(amount) * (unit.startsWith('day') ? 86400 : 1);
}

/**
 * Fails the step with `message` unless `condition` holds. A plain Error, so that reports show
 * the sentence (cucumber renders an AssertionError as a bare true/false diff).
 */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}
