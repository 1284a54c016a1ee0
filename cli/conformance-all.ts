// `npm run conformance:all`: the main job on every loop this machine has — the reference loop,
// every CPython 3.7-3.13 under $(pyenv root)/versions, PyPy3, Debian's python3 with asyncio,
// uvloop and gbulb — each with its expectations file, two at a time (this machine's cores).
// A loop that is not installed is skipped with a note. Each run writes reports/<adapter-id>/
// and adds its column to reports/matrix.md; the exit status is 1 if any run failed.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from '../adapters/adapter-spec';

interface Adapter { label: string; args: string[]; needs?: string; module?: string }

const EXPECTATIONS = path.join('adapters', 'python', 'expectations');
const CPYTHON = path.join(EXPECTATIONS, 'cpython.json');
/** The CPython versions the Python driver supports. */
const SUPPORTED = /^3\.(7|8|9|10|11|12|13)\.\d+$/;

function pyenvPythons(): Adapter[] {
  const root = process.env.PYENV_ROOT ?? path.join(os.homedir(), '.pyenv');
  let versions: string[] = [];
  try {
    versions = fs.readdirSync(path.join(root, 'versions')).filter((v) => SUPPORTED.test(v));
  } catch {
    process.stdout.write(`note: no pyenv versions under ${root}\n`);
  }
  const byVersion = (a: string, b: string) => a.split('.').map(Number).reduce((d, n, i) => d || n - Number(b.split('.')[i]), 0);
  return versions.sort(byVersion).map((v) => ({ label: `CPython ${v}`, args: ['--python', path.join(root, 'versions', v, 'bin', 'python3'), '--expectations', CPYTHON], needs: path.join(root, 'versions', v, 'bin', 'python3') }));
}

function adapters(): Adapter[] {
  return [
    { label: 'the reference loop', args: [] },
    ...pyenvPythons(),
    { label: 'PyPy3', args: ['--python', '/usr/bin/pypy3', '--expectations', CPYTHON], needs: '/usr/bin/pypy3' },
    { label: "Debian's python3, asyncio", args: ['--python', '/usr/bin/python3', '--expectations', CPYTHON], needs: '/usr/bin/python3' },
    { label: "Debian's python3, uvloop", args: ['--python', '/usr/bin/python3', '--loop', 'uvloop:new_event_loop', '--expectations', path.join(EXPECTATIONS, 'uvloop-0.17.json')], needs: '/usr/bin/python3', module: 'uvloop' },
    { label: "Debian's python3, gbulb", args: ['--python', '/usr/bin/python3', '--loop', 'gbulb:GLibEventLoop', '--timeout', '2', '--expectations', path.join(EXPECTATIONS, 'gbulb-0.6.json')], needs: '/usr/bin/python3', module: 'gbulb' },
  ];
}

/** Why an adapter cannot run here, or undefined. */
function missing(a: Adapter): string | undefined {
  if (a.needs && !fs.existsSync(a.needs)) return `${a.needs} is not installed`;
  return undefined;
}

function run(a: Adapter): Promise<{ code: number; last: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'loopspec.js'), ...a.args, '--strict'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    // The run's last line ("N passed, ..."), or its one-line error on stderr.
    const lastLine = (text: string): string => text.trim().split('\n').pop() ?? '';
    child.on('close', (code) => resolve({ code: code ?? 1, last: lastLine(out) || lastLine(err) }));
  });
}

async function main(): Promise<number> {
  const todo = adapters();
  let failed = 0;
  const queue = [...todo];
  const worker = async (): Promise<void> => {
    for (let a = queue.shift(); a; a = queue.shift()) {
      const why = missing(a);
      if (why) {
        process.stdout.write(`skipped ${a.label}: ${why}\n`);
        continue;
      }
      const r = await run(a);
      // A loop module that is not installed is a one-line load error (exit 2): a note, not a failure.
      if (r.code === 2 && a.module) {
        process.stdout.write(`skipped ${a.label}: ${r.last}\n`);
        continue;
      }
      if (r.code !== 0) failed++;
      process.stdout.write(`${r.code === 0 ? 'ok  ' : 'FAIL'} ${a.label}: ${r.last}\n`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(2, os.availableParallelism())) }, worker));
  process.stdout.write(`reports/matrix.md: every run side by side\n${failed === 0 ? 'every loop passed' : `${failed} loop(s) failed`}\n`);
  return failed === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (err) => {
  process.stderr.write(`conformance:all: ${(err as Error).message}\n`);
  process.exit(2);
});
