// scripts/build.js on a tree of its own (a copy of the script and two sources in a temporary
// folder), never on the kit's dist/ that the other tests are running from.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from './helpers';

function tree(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopspec-build-'));
  fs.mkdirSync(path.join(dir, 'scripts'));
  fs.copyFileSync(path.join(ROOT, 'scripts/build.js'), path.join(dir, 'scripts/build.js'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  fs.mkdirSync(path.join(dir, 'cli'));
  fs.writeFileSync(path.join(dir, 'cli/a.ts'), 'export const a: number = 1;\n');
  fs.writeFileSync(path.join(dir, 'cli/preload.ts'), 'export {};\n');
  return dir;
}

function ensureBuilt(dir: string, env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['-e', "require('./scripts/build.js').ensureBuilt()"], {
    cwd: dir, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 30_000,
  });
}

test('an edited source is built again before anything runs', (t) => {
  const dir = tree();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  assert.equal(ensureBuilt(dir).status, 0);
  assert.match(fs.readFileSync(path.join(dir, 'dist/cli/a.js'), 'utf8'), /a = 1/);
  fs.writeFileSync(path.join(dir, 'cli/a.ts'), 'export const a: number = 22;\n');
  assert.equal(ensureBuilt(dir).status, 0);
  assert.match(fs.readFileSync(path.join(dir, 'dist/cli/a.js'), 'utf8'), /a = 22/);
});

test('a rebuild finishes while NODE_OPTIONS preloads a module of dist/ (as the bench does)', (t) => {
  // esbuild's worker thread would load the preload after dist/ was cleared, die, and leave
  // the build waiting for it forever.
  const dir = tree();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  assert.equal(ensureBuilt(dir).status, 0);
  fs.writeFileSync(path.join(dir, 'cli/a.ts'), 'export const a: number = 3;\n');
  const r = ensureBuilt(dir, { NODE_OPTIONS: `--require ${path.join(dir, 'dist/cli/preload.js')}` });
  assert.equal(r.signal, null, 'the rebuild hung');
  assert.equal(r.status, 0, r.stderr);
  assert.match(fs.readFileSync(path.join(dir, 'dist/cli/a.js'), 'utf8'), /a = 3/);
});
