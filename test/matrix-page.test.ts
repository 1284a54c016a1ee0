// The conformance matrix page (reports/matrix/index.html) in real headless Chromium, opened
// from file:// as a reader would: `loopspec matrix` on three real adapters (the reference loop,
// CPython 3.12 and a broken copy of it that ignores the context argument) must give a page
// that loads with no console error, has one column per adapter, opens a failing cell to its
// error and filters by section, status and "implementations differ"; a run of an earlier day
// left in the reports folder is no column of it, and each column says it ran only
// --tags @loop.call_soon. A page of a whole run beside a partial one shows which is which. A
// last page, from a summary full of markup, must show that markup as text and run none of it.
// A screenshot of the first page is kept in reports/matrix/screenshot.png for a reader.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromiumMissing, openPage } from './browser';
import { CPYTHON_312, lastLine, loopspec, ROOT } from './helpers';
import { loadCatalogue } from '../cli/catalogue';
import { writeMatrix } from '../cli/pages';
import type { Summary } from '../cli/reports';

const skip = chromiumMissing() ?? (fs.existsSync(CPYTHON_312) ? undefined : `${CPYTHON_312} is not installed`);
const SCREENSHOT = path.join(ROOT, 'reports', 'matrix', 'screenshot.png');
const BROKEN = 'python-3.12.1-broken_loops';
const CONTEXT = 'the callback sees the variables of the context it was given';

function visibleRows(page: import('playwright-core').Page): Promise<string[]> {
  return page.locator('#matrix tr.behaviour:not([hidden]) th').allTextContents();
}

test('the matrix page of three real adapters: columns, a failing cell\'s error, filters, no console error', { skip, timeout: 240_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-matrix-'));
  const config = path.join(dir, 'adapters.json');
  // A generous request limit: a loaded machine must not turn a slow answer into a failed cell.
  const timeout = 20;
  fs.writeFileSync(config, JSON.stringify({ adapters: [
    { name: 'the reference loop', reference: true, timeout },
    { name: 'CPython 3.12', python: CPYTHON_312, timeout },
    { name: 'a loop that ignores the context argument', python: CPYTHON_312, loop: 'broken_loops.contexts:ignores_context', timeout },
  ] }));
  const reports = path.join(dir, 'reports');
  // A run of an earlier day, which the matrix must leave out.
  fs.mkdirSync(path.join(reports, 'earlier'), { recursive: true });
  fs.writeFileSync(path.join(reports, 'earlier', 'summary.json'), JSON.stringify(handMade('earlier', [])));
  const run = await loopspec(['matrix', '--config', config, '--tags', '@loop.call_soon'], { reports });
  // The broken loop fails its scenario, so the matrix fails; the other two pass.
  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.equal(lastLine(run.stdout), '2 passed, 1 failed, 0 skipped', run.stdout);
  assert.match(run.stdout, /^FAIL a loop that ignores the context argument: \d+ passed, 1 failed, 0 skipped$/m);
  for (const f of ['matrix.json', 'matrix.md', 'matrix/index.html']) assert.ok(fs.existsSync(path.join(reports, f)), f);
  const data = JSON.parse(fs.readFileSync(path.join(reports, 'matrix.json'), 'utf8'));

  const opened = await openPage(path.join(reports, 'matrix', 'index.html'));
  try {
    const { page } = opened;
    await page.setViewportSize({ width: 1280, height: 900 });
    assert.deepEqual(await page.locator('#matrix thead th.adapter .id').allTextContents(), ['reference', 'python-3.12.1-asyncio', BROKEN], 'one column per adapter run');
    assert.equal(await page.locator('#summary thead th.col').count(), 3);
    assert.equal(await page.locator('#matrix tr.behaviour').count(), data.rows.length);
    assert.match((await page.locator('#summary tr.total').textContent()) ?? '', /15 of 15.*15 of 15.*14 of 15/);
    assert.deepEqual(await page.locator('#matrix thead th.adapter .selection').allTextContents(), Array(3).fill('partial: --tags @loop.call_soon'), 'each column says what it ran');
    assert.deepEqual(await page.locator('#summary tr.total .scope').allTextContents(), Array(3).fill(`selection only: 15 of ${data.catalogued} behaviours`));

    // A failing cell opens to its error.
    const failing = page.locator('#matrix tr.behaviour', { hasText: CONTEXT }).locator(`td[data-col="${BROKEN}"]`);
    assert.equal(await failing.getAttribute('data-outcome'), 'failed');
    const detail = failing.locator('.detail');
    assert.equal(await detail.isVisible(), false, 'closed until opened');
    await failing.locator('summary').click();
    assert.equal(await detail.isVisible(), true);
    assert.match((await detail.textContent()) ?? '', /V\.get\(\) returned "unset", not "inside"/);
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    // From the top, so the sticky column headers are where a reader first sees them.
    await page.mouse.wheel(0, -100_000);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    t.diagnostic(`screenshot: ${SCREENSHOT}`);

    // The filters change what is shown: only where implementations differ, by status, by section.
    const all = (await visibleRows(page)).length;
    await page.locator('#filter-differ').check();
    assert.deepEqual(await visibleRows(page), [CONTEXT]);
    assert.match((await page.locator('#shown').textContent()) ?? '', new RegExp(`^1 of ${all} behaviours shown$`));
    await page.locator('#filter-differ').uncheck();
    await page.selectOption('#filter-status', 'failed');
    assert.deepEqual(await visibleRows(page), [CONTEXT]);
    await page.selectOption('#filter-status', '');
    await page.selectOption('#filter-section', 'examples');
    const examples = await visibleRows(page);
    assert.ok(examples.length >= 1 && examples.length < all, `${examples.length} of ${all}`);
    assert.equal(await page.locator('#matrix tr.section-row:not([hidden])').count(), 1, 'only the chosen section\'s heading');
    await page.selectOption('#filter-section', '');
    assert.equal((await visibleRows(page)).length, all);
    assert.deepEqual(opened.errors, [], 'no console error');
  } finally {
    await opened.close();
  }
});

const [SOON, LATER] = ['features/scheduling-callbacks/loop.call_soon.feature', 'features/scheduling-delayed-callbacks/loop.call_later.feature'];

/** A summary as a run leaves it, of scenarios of the catalogue that all passed. */
function handMade(id: string, ids: string[], selection?: Summary['selection']): Summary {
  const catalogue = loadCatalogue();
  return {
    adapter: { id, kind: 'python', label: id }, implementation: { name: `impl-${id}`, version: '1.0' }, language: { name: 'python', version: '3.12.1' },
    capabilities: [], started: '', finished: '', partial: false, counts: { passed: ids.length, failed: 0, skipped: 0, xfail: 0, xpass: 0, flaky: 0 }, ...(selection ? { selection } : {}),
    scenarios: ids.map((sid) => catalogue.find((e) => e.id === sid)!).map((e) => ({ id: e.id, uri: e.uri, line: e.line, name: e.name, tags: e.tags, status: 'passed', outcome: 'passed' })),
  } as Summary;
}

test('a column of part of features/ says so on the page, beside a whole run\'s column that looks as before', { skip: chromiumMissing(), timeout: 60_000 }, async () => {
  const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-matrix-partial-'));
  const catalogue = loadCatalogue();
  const soon = catalogue.filter((e) => e.uri === SOON).map((e) => e.id);
  const whole = handMade('whole', catalogue.filter((e) => e.uri === SOON || e.uri === LATER).map((e) => e.id), { paths: [], scenarios: catalogue.length, whole: true });
  const part = handMade('part', soon, { tags: '@loop.call_soon', paths: [], scenarios: soon.length, whole: false });
  writeMatrix(reports, catalogue, [whole, part]);
  const opened = await openPage(path.join(reports, 'matrix', 'index.html'));
  try {
    const { page } = opened;
    const header = (id: string) => page.locator('#summary thead th.col', { has: page.locator('.id', { hasText: new RegExp(`^${id}$`) }) });
    assert.equal(await header('part').locator('.selection').textContent(), 'partial: --tags @loop.call_soon');
    assert.equal(await header('whole').locator('.selection').count(), 0, 'a whole run says nothing more');
    const total = page.locator('#summary tr.total td');
    // Columns in id order: the partial one first.
    assert.deepEqual(await total.allTextContents(), [`${soon.length} of ${soon.length}selection only: ${soon.length} of ${catalogue.length} behaviours`, `${whole.scenarios.length} of ${whole.scenarios.length}`]);
    assert.match((await total.nth(0).getAttribute('title')) ?? '', /of its selection only \(--tags @loop\.call_soon\), not of the whole spec$/);
    // The section the partial run did not select is "not run" there, not "n/a".
    const delayed = page.locator('#summary tbody tr', { hasText: 'Scheduling delayed callbacks' }).locator('td');
    assert.deepEqual(await delayed.allTextContents(), ['not run', `${whole.scenarios.length - soon.length} of ${whole.scenarios.length - soon.length}`]);
    assert.match((await page.locator('.partial-note').textContent()) ?? '', /^1 of the 2 columns ran part of features\/ only \(part: --tags @loop\.call_soon\): /);
    assert.deepEqual(opened.errors, []);
  } finally {
    await opened.close();
  }
  const md = fs.readFileSync(path.join(reports, 'matrix.md'), 'utf8');
  assert.match(md, /^- \*\*part\*\*: impl-part 1\.0, Python 3\.12\.1 \(partial: --tags @loop\.call_soon\): .* passed of applicable, of its selection only \(\d+ of the \d+ behaviours of features\/\)/m);
  assert.match(md, /^- \*\*whole\*\*: impl-whole 1\.0, Python 3\.12\.1: \d+ of \d+ \(100%\) passed of applicable \(/m);
  assert.match(md, /^\| Scheduling delayed callbacks \| not run \| \d+\/\d+ \|$/m);
});

test('markup in a scenario, an error or an implementation name shows as text on the page and never runs', { skip: chromiumMissing(), timeout: 60_000 }, async () => {
  const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-matrix-markup-'));
  const evil = '</script><script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"><!--';
  const scenario = { uri: 'features/dns/evil.feature', line: 1, tags: [], status: 'failed' };
  fs.mkdirSync(path.join(reports, 'evil'));
  fs.writeFileSync(path.join(reports, 'evil', 'summary.json'), JSON.stringify({
    adapter: { id: 'evil', kind: 'driver', label: evil }, implementation: { name: evil, version: '<b>1</b>' }, language: { name: 'python', version: '3.12.0' },
    loop: evil, capabilities: [], started: '', finished: '', partial: false, counts: {},
    scenarios: [
      { ...scenario, id: `features/dns/evil.feature: ${evil}`, name: evil, outcome: 'failed', error: evil },
      { ...scenario, id: 'features/dns/evil.feature: odd', name: 'odd', outcome: `<i>${evil}`, expectedReason: evil },
    ],
  }));
  writeMatrix(reports);
  const html = fs.readFileSync(path.join(reports, 'matrix', 'index.html'), 'utf8');
  assert.ok(!html.includes('<script>window.pwned') && !html.includes('<img src=x'), 'no markup of theirs in the file');
  assert.ok(!/<script>window|<img src=x/.test(fs.readFileSync(path.join(reports, 'matrix.md'), 'utf8')));
  const opened = await openPage(path.join(reports, 'matrix', 'index.html'));
  try {
    const { page } = opened;
    let dialogs = 0;
    page.on('dialog', (d) => { dialogs++; void d.dismiss(); });
    const row = page.locator('#matrix tr.behaviour').first();
    assert.equal(await row.locator('th').textContent(), evil, 'the name, as text');
    await row.locator('td summary').click();
    assert.match((await row.locator('.detail pre').textContent()) ?? '', /<\/script><script>window\.pwned = 1/);
    assert.match((await page.locator('#matrix thead th.adapter .impl').textContent()) ?? '', /^<\/script><script>window\.pwned = 1.* <b>1<\/b>$/);
    // An outcome it does not know is shown by its name, with its reason.
    assert.equal(await page.locator('#matrix tr.behaviour').nth(1).locator('td').getAttribute('data-outcome'), `<i>${evil}`);
    assert.equal(await page.evaluate(() => (globalThis as { pwned?: number }).pwned), undefined, 'nothing of theirs ran');
    assert.equal(await page.locator('#matrix img, #matrix b, #matrix i').count(), 0);
    assert.equal(dialogs, 0);
    assert.deepEqual(opened.errors, []);
  } finally {
    await opened.close();
  }
});
