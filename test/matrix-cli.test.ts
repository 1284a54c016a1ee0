// `loopspec matrix` on bad input: a --config file that is missing, not JSON or lists an adapter
// badly, and options that belong in it, are each one line and exit status 2 before any run
// starts; an adapter whose interpreter is not installed is skipped with a note.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lastLine, loopspec, oneLineError } from './helpers';

function config(text: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-matrix-config-')), 'adapters.json');
  fs.writeFileSync(file, text);
  return file;
}

const bad: Array<[what: string, args: () => string[], pattern: RegExp]> = [
  ['a config file that is not there', () => ['--config', '/nonexistent/adapters.json'], /^loopspec: --config \/nonexistent\/adapters\.json: cannot read it \(ENOENT\)$/],
  ['a config file that is not JSON', () => ['--config', config('{"adapters": [')], /--config .*: not JSON: /],
  ['a config without adapters', () => ['--config', config('{"adapters": []}')], /"adapters" must be a list of at least one adapter$/],
  ['an unknown key at the top', () => ['--config', config('{"adapters": [{"name": "r", "reference": true}], "parallel": 4}')], /unknown key "parallel" \(known: adapters\)$/],
  ['an unknown key in an adapter', () => ['--config', config('{"adapters": [{"name": "r", "reference": true, "pyhton": "x"}]}')], /adapter 1: unknown key "pyhton" \(known: name, reference, python, loop, driver, expectations, timeout\)$/],
  ['an adapter without a name', () => ['--config', config('{"adapters": [{"reference": true}]}')], /adapter 1 has no "name"$/],
  ['an adapter of two kinds', () => ['--config', config('{"adapters": [{"name": "r", "reference": true, "python": "python3"}]}')], /adapter 1 \("r"\) needs exactly one of "reference": true, "python" or "driver"$/],
  ['a loop without a python', () => ['--config', config('{"adapters": [{"name": "u", "driver": "x", "loop": "uvloop:new_event_loop"}]}')], /"loop" needs "python"$/],
  ['a timeout that is not a number', () => ['--config', config('{"adapters": [{"name": "r", "reference": true, "timeout": "2"}]}')], /"timeout" must be a number of seconds above 0$/],
  ['two adapters of one name', () => ['--config', config('{"adapters": [{"name": "r", "reference": true}, {"name": "r", "python": "python3"}]}')], /two adapters are named "r"$/],
  ['an adapter option on the command line', () => ['--python', '/usr/bin/python3'], /^loopspec: --python does not go with matrix: each adapter's options go in --config FILE$/],
  ['a tag expression that selects nothing', () => ['--tags', '@no-such-tag'], /no scenario matches --tags "@no-such-tag"/],
];

for (const [what, args, pattern] of bad) {
  test(`matrix: ${what} is one line and status 2`, async () => {
    oneLineError(await loopspec(['matrix', ...args()], { limitMs: 30_000 }), pattern);
  });
}

test('--config without matrix is one line and status 2', async () => {
  oneLineError(await loopspec(['--config', config('{}')], { limitMs: 30_000 }), /^loopspec: --config goes with matrix only$/);
});

test('an adapter whose interpreter is not installed is skipped with a note, and the page is still written', async () => {
  const run = await loopspec(['matrix', '--config', config('{"adapters": [{"name": "a Python that is not here", "python": "/nonexistent/bin/python3"}]}')], { limitMs: 30_000 });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /^skipped a Python that is not here: \/nonexistent\/bin\/python3 is not installed$/m);
  assert.equal(lastLine(run.stdout), '0 passed, 0 failed, 1 skipped');
  assert.ok(fs.existsSync(path.join(run.reports, 'matrix', 'index.html')));
});

test('--help names the matrix command', async () => {
  const run = await loopspec(['--help']);
  assert.match(run.stdout, /^ {2}loopspec matrix \[--config FILE\]/m);
});
