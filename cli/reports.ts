// Where a run's reports go: written into a staging folder and moved into reports/<id>/ only
// when complete (or explicitly partial), so reports/ never holds a half-written run. A run
// writes its own folder and nothing else: the spec page and the matrix are drawn from the runs
// chosen for them (cli/pages.ts), never from whatever else a reports folder holds.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Hello } from '../adapters/errors';
import { AdapterSpec } from '../adapters/adapter-spec';
import { Counts, ScenarioResult } from './results';
import { UsageError } from './args';
import type { Selection } from './selection';

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
  /** Whether an unexpected pass failed the run (--strict). */
  strict?: boolean;
  /** What the run selected of features/ (cli/selection.ts); absent in an older kit's summary. */
  selection?: Selection;
  /** A --shard run: which share, of how many scenarios selected in all, and the id a merge takes by default. */
  shard?: { index: number; total: number; selected: number; adapter_id: string };
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
