#!/usr/bin/env node
// The kit's JavaScript: every TypeScript source (the folders tsconfig.json includes) transpiled
// once by esbuild into dist/, the same tree (dist/cli/main.js for cli/main.ts), CommonJS for
// Node 20, with source maps. No process of the kit transpiles TypeScript when it starts: the
// compiler (ts-node and typescript) cost every CLI, cucumber worker and reference driver 1-2 s
// and ~100 MiB before this. Types are checked by `tsc --noEmit` (npm run lint, npm test), not here.
//
// `npm ci` (the package's install script) builds it. ensureBuilt() makes it again when a
// source is newer, added or gone (a developer's edit): bin/loopspec.js and `npm test` call it,
// so nobody runs stale JavaScript; on an unchanged tree it only compares dist/.build.json with
// the sources' sizes and times (a few milliseconds), and the rebuild itself takes well under a
// second.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const MANIFEST = path.join(DIST, '.build.json');
/** What tsconfig.json includes: the kit, its tests and its benchmarks. */
const FOLDERS = ['cli', 'adapters', 'step_definitions', 'reference', 'native', 'test', 'bench', 'scripts'];
/** Never sources: node-gyp's output, the tests' fixtures (Python and plain JavaScript). */
const SKIP = new Set(['native/build', 'test/fixtures', 'bench/build']);

/** Every .ts source, relative to the root, with its size and modification time. */
function sources() {
  const out = {};
  const walk = (rel) => {
    for (const e of fs.readdirSync(path.join(ROOT, rel), { withFileTypes: true })) {
      const r = `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (!SKIP.has(r)) walk(r);
      } else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) {
        const st = fs.statSync(path.join(ROOT, r));
        out[r] = `${st.size}:${st.mtimeMs}`;
      }
    }
  };
  for (const f of FOLDERS) if (fs.existsSync(path.join(ROOT, f))) walk(f);
  return out;
}

/** Why dist/ does not match the sources, or undefined when it does. */
function staleness(current) {
  let built;
  try {
    built = JSON.parse(fs.readFileSync(MANIFEST, 'utf8')).sources;
  } catch {
    return 'not built';
  }
  for (const [f, stamp] of Object.entries(current)) {
    if (built[f] === undefined) return `${f} is new`;
    if (built[f] !== stamp) return `${f} changed`;
  }
  for (const f of Object.keys(built)) if (!(f in current)) return `${f} is gone`;
  return undefined;
}

/** Transpiles every source into a fresh dist/ and records what it was made from. */
function build(current = sources()) {
  // esbuild's sync API runs in a worker thread by default, which loads NODE_OPTIONS' --require
  // modules: one of dist/ (the bench's peak-rss preload) is gone once dist/ is cleared, the
  // worker dies, and the main thread waits for it forever. Its child-process path has no worker.
  process.env.ESBUILD_WORKER_THREADS = '0';
  const esbuild = require('esbuild');
  fs.rmSync(DIST, { recursive: true, force: true });
  esbuild.buildSync({
    entryPoints: Object.keys(current).map((f) => path.join(ROOT, f)),
    outdir: DIST,
    outbase: ROOT,
    bundle: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    // import() becomes require(), as tsc's CommonJS output has it (Node's import() would need
    // the file's extension, and loads through the ESM loader).
    supported: { 'dynamic-import': false },
    logLevel: 'error',
  });
  fs.writeFileSync(MANIFEST, JSON.stringify({ sources: current }));
}

/**
 * Builds dist/ unless it matches the sources. Two processes that find it stale at once (two
 * commands started together after an edit) take turns through a lock folder, and the second
 * finds it built.
 */
function ensureBuilt() {
  const current = sources();
  if (!staleness(current)) return;
  const lock = `${DIST}.lock`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      // A lock older than a minute belongs to a build that died: take it over.
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 60_000 || Date.now() > deadline) { fs.rmSync(lock, { recursive: true, force: true }); continue; }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
  try {
    if (staleness(sources())) build();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

module.exports = { ensureBuilt, DIST };

if (require.main === module) {
  const t0 = Date.now();
  const current = sources();
  build(current);
  process.stdout.write(`dist/: ${Object.keys(current).length} sources built in ${Date.now() - t0} ms\n`);
}
