// The rendered spec (reports/spec/index.html) in headless Chromium, opened from file:// as a
// reader would: drawn from a real reference-loop run of @loop.call_soon and a hand-made second
// run with a failure and an outcome the page does not know. It loads with no console error,
// shows the doc's sections in order, the Rules' sentences with their doc links, the tags as
// badges and a status chip per implementation, its filter works, and a <script> in a loop's
// or a feature's name is text that does not run. A run of part of features/ says so, and
// `loopspec spec RUN...` draws the page from the runs named only.
import { before, test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadCatalogue } from '../cli/catalogue';
import { SECTIONS } from '../cli/docs';
import { writeSpecPage } from '../cli/spec-page';
import { chromiumMissing, openPage } from './browser';
import { loopspec, oneLineError, ROOT } from './helpers';

const skip = chromiumMissing();
const CALL_SOON_FEATURE = 'features/scheduling-callbacks/loop.call_soon.feature';
const THREE = `${CALL_SOON_FEATURE}: three callbacks run in registration order`;
const TWELVE = `${CALL_SOON_FEATURE}: twelve callbacks run in registration order`;
const EVIL = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">';

let reports: string;
let page: string;

before(async () => {
  const run = await loopspec(['--tags', '@loop.call_soon']);
  assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  reports = run.reports;
  // A second implementation, as another loop's run would leave it: one failure, one outcome
  // of a newer kit, and a name that is markup.
  const ref = JSON.parse(fs.readFileSync(path.join(reports, 'reference', 'summary.json'), 'utf8'));
  ref.adapter.id = 'other-loop';
  ref.implementation = { name: EVIL, version: '9.9' };
  for (const s of ref.scenarios) {
    if (s.id === THREE) Object.assign(s, { status: 'failed', outcome: 'failed', error: 'AssertionError: ran C, B, A' });
    if (s.id === TWELVE) s.outcome = 'flaky';
  }
  fs.mkdirSync(path.join(reports, 'other-loop'));
  fs.writeFileSync(path.join(reports, 'other-loop', 'summary.json'), JSON.stringify(ref));
  // The subcommand regenerates the page from both.
  const spec = await loopspec(['spec'], { reports });
  assert.equal(spec.code, 0, spec.stderr);
  page = path.join(reports, 'spec', 'index.html');
  assert.match(spec.stdout, /spec\/index\.html/);
});

test('the spec page shows the sections in the doc order, sentences with doc links, badges and a chip per implementation', { skip }, async () => {
  const { page: p, errors, close } = await openPage(page);
  try {
    assert.deepEqual(errors, []);
    const headings = await p.locator('section > h2').allTextContents();
    const expected = SECTIONS.map(([, heading]) => heading).filter((h) => headings.some((t) => t.startsWith(h)));
    assert.deepEqual(headings.map((h) => h.replace(/ doc$/, '')), expected);
    assert.equal(headings.length, new Set(loadCatalogue().map((e) => e.section.folder)).size);
    assert.deepEqual(await p.locator('nav li a').allTextContents(), expected);

    const rule = p.locator('blockquote.sentence', { hasText: 'Callbacks are called in the order in which they are registered.' });
    assert.equal(await rule.count(), 1);
    assert.equal(await rule.locator('a.doc').getAttribute('href'), 'https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.call_soon');

    assert.equal(await p.locator('a.badge.api', { hasText: '@loop.call_soon' }).first().getAttribute('href'), 'https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.call_soon');
    for (const [cls, re] of [['version', /^@since:/], ['version', /^@until:/], ['needs', /^@needs:threads$/], ['undefined', /^@undefined$/]] as const) {
      const texts = await p.locator(`.badge.${cls}`).allTextContents();
      assert.ok(texts.some((t) => re.test(t)), `a .badge.${cls} ${re}: ${[...new Set(texts)].slice(0, 5)}`);
    }

    // Each Example carries one chip per implementation, with its last known outcome.
    const three = p.locator('.example', { has: p.locator('.ex-name', { hasText: /^Example: three callbacks run in registration order$/ }) });
    assert.deepEqual(await three.locator('.chip').allTextContents(), ['other-loop: FAIL', 'reference: pass']);
    assert.match((await three.locator('.chip.failed').getAttribute('title')) ?? '', /ran C, B, A/);
    assert.deepEqual(await three.locator('.steps li').allTextContents(), [
      'Given a new event loop', 'And callbacks A, B and C are scheduled with call_soon', 'When the loop runs one iteration', 'Then the callbacks ran in the order A, B, C',
    ]);
    const twelve = p.locator('.example', { has: p.locator('.ex-name', { hasText: /^Example: twelve callbacks/ }) });
    assert.equal(await twelve.locator('.chip.other').textContent(), 'other-loop: flaky');
    // A scenario outside the runs' subset is "not run" on both.
    const later = p.locator('.example', { has: p.locator('.where', { hasText: 'loop.call_later.feature' }) }).first();
    assert.deepEqual(await later.locator('.chip.none').allTextContents(), ['other-loop: —', 'reference: —']);

    // The loop's name is shown as text.
    assert.equal(await p.evaluate(() => (globalThis as { pwned?: number }).pwned), undefined);
    assert.ok((await p.locator('.runs').textContent())!.includes(EVIL));

    // The screenshot shows the failing Example beside its passing one.
    await three.scrollIntoViewIfNeeded();
    fs.mkdirSync(path.join(ROOT, 'reports', 'spec'), { recursive: true });
    await p.screenshot({ path: path.join(ROOT, 'reports', 'spec', 'screenshot.png') });
  } finally {
    await close();
  }
});

test('the filter keeps the Examples that match, and those failing somewhere; a feature folds', { skip }, async () => {
  const { page: p, errors, close } = await openPage(page);
  try {
    const all = await p.locator('.example').count();
    assert.equal(await p.locator('#shown').textContent(), String(all));
    await p.fill('#filter', 'registration order');
    // Every word must be somewhere in the Example's name, sentence, steps or tags.
    const matching = loadCatalogue().filter((e) => {
      const text = [e.name, e.sentence, ...e.steps.map((s) => s.text), ...e.tags].join(' ').toLowerCase();
      return text.includes('registration') && text.includes('order');
    }).length;
    assert.ok(matching > 1);
    assert.equal(await p.locator('.example:visible').count(), matching);
    assert.equal(await p.locator('#shown').textContent(), String(matching));

    await p.fill('#filter', '');
    await p.check('#failing');
    assert.deepEqual(await p.locator('.example:visible .ex-name').allTextContents(), ['Example: three callbacks run in registration order']);
    assert.deepEqual(await p.locator('section:visible > h2').allTextContents(), ['Scheduling callbacks doc']);
    await p.uncheck('#failing');
    assert.equal(await p.locator('.example:visible').count(), all);

    // A feature folds away under its heading, and opens again.
    const first = p.locator('details.feature').first();
    await first.locator('summary h3').click();
    assert.equal(await first.locator('.example:visible').count(), 0);
    assert.equal(await p.locator('.example:visible').count(), all - await first.locator('.example').count());
    await first.locator('summary h3').click();
    assert.equal(await p.locator('.example:visible').count(), all);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('markup in a feature is text on the page, and does not run', { skip }, async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-evil-'));
  fs.mkdirSync(path.join(root, 'features', 'scheduling-callbacks'), { recursive: true });
  const file = path.join(root, 'features', 'scheduling-callbacks', 'evil.feature');
  fs.writeFileSync(file, [
    `@loop.call_soon`, `Feature: ${EVIL}`, `  ${EVIL}`, `  Spec: javascript:window.pwned=3`, '',
    `  Rule: "${EVIL}"`, '', `    Example: ${EVIL}`, `      Given ${EVIL}`, '',
  ].join('\n'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-evil-reports-'));
  const { page: p, errors, close } = await openPage(writeSpecPage(dir, loadCatalogue(root, [file])));
  try {
    assert.deepEqual(errors, []);
    assert.equal(await p.evaluate(() => (globalThis as { pwned?: number }).pwned), undefined);
    assert.equal(await p.locator('.feature h3').textContent(), EVIL);
    assert.equal(await p.locator('blockquote.sentence').textContent(), `“${EVIL}”`);
    assert.equal(await p.locator('.ex-name').textContent(), `Example: ${EVIL}`);
    assert.equal(await p.locator('a[href^="javascript:"]').count(), 0);
  } finally {
    await close();
  }
});

test('a run of part of features/ says so, and its chips of what it did not select say why', { skip }, async () => {
  const { page: p, errors, close } = await openPage(page);
  try {
    assert.deepEqual(errors, []);
    assert.deepEqual(await p.locator('.runs .selection').allTextContents(), ['partial: --tags @loop.call_soon', 'partial: --tags @loop.call_soon']);
    const later = p.locator('.example', { has: p.locator('.where', { hasText: 'loop.call_later.feature' }) }).first();
    assert.equal(await later.locator('.chip.none.unselected', { hasText: 'reference' }).getAttribute('title'), 'reference: not run: not in the run\'s selection (--tags @loop.call_soon)');
  } finally {
    await close();
  }
});

test('loopspec spec RUN... draws the page from the runs named, and from no other run of the folder', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-spec-named-'));
  const named = await loopspec(['spec', path.join(reports, 'other-loop')], { reports: out });
  assert.equal(named.code, 0, named.stderr);
  const html = fs.readFileSync(path.join(out, 'spec', 'index.html'), 'utf8');
  assert.deepEqual([...html.matchAll(/<li><b>([^<]*)<\/b>/g)].map((m) => m[1]), ['other-loop']);
  assert.deepEqual(fs.readdirSync(out), ['spec'], 'the spec page only');
});

test('loopspec spec takes only --reports and runs, and needs the folder or each run to exist', async () => {
  const other = await loopspec(['spec', '--tags', '@loop.call_soon']);
  assert.equal(other.code, 2);
  assert.equal(other.stderr.trim(), 'loopspec: loopspec spec takes only --reports DIR and runs (report folders or summary.json files), got --tags');
  oneLineError(await loopspec(['spec', path.join(reports, 'no-such-run')]), /^loopspec: spec: no such run .*no-such-run /);
  oneLineError(await loopspec(['spec', path.join(reports, 'spec')]), /^loopspec: spec: the folder .*spec holds no summary\.json/);
  const missing = await loopspec(['spec'], { reports: path.join(os.tmpdir(), 'loopspec-no-such-reports-folder') });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr.trim(), /^loopspec: no reports folder .*loopspec-no-such-reports-folder$/);
});
