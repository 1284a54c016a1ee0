// `loopspec matrix --config FILE`: the adapters to run instead of this machine's loops, as JSON:
//   { "adapters": [ { "name": "the reference loop", "reference": true },
//                   { "name": "uvloop", "python": "/usr/bin/python3", "loop": "uvloop:new_event_loop",
//                     "expectations": "uvloop.json", "timeout": 2 } ] }
// Relative paths (and a leading ~/) are read from the config file's folder, as a file kept
// beside its expectations would expect. Anything malformed is one UsageError line.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FACTORY, UsageError } from './args';
import { MatrixAdapter } from './loops-of-this-machine';

const KEYS = ['name', 'reference', 'python', 'loop', 'driver', 'expectations', 'timeout'];

function resolvePath(p: string, dir: string): string {
  if (p.startsWith('~/')) return path.join(os.homedir(), p.slice(2));
  return path.resolve(dir, p);
}

function adapterOf(raw: unknown, i: number, dir: string, where: string): MatrixAdapter {
  const at = `${where}: adapter ${i + 1}`;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new UsageError(`${at} is not an object`);
  const a = raw as Record<string, unknown>;
  const unknown = Object.keys(a).find((k) => !KEYS.includes(k));
  if (unknown !== undefined) throw new UsageError(`${at}: unknown key "${unknown}" (known: ${KEYS.join(', ')})`);
  const text = (k: string): string | undefined => {
    if (a[k] === undefined) return undefined;
    if (typeof a[k] !== 'string' || !(a[k] as string).trim()) throw new UsageError(`${at}: "${k}" must be a non-empty string`);
    return a[k] as string;
  };
  const name = text('name');
  if (name === undefined) throw new UsageError(`${at} has no "name"`);
  const python = text('python');
  const loop = text('loop');
  const driver = text('driver');
  const expectations = text('expectations');
  if (a.reference !== undefined && a.reference !== true) throw new UsageError(`${at} ("${name}"): "reference" can only be true`);
  const kinds = [a.reference === true && 'reference', python !== undefined && 'python', driver !== undefined && 'driver'].filter(Boolean);
  if (kinds.length !== 1) throw new UsageError(`${at} ("${name}") needs exactly one of "reference": true, "python" or "driver"`);
  if (loop !== undefined && python === undefined) throw new UsageError(`${at} ("${name}"): "loop" needs "python"`);
  if (loop !== undefined && !FACTORY.test(loop)) throw new UsageError(`${at} ("${name}"): "loop" must look like module:factory, got "${loop}"`);
  if (a.timeout !== undefined && (typeof a.timeout !== 'number' || !(a.timeout > 0))) throw new UsageError(`${at} ("${name}"): "timeout" must be a number of seconds above 0`);
  // An interpreter given as a path must exist; a bare command ("python3") is looked up on PATH.
  const interpreter = python !== undefined && python.includes('/') ? resolvePath(python, dir) : python;
  const args: string[] = [];
  if (interpreter !== undefined) args.push('--python', interpreter);
  if (loop !== undefined) args.push('--loop', loop);
  if (driver !== undefined) args.push('--driver', driver);
  if (expectations !== undefined) args.push('--expectations', resolvePath(expectations, dir));
  if (a.timeout !== undefined) args.push('--timeout', String(a.timeout));
  return {
    name, args,
    // A listed interpreter that is not here is skipped with a note, as this machine's loops are;
    // a listed loop that does not load is a failure: the list says it should.
    ...(interpreter !== undefined && interpreter.includes('/') ? { needs: interpreter } : {}),
  };
}

export function loadMatrixConfig(file: string): MatrixAdapter[] {
  const where = `--config ${file}`;
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(`${where}: ${e.code ? `cannot read it (${e.code})` : `not JSON: ${e.message.split('\n')[0]}`}`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new UsageError(`${where}: must be an object with "adapters"`);
  const unknown = Object.keys(raw).find((k) => k !== 'adapters');
  if (unknown !== undefined) throw new UsageError(`${where}: unknown key "${unknown}" (known: adapters)`);
  const list = (raw as { adapters?: unknown }).adapters;
  if (!Array.isArray(list) || list.length === 0) throw new UsageError(`${where}: "adapters" must be a list of at least one adapter`);
  const adapters = list.map((a, i) => adapterOf(a, i, path.dirname(path.resolve(file)), where));
  const seen = new Set<string>();
  for (const a of adapters) {
    if (seen.has(a.name)) throw new UsageError(`${where}: two adapters are named "${a.name}"`);
    seen.add(a.name);
  }
  return adapters;
}
