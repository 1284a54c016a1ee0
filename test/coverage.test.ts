// The reference loop is proven by the scenarios: `npm run coverage` runs the main job on it
// under c8 and fails below 90% of reference/'s lines (package.json holds the threshold).
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { ROOT } from './helpers';

test('the conformance run covers at least 90% of the reference loop\'s lines', () => {
  const run = spawnSync('npm', ['run', '--silent', 'coverage'], { cwd: ROOT, encoding: 'utf8', timeout: 900_000 });
  const summary = /Lines\s*:\s*([\d.]+)%/.exec(run.stdout)?.[1];
  assert.ok(summary, `no coverage summary:\n${run.stdout.slice(-2000)}\n${run.stderr.slice(-2000)}`);
  assert.equal(run.status, 0, `lines covered: ${summary}%\n${run.stdout.slice(-1500)}`);
});
