// `loopspec matrix` on bad input: a --config file that is missing, not JSON or lists an adapter
// badly, and options that belong in it, are each one line and exit status 2 before any run
// starts; an adapter whose interpreter is not installed is skipped with a note. The pages it
// publishes are of the runs it made, and `matrix --no-run` publishes those of the runs named.
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
  assert.match(run.stdout, /^ {2}loopspec matrix --no-run \[--reports DIR\] \[RUN\.\.\.\]/m);
});

const SOON = 'features/scheduling-callbacks/loop.call_soon.feature';

/** A run's report folder as a run leaves it (summary.json only): one scenario, passed. */
function run(reports: string, id: string): string {
  const dir = path.join(reports, id);
  fs.mkdirSync(dir, { recursive: true });
  const scenario = { id: `${SOON}: three callbacks run in registration order`, uri: SOON, line: 1, name: 'three callbacks run in registration order', tags: [], status: 'passed', outcome: 'passed' };
  fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify({
    adapter: { id, kind: 'python', label: id }, implementation: { name: `impl-${id}`, version: '1.0' }, language: { name: 'python', version: '3.12.1' },
    capabilities: [], started: '', finished: '', partial: false, counts: { passed: 1 }, scenarios: [scenario],
  }));
  return dir;
}

const columns = (reports: string): string[] => JSON.parse(fs.readFileSync(path.join(reports, 'matrix.json'), 'utf8')).columns.map((c: { id: string }) => c.id);
/** The runs the spec page lists, by id. */
const specRuns = (reports: string): string[] => [...fs.readFileSync(path.join(reports, 'spec', 'index.html'), 'utf8').matchAll(/<li><b>([^<]*)<\/b>/g)].map((m) => m[1]);

test('matrix publishes the matrix and the spec page of the runs it made, not of other runs in the folder, and says what they selected', async () => {
  const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-matrix-made-'));
  run(reports, 'earlier');
  const made = await loopspec(['matrix', '--config', config('{"adapters": [{"name": "the reference loop", "reference": true}]}'), '--tags', '@loop.call_soon_threadsafe'], { reports, limitMs: 120_000 });
  assert.equal(made.code, 0, made.stdout + made.stderr);
  assert.equal(lastLine(made.stdout), '1 passed, 0 failed, 0 skipped');
  assert.match(made.stdout, /matrix\/index\.html: 1 implementation side by side/);
  assert.match(made.stdout, /spec\/index\.html: features\/ with their outcomes/);
  assert.deepEqual(columns(reports), ['reference']);
  assert.deepEqual(specRuns(reports), ['reference']);
  const data = JSON.parse(fs.readFileSync(path.join(reports, 'matrix.json'), 'utf8'));
  assert.equal(data.columns[0].selection, '--tags @loop.call_soon_threadsafe');
  assert.match(fs.readFileSync(path.join(reports, 'matrix.md'), 'utf8'), /\*\*reference\*\*: .* \(partial: --tags @loop\.call_soon_threadsafe\): .* passed of applicable, of its selection only \(\d+ of the \d+ behaviours of features\/\)/);
});

test('matrix --no-run publishes both pages from the runs named, else from every run in the folder, and runs nothing', async () => {
  const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-matrix-no-run-'));
  const [a, , c] = ['a', 'b', 'c'].map((id) => run(reports, id));
  const named = await loopspec(['matrix', '--no-run', a, path.join(c, 'summary.json')], { reports, limitMs: 30_000 });
  assert.equal(named.code, 0, named.stderr);
  assert.deepEqual(columns(reports), ['a', 'c']);
  assert.deepEqual(specRuns(reports), ['a', 'c']);
  assert.deepEqual(fs.readdirSync(reports).filter((f) => !f.startsWith('.')).sort(), ['a', 'b', 'c', 'matrix', 'matrix.json', 'matrix.md', 'spec'], 'no run made');
  const every = await loopspec(['matrix', '--no-run'], { reports, limitMs: 30_000 });
  assert.equal(every.code, 0, every.stderr);
  assert.deepEqual(columns(reports), ['a', 'b', 'c']);
  assert.deepEqual(specRuns(reports), ['a', 'b', 'c']);
});

test('matrix --no-run on bad input is one line and status 2', async () => {
  const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-matrix-no-run-bad-'));
  const a = run(reports, 'a');
  const twin = run(path.join(reports, 'elsewhere'), 'a');
  fs.writeFileSync(path.join(reports, 'foreign.json'), '{"name": "not a summary"}');
  const cases: Array<[string[], RegExp]> = [
    [[path.join(reports, 'missing')], /^loopspec: matrix --no-run: no such run .*missing \(give a report folder such as reports\/reference, or its summary\.json\)$/],
    [[reports], /^loopspec: matrix --no-run: the folder .* holds no summary\.json/],
    [[path.join(reports, 'foreign.json')], /^loopspec: matrix --no-run: .*foreign\.json is not a loopspec summary\.json/],
    [[a, twin], /^loopspec: matrix --no-run: .* and .* are both runs of "a"/],
    [['--tags', '@loop.call_soon', a], /^loopspec: loopspec matrix --no-run takes only --reports DIR and runs \(report folders or summary\.json files\), got --tags$/],
  ];
  for (const [args, pattern] of cases) oneLineError(await loopspec(['matrix', '--no-run', ...args], { reports, limitMs: 30_000 }), pattern);
  oneLineError(await loopspec(['--no-run', a], { reports }), /^loopspec: --no-run goes with matrix only$/);
  oneLineError(await loopspec(['matrix', '--no-run'], { reports: path.join(reports, 'none') }), /^loopspec: no reports folder .*none$/);
  assert.equal(fs.existsSync(path.join(reports, 'matrix.json')), false, 'nothing published');
});
