/**
 * contextvars for the reference loop (PEP 567): ContextVar, Context, copy_context(). Each
 * callback runs in a Context: the one given to call_soon()/call_later()/call_at() as
 * `context`, or a copy of the context current when it was scheduled.
 * https://docs.python.org/3/library/contextvars.html
 *
 * A Context's mapping is never changed in place: set() replaces it, so a copy is the same
 * mapping shared until one side sets a variable (what CPython's HAMT gives in O(1)).
 */
import { LookupError, RuntimeError } from './errors';

type Vars = ReadonlyMap<ContextVar, unknown>;
const EMPTY: Vars = new Map();

/** "Return the context object for the current thread" (the loop's thread). */
let current: Context;

/** contextvars.Context: a mapping of ContextVars to their values. */
export class Context {
  private entered = false;

  constructor(public vars: Vars = EMPTY) {}

  /**
   * "Execute callable(*args) code in the context object the run method is called on. Return
   * the result of the execution or propagate an exception if one occurred."
   */
  run<A extends unknown[], R>(callable: (...args: A) => R, ...args: A): R {
    if (this.entered) throw new RuntimeError('cannot enter context: it is already entered');
    const outer = current;
    this.entered = true;
    current = this;
    try {
      return callable(...args);
    } finally {
      current = outer;
      this.entered = false;
    }
  }

  /** "Return the value for var if var has the value in the context object. Return default otherwise." */
  get(variable: ContextVar, dflt: unknown = null): unknown {
    return this.vars.has(variable) ? this.vars.get(variable) : dflt;
  }

  /** "Return a shallow copy of the context object." */
  copy(): Context {
    return new Context(this.vars);
  }
}

current = new Context();

/** contextvars.copy_context(): "Returns a copy of the current Context object." */
export function copyContext(): Context {
  return new Context(current.vars);
}

/**
 * Runs fn(...args) in a copy of a context whose mapping was `vars` (what a Handle without an
 * explicit context does: CPython runs it in the copy_context() made when it was scheduled).
 * The copy is one reused Context whose mapping is reset for each run, so a callback that sets a
 * variable changes only its own copy, and running a callback allocates nothing.
 */
export function runInCopyOf<R>(vars: Vars, fn: (...args: unknown[]) => R, args: readonly unknown[]): R {
  const outer = current;
  const saved = scratch.vars;
  scratch.vars = vars;
  current = scratch;
  try {
    return fn(...args);
  } finally {
    current = outer;
    scratch.vars = saved;
  }
}

const scratch = new Context();

/** The mapping of the current context, for a Handle to run in a copy of later. */
export function currentVars(): Vars {
  return current.vars;
}

/** contextvars.ContextVar(name, *, default): "This class is used to declare a new Context Variable". */
export class ContextVar {
  private readonly hasDefault: boolean;

  constructor(readonly name: string, private readonly defaultValue?: unknown) {
    this.hasDefault = arguments.length > 1;
  }

  /**
   * "Return a value for the context variable for the current context. If there is no value for
   * the variable in the current context, the method will: return the value of the default
   * argument of the method, if provided; or return the default value for the context variable,
   * if it was created with one; or raise a LookupError."
   */
  get(...dflt: unknown[]): unknown {
    const vars = current.vars;
    if (vars.has(this)) return vars.get(this);
    if (dflt.length > 0) return dflt[0];
    if (this.hasDefault) return this.defaultValue;
    throw new LookupError(`<ContextVar name='${this.name}'>`);
  }

  /** "Call to set a new value for the context variable in the current context." */
  set(value: unknown): void {
    current.vars = new Map(current.vars).set(this, value);
  }

  toString(): string {
    return `<ContextVar name='${this.name}'>`;
  }
}
