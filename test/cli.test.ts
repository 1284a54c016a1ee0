// The CLI end to end on bad input and failing loops: one clear line and status 2 for bad input,
// nothing half-written in reports/, and a hanging loop that fails fast without hanging the run.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import parseTagExpression from '@cucumber/tag-expressions';
import { listFeatureFiles, loadScenarios } from '../cli/features';
import { CPYTHON_312, FIXTURES, lastLine, loopspec, oneLineError, summary, ROOT } from './helpers';

/** How many shipped scenarios a tag expression selects (the features grow; the tests follow). */
function scenarioCount(tags: string): number {
  const matches = parseTagExpression(tags);
  return loadScenarios(ROOT, listFeatureFiles(ROOT, ['features'])).filter((sc) => matches.evaluate(sc.tags)).length;
}
const CALL_SOON = scenarioCount('@loop.call_soon');

function tmpFeatures(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-features-'));
  fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

test('--help prints the usage and exits 0', async () => {
  const run = await loopspec(['--help']);
  assert.equal(run.code, 0);
  assert.match(run.stdout, /--expectations FILE/);
});

test('an unknown flag is one line and status 2', async () => {
  oneLineError(await loopspec(['--frobnicate']), /^loopspec: unknown option --frobnicate/);
});

test('a missing interpreter is one line and status 2', async () => {
  oneLineError(await loopspec(['--python', '/no/such/python3']), /cannot run \/no\/such\/python3: not found/);
});

test('a loop factory that does not import is one line and status 2', async () => {
  oneLineError(await loopspec(['--python', CPYTHON_312, '--loop', 'no_such_module:make']), /no_such_module/);
});

test('a loop module that raises at import is one line and status 2', async () => {
  oneLineError(await loopspec(['--python', CPYTHON_312, '--loop', 'broken_loops.crash_on_import:make']), /crash_on_import|import/);
});

test('a factory that returns something that is not a loop is one line and status 2', async () => {
  oneLineError(await loopspec(['--python', CPYTHON_312, '--loop', 'broken_loops:not_a_loop']), /not.*loop/i);
});

test('an expectations file that does not parse is one line and status 2', async () => {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-exp-')), 'bad.json');
  fs.writeFileSync(f, '{"expected_failures": [');
  const run = await loopspec(['--expectations', f]);
  oneLineError(run, /expectations file .* is not valid JSON/);
  assert.deepEqual(fs.readdirSync(run.reports), [], 'nothing written to reports/');
});

test('a feature with a syntax error is one line and status 2, nothing written', async () => {
  const dir = tmpFeatures('broken.feature', 'Feature: broken\n  Scenario: a\n    Given a new event loop\n  @a tag with spaces\n  Scenario: b\n');
  const run = await loopspec([dir]);
  oneLineError(run, /broken\.feature:\d+:\d+: .*not valid Gherkin/);
  assert.deepEqual(fs.readdirSync(run.reports), []);
});

test('a feature with an undefined step is one line and status 2, nothing written', async () => {
  const dir = tmpFeatures('undefined.feature', 'Feature: undefined\n  Scenario: a\n    Given a new event loop\n    When the loop is asked to dance\n');
  const run = await loopspec([dir]);
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /undefined step "the loop is asked to dance"/);
  assert.equal(run.stderr.trim().split('\n').filter((l) => l.startsWith('loopspec: ') && !l.includes(' via ')).length, 1);
  assert.deepEqual(fs.readdirSync(run.reports), []);
});

test('a loop whose run_forever hangs fails within its time limit and the run goes on', async () => {
  const run = await loopspec(['--python', CPYTHON_312, '--loop', 'broken_loops:hangs', '--timeout', '1', '--tags', '@loop.call_soon'], { limitMs: 120_000 });
  assert.equal(run.code, 1, run.stdout + run.stderr);
  const s = summary(run, 'python-3.12.1-broken_loops');
  const hung = s.scenarios.filter((x) => /timed out/.test(x.error ?? ''));
  assert.ok(hung.length > 0, 'scenarios fail with "timed out"');
  assert.ok(s.scenarios.some((x) => x.outcome === 'passed'), 'scenarios that do not run the loop still pass on fresh drivers');
  assert.equal(s.scenarios.length, CALL_SOON, 'every scenario of the feature ran');
  assert.ok(run.ms < 60_000, `took ${run.ms} ms`);
  assert.match(lastLine(run.stdout), /^\d+ passed, \d+ failed, \d+ skipped$/);
});

test('a run writes HTML, JSON, JUnit and a summary, and the last line counts', async () => {
  const run = await loopspec(['--python', CPYTHON_312, '--tags', '@loop.call_soon']);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  for (const f of ['cucumber.html', 'cucumber.json', 'junit.xml', 'messages.ndjson', 'summary.json']) {
    assert.ok(fs.existsSync(path.join(run.reports, 'python-3.12.1-asyncio', f)), f);
  }
  const s = summary(run, 'python-3.12.1-asyncio');
  assert.equal(s.partial, false);
  assert.equal(s.scenarios.length, CALL_SOON);
  assert.equal(lastLine(run.stdout), `${CALL_SOON} passed, 0 failed, 0 skipped`);
  assert.deepEqual(fs.readdirSync(run.reports), ['python-3.12.1-asyncio'], 'its own folder and nothing else: no matrix, no spec page');
  const { selection } = JSON.parse(fs.readFileSync(path.join(run.reports, 'python-3.12.1-asyncio', 'summary.json'), 'utf8'));
  assert.deepEqual(selection, { tags: '@loop.call_soon', paths: [], scenarios: CALL_SOON, whole: false }, 'what it selected');
});

test('a run leaves the pages of its reports folder as they were, beside another run\'s folder', async () => {
  const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-reports-'));
  const pages = ['matrix.json', 'matrix.md', path.join('matrix', 'index.html'), path.join('spec', 'index.html')];
  fs.mkdirSync(path.join(reports, 'matrix'));
  fs.mkdirSync(path.join(reports, 'spec'));
  for (const f of pages) fs.writeFileSync(path.join(reports, f), `published earlier: ${f}`);
  fs.mkdirSync(path.join(reports, 'other'));
  fs.writeFileSync(path.join(reports, 'other', 'summary.json'), JSON.stringify({ adapter: { id: 'other', kind: 'python', label: 'other' }, scenarios: [] }));
  const run = await loopspec(['--tags', '@loop.call_soon_threadsafe'], { reports });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  for (const f of pages) assert.equal(fs.readFileSync(path.join(reports, f), 'utf8'), `published earlier: ${f}`, f);
  assert.deepEqual(fs.readdirSync(reports).sort(), ['matrix', 'matrix.json', 'matrix.md', 'other', 'reference', 'spec']);
});

const FAKE = path.join(FIXTURES, 'fake-drivers/fake-driver.js');
const fakeDriver = (mode: string) => `${process.execPath} ${FAKE} ${mode}`;

for (const mode of ['hang', 'garbage', 'crash']) {
  test(`a driver that ${mode === 'hang' ? 'hangs on every request' : mode === 'garbage' ? 'talks garbage' : 'crashes on every request'} ends the run within a minute with one clear message`, async () => {
    const run = await loopspec(['--driver', fakeDriver(mode), '--timeout', '1'], { limitMs: 90_000 });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.ok(run.ms < 60_000, `took ${run.ms} ms`);
    assert.match(run.stdout, /loopspec: driver unusable: the ".*fake-driver\.js .*" driver failed 2 times in a row without answering any request/);
    assert.match(lastLine(run.stdout), /^0 passed, \d+ failed, \d+ skipped$/);
  });
}

for (const [mode, pattern] of [['silent', /did not complete its handshake/], ['garbage-hello', /not JSON/], ['huge', /longer than 16 MiB/], ['fatal', /No module named mypkg/]] as const) {
  test(`a driver whose handshake goes wrong (${mode}) is one line and status 2`, async () => {
    const run = await loopspec(['--driver', fakeDriver(mode)], { limitMs: 60_000 });
    oneLineError(run, pattern);
    assert.ok(run.ms < 20_000, `took ${run.ms} ms`);
  });
}

test('markup in what a loop says cannot reach the reports as markup', async () => {
  const run = await loopspec(['--driver', fakeDriver('markup'), '--tags', '@loop.call_soon', '--id', 'markup']);
  assert.equal(run.code, 1);
  const dir = path.join(run.reports, 'markup');
  const html = fs.readFileSync(path.join(dir, 'cucumber.html'), 'utf8');
  assert.ok(html.includes('alert(1)'), 'the message is in the report');
  assert.ok(!/<script>alert|<img src=x/i.test(html), 'but never as markup');
  assert.ok(!/<script>alert|<img src=x/i.test(fs.readFileSync(path.join(dir, 'junit.xml'), 'utf8')));
  const published = await loopspec(['matrix', '--no-run', dir], { reports: run.reports });
  assert.equal(published.code, 0, published.stderr);
  assert.ok(!/<script>alert|<img src=x/i.test(fs.readFileSync(path.join(run.reports, 'matrix.md'), 'utf8')));
});

test('--driver runs any command that speaks the protocol, here the Python driver by hand', async () => {
  const cmd = `${CPYTHON_312} ${path.join(ROOT, 'adapters/python/loopspec_driver.py')} --loop asyncio:new_event_loop`;
  const run = await loopspec(['--driver', cmd, '--tags', '@loop.call_soon', '--id', 'by-hand']);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.equal(lastLine(run.stdout), `${CALL_SOON} passed, 0 failed, 0 skipped`);
  assert.equal(JSON.parse(fs.readFileSync(path.join(run.reports, 'by-hand', 'summary.json'), 'utf8')).adapter.kind, 'driver');
});

test('a tag expression that does not parse, or matches nothing, is one line and status 2', async () => {
  oneLineError(await loopspec(['--tags', '@loop.call_soon and']), /--tags "@loop.call_soon and" is not a tag expression/);
  oneLineError(await loopspec(['--tags', '@loop.call_sooon']), /no scenario matches --tags "@loop.call_sooon"/);
});

test('a reports folder that cannot be written is one line and status 2', async () => {
  oneLineError(await loopspec([], { reports: '/proc/loopspec-cannot-be-here' }), /cannot write reports to \/proc\/loopspec-cannot-be-here/);
});

const PYTHON_2 = path.join(path.dirname(path.dirname(path.dirname(CPYTHON_312))), '2.7.18/bin/python');
test('an interpreter too old for the driver is one line with its own complaint', { skip: !fs.existsSync(PYTHON_2) && 'no Python 2.7 here' }, async () => {
  oneLineError(await loopspec(['--python', PYTHON_2]), /driver exited with status 1: SyntaxError/);
});

test('a staging folder left by a run that was killed outright is cleared by the next run', async () => {
  const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-reports-'));
  fs.mkdirSync(path.join(reports, '.staging-reference-999999999-abc123'));
  const run = await loopspec(['--tags', '@loop.call_soon_threadsafe'], { reports });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(fs.readdirSync(reports).filter((n) => n.startsWith('.')), []);
});
