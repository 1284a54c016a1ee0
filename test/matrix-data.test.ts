// The conformance matrix's data model (cli/matrix-data.ts) on hand-made summaries: one cell per
// adapter and behaviour with its outcome and reason, columns in a stable order, passed of
// applicable per implementation and section, the "implementations differ" flag, and outcomes
// it does not know yet (a retry helper's "flaky") kept as they are.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { matrixData, outcomeLook, verdict } from '../cli/matrix-data';
import { loadCatalogue } from '../cli/catalogue';
import type { Summary } from '../cli/reports';
import type { ScenarioResult } from '../cli/results';

const catalogue = loadCatalogue();
// Two behaviours of one section and one of another, in the catalogue's (the doc's) order.
const soon = catalogue.filter((e) => e.uri === 'features/scheduling-callbacks/loop.call_soon.feature').slice(0, 2);
const later = catalogue.find((e) => e.uri === 'features/scheduling-delayed-callbacks/loop.call_later.feature')!;
const [A, B, C] = [soon[0], soon[1], later];

function summary(id: string, kind: string, python: string, outcomes: Array<[typeof A, Omit<Partial<ScenarioResult>, 'outcome'> & { outcome: string }]>): Summary {
  return {
    adapter: { id, kind, label: id }, implementation: { name: `impl-${id}`, version: '1.0' }, language: { name: 'python', version: python },
    capabilities: [], started: '', finished: '', partial: false, counts: { passed: 0, failed: 0, skipped: 0, xfail: 0, xpass: 0, flaky: 0 },
    scenarios: outcomes.map(([e, r]) => ({ id: e.id, uri: e.uri, line: e.line, name: e.name, tags: e.tags, status: 'passed', ...r }) as ScenarioResult),
  };
}

const summaries = [
  summary('python-3.9.18-asyncio', 'python', '3.9.18', [[A, { outcome: 'passed' }], [B, { outcome: 'failed', error: 'AssertionError: B' }], [C, { outcome: 'skipped', skipReason: 'needs unix-signals' }]]),
  summary('python-3.10.13-asyncio', 'python', '3.10.13', [[A, { outcome: 'xfail', error: 'boom', expectedReason: 'known bug' }], [B, { outcome: 'failed' }], [C, { outcome: 'flaky', error: 'passed on retry 1' }]]),
  summary('reference', 'reference', '3.12.3', [[A, { outcome: 'passed' }], [B, { outcome: 'xpass', expectedReason: 'was broken' }]]),
];

test('columns: the reference loop first, then by Python version number, with implementation and versions', () => {
  const d = matrixData(summaries, catalogue);
  assert.deepEqual(d.columns.map((c) => c.id), ['reference', 'python-3.9.18-asyncio', 'python-3.10.13-asyncio']);
  assert.deepEqual([d.columns[1].name, d.columns[1].version, d.columns[1].python], ['impl-python-3.9.18-asyncio', '1.0', '3.9.18']);
});

test('rows: only behaviours some adapter ran, in the doc order, with section, sentence and doc link', () => {
  const d = matrixData(summaries, catalogue);
  assert.deepEqual(d.rows.map((r) => r.id), [A.id, B.id, C.id]);
  assert.deepEqual(d.sections.map((s) => s.folder), ['scheduling-callbacks', 'scheduling-delayed-callbacks']);
  assert.equal(d.rows[0].sentence, A.sentence);
  assert.match(d.rows[0].link, /^https:\/\/docs\.python\.org\/3\/library\/asyncio-eventloop\.html#asyncio\.loop\.call_soon$/);
});

test('cells: each outcome with its error and its reason (skip reason or expectation), null where not run', () => {
  const d = matrixData(summaries, catalogue);
  const [a, b, c] = d.rows;
  assert.deepEqual(a.cells, [{ outcome: 'passed' }, { outcome: 'passed' }, { outcome: 'xfail', error: 'boom', reason: 'known bug' }]);
  assert.deepEqual(b.cells[0], { outcome: 'xpass', reason: 'was broken' });
  assert.deepEqual(b.cells[1], { outcome: 'failed', error: 'AssertionError: B' });
  assert.deepEqual(c.cells, [null, { outcome: 'skipped', reason: 'needs unix-signals' }, { outcome: 'flaky', error: 'passed on retry 1' }]);
});

test('summary: passed (or unexpectedly passed) of applicable (not skipped), overall and by section', () => {
  const d = matrixData(summaries, catalogue);
  const [ref, py39, py310] = d.columns;
  assert.deepEqual(ref.conformance, { passed: 2, applicable: 2 });
  assert.deepEqual(py39.conformance, { passed: 1, applicable: 2 }, 'the skip is not applicable');
  assert.deepEqual(py310.conformance, { passed: 0, applicable: 3 }, 'an expected failure and a flaky pass are not passes');
  assert.deepEqual(py39.bySection, [{ folder: 'scheduling-callbacks', passed: 1, applicable: 2 }, { folder: 'scheduling-delayed-callbacks', passed: 0, applicable: 0 }]);
  assert.deepEqual(py310.counts, { xfail: 1, failed: 1, flaky: 1 });
});

test('"implementations differ": pass against fail, expected or not, and a skip or flaky against either', () => {
  const d = matrixData(summaries, catalogue);
  assert.deepEqual(d.rows.map((r) => r.differs), [true, true, true]);
  const same = matrixData([summaries[0], summary('b', 'python', '3.11.0', [[A, { outcome: 'passed' }], [B, { outcome: 'xfail' }], [C, { outcome: 'skipped' }]])], catalogue);
  assert.deepEqual(same.rows.map((r) => r.differs), [false, false, false], 'failed and xfail agree; a skip agrees with a skip; a lone cell never differs');
  assert.equal(verdict('xpass'), 'pass');
  assert.equal(verdict('xfail'), 'fail');
  assert.equal(verdict('flaky'), 'flaky');
});

test('an outcome the matrix does not know is shown by its name; a scenario the catalogue lacks keeps its row', () => {
  assert.deepEqual(outcomeLook('flaky'), { glyph: '~', label: 'flaky' });
  assert.deepEqual(outcomeLook('timed-out'), { glyph: '?', label: 'timed-out' });
  const odd = summary('x', 'python', '3.12.1', []);
  odd.scenarios.push({ id: 'features/dns/gone.feature: a renamed one', uri: 'features/dns/gone.feature', line: 3, name: 'a renamed one', tags: [], status: 'passed', outcome: 'timed-out' as never });
  const d = matrixData([odd], catalogue);
  assert.equal(d.rows[0].section, 'dns');
  assert.equal(d.rows[0].feature, 'gone');
  assert.deepEqual(d.columns[0].counts, { 'timed-out': 1 });
});

test('a column of part of features/ says what its run selected; a whole run\'s column does not', () => {
  const ofWhole = (sel: Partial<Summary>) => ({ ...summary('x', 'python', '3.12.1', [[A, { outcome: 'passed' }], [B, { outcome: 'passed' }]]), ...sel });
  const selected = (s: Summary) => matrixData([s], catalogue).columns[0].selection;
  assert.equal(selected(ofWhole({ selection: { tags: '@loop.call_soon', paths: [], scenarios: 2, whole: false } })), '--tags @loop.call_soon');
  assert.equal(selected(ofWhole({ selection: { paths: ['features/scheduling-callbacks'], scenarios: 2, whole: false } })), 'features/scheduling-callbacks');
  assert.equal(selected(ofWhole({ selection: { tags: '@a', paths: ['features/x'], scenarios: 2, whole: false }, shard: { index: 2, total: 3, selected: 2, adapter_id: 'x' } })), '--tags @a features/x --shard 2/3');
  assert.equal(selected(ofWhole({ selection: { paths: [], scenarios: catalogue.length, whole: true } })), undefined, 'a whole run is as before');
  assert.equal(selected(ofWhole({ selection: { paths: [], scenarios: catalogue.length, whole: true }, shard: { index: 1, total: 3, selected: catalogue.length, adapter_id: 'x' } })), '--shard 1/3');
  // An older kit's summary records no selection: the catalogue tells whether it ran all of it.
  assert.equal(selected(ofWhole({})), `2 of the ${catalogue.length} scenarios (the run recorded no selection)`);
  const everything = summary('all', 'python', '3.12.1', catalogue.map((e) => [e, { outcome: 'passed' }]));
  assert.equal(selected(everything), undefined);
});

test('a section a column ran nothing of is listed as not run, apart from one whose every behaviour was skipped', () => {
  const d = matrixData([summary('soon', 'python', '3.12.1', [[A, { outcome: 'passed' }]]), summary('both', 'python', '3.11.0', [[A, { outcome: 'passed' }], [C, { outcome: 'skipped' }]])], catalogue);
  assert.equal(d.catalogued, catalogue.length);
  assert.deepEqual(d.columns.map((c) => [c.id, c.sectionsNotRun]), [['both', []], ['soon', ['scheduling-delayed-callbacks']]]);
  assert.deepEqual(d.columns[0].bySection[1], { folder: 'scheduling-delayed-callbacks', passed: 0, applicable: 0 }, 'ran, and skipped');
});
