// Regression gating: expectations that a run can write and that must explain every failure,
// --strict, --retry and flaky scenarios, --shard and merge, and the kit's own JUnit.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadExpectations, PLACEHOLDER_REASON, updateExpectations } from '../cli/expectations';
import { renderJunit, xmlEscape } from '../cli/junit';
import { mergeSummaries } from '../cli/merge';
import type { Summary } from '../cli/reports';
import { countOutcomes, ScenarioResult } from '../cli/results';
import { parseShard, shardOf } from '../cli/shard';
import { chromiumMissing, openPage } from './browser';
import { CPYTHON_312, FIXTURES, lastLine, loopspec, oneLineError, ROOT, summary } from './helpers';

const tmpDir = (what: string) => fs.mkdtempSync(path.join(os.tmpdir(), `loopspec-${what}-`));

// ---------------------------------------------------------------- JUnit

interface XmlElement { name: string; attrs: Record<string, string>; children: XmlElement[]; text: string }

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescape = (t: string) => t.replace(/&(amp|lt|gt|quot|apos|#\d+);/g, (_, e: string) => (e.startsWith('#') ? String.fromCharCode(Number(e.slice(1))) : ENTITIES[e]));

/**
 * A small strict XML reader, enough for junit.xml: it fails on a character XML 1.0 forbids, a
 * bare & or <, and tags that do not nest.
 */
function parseXml(xml: string): XmlElement {
  assert.doesNotMatch(xml, /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/, 'no character XML 1.0 forbids');
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const root: XmlElement = { name: '#root', attrs: {}, children: [], text: '' };
  const stack = [root];
  const token = /<(\/?)([\w:-]+)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while ((m = token.exec(body))) {
    at = token.lastIndex;
    const top = stack[stack.length - 1];
    if (m[5] !== undefined) {
      assert.doesNotMatch(m[5], /&(?!(amp|lt|gt|quot|apos|#\d+);)/, 'no bare &');
      top.text += unescape(m[5]);
    } else if (m[1]) {
      assert.equal(m[2], top.name, `</${m[2]}> closes <${top.name}>`);
      stack.pop();
    } else {
      const attrs: Record<string, string> = {};
      for (const a of m[3].matchAll(/([\w:-]+)="([^"]*)"/g)) {
        assert.doesNotMatch(a[2], /&(?!(amp|lt|gt|quot|apos|#\d+);)/, 'no bare & in an attribute');
        attrs[a[1]] = unescape(a[2]);
      }
      const el: XmlElement = { name: m[2], attrs, children: [], text: '' };
      top.children.push(el);
      if (!m[4]) stack.push(el);
    }
  }
  assert.equal(at, body.length, `well-formed up to the end (stopped at ${at}: ${JSON.stringify(body.slice(at, at + 40))})`);
  assert.equal(stack.length, 1, 'every element closed');
  assert.equal(root.children.length, 1);
  return root.children[0];
}

const all = (el: XmlElement, name: string): XmlElement[] => [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => all(c, name))];

function result(id: string, outcome: ScenarioResult['outcome'], extra: Partial<ScenarioResult> = {}): ScenarioResult {
  const uri = id.split(': ')[0];
  const status = outcome === 'failed' || outcome === 'xfail' ? 'failed' : outcome === 'skipped' ? 'skipped' : 'passed';
  return { id, uri, line: 1, name: id.split(': ')[1], tags: [], status, outcome, duration: 0.5, ...extra };
}

function fakeSummary(scenarios: ScenarioResult[], strict = false): Summary {
  return {
    adapter: { id: 'unit', kind: 'python', label: 'unit' },
    implementation: { name: 'cpython', version: '3.12.1' } as Summary['implementation'],
    language: { name: 'python', version: '3.12.1' } as Summary['language'],
    capabilities: [], started: '2026-01-01T00:00:00.000Z', finished: '2026-01-01T00:00:01.000Z',
    partial: false, strict, counts: countOutcomes(scenarios), scenarios,
  };
}

const SOON = 'features/scheduling-callbacks/loop.call_soon.feature';
const LATER = 'features/scheduling-delayed-callbacks/loop.call_later.feature';
const HOSTILE = 'bad </failure><script>alert(1)</script> & "q" \'a\' \u001b[31m\u0000 \ud800 end';

test('JUnit: a testsuite per feature, a testcase per stable ID, with counts and the outcome of each', () => {
  const scenarios = [
    result(`${SOON}: three callbacks run in registration order`, 'failed', { error: `AssertionError: ${HOSTILE}` }),
    result(`${SOON}: the callback runs in the next iteration`, 'passed'),
    result(`${SOON}: a skipped one`, 'skipped', { skipReason: 'needs unix signals' }),
    result(`${LATER}: an expected failure`, 'xfail', { error: 'boom', expectedReason: `known ${HOSTILE}` }),
    result(`${LATER}: an unexpected pass`, 'xpass', { expectedReason: 'was broken' }),
    result(`${LATER}: a flaky one`, 'flaky', { attempts: 2, retriedErrors: ['first attempt broke'] }),
  ];
  for (const strict of [false, true]) {
    const root = parseXml(renderJunit(fakeSummary(scenarios, strict)));
    assert.equal(root.name, 'testsuites');
    assert.equal(root.attrs.tests, '6');
    assert.equal(root.attrs.failures, strict ? '2' : '1', 'an unexpected pass fails only under --strict');
    assert.equal(root.attrs.skipped, '2', 'skips and expected failures');
    const suites = all(root, 'testsuite');
    assert.deepEqual(suites.map((s) => s.attrs.name), [SOON, LATER]);
    assert.deepEqual(suites.map((s) => [s.attrs.tests, s.attrs.skipped, s.attrs.time]), [['3', '1', '1.500'], ['3', '1', '1.500']]);
    const cases = new Map(all(root, 'testcase').map((c) => [c.attrs.name, c]));
    assert.deepEqual([...cases.keys()], scenarios.map((s) => s.id), 'named by stable ID');
    assert.equal(cases.get(scenarios[0].id)!.attrs.classname, SOON);

    const failure = all(cases.get(scenarios[0].id)!, 'failure')[0];
    assert.match(failure.text, /^sentence: "Callbacks are called in the order in which they are registered\."\ndoc: https:\/\/docs\.python\.org\/3\/library\/asyncio-eventloop\.html#asyncio\.loop\.call_soon\n/);
    assert.ok(failure.text.includes('<script>alert(1)</script> & "q"'), 'the error, markup as text');
    assert.ok(failure.text.includes('\\u001b[31m\\u0000 \\ud800 end'), 'control characters and lone surrogates written out');
    assert.equal(all(cases.get(scenarios[2].id)!, 'skipped')[0].attrs.message, 'needs unix signals');
    assert.ok(all(cases.get(scenarios[3].id)!, 'skipped')[0].attrs.message.startsWith('expected failure: known bad </failure><script>'));
    const xpass = cases.get(scenarios[4].id)!;
    assert.equal(all(xpass, 'failure').length, strict ? 1 : 0);
    if (!strict) assert.equal(all(xpass, 'property')[0].attrs.value, 'xpass', 'marked even when it does not fail');
    const flaky = cases.get(scenarios[5].id)!;
    assert.equal(all(flaky, 'failure').length, 0, 'a flaky scenario passed');
    assert.equal(all(flaky, 'flakyFailure')[0].attrs.message, 'first attempt broke');
  }
  assert.equal(xmlEscape('a\tb\nc'), 'a\tb\nc', 'tab and newline are kept');
});

// ---------------------------------------------------------------- expectations, units

test('--update-expectations keeps entries, reasons, order and other keys, drops stale ones, appends new ones', () => {
  const f = path.join(tmpDir('exp'), 'e.json');
  const A = `${SOON}: a`;
  const B = `${SOON}: b`;
  const C = `${SOON}: c`;
  const D = `${SOON}: d`;
  fs.writeFileSync(f, JSON.stringify({
    adapter: 'kept',
    expected_failures: [
      { scenario: B, reason: 'b is broken', issue: 'https://example.org/1' },
      { scenario: A, reason: 'a on 3.7 only', versions: '<3.8' },
      { scenario: C, reason: 'c was broken' },
    ],
  }));
  const { added, removed } = updateExpectations(f, '3.12.1', [D, B, A], new Set([C, A]));
  assert.deepEqual(added, [D, A], 'B is listed already; A is listed only for <3.8');
  assert.deepEqual(removed, [C]);
  const text = fs.readFileSync(f, 'utf8');
  assert.ok(text.startsWith('{\n  "adapter": "kept",\n  "expected_failures": [\n    {\n'), '2-space JSON, keys kept');
  assert.deepEqual(JSON.parse(text).expected_failures, [
    { scenario: B, reason: 'b is broken', issue: 'https://example.org/1' },
    { scenario: A, reason: 'a on 3.7 only', versions: '<3.8' },
    { scenario: D, reason: PLACEHOLDER_REASON },
    { scenario: A, reason: PLACEHOLDER_REASON },
  ]);
  const known = new Set([A, B, C, D]);
  assert.throws(() => loadExpectations(f, known), new RegExp(`entry 3 \\("${D.replace(/[.]/g, '\\.')}"\\) still has the placeholder reason`));
  assert.equal(loadExpectations(f, known, true).length, 4, '--update-expectations itself keeps them');
  assert.deepEqual(loadExpectations(path.join(path.dirname(f), 'missing.json'), known, true), [], 'a missing file is created');
});

test('--shard splits the sorted IDs into disjoint shares that cover the selection', () => {
  const ids = Array.from({ length: 10 }, (_, i) => ({ id: `features/x.feature: scenario ${String.fromCharCode(106 - i)}` }));
  const shares = [1, 2, 3].map((index) => shardOf(ids, { index, total: 3 }).map((s) => s.id));
  assert.deepEqual(shares.map((s) => s.length), [4, 3, 3]);
  assert.deepEqual(shares.flat().sort(), ids.map((s) => s.id).sort(), 'disjoint and complete');
  assert.deepEqual(shares[0], shardOf([...ids].reverse(), { index: 1, total: 3 }).map((s) => s.id).reverse(), 'independent of the input order');
  assert.deepEqual(parseShard('2/3'), { index: 2, total: 3 });
  for (const bad of ['0/3', '4/3', '1/0', '3', 'a/b', '1/3/2', '-1/3']) assert.throws(() => parseShard(bad), /--shard must be I\/N/, bad);
});

test('bad gating options are one line and status 2', async () => {
  oneLineError(await loopspec(['--update-expectations']), /--update-expectations needs --expectations FILE/);
  oneLineError(await loopspec(['--shard', '4/3']), /--shard must be I\/N with 1 <= I <= N .*"4\/3"/);
  oneLineError(await loopspec(['--retry', 'x']), /--retry needs a whole number/);
  oneLineError(await loopspec(['merge']), /merge needs the report folders/);
  oneLineError(await loopspec(['merge', tmpDir('not-a-report')]), /holds no readable summary\.json/);
});

// ---------------------------------------------------------------- expectations, end to end

test('--update-expectations round-trips: written, refused until explained, then the run passes; --strict catches a pass', async () => {
  const dir = tmpDir('roundtrip');
  const file = path.join(dir, 'lifo.json');
  const broken = ['--python', CPYTHON_312, '--loop', 'broken_loops:lifo_call_soon', '--parallel', '2', '--id', 'lifo', SOON];
  const mustFail = `${SOON}: three callbacks run in registration order`;

  const plain = await loopspec(broken);
  assert.equal(plain.code, 1, 'a new failure fails the run');
  const failing = summary(plain, 'lifo').scenarios.filter((s) => s.outcome === 'failed').map((s) => s.id);
  assert.ok(failing.includes(mustFail), failing.join('\n'));

  const update = await loopspec([...broken, '--expectations', file, '--update-expectations']);
  assert.equal(update.code, 0, update.stdout + update.stderr);
  assert.match(update.stdout, new RegExp(`expectations: ${file.replace(/[.]/g, '\\.')}: ${failing.length} added, 0 removed`));
  const written = JSON.parse(fs.readFileSync(file, 'utf8')).expected_failures as Array<{ scenario: string; reason: string }>;
  assert.deepEqual(written.map((e) => e.scenario).sort(), [...failing].sort());
  assert.ok(written.every((e) => e.reason === PLACEHOLDER_REASON));
  assert.deepEqual(summary(update, 'lifo').counts.failed, 0, 'the run is reported against the file it wrote');

  oneLineError(await loopspec([...broken, '--expectations', file]), /entry 1 \(".*"\) still has the placeholder reason/);

  fs.writeFileSync(file, JSON.stringify({ expected_failures: written.map((e) => ({ ...e, reason: 'this loop runs callbacks last in, first out' })) }, null, 2));
  const explained = await loopspec([...broken, '--expectations', file]);
  assert.equal(explained.code, 0, explained.stdout);
  assert.match(explained.stdout, new RegExp(`${failing.length} failed as the expectations file says`));

  // The correct loop passes what the file expects to fail: named, and fatal only under --strict.
  const fixed = ['--python', CPYTHON_312, '--id', 'fixed', '--parallel', '2', '--expectations', file, SOON];
  const lax = await loopspec(fixed);
  assert.equal(lax.code, 0, lax.stdout);
  assert.match(lax.stdout, /NOW PASSES .*three callbacks run in registration order/);
  const strict = await loopspec([...fixed, '--strict']);
  assert.equal(strict.code, 1, strict.stdout);
  assert.equal(lastLine(strict.stdout), `${summary(strict, 'fixed').counts.passed} passed, ${failing.length} failed, 0 skipped`);
  const junit = parseXml(fs.readFileSync(path.join(strict.reports, 'fixed', 'junit.xml'), 'utf8'));
  assert.equal(junit.attrs.failures, String(failing.length), 'the unexpected passes are JUnit failures under --strict');

  // And updating from the correct loop empties the file again.
  const shrink = await loopspec([...fixed, '--update-expectations', '--strict']);
  assert.equal(shrink.code, 0, shrink.stdout);
  assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')).expected_failures, []);
});

test('--update-expectations writes nothing from a run whose driver was unusable', async () => {
  const file = path.join(tmpDir('unusable'), 'e.json');
  const crash = `${process.execPath} ${path.join(FIXTURES, 'fake-drivers/fake-driver.js')} crash`;
  const run = await loopspec(['--driver', crash, '--timeout', '1', '--tags', '@loop.call_soon', '--expectations', file, '--update-expectations'], { limitMs: 90_000 });
  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.match(run.stdout, /expectations: .*e\.json not updated: the driver was unusable/);
  assert.equal(fs.existsSync(file), false);
});

// ---------------------------------------------------------------- retries

test('--retry: a scenario that fails once and then passes is flaky, in the summary, JUnit and HTML, and does not fail the run', async () => {
  const features = tmpDir('flaky-features');
  const src = fs.readFileSync(path.join(ROOT, SOON), 'utf8');
  // One scenario, so that the loop's one wrong batch falls in it.
  fs.writeFileSync(path.join(features, 'loop.call_soon.feature'), src.slice(0, src.indexOf('  @param:callback')) + [
    '  Rule: "Callbacks are called in the order in which they are registered."', '',
    '    Example: three callbacks run in registration order',
    '      Given callbacks A, B and C are scheduled with call_soon',
    '      When the loop runs one iteration',
    '      Then the callbacks ran in the order A, B, C', ''].join('\n'));
  const args = ['--python', CPYTHON_312, '--loop', 'broken_loops.flaky:lifo_once', '--id', 'flaky', features];

  const once = await loopspec(args, { env: { LOOPSPEC_FLAKY_DIR: tmpDir('flaky-state') } });
  assert.equal(once.code, 1, 'without --retry its first attempt is its result');
  assert.equal(lastLine(once.stdout), '0 passed, 1 failed, 0 skipped');

  const run = await loopspec([...args, '--retry', '2'], { env: { LOOPSPEC_FLAKY_DIR: tmpDir('flaky-state') } });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /FLAKY .*three callbacks run in registration order\n {2}passed on attempt 2; attempt 1 failed:\n {2}.*C, B, A/);
  assert.match(run.stdout, /1 flaky: passed only on a retry\n0 passed, 0 failed, 0 skipped\n$/);
  const s = summary(run, 'flaky');
  assert.equal(s.counts.flaky, 1);
  assert.equal(s.scenarios[0].outcome, 'flaky');
  const dir = path.join(run.reports, 'flaky');
  const junit = parseXml(fs.readFileSync(path.join(dir, 'junit.xml'), 'utf8'));
  assert.equal(junit.attrs.failures, '0');
  assert.match(all(junit, 'flakyFailure')[0].attrs.message, /C, B, A/);
  assert.match(fs.readFileSync(path.join(dir, 'cucumber.html'), 'utf8'), /attempt 2: this scenario is retried \(--retry\)[^"]*attempt 1 failed:[^"]*C, B, A/);
  // cucumber's page shows only the last attempt and hides a passing scenario's hooks: the note
  // must be on a step, where a reader sees it.
  if (chromiumMissing()) return;
  const page = await openPage(path.join(dir, 'cucumber.html'));
  try {
    await page.page.getByText(/loop\.call_soon\.feature$/).first().click();
    await page.page.getByText('Attached Text (text/plain)').first().click();
    assert.match(await page.page.innerText('body'), /Given a new event loop[\s\S]*attempt 1 failed:\s+Error: the callbacks that ran, in order: C, B, A/);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.close();
  }
});

// ---------------------------------------------------------------- shards

test('three --shard runs merged equal one serial run, outline rows included', async () => {
  const reports = tmpDir('shards');
  const features = ['features/scheduling-callbacks', 'features/scheduling-delayed-callbacks'];
  const serial = await loopspec(['--id', 'serial', ...features], { reports });
  assert.equal(serial.code, 0, serial.stdout + serial.stderr);
  const shards = [];
  for (const i of [1, 2, 3]) shards.push(await loopspec(['--shard', `${i}/3`, '--id', `s${i}`, ...features], { reports }));
  for (const sh of shards) assert.equal(sh.code, 0, sh.stdout + sh.stderr);
  const sizes = shards.map((_, i) => summary(serial, `s${i + 1}`).scenarios.length);
  const total = summary(serial, 'serial').scenarios.length;
  assert.equal(sizes.reduce((a, b) => a + b), total);
  assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `even shares: ${sizes}`);

  const incomplete = await loopspec(['merge', path.join(reports, 's1'), path.join(reports, 's3')], { reports });
  oneLineError(incomplete, /merge: shard 2\/3 missing/);
  oneLineError(await loopspec(['merge', path.join(reports, 's1'), path.join(reports, 's1'), path.join(reports, 's2')], { reports }), /shard 1\/3 is given twice/);
  oneLineError(await loopspec(['merge', path.join(reports, 's1'), path.join(reports, 'serial')], { reports }), /serial is not a shard's report/);

  const merged = await loopspec(['merge', ...[1, 2, 3].map((i) => path.join(reports, `s${i}`))], { reports });
  assert.equal(merged.code, 0, merged.stdout + merged.stderr);
  assert.equal(lastLine(merged.stdout), lastLine(serial.stdout));
  const one = summary(serial, 'serial');
  const all3 = summary(serial, 'reference');
  assert.deepEqual(all3.scenarios.map((s) => [s.id, s.outcome]), one.scenarios.map((s) => [s.id, s.outcome]), 'the same scenarios, outcomes and order');
  assert.deepEqual(all3.counts, one.counts);
  const junit = (id: string) => {
    const root = parseXml(fs.readFileSync(path.join(reports, id, 'junit.xml'), 'utf8'));
    return all(root, 'testsuite').map((s) => [s.attrs.name, s.attrs.tests, s.attrs.failures, s.attrs.skipped, all(s, 'testcase').map((c) => c.attrs.name)]);
  };
  assert.deepEqual(junit('reference'), junit('serial'), 'the same JUnit suites and cases');
  // Runs and merge leave the pages alone; the merged run is a column when they are published.
  assert.deepEqual(fs.readdirSync(reports).filter((f) => /^(matrix|spec)/.test(f)), [], 'no page written');
  assert.deepEqual((all3 as unknown as Summary).selection, { paths: features, scenarios: total, whole: false }, 'the selection kept');
  const published = await loopspec(['matrix', '--no-run', path.join(reports, 'reference')], { reports });
  assert.equal(published.code, 0, published.stderr);
  const matrix = JSON.parse(fs.readFileSync(path.join(reports, 'matrix.json'), 'utf8'));
  assert.ok(matrix.columns.some((a: { id: string }) => a.id === 'reference'), 'the merged run is a matrix column');
  assert.deepEqual(matrix.columns.map((c: { selection?: string }) => c.selection), [features.join(' ')], 'which says what it selected');
});

test('merge refuses shards of different selections, and keeps the one they share', () => {
  const shard = (index: number, selection: Summary['selection']): Summary => ({
    ...fakeSummary([result(`${SOON}: shard ${index}`, 'passed')]), selection, shard: { index, total: 2, selected: 2, adapter_id: 'unit' },
  });
  const soon = { tags: '@loop.call_soon', paths: [], scenarios: 2, whole: false };
  assert.throws(() => mergeSummaries(['s1', 's2'], [shard(1, soon), shard(2, { ...soon, tags: '@loop.call_later' })]), /merge: s2 selected --tags @loop\.call_later, but s1 selected --tags @loop\.call_soon$/);
  assert.deepEqual(mergeSummaries(['s1', 's2'], [shard(1, soon), shard(2, soon)]).selection, soon);
});
