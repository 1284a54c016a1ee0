// `loopspec batch`: many runs from one kit process, each with its own output, reports and exit
// status, as `loopspec ARGS` would have given them; a plan that is not one is one line and status 2.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CPYTHON_312, FIXTURES, lastLine, oneLineError, ROOT } from './helpers';

interface Outcome { run: number; args: string[]; code: number; stdout: string; stderr: string; ms: number }

function batch(args: string[], input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/loopspec.js'), 'batch', ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.stdin.end(input ?? '');
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

function plan(runs: unknown): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-plan-')), 'plan.json');
  fs.writeFileSync(file, JSON.stringify(runs));
  return file;
}

test('a batch gives each run its own exit status, output and reports, as the run alone would', async () => {
  const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-batch-'));
  const env = { PYTHONPATH: FIXTURES };
  const runs = [
    { args: ['--reports', reports, '--tags', '@loop.call_soon'] },
    { args: ['--reports', reports, '--python', CPYTHON_312, '--loop', 'broken_loops:lifo_call_soon', '--id', 'lifo', 'features/scheduling-callbacks/loop.call_soon.feature'], env },
    { args: ['--reports', reports, '--python', CPYTHON_312, '--loop', 'no_such_module:make'] },
    { args: ['--reports', reports, '--frobnicate'] },
  ];
  const r = await batch([plan({ runs }), '--parallel', '2']);
  assert.equal(r.code, 1, r.stderr);
  const outcomes = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Outcome).sort((a, b) => a.run - b.run);
  assert.deepEqual(outcomes.map((o) => o.run), [0, 1, 2, 3], 'one line per run');
  assert.deepEqual(outcomes.map((o) => o.code), [0, 1, 2, 2]);
  assert.match(lastLine(outcomes[0].stdout), /^15 passed, 0 failed, 0 skipped$/);
  assert.match(outcomes[1].stdout, /three callbacks run in registration order/);
  oneLineError(outcomes[2], /no_such_module/);
  oneLineError(outcomes[3], /unknown option --frobnicate/);
  // Each run's reports where the run alone would have put them, and nothing else there.
  assert.deepEqual(fs.readdirSync(reports).sort(), ['lifo', 'reference']);
  const lifo = JSON.parse(fs.readFileSync(path.join(reports, 'lifo', 'summary.json'), 'utf8'));
  assert.equal(lifo.scenarios.find((s: { name: string }) => s.name === 'three callbacks run in registration order').outcome, 'failed');
});

test('a plan that is not one is one line and status 2, and nothing runs', async () => {
  oneLineError(await batch([]), /batch needs a plan/);
  oneLineError(await batch(['/no/such/plan.json']), /cannot read the plan/);
  oneLineError(await batch(['-'], '{"runs": '), /is not JSON/);
  oneLineError(await batch(['-'], '{"runs": [{"args": "--tags"}]}'), /run 1: "args" must be a list of strings/);
  oneLineError(await batch(['-'], '{"runs": [{"args": [], "cwd": "/"}]}'), /run 1: unknown key "cwd"/);
  oneLineError(await batch([plan({ runs: [] }), '--parallel', '0']), /--parallel needs a whole number/);
  oneLineError(await batch([plan({ runs: [] }), '--tags', 'x']), /batch takes only --parallel/);
});
