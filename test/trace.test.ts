// `npm run trace`: the committed inventory is what the doc files make of themselves, the
// parser finds the items it should where it should, and the exit status says whether every
// item is checked by a scenario or excluded with a reason.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildInventory, DEFAULT_DOC, INVENTORY_PATH, Item, readInventory, renderInventory } from '../cli/inventory';
import { namesVersion } from '../cli/trace';
import { ROOT } from './helpers';

function traceCli(args: string[]): { code: number | null; stdout: string; stderr: string; reports: string } {
  const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-trace-'));
  const r = spawnSync(process.execPath, ['dist/cli/trace.js', '--reports', reports, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, reports };
}

function tmpFile(name: string, text: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-trace-')), name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

const inventory = readInventory();
const item = (id: string): Item => {
  const found = inventory.items.find((i) => i.id === id);
  assert.ok(found, `${id} is in trace/inventory.json`);
  return found;
};

test('trace/inventory.json is what `npm run trace -- --update` makes of ../shared/seeds', { skip: !fs.existsSync(DEFAULT_DOC) && 'no ../shared/seeds' }, () => {
  assert.equal(fs.readFileSync(INVENTORY_PATH, 'utf8'), renderInventory(buildInventory(DEFAULT_DOC)), 'run `npm run trace -- --update` and commit trace/inventory.json');
});

test('the inventory is sorted by id, each id once', () => {
  const ids = inventory.items.map((i) => i.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  assert.equal(new Set(ids).size, ids.length);
});

test('a parameter comes from its signature and carries the notes that name it', () => {
  assert.deepEqual(item('loop.call_soon(context)'), {
    id: 'loop.call_soon(context)', kind: 'parameter', api: 'loop.call_soon', section: 'Scheduling callbacks',
    versions: { first: '3.7', last: '3.9', notes: ['versionchanged 3.7'] },
    sources: ['002_c015415813728c93.txt', '004_dc2f8d7ebeac1996.txt'],
  });
  const name = item('loop.create_task(name)');
  assert.equal(name.section, 'Creating Futures and Tasks');
  assert.deepEqual(name.versions.notes, ['versionchanged 3.8']);
  assert.equal(item('loop.create_task versionchanged 3.8').versions.note, '3.8');
  // 3.4 wrote `\*args` and called the loop BaseEventLoop: the same items.
  assert.ok(item('loop.call_soon(args)').sources.includes('003_9e22d8ba5e633940.txt'));
  assert.equal(item('loop.set_debug(enabled)').kind, 'parameter');
});

test('version notes belong to the API they are written under, nested or not', () => {
  assert.deepEqual(item('loop.shutdown_default_executor versionadded 3.9'), {
    id: 'loop.shutdown_default_executor versionadded 3.9', kind: 'versionadded', api: 'loop.shutdown_default_executor',
    section: 'Running and stopping the loop', versions: { note: '3.9', first: '3.9', last: '3.9' }, sources: ['002_c015415813728c93.txt'],
  });
  // The top-level note after call_soon and call_soon_threadsafe is about both.
  assert.equal(item('loop.call_soon_threadsafe versionchanged 3.7').kind, 'versionchanged');
  // The one-day note after loop.time() is about call_later's delay and call_at's when.
  assert.ok(item('loop.call_later versionchanged 3.8'));
  assert.ok(item('loop.call_at versionchanged 3.8'));
  assert.ok(!inventory.items.some((i) => i.id.startsWith('loop.time ')));
  // 3.7's page said 3.7.1 for the same fix; 3.5's page is the only one with 3.5.1's change.
  assert.deepEqual(item('loop.call_later versionchanged 3.7.1').sources, ['004_dc2f8d7ebeac1996.txt']);
  assert.equal(item('loop.run_forever versionchanged 3.5.1').section, 'Running and stopping the loop');
  assert.ok(item('loop.getaddrinfo versionchanged 3.7') && item('loop.getnameinfo versionchanged 3.7'));
  assert.equal(item('loop.set_default_executor deprecated 3.8').kind, 'deprecated');
  // A method nested in a class, on the pages whose indentation is squeezed too.
  assert.ok(item('asyncio.Handle.cancelled versionadded 3.7').sources.includes('004_dc2f8d7ebeac1996.txt'));
  assert.ok(!inventory.items.some((i) => i.id === 'asyncio.Handle versionadded 3.7'));
});

test('functions, classes and the items only the 3.4 and 3.5 pages have', () => {
  const running = item('asyncio.get_running_loop');
  assert.deepEqual([running.kind, running.api, running.section, running.versions.first], ['function', 'asyncio.get_running_loop', 'Obtaining the Event Loop', '3.7']);
  for (const [id, kind, section] of [
    ['asyncio.get_event_loop_policy', 'function', 'Access to the global loop policy'],
    ['asyncio.set_event_loop_policy', 'function', 'Access to the global loop policy'],
    ['asyncio.set_event_loop_policy(policy)', 'parameter', 'Access to the global loop policy'],
    ['asyncio.AbstractEventLoopPolicy', 'class', 'Event loop policy interface'],
    ['asyncio.AbstractEventLoopPolicy.new_event_loop', 'method', 'Event loop policy interface'],
  ]) {
    const i = item(id);
    assert.deepEqual([i.kind, i.section, i.versions.first, i.versions.last, i.sources], [kind, section, '3.4', '3.4', ['003_9e22d8ba5e633940.txt']], id);
  }
  assert.equal(item('asyncio.BaseEventLoop').section, 'Base Event Loop');
  // Pages newer than 3.4 have get_event_loop too: its section is page 002's.
  assert.equal(item('asyncio.get_event_loop').section, 'Obtaining the Event Loop');
  assert.equal(item('loop.sendfile').kind, 'coroutinemethod');
  assert.equal(item('asyncio.Server.sockets').kind, 'attribute');
});

test('an example is one item across its titles and labels, with the label a scenario tags', () => {
  const hello = item('example: Hello World with call_soon()');
  assert.deepEqual([hello.kind, hello.api, hello.label, hello.section, hello.versions.first], ['example', 'loop.call_soon', 'asyncio_example_lowlevel_helloworld', 'Hello World with call_soon()', '3.4']);
  assert.equal(inventory.items.filter((i) => i.kind === 'example').length, 4);
});

test('version tags name a note: since its version, until and except the release after', () => {
  assert.ok(namesVersion('@since:3.7', '3.7'));
  assert.ok(namesVersion('@since:3.7', '3.7.0'));
  assert.ok(!namesVersion('@since:3.7', '3.8'));
  assert.ok(namesVersion('@until:3.5.0', '3.5.1'));
  assert.ok(!namesVersion('@until:3.5.0', '3.5.0'));
  assert.ok(namesVersion('@until:3.7', '3.8'));
  assert.ok(namesVersion('@except:3.7.0', '3.7.1'));
  assert.ok(namesVersion('@except:3.7.0', '3.8'));
  assert.ok(!namesVersion('@except:3.7.0', '3.7'));
  assert.ok(!namesVersion('@needs:tls', '3.7'));
});

test('the feature lint accepts @param:NAME', async () => {
  const { lintDocument, registeredTags } = await import('../cli/lint-features');
  const { gherkinParser } = await import('../cli/features');
  const doc = gherkinParser().parse('@loop.call_soon @param:context\nFeature: loop.call_soon()\n  Rule: "x"\n    @param:callback\n    Example: a thing happens\n      Given a new event loop\n');
  assert.deepEqual(lintDocument('features/x/loop.call_soon.feature', doc, registeredTags()).filter((f) => f.rule === 'known-tags'), []);
});

test('`npm run trace` exits 0 on the project as it is, and no exclusion covers a checked item', () => {
  const run = traceCli([]);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.doesNotMatch(run.stdout, /^warning:/m, 'remove the exclusions the warnings name from trace/exclusions.json');
  assert.match(run.stdout.trimEnd().split('\n').pop()!, /^\d+ items, \d+ checked, \d+ excluded, \d+ pending$/);
  const report = JSON.parse(fs.readFileSync(path.join(run.reports, 'trace.json'), 'utf8')) as { items: Array<{ id: string; status: string }> };
  const status = (id: string) => report.items.find((i) => i.id === id)?.status;
  assert.equal(status('asyncio.Handle.cancel'), 'checked');
  assert.equal(status('asyncio.ProactorEventLoop'), 'excluded');
  assert.equal(status('loop.create_connection'), 'checked');
  assert.equal(status('loop.create_datagram_endpoint'), 'checked');
  assert.equal(status('loop.create_datagram_endpoint(reuse_address)'), 'checked');
  assert.match(fs.readFileSync(path.join(run.reports, 'trace.md'), 'utf8'), /^\| `asyncio.Handle.cancel` \| Callback Handles \| .* \| features\/callback-handles\/asyncio.Handle.feature: /m);
});

// A feature of our own, so these runs do not depend on what features/ holds today.
const FIXTURE = [
  '@loop.call_soon',
  'Feature: loop.call_soon()',
  '  @since:3.7',
  '  Rule: "An optional keyword-only context argument allows specifying a custom contextvars.Context for the callback to run in."',
  '    @param:context',
  '    Example: the callback runs in the context it was given',
  '      Given a new event loop',
].join('\n');

test('the tags a scenario inherits decide what it checks', () => {
  const features = path.dirname(tmpFile('features/scheduling-callbacks/loop.call_soon.feature', FIXTURE));
  const exclusions = tmpFile('exclusions.json', JSON.stringify([{ item: '*', reason: 'pending: everything the fixture does not check' }]));
  const run = traceCli(['--features', path.dirname(features), '--exclusions', exclusions]);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  const report = JSON.parse(fs.readFileSync(path.join(run.reports, 'trace.json'), 'utf8')) as { items: Array<{ id: string; status: string; scenarios: string[] }> };
  const scenario = 'features/scheduling-callbacks/loop.call_soon.feature: the callback runs in the context it was given';
  for (const id of ['loop.call_soon', 'loop.call_soon(context)', 'loop.call_soon versionchanged 3.7']) {
    assert.deepEqual(report.items.find((i) => i.id === id)?.scenarios, [scenario], id);
  }
  for (const id of ['loop.call_soon(callback)', 'loop.call_soon_threadsafe versionchanged 3.7']) assert.equal(report.items.find((i) => i.id === id)?.status, 'pending', id);
});

test('an item with no scenario and no exclusion is listed, and the run exits 1', () => {
  const features = path.dirname(path.dirname(tmpFile('features/scheduling-callbacks/loop.call_soon.feature', FIXTURE)));
  const all = inventory.items.filter((i) => i.id !== 'asyncio.new_event_loop').map((i) => ({ item: i.id, reason: 'pending: fixture' }));
  const run = traceCli(['--features', features, '--exclusions', tmpFile('exclusions.json', JSON.stringify(all))]);
  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.match(run.stdout, /^no scenario and no exclusion: asyncio.new_event_loop \(Obtaining the Event Loop\)$/m);
  assert.match(run.stdout, /^1 item with no scenario and no exclusion$/m);
  assert.match(run.stdout, /, 1 unchecked$/m);
});

test('bad input is one line and status 2', () => {
  const noReason = tmpFile('exclusions.json', JSON.stringify([{ section: 'DNS', reason: 'pending: DNS' }, { item: 'loop.create_connection*' }]));
  for (const [args, pattern] of [
    [['--exclusions', noReason], /entry 2 \(item "loop.create_connection\*"\) has no reason/],
    [['--bogus'], /unknown option --bogus/],
    [['--features'], /--features needs a value/],
    [['--exclusions', path.join(os.tmpdir(), 'no-such-exclusions.json')], /no such file/],
  ] as Array<[string[], RegExp]>) {
    const run = traceCli(args);
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.stdout}${run.stderr}`);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.match(run.stderr, pattern);
  }
});
