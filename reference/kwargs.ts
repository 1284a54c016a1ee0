/**
 * Keyword arguments after *args, the way Python passes them: `call_soon(callback, *args,
 * context=None)` has a keyword-only parameter after a variable number of positional ones,
 * which a JavaScript rest parameter cannot tell apart. A caller that has keyword arguments for
 * such a method passes them as a trailing Kwargs; the method takes them off with splitKwargs().
 */
export class Kwargs {
  constructor(readonly values: Readonly<Record<string, unknown>>) {}
}

/** Whether the arguments end with keyword arguments (the common case, none, allocates nothing). */
export function hasKwargs(args: readonly unknown[]): boolean {
  return args.length > 0 && args[args.length - 1] instanceof Kwargs;
}

/** The positional arguments and the keyword ones (empty when none were given). */
export function splitKwargs(args: readonly unknown[]): [readonly unknown[], Readonly<Record<string, unknown>>] {
  const last = args[args.length - 1];
  if (last instanceof Kwargs) return [args.slice(0, -1), last.values];
  return [args, NO_KWARGS];
}

const NO_KWARGS: Readonly<Record<string, unknown>> = Object.freeze({});
