// The reference driver's snapshot of the process state (adapters/reference/process-state.ts):
// each change a scenario could leave for the next one is named, and an unchanged process has none.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as os from 'node:os';
import { ProcessState } from '../../adapters/reference/process-state';

test('an unchanged process has no changes', () => {
  assert.deepEqual(new ProcessState().changes(), []);
});

test('a changed directory, umask, environment and signal handler are each named, and undone they are gone', () => {
  const before = new ProcessState();
  const cwd = process.cwd();
  const umask = process.umask(0o077);
  process.env.LOOPSPEC_PROCESS_STATE_TEST = '1';
  const handler = () => undefined;
  process.on('SIGUSR2', handler);
  process.chdir(os.tmpdir());
  try {
    const changes = before.changes();
    assert.ok(changes.some((c) => /^the working directory changed from .* to /.test(c)), changes.join('\n'));
    assert.ok(changes.includes('the umask changed from 0022 to 0077') || changes.some((c) => /^the umask changed from \d+ to 0077$/.test(c)), changes.join('\n'));
    assert.ok(changes.includes('the environment variable LOOPSPEC_PROCESS_STATE_TEST was set'), changes.join('\n'));
    assert.ok(changes.includes('SIGUSR2 is now caught'), changes.join('\n'));
  } finally {
    process.chdir(cwd);
    process.umask(umask);
    delete process.env.LOOPSPEC_PROCESS_STATE_TEST;
    process.off('SIGUSR2', handler);
  }
  assert.deepEqual(before.changes(), []);
});
