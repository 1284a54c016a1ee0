/**
 * A callback spec as a function the reference loop's executor can run on a worker thread
 * (reference/executor.ts): JavaScript threads share no objects, so what crosses is the spec's
 * data, its actions block, return and raise, which a worker performs alone. The callable the
 * driver makes from a spec (driver.ts, makeCallback) carries this work as its `work`, and its
 * `workStarted` logs the "called" event, with "thread": "other", when the outcome arrives.
 */
import { stringify } from './pyjson';

type Json = Record<string, unknown>;
type Work = import('../../reference').Work;
type WorkAction = import('../../reference').WorkAction;

/** What a worker can do with a spec's values: they are cloned to it, so only plain data. */
function isPlain(value: unknown): boolean {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  return Array.isArray(value) && value.every(isPlain);
}

/**
 * The work of a spec, or undefined when one of its actions needs the loop's thread (stop,
 * schedule, cancel, call): such a function cannot run in the reference's executor. Values are
 * decoded now, on the loop's thread; `checkException` throws for a class the loop lacks.
 */
export function workOf(
  name: string,
  actions: Json[],
  decode: (value: unknown) => unknown,
  checkException: (name: unknown) => unknown,
  ProtocolError: new (m: string) => Error,
): Work | undefined {
  const out: WorkAction[] = [];
  for (const action of actions) {
    switch (action.do) {
      case 'block':
        out.push({ do: 'block', seconds: Number(action.seconds) });
        break;
      case 'return': {
        const value = decode(action.value);
        if (!isPlain(value)) {
          throw new ProtocolError(`function ${name} runs on another thread, where the reference's functions return plain values only (None, bool, int, float, str, list), not ${stringify(action.value)}`);
        }
        out.push({ do: 'return', value });
        break;
      }
      case 'raise':
        checkException(action.exception);
        out.push({ do: 'raise', exception: String(action.exception), args: ((action.args as unknown[] | undefined) ?? []).map(String) });
        break;
      default:
        return undefined;
    }
  }
  return { name, actions: out };
}
