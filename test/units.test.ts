// The kit's small parts: argument parsing, tag applicability, expectations, scenario IDs.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs, UsageError } from '../cli/args';
import { loadExpectations } from '../cli/expectations';
import { listFeatureFiles, loadScenarios } from '../cli/features';
import { skipReason, compareVersions, parseVersion } from '../step_definitions/support/applicability';
import { Hello } from '../adapters/errors';
import { ROOT } from '../adapters/adapter-spec';

test('the default adapter is the reference loop', () => {
  assert.equal(parseArgs([]).adapter, 'reference');
});

test('--python and --loop imply the python adapter', () => {
  const o = parseArgs(['--python', '/usr/bin/python3', '--loop', 'uvloop:new_event_loop', '--parallel', '2', '--timeout=1.5']);
  assert.equal(o.adapter, 'python');
  assert.equal(o.loop, 'uvloop:new_event_loop');
  assert.equal(o.parallel, 2);
  assert.equal(o.timeoutS, 1.5);
});

test('bad flags are usage errors, each with a sentence', () => {
  for (const argv of [['--frobnicate'], ['--parallel', '0'], ['--parallel', 'two'], ['--timeout', '-1'], ['--loop', 'uvloop'], ['--loop', 'a:b', '--driver', 'x'], ['--adapter', 'ruby'], ['--tags'], ['--adapter', 'driver']]) {
    assert.throws(() => parseArgs(argv), UsageError, argv.join(' '));
  }
});

test('verify takes --repeat', () => {
  const o = parseArgs(['verify', '--repeat', '3']);
  assert.equal(o.command, 'verify');
  assert.equal(o.repeat, 3);
});

const hello = (version: string, capabilities: string[] = []): Hello => ({ type: 'hello', protocol: 2, implementation: { name: 'x', version: '1' }, language: { name: 'python', version }, capabilities });

test('version tags are inclusive at both ends', () => {
  assert.equal(skipReason(['@since:3.7'], hello('3.7.0')), undefined);
  assert.match(skipReason(['@since:3.7'], hello('3.6.15'))!, /since Python 3.7/);
  assert.equal(skipReason(['@until:3.5.0'], hello('3.5.0')), undefined);
  assert.match(skipReason(['@until:3.5.0'], hello('3.5.1'))!, /until/);
  // A two-part version holds for the whole line: every 3.6.x, and no 3.7.
  assert.equal(skipReason(['@until:3.6'], hello('3.6.15')), undefined);
  assert.match(skipReason(['@until:3.6'], hello('3.7.0'))!, /until Python 3.6/);
  assert.match(skipReason(['@since:3.6.7', '@except:3.7.0'], hello('3.7.0'))!, /does not hold for Python 3.7.0/);
  assert.equal(skipReason(['@since:3.6.7', '@except:3.7.0'], hello('3.7.1')), undefined);
});

test('capability tags skip with the capability named', () => {
  assert.match(skipReason(['@needs:tls'], hello('3.12.1', ['threads']))!, /"tls"/);
  assert.equal(skipReason(['@needs:tls'], hello('3.12.1', ['tls'])), undefined);
});

test('versions compare numerically', () => {
  assert.ok(compareVersions(parseVersion('3.10.0'), parseVersion('3.9.18')) > 0);
  assert.throws(() => parseVersion('three'));
});

function tmpFile(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-unit-'));
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
}

test('expectations need a known scenario and a reason', () => {
  const known = new Set(['features/a.feature: x']);
  assert.equal(loadExpectations(tmpFile('e.json', JSON.stringify({ expected_failures: [{ scenario: 'features/a.feature: x', reason: 'why' }] })), known).length, 1);
  assert.throws(() => loadExpectations(tmpFile('e.json', '{not json'), known), /not valid JSON/);
  assert.throws(() => loadExpectations(tmpFile('e.json', '{"expected_failures": [{"scenario": "features/a.feature: x"}]}'), known), /reason/);
  assert.throws(() => loadExpectations(tmpFile('e.json', '{"expected_failures": [{"scenario": "features/a.feature: y", "reason": "r"}]}'), known), /names no scenario/);
  assert.throws(() => loadExpectations('/no/such/file.json', known), /cannot read/);
});

test('a feature with a syntax error is one line naming the file and line', () => {
  const f = tmpFile('bad.feature', 'Feature: x\n  Scenario: y\n    Given z\n  @tag with space\n  Scenario: w\n');
  assert.throws(() => loadScenarios(path.dirname(f), [f]), (e: unknown) => e instanceof UsageError && /bad\.feature:4:\d+: /.test((e as Error).message));
});

test('every scenario of the shipped features has a unique ID', () => {
  const scenarios = loadScenarios(ROOT, listFeatureFiles(ROOT, ['features']));
  const ids = scenarios.map((s) => s.id);
  assert.equal(new Set(ids).size, ids.length, 'scenario IDs are unique');
  assert.ok(scenarios.length > 50);
});

test('the feature lint names each broken rule', async () => {
  const { lintDocument, registeredTags } = await import('../cli/lint-features');
  const { gherkinParser } = await import('../cli/features');
  const doc = gherkinParser().parse([
    '@loop.call_soon @bogus',
    'Feature: loop.call_soon()',
    '  Example: outside any rule',
    '    Given a new event loop',
    '  Rule: not quoted',
    '    Example: Test 1',
    '      Given the loop sleeps 2 seconds',
    '    Example: Test 1',
    '      Given a new event loop',
  ].join('\n'));
  const rules = lintDocument('features/x/loop.call_later.feature', doc, registeredTags()).map((f) => f.rule).sort();
  assert.deepEqual([...new Set(rules)], ['declarative-steps', 'file-name', 'in-rule', 'known-tags', 'quoted-rule', 'sentence-names', 'spec-link', 'unique-names']);
});

test('the Python driver announces each capability once', () => {
  const { execFileSync } = require('node:child_process') as typeof import('node:child_process');
  const out = execFileSync('python3', [path.join(ROOT, 'adapters/python/loopspec_driver.py')], { input: '' }).toString();
  const hello = JSON.parse(out.split('\n')[0]) as Hello;
  assert.equal(new Set(hello.capabilities).size, hello.capabilities.length, hello.capabilities.join(', '));
});

test('clock comparisons hold at the tolerance whatever the magnitude of loop time', async () => {
  const { sameTime, notBefore, withinSpan, strictlyBefore, micros } = await import('../step_definitions/support/clock');
  // The flake seen on uvloop: one millisecond apart at 400 days of uptime, where the float
  // difference is 0.0010000020265579224.
  assert.ok(34563731.376 - 34563731.375 > 0.001, 'the float difference is over the tolerance');
  assert.ok(sameTime(34563731.376, 34563731.375));
  assert.ok(sameTime(34563731.375, 34563731.376));
  assert.ok(!sameTime(34563731.3771, 34563731.375), '2.1 ms apart is not the same time');
  assert.ok(sameTime(0.001, 0), 'exactly the tolerance at zero');
  assert.ok(!sameTime(0.0011, 0));
  for (const base of [0, 1.5, 86400 * 30.25, 34563731.375, 1e9]) {
    assert.ok(sameTime(base + 0.001, base), `+1 ms at ${base}`);
    assert.ok(!sameTime(base + 0.0012, base), `+1.2 ms at ${base}`);
    assert.ok(notBefore(base - 0.001, base), `1 ms early at ${base} is within the resolution`);
    assert.ok(!notBefore(base - 0.0012, base), `1.2 ms early at ${base} is early`);
    assert.ok(withinSpan(base + 0.001, base - 1, base), `1 ms past the span at ${base}`);
    assert.ok(!withinSpan(base + 0.0012, base - 1, base));
    assert.ok(strictlyBefore(base, base + 0.000001) && !strictlyBefore(base, base));
  }
  assert.equal(micros(34563731.376) - micros(34563731.375), 1000);
});

test('driver variants come from @driver-env and @driver-flag tags, and start the driver with them', async () => {
  const { driverVariant, variantLabel, variantSpec, adapterSpec } = await import('../adapters/adapter-spec');
  assert.equal(driverVariant(['@loop.get_debug', '@since:3.7']), undefined, 'ordinary tags ask for no variant');
  const v = driverVariant(['@driver-env:PYTHONASYNCIODEBUG=1', '@driver-flag:dev-mode']);
  assert.deepEqual(v, { env: { PYTHONASYNCIODEBUG: '1' }, flags: ['dev-mode'] });
  assert.equal(variantLabel(v!), 'PYTHONASYNCIODEBUG=1 -X dev');
  assert.deepEqual(driverVariant(['@driver-env:PYTHONASYNCIODEBUG=']), { env: { PYTHONASYNCIODEBUG: '' }, flags: [] }, 'an empty value is a value');
  assert.throws(() => driverVariant(['@driver-env:X=1', '@driver-env:X=2']), /also sets X=1/);
  assert.throws(() => driverVariant(['@driver-flag:turbo']), /no such driver flag/);
  const python = adapterSpec({ adapter: 'python', python: '/usr/bin/python3', loop: 'asyncio:new_event_loop', timeoutS: 5 });
  const dev = variantSpec(python, { env: {}, flags: ['dev-mode'] });
  assert.deepEqual(dev.command.slice(0, 3), ['/usr/bin/python3', '-X', 'dev'], '-X dev goes before the driver script');
  const withEnv = variantSpec(python, { env: { PYTHONASYNCIODEBUG: '1' }, flags: [] });
  assert.equal(withEnv.env.PYTHONASYNCIODEBUG, '1');
});

test('an expectation with versions holds only for the Python versions it names', async () => {
  const { expectationsFor, versionsMatch } = await import('../cli/expectations');
  const known = new Set(['features/a.feature: x']);
  const file = tmpFile('v.json', JSON.stringify({ expected_failures: [
    { scenario: 'features/a.feature: x', reason: 'a bug of 3.12.0-3.12.2', versions: '>=3.12.0 <3.12.3' },
  ] }));
  const all = loadExpectations(file, known);
  assert.equal(expectationsFor(all, '3.12.1', file).size, 1);
  assert.equal(expectationsFor(all, '3.12.3', file).size, 0);
  assert.equal(expectationsFor(all, '3.11.7', file).size, 0);
  assert.ok(versionsMatch('==3.9', '3.9.0') && !versionsMatch('>3.9', '3.9.0') && versionsMatch('<=3.10', '3.10.0'));
  assert.throws(() => loadExpectations(tmpFile('w.json', JSON.stringify({ expected_failures: [{ scenario: 'features/a.feature: x', reason: 'r', versions: 'after 3.12' }] })), known), /versions/);
});
