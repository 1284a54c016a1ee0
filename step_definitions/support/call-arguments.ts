// A call's arguments as a scenario writes them, in Python's own spelling:
//   "localhost", 80, family=AF_INET6
//   ("127.0.0.1", 80), NI_NUMERICHOST | NI_NUMERICSERV
//   P, ["127.0.0.1", "::1"], PORT, reuse_port=True
//   S, b"abc"
// Strings, bytes (b"...", as UTF-8), ints, floats, None, True and False, tuples, lists, keyword arguments, and names: the
// scenario's own (a protocol, a server, a port it noted) or the socket module's constants (their
// values are the driver's: each runtime has its own), constants or-ed with `|`.
import { py, Value } from './values';

/** A parsed argument before the constants are looked up. */
type Arg =
  | { kind: 'literal'; value: Value }
  | { kind: 'names'; names: string[] }
  | { kind: 'tuple' | 'list'; items: Arg[] };

export interface ParsedCall { args: Arg[]; kwargs: Record<string, Arg> }

const TOKEN = /\s*(?:(b?"(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|([()[\],=|]))/y;

function tokens(text: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(text);
    if (!m) throw new Error(`cannot read the arguments ${JSON.stringify(text)} at ${JSON.stringify(text.slice(TOKEN.lastIndex))}`);
    out.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
  }
  return out;
}

/** Reads `text` as a Python argument list. */
export function parseCall(text: string): ParsedCall {
  const toks = tokens(text);
  let at = 0;
  const peek = (): string | undefined => toks[at];
  const take = (want?: string): string => {
    const t = toks[at++];
    if (t === undefined || (want !== undefined && t !== want)) throw new Error(`in the arguments ${JSON.stringify(text)}: expected ${want ?? 'more'}, got ${t ?? 'the end'}`);
    return t;
  };
  const value = (): Arg => {
    const t = take();
    if (t === '(' || t === '[') {
      const close = t === '(' ? ')' : ']';
      const items: Arg[] = [];
      while (peek() !== close) {
        items.push(value());
        if (peek() === ',') take(',');
      }
      take(close);
      return { kind: t === '(' ? 'tuple' : 'list', items };
    }
    if (t.startsWith('"')) return { kind: 'literal', value: JSON.parse(t) as string };
    if (t.startsWith('b"')) return { kind: 'literal', value: py.bytes(Buffer.from(JSON.parse(t.slice(1)) as string)) };
    if (/^-?\d+$/.test(t)) return { kind: 'literal', value: Number(t) };
    if (/^-?\d+\.\d+$/.test(t)) return { kind: 'literal', value: py.float(Number(t)) };
    if (t === 'None') return { kind: 'literal', value: null };
    if (t === 'True' || t === 'False') return { kind: 'literal', value: t === 'True' };
    if (!/^[A-Z][A-Z0-9_]*$/.test(t)) throw new Error(`in the arguments ${JSON.stringify(text)}: ${t} is not a value`);
    const names = [t];
    while (peek() === '|') {
      take('|');
      names.push(take());
    }
    return { kind: 'names', names };
  };
  const call: ParsedCall = { args: [], kwargs: {} };
  while (at < toks.length) {
    if (/^[a-z_]+$/.test(toks[at]) && toks[at + 1] === '=') {
      const name = take();
      take('=');
      call.kwargs[name] = value();
    } else {
      if (Object.keys(call.kwargs).length > 0) throw new Error(`in the arguments ${JSON.stringify(text)}: a positional argument after a keyword one`);
      call.args.push(value());
    }
    if (at < toks.length) take(',');
  }
  return call;
}

/**
 * The call's values. `name(n)` gives what a name stands for: the scenario's object or value, or
 * a constant of the driver's socket module (an int, or-ed with the others of a `|`).
 */
export async function callValues(call: ParsedCall, name: (n: string) => Promise<Value>): Promise<{ args: Value[]; kwargs: Record<string, Value> }> {
  const resolve = async (a: Arg): Promise<Value> => {
    if (a.kind === 'literal') return a.value;
    if (a.kind !== 'names') {
      const items = await Promise.all(a.items.map(resolve));
      return a.kind === 'tuple' ? py.tuple(items) : items;
    }
    if (a.names.length === 1) return name(a.names[0]);
    let bits = 0;
    for (const n of a.names) {
      const v = await name(n);
      if (typeof v !== 'number') throw new Error(`${a.names.join(' | ')}: ${n} is not an int constant`);
      bits |= v;
    }
    return bits;
  };
  const args = [];
  for (const a of call.args) args.push(await resolve(a));
  const kwargs: Record<string, Value> = {};
  for (const [k, a] of Object.entries(call.kwargs)) kwargs[k] = await resolve(a);
  return { args, kwargs };
}
