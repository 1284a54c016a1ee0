// `loopspec diff A B`: on hand-made summaries (which scenarios differ, one side only, @undefined
// behaviour recorded differently, the md and json renderings), its command line (the spellings
// of a side, bad input), and end to end on CPython 3.12 and uvloop, whose summaries decide what
// the diff must list. Also the progress line: drawn on a terminal, absent elsewhere.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadCatalogue, CatalogueEntry } from '../cli/catalogue';
import { compareSummaries, DiffResult, mdEscape, renderJson, renderMarkdown, renderText, UNDEFINED_TAG } from '../cli/diff';
import { resolveSide } from '../cli/diff-command';
import { clock, Progress, progressLine } from '../cli/progress';
import { Summary } from '../cli/reports';
import { ScenarioResult } from '../cli/results';
import { CPYTHON_312, DEBIAN_PYTHON, lastLine, loopspec, ROOT } from './helpers';

const catalogue = loadCatalogue();
const undefinedEntries = catalogue.filter((e) => e.tags.includes(UNDEFINED_TAG));
// Scenarios from different sections, so the grouping by section shows.
const first = catalogue[0];
const last = catalogue[catalogue.length - 1];
const middle = catalogue.find((e) => e.section.order > first.section.order && e.section.order < last.section.order && !e.tags.includes(UNDEFINED_TAG))!;
const undef = undefinedEntries[0];

function result(e: CatalogueEntry, status: ScenarioResult['status'], extra: Partial<ScenarioResult> = {}): ScenarioResult {
  const outcome = status === 'passed' || status === 'skipped' ? status : 'failed';
  return { id: e.id, uri: e.uri, line: e.line, name: e.name, tags: e.tags, status, outcome, ...extra };
}

function summaryOf(id: string, scenarios: ScenarioResult[]): Summary {
  return {
    adapter: { id, kind: 'python', label: `python (${id})` },
    implementation: { name: id, version: '1.0' }, language: { name: 'python', version: '3.12.1' },
    capabilities: [], started: '2026-01-01T00:00:00Z', finished: '2026-01-01T00:01:00Z', partial: false,
    counts: { passed: 0, failed: 0, skipped: 0, xfail: 0, xpass: 0, flaky: 0 }, scenarios,
  };
}

/** A and B: `first` fails on B only (B expected it); `middle` only on A; `last` only on B; `undef` records differently; `same` agrees. */
function handMade(): { a: Summary; b: Summary; same: CatalogueEntry } {
  const same = catalogue.find((e) => ![first, middle, last, undef].includes(e))!;
  const a = summaryOf('loop-a', [
    result(first, 'passed'),
    result(middle, 'passed'),
    result(undef, 'passed', { recorded: 'raised ValueError (bases: Exception)' }),
    result(same, 'failed', { error: 'Error: one message' }),
  ]);
  const b = summaryOf('loop-b', [
    result(last, 'skipped', { skipReason: 'needs unix-signals' }),
    result(same, 'failed', { error: 'Error: another message: a failure on both sides is no difference' }),
    result(undef, 'passed', { recorded: 'returned None (a NoneType)' }),
    result(first, 'failed', { outcome: 'xfail', error: 'Error: line 1 | <b>bold</b>\nline 2\nline 3\nline 4\nline 5\nline 6', expectedReason: 'a known deviation' }),
  ]);
  return { a, b, same };
}

function diffOf(): DiffResult {
  const { a, b } = handMade();
  return compareSummaries(a, b, catalogue, ['a.json', 'b.json']);
}

test('the catalogue has what the unit tests need: an @undefined scenario and three sections', () => {
  assert.ok(undef, 'an @undefined scenario');
  assert.ok(middle, 'a scenario of a middle section');
});

test('diff lists status differences and one-side-only scenarios, in the doc\'s order, and not a failure on both sides', () => {
  const r = diffOf();
  const { same } = handMade();
  const byId = new Map(r.differences.map((d) => [d.id, d]));
  assert.equal(byId.get(first.id)?.kind, 'status');
  assert.equal(byId.get(middle.id)?.kind, 'only-a');
  assert.equal(byId.get(last.id)?.kind, 'only-b');
  assert.equal(byId.has(same.id), false, 'both failed: the loops did the same');
  assert.equal(r.compared, 5);
  const rank = new Map(catalogue.map((e, i) => [e.id, i]));
  const ranks = r.differences.map((d) => rank.get(d.id)!);
  assert.deepEqual(ranks, [...ranks].sort((x, y) => x - y), 'in the catalogue\'s order');
  assert.equal(byId.get(first.id)?.b?.expectedReason, 'a known deviation');
  assert.equal(byId.get(first.id)?.sentence, first.sentence);
});

test('an @undefined scenario both loops pass is listed when they recorded different behaviour, and not when they recorded the same', () => {
  const r = diffOf();
  const d = r.differences.find((x) => x.id === undef.id);
  assert.equal(d?.kind, 'recorded');
  assert.equal(d?.a?.recorded, 'raised ValueError (bases: Exception)');
  assert.equal(d?.b?.recorded, 'returned None (a NoneType)');
  const { a } = handMade();
  const again = compareSummaries(a, structuredClone(a), catalogue, ['a', 'a']);
  assert.deepEqual(again.differences, []);
  // The same recorded text on a scenario that is not @undefined is never a difference of its own.
  const plain = summaryOf('x', [result(first, 'passed', { recorded: 'one' })]);
  const other = summaryOf('y', [result(first, 'passed', { recorded: 'two' })]);
  assert.deepEqual(compareSummaries(plain, other, catalogue, ['x', 'y']).differences, []);
});

test('a selection narrows what is compared', () => {
  const { a, b } = handMade();
  const r = compareSummaries(a, b, catalogue, ['a', 'b'], new Set([first.id]));
  assert.deepEqual(r.differences.map((d) => d.id), [first.id]);
  assert.equal(r.compared, 1);
});

test('the text rendering groups by section, quotes the sentence and trims errors to a few lines', () => {
  const text = renderText(diffOf());
  assert.match(text, new RegExp(`== ${first.section.heading.replace(/[()]/g, '\\$&')}`));
  assert.ok(text.indexOf(first.section.heading) < text.indexOf(last.section.heading));
  if (first.sentence) assert.ok(text.includes(`"${first.sentence}"`));
  assert.match(text, /A: passed\n {2}B: failed \(expected to fail: a known deviation\)\n {7}Error: line 1/);
  assert.match(text, /line 4\n\s+… \(2 more lines\)/);
  assert.doesNotMatch(text, /line 5/);
  assert.match(text, /recorded: raised ValueError/);
  assert.match(text, /recorded: returned None/);
  assert.match(text, /A: \(no such scenario\)/);
  assert.equal(lastLine(text), '4 of 5 scenarios differ (1 status, 1 @undefined recorded, 1 only on A, 1 only on B)');
});

test('the md rendering escapes pipes and HTML, so every row has its three cells', () => {
  assert.equal(mdEscape('a | b <script>&</script>\nc_d*'), 'a \\| b &lt;script&gt;&amp;&lt;/script&gt;<br>c\\_d\\*');
  const md = renderMarkdown(diffOf());
  assert.doesNotMatch(md, /<b>|<script/);
  assert.match(md, /line 1 \\\| &lt;b&gt;bold&lt;\/b&gt;<br>line 2/);
  const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---') && !l.startsWith('| scenario'));
  assert.equal(rows.length, 4);
  for (const row of rows) assert.equal(row.split(/(?<!\\)\|/).length - 2, 3, row);
});

test('the json rendering is complete: both sides, every difference with both results and errors untrimmed', () => {
  const j = JSON.parse(renderJson(diffOf()));
  assert.deepEqual(Object.keys(j).sort(), ['a', 'b', 'compared', 'differences']);
  assert.equal(j.a.adapter.id, 'loop-a');
  assert.equal(j.b.source, 'b.json');
  const d = j.differences.find((x: { id: string }) => x.id === first.id);
  assert.equal(d.a.status, 'passed');
  assert.equal(d.b.status, 'failed');
  assert.equal(d.b.outcome, 'xfail');
  assert.match(d.b.error, /line 6$/);
  assert.equal(d.section.folder, first.section.folder);
  assert.equal(j.differences.find((x: { id: string }) => x.id === middle.id).b, undefined);
});

// ---- the command line ------------------------------------------------------------------------

function writeSummaries(): { dir: string; a: string; b: string } {
  const { a, b } = handMade();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-diff-test-'));
  fs.mkdirSync(path.join(dir, 'loop-a'));
  fs.writeFileSync(path.join(dir, 'loop-a', 'summary.json'), JSON.stringify(a));
  fs.writeFileSync(path.join(dir, 'b.json'), JSON.stringify(b));
  return { dir, a: path.join(dir, 'loop-a'), b: path.join(dir, 'b.json') };
}

function oneLineError(run: { code: number | null; stderr: string }, pattern: RegExp): void {
  assert.equal(run.code, 2, run.stderr);
  assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
  assert.match(run.stderr, pattern);
}

test('the spellings of a side: reference, a report folder, a summary file, an interpreter, PYTHON:MODULE:FACTORY', () => {
  const { a, b } = writeSummaries();
  assert.deepEqual(resolveSide('A', 'reference'), { name: 'A', kind: 'adapter', args: ['--adapter', 'reference'], label: 'the reference loop' });
  assert.deepEqual(resolveSide('A', a), { name: 'A', kind: 'summary', file: path.join(a, 'summary.json') });
  assert.deepEqual(resolveSide('B', b), { name: 'B', kind: 'summary', file: b });
  const py = resolveSide('A', CPYTHON_312);
  assert.deepEqual(py.kind === 'adapter' && py.args, ['--python', CPYTHON_312]);
  const uv = resolveSide('B', `${DEBIAN_PYTHON}:uvloop:new_event_loop`);
  assert.deepEqual(uv.kind === 'adapter' && uv.args, ['--python', DEBIAN_PYTHON, '--loop', 'uvloop:new_event_loop']);
  const home = path.relative(os.homedir(), CPYTHON_312);
  if (!home.startsWith('..')) assert.deepEqual((resolveSide('A', `~/${home}`) as { args: string[] }).args, ['--python', CPYTHON_312]);
});

test('diff of two summaries through the CLI: 1 when they differ, 0 when they agree, every format', async () => {
  const { a, b } = writeSummaries();
  const run = await loopspec(['diff', a, b]);
  assert.equal(run.code, 1, run.stderr);
  assert.equal(run.stderr, '');
  assert.match(lastLine(run.stdout), /^4 of 5 scenarios differ/);
  const same = await loopspec(['diff', a, path.join(a, 'summary.json'), '--format', 'json']);
  assert.equal(same.code, 0, same.stderr);
  assert.deepEqual(JSON.parse(same.stdout).differences, []);
  const md = await loopspec(['diff', a, b, '--format=md']);
  assert.equal(md.code, 1);
  assert.match(md.stdout, /^# loopspec diff/);
});

test('bad input to diff is one line and status 2', async () => {
  const { dir, a, b } = writeSummaries();
  oneLineError(await loopspec(['diff', a]), /diff needs two sides/);
  oneLineError(await loopspec(['diff', a, path.join(dir, 'nothing-here')]), /B: ".*nothing-here" is not one of "reference", a summary\.json/);
  oneLineError(await loopspec(['diff', a, b, '--format', 'html']), /--format must be text, md or json/);
  oneLineError(await loopspec(['diff', a, b, '--python', CPYTHON_312]), /diff: unknown option --python/);
  oneLineError(await loopspec(['diff', a, b, '--a-expectations', 'x.json']), /--a-expectations is for a side that is run; A is the summary/);
  oneLineError(await loopspec(['diff', a, b, '--tags', '@a and (']), /--tags "@a and \(" is not a tag expression/);
  oneLineError(await loopspec(['diff', a, b, '--tags', '@no-such-tag']), /no scenario matches --tags "@no-such-tag"/);
  oneLineError(await loopspec(['diff', a, dir]), /B: the folder .* holds no summary\.json/);
  fs.writeFileSync(path.join(dir, 'broken.json'), '{"scenarios": [');
  oneLineError(await loopspec(['diff', a, path.join(dir, 'broken.json')]), /B: cannot read .*broken\.json: /);
  fs.writeFileSync(path.join(dir, 'foreign.json'), '{"scenarios": [{"name": 1}]}');
  oneLineError(await loopspec(['diff', path.join(dir, 'foreign.json'), b]), /A: .*foreign\.json is not a loopspec summary\.json/);
  oneLineError(await loopspec(['diff', a, `${path.join(dir, 'no-python')}:uvloop:new_event_loop`]), /B: no Python interpreter .*no-python/);
  // A file whose name also reads as PYTHON:MODULE:FACTORY could be either: refused.
  const oddDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-odd-'));
  const oddFile = path.join(oddDir, 'python3:uvloop:new_event_loop');
  fs.symlinkSync(CPYTHON_312, path.join(oddDir, 'python3'));
  fs.writeFileSync(oddFile, '{}');
  oneLineError(await loopspec(['diff', a, oddFile]), /B: ".*" is both a file and PYTHON:MODULE:FACTORY/);
  // A side that is run and does not load: diff names the side.
  oneLineError(await loopspec(['diff', a, `${CPYTHON_312}:no_such_module:make`]), /^loopspec: B \(.*no_such_module:make\): .*no_such_module/);
});

test('the results keep what an @undefined scenario recorded', async () => {
  const run = await loopspec(['--tags', UNDEFINED_TAG]);
  assert.equal(run.code, 0, run.stderr);
  const s = JSON.parse(fs.readFileSync(path.join(run.reports, 'reference', 'summary.json'), 'utf8')) as Summary;
  const recorded = s.scenarios.filter((r) => r.recorded !== undefined);
  assert.ok(recorded.length > 0, 'some @undefined scenario records what happened');
  for (const r of recorded) {
    assert.ok(r.tags.includes(UNDEFINED_TAG));
    // A call's outcome, or which callbacks ran (watching file descriptors).
    assert.match(r.recorded!, /^(raised |returned |ran: )/);
  }
});

// ---- end to end on real loops ----------------------------------------------------------------

test('diff between CPython 3.12 and uvloop lists exactly the scenarios whose statuses differ in their summaries', async () => {
  // TimerHandle and set_task_factory: uvloop deviations; Handle: agreement, and 3.12-only scenarios.
  const tags = '@asyncio.TimerHandle or @asyncio.Handle or @loop.set_task_factory';
  const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-diff-e2e-'));
  const run = await loopspec(['diff', CPYTHON_312, `${DEBIAN_PYTHON}:uvloop:new_event_loop`, '--tags', tags, '--parallel', '2',
    '--b-expectations', 'adapters/python/expectations/uvloop-0.17.json', '--format', 'json'], { reports, limitMs: 300_000 });
  assert.equal(run.code, 1, run.stderr);
  const out = JSON.parse(run.stdout) as DiffResult;
  const read = (file: string) => new Map((JSON.parse(fs.readFileSync(path.resolve(ROOT, file), 'utf8')) as Summary).scenarios.map((r) => [r.id, r]));
  const a = read(out.a.source);
  const b = read(out.b.source);
  assert.equal(path.dirname(path.dirname(path.resolve(ROOT, out.a.source))), reports, 'the runs went to --reports');
  assert.equal(out.b.implementation.name, 'uvloop');
  const differ = [...new Set([...a.keys(), ...b.keys()])].filter((id) => a.get(id)?.status !== b.get(id)?.status).sort();
  assert.ok(differ.length > 0 && differ.length < a.size, `some differ and some agree (${differ.length} of ${a.size})`);
  assert.deepEqual(out.differences.map((d) => d.id).sort(), differ);
  assert.equal(out.compared, a.size);
  // B ran with its expectations file: the reasons are shown beside its failures.
  assert.ok(out.differences.some((d) => d.b?.status === 'failed' && d.b.expectedReason));
});

// ---- the progress line ----------------------------------------------------------------------

test('the progress line: done of total, elapsed, failures, and the time left from the average so far', () => {
  assert.equal(clock(0), '0:00');
  assert.equal(clock(75_000), '1:15');
  assert.equal(clock(3_725_000), '1:02:05');
  assert.equal(progressLine(0, 10, 0, 2000), '0/10 scenarios, 0:02 elapsed, 0 failed');
  assert.equal(progressLine(4, 10, 1, 10_000, 8_000), '4/10 scenarios, 0:10 elapsed, 1 failed, ~0:12 left');
  let t = 0;
  const written: string[] = [];
  const p = new Progress(3, { write: (s) => written.push(s), columns: 80 }, () => t);
  p.scenarioStarted();
  t = 10; p.finished(false); // within 100 ms of the first draw: not redrawn
  t = 500; p.finished(true);
  t = 510; p.finished(false); // the last one is always drawn
  p.end();
  assert.deepEqual(written, [
    '\r\x1b[2K0/3 scenarios, 0:00 elapsed, 0 failed',
    '\r\x1b[2K2/3 scenarios, 0:01 elapsed, 1 failed, ~0:00 left',
    '\r\x1b[2K3/3 scenarios, 0:01 elapsed, 1 failed, ~0:00 left',
    '\r\x1b[2K',
  ]);
});

/** Runs the CLI with a pseudo-terminal for stdin, stdout and stderr (util-linux script). */
function onTerminal(args: string[]): Promise<{ code: number | null; out: string }> {
  const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-tty-'));
  const cmd = ['node', path.join(ROOT, 'bin/loopspec.js'), '--reports', reports, ...args].map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve) => {
    const child = spawn('script', ['-qfec', cmd, '/dev/null'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.on('close', (code) => resolve({ code, out }));
  });
}

test('on a terminal the run redraws one progress line in place and clears it before the summary', async () => {
  const run = await onTerminal(['--tags', '@loop.call_soon']);
  assert.equal(run.code, 0, run.out);
  const draws = run.out.split('\r\x1b[2K').slice(1);
  assert.ok(draws.length >= 2, run.out);
  assert.match(draws[0], /^0\/\d+ scenarios, 0:\d\d elapsed, 0 failed/);
  const total = /^0\/(\d+)/.exec(draws[0])![1];
  assert.ok(draws.some((d) => new RegExp(`^${total}/${total} scenarios, \\d+:\\d\\d elapsed, 0 failed, ~0:00 left`).test(d)), run.out);
  assert.equal(lastLine(run.out.replace(/\r/g, '')), `${total} passed, 0 failed, 0 skipped`);
});

test('without a terminal neither stdout nor stderr holds any progress', async () => {
  const run = await loopspec(['--tags', '@loop.call_soon']);
  assert.equal(run.code, 0, run.stderr);
  for (const text of [run.stdout, run.stderr]) {
    assert.doesNotMatch(text, /\r|scenarios, |\x1b/);
    assert.doesNotMatch(text, /^[.Fx\-P]+$/m, 'nor the old marks');
  }
  assert.match(lastLine(run.stdout), /^\d+ passed, 0 failed, 0 skipped$/);
});
