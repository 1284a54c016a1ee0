// The loops `loopspec matrix` runs when no --config says otherwise: the reference loop, every
// CPython 3.7-3.13 under $(pyenv root)/versions, PyPy3, and Debian's python3 with asyncio, uvloop
// and gbulb, each with its expectations file. Which are installed is found out when they run.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from '../adapters/adapter-spec';

/** One adapter of the matrix: a name for messages and the loopspec arguments of its run. */
export interface MatrixAdapter {
  name: string;
  args: string[];
  /** A file the adapter cannot run without (its interpreter): missing, it is skipped with a note. */
  needs?: string;
  /**
   * The adapter loads a loop module that may not be installed: its run then ends in a one-line
   * load error (exit 2), which is a note, not a failure.
   */
  loadsLoop?: boolean;
}

const EXPECTATIONS = path.join(ROOT, 'adapters', 'python', 'expectations');
const CPYTHON = path.join(EXPECTATIONS, 'cpython.json');
/** The CPython versions the Python driver supports. */
const SUPPORTED = /^3\.(7|8|9|10|11|12|13)\.\d+$/;

export function pyenvRoot(): string {
  return process.env.PYENV_ROOT ?? path.join(os.homedir(), '.pyenv');
}

/** "3.10.13" after "3.9.18": versions compared number by number. */
export function byVersion(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

function pyenvPythons(notes: string[]): MatrixAdapter[] {
  const root = pyenvRoot();
  let versions: string[] = [];
  try {
    versions = fs.readdirSync(path.join(root, 'versions')).filter((v) => SUPPORTED.test(v));
  } catch {
    notes.push(`no pyenv versions under ${root}`);
  }
  return versions.sort(byVersion).map((v) => {
    const python = path.join(root, 'versions', v, 'bin', 'python3');
    return { name: `CPython ${v}`, args: ['--python', python, '--expectations', CPYTHON], needs: python };
  });
}

/** This machine's loops, and notes on what could not even be looked for. */
export function loopsOfThisMachine(): { adapters: MatrixAdapter[]; notes: string[] } {
  const notes: string[] = [];
  const adapters: MatrixAdapter[] = [
    { name: 'the reference loop', args: [] },
    ...pyenvPythons(notes),
    { name: 'PyPy3', args: ['--python', '/usr/bin/pypy3', '--expectations', CPYTHON], needs: '/usr/bin/pypy3' },
    { name: "Debian's python3, asyncio", args: ['--python', '/usr/bin/python3', '--expectations', CPYTHON], needs: '/usr/bin/python3' },
    { name: "Debian's python3, uvloop", args: ['--python', '/usr/bin/python3', '--loop', 'uvloop:new_event_loop', '--expectations', path.join(EXPECTATIONS, 'uvloop-0.17.json')], needs: '/usr/bin/python3', loadsLoop: true },
    // gbulb's hung requests are the slow part of its run: a shorter limit keeps the run short.
    { name: "Debian's python3, gbulb", args: ['--python', '/usr/bin/python3', '--loop', 'gbulb:GLibEventLoop', '--timeout', '2', '--expectations', path.join(EXPECTATIONS, 'gbulb-0.6.json')], needs: '/usr/bin/python3', loadsLoop: true },
  ];
  return { adapters, notes };
}
