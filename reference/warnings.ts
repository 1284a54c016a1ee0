/**
 * warnings.warn() for the reference loop: a warning is its category (a Python warning class
 * name and its bases) and a message. It goes to stderr, and to whoever is catching warnings
 * (catchWarnings(), as Python's warnings.catch_warnings(record=True)): the reference driver
 * reports the warnings each call raised.
 */

export interface Warning { type: string; bases: string[]; message: string }

/** The categories the reference loop issues, with their Python bases. */
export const RuntimeWarning = { type: 'RuntimeWarning', bases: ['Warning', 'Exception', 'BaseException', 'object'] };
export const DeprecationWarning = { type: 'DeprecationWarning', bases: ['Warning', 'Exception', 'BaseException', 'object'] };
export const ResourceWarning = { type: 'ResourceWarning', bases: ['Warning', 'Exception', 'BaseException', 'object'] };

let caught: Warning[] | null = null;

/** warnings.warn(message, category) */
export function warn(category: { type: string; bases: string[] }, message: string): void {
  const warning = { ...category, message };
  if (caught !== null) caught.push(warning);
  process.stderr.write(`${category.type}: ${message}\n`);
}

/** Runs fn and returns what it returned with the warnings issued meanwhile (in order). */
export function catchWarnings<R>(fn: () => R): { result: R; warnings: Warning[] } {
  const outer = caught;
  const mine: Warning[] = [];
  caught = mine;
  try {
    const result = fn();
    return { result, warnings: mine };
  } finally {
    outer?.push(...mine);
    caught = outer;
  }
}
