// The main job on the adapters the kit is judged on: each passes, with an expectations
// file for the real loops' documented deviations (a new failure or an unexpected pass fails).
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as os from 'node:os';
import * as path from 'node:path';
import { CPYTHON_312, DEBIAN_PYTHON, lastLine, loopspec } from './helpers';

const pyenv = (version: string): string => path.join(process.env.PYENV_ROOT ?? path.join(os.homedir(), '.pyenv'), `versions/${version}/bin/python3`);
const CPYTHON = 'adapters/python/expectations/cpython.json';

const runs: Array<[string, string[]]> = [
  ['the reference loop', []],
  ['CPython 3.12', ['--python', CPYTHON_312, '--expectations', CPYTHON]],
  // The oldest and the newest CPython the driver supports, and PyPy (Debian's pypy3, Python 3.9).
  ['CPython 3.7', ['--python', pyenv('3.7.16'), '--expectations', CPYTHON]],
  ['CPython 3.13', ['--python', pyenv('3.13.0'), '--expectations', CPYTHON]],
  ['PyPy3', ['--python', '/usr/bin/pypy3', '--expectations', CPYTHON]],
  ['uvloop on Debian\'s python3', ['--python', DEBIAN_PYTHON, '--loop', 'uvloop:new_event_loop', '--expectations', 'adapters/python/expectations/uvloop-0.17.json']],
  // gbulb forgets an early stop(): those scenarios time out, so a short limit keeps the run quick.
  ['gbulb on Debian\'s python3', ['--python', DEBIAN_PYTHON, '--loop', 'gbulb:GLibEventLoop', '--timeout', '2', '--expectations', 'adapters/python/expectations/gbulb-0.6.json']],
];

for (const [name, args] of runs) {
  // --strict: an expected failure that now passes fails the test, so the files only shrink.
  test(`every feature passes on ${name}`, async () => {
    const run = await loopspec([...args, '--parallel', '2', '--strict']);
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(lastLine(run.stdout), /^\d+ passed, 0 failed, \d+ skipped$/);
  });
}
