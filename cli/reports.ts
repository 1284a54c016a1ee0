// Where a run's reports go: written into a staging folder and moved into reports/<id>/ only
// when complete (or explicitly partial), so reports/ never holds a half-written run.
// Also keeps reports/matrix.md: every adapter reported so far x every behaviour.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Hello } from '../adapters/errors';
import { AdapterSpec } from '../adapters/adapter-spec';
import { Counts, ScenarioResult } from './results';
import { UsageError } from './args';
import { writeSpecPage } from './spec-page';

export interface Summary {
  adapter: { id: string; kind: string; label: string };
  implementation: Hello['implementation'];
  language: Hello['language'];
  loop?: string;
  loop_class?: string;
  capabilities: string[];
  started: string;
  finished: string;
  partial: boolean;
  counts: Counts;
  scenarios: ScenarioResult[];
}

/**
 * Creates the reports folder one level at a time. (Node 20's recursive mkdir spins forever
 * on some paths, /proc/x among them, so it is not used.)
 */
export function ensureReportsDir(reportsDir: string): void {
  const missing: string[] = [];
  let p = path.resolve(reportsDir);
  while (!fs.existsSync(p)) {
    missing.unshift(p);
    p = path.dirname(p);
  }
  try {
    for (const dir of missing) fs.mkdirSync(dir);
    fs.accessSync(reportsDir, fs.constants.W_OK);
    if (!fs.statSync(reportsDir).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
  } catch (err) {
    throw new UsageError(`cannot write reports to ${reportsDir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** Staging folders carry their run's pid: one whose process is gone was killed mid-run. */
function removeAbandonedStaging(reportsDir: string): void {
  for (const name of fs.readdirSync(reportsDir)) {
    const m = /^\.staging-.*-(\d+)-[^-]+$/.exec(name);
    if (!m) continue;
    try {
      process.kill(Number(m[1]), 0);
    } catch {
      fs.rmSync(path.join(reportsDir, name), { recursive: true, force: true });
    }
  }
}

export function stagingDir(reportsDir: string, id: string): string {
  ensureReportsDir(reportsDir);
  removeAbandonedStaging(reportsDir);
  return fs.mkdtempSync(path.join(reportsDir, `.staging-${id}-${process.pid}-`));
}

/** Moves a finished staging folder into place, replacing the adapter's previous reports. */
export function publish(reportsDir: string, id: string, staging: string): string {
  const final = path.join(reportsDir, id);
  fs.rmSync(final, { recursive: true, force: true });
  fs.renameSync(staging, final);
  writeMatrix(reportsDir);
  writeSpecPage(reportsDir);
  return final;
}

export function discard(staging: string | undefined): void {
  if (staging) fs.rmSync(staging, { recursive: true, force: true });
}

export function summaryOf(spec: AdapterSpec, id: string, hello: Hello, started: Date, results: ScenarioResult[], counts: Counts, partial: boolean): Summary {
  return {
    adapter: { id, kind: spec.kind, label: spec.label },
    implementation: hello.implementation,
    language: hello.language,
    loop: hello.loop,
    loop_class: hello.loop_class,
    capabilities: hello.capabilities,
    started: started.toISOString(),
    finished: new Date().toISOString(),
    partial,
    counts,
    scenarios: results,
  };
}

const MARK: Record<string, string> = { passed: 'pass', failed: 'FAIL', skipped: 'skip', xfail: 'xfail', xpass: 'XPASS' };

/** reports/matrix.md and matrix.json: adapters (columns) x scenarios (rows), from each summary.json. */
export function writeMatrix(reportsDir: string): void {
  const summaries: Summary[] = [];
  for (const e of fs.readdirSync(reportsDir).sort()) {
    const f = path.join(reportsDir, e, 'summary.json');
    if (e.startsWith('.') || !fs.existsSync(f)) continue;
    try { summaries.push(JSON.parse(fs.readFileSync(f, 'utf8')) as Summary); } catch { /* a foreign file: ignore */ }
  }
  const rows = new Map<string, Map<string, string>>();
  for (const s of summaries) {
    for (const r of s.scenarios) {
      if (!rows.has(r.id)) rows.set(r.id, new Map());
      rows.get(r.id)!.set(s.adapter.id, r.outcome);
    }
  }
  const ids = summaries.map((s) => s.adapter.id);
  const esc = (t: string) => t.replace(/\|/g, '\\|').replace(/</g, '&lt;');
  const lines = [
    '# loopspec matrix', '',
    'Each column is one adapter\'s latest run (reports/<id>/summary.json); xfail = failed as its expectations file says.', '',
    ...summaries.map((s) => `- **${s.adapter.id}**: ${s.implementation.name} ${s.implementation.version}, Python ${s.language.version}${s.partial ? ' (partial run)' : ''}: ${s.counts.passed} passed, ${s.counts.failed} failed, ${s.counts.skipped} skipped, ${s.counts.xfail} xfail, ${s.counts.xpass} xpass`),
    '',
    `| scenario | ${ids.map(esc).join(' | ')} |`,
    `| --- | ${ids.map(() => '---').join(' | ')} |`,
    ...[...rows.keys()].sort().map((id) => `| ${esc(id)} | ${ids.map((a) => MARK[rows.get(id)!.get(a) ?? ''] ?? '').join(' | ')} |`),
  ];
  fs.writeFileSync(path.join(reportsDir, 'matrix.md'), lines.join('\n') + '\n');
  fs.writeFileSync(path.join(reportsDir, 'matrix.json'), JSON.stringify({
    adapters: summaries.map((s) => ({ id: s.adapter.id, implementation: s.implementation, language: s.language, counts: s.counts })),
    scenarios: Object.fromEntries([...rows].map(([id, m]) => [id, Object.fromEntries(m)])),
  }, null, 2));
}
