// Where a run's reports go: written into a staging folder and moved into reports/<id>/ only
// when complete (or explicitly partial), so reports/ never holds a half-written run.
// Also keeps the conformance matrix (reports/matrix.md, matrix.json, matrix/index.html): every
// adapter reported so far x every behaviour.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Hello } from '../adapters/errors';
import { AdapterSpec } from '../adapters/adapter-spec';
import { Counts, ScenarioResult } from './results';
import { UsageError } from './args';
import { CatalogueEntry, loadCatalogue } from './catalogue';
import { matrixData, readSummaries } from './matrix-data';
import { renderMatrixMarkdown } from './matrix-markdown';
import { renderMatrixPage } from './matrix-page';
import { writeSpecPage } from './spec-page';
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
  const catalogue = catalogueOrNone();
  writeMatrix(reportsDir, catalogue);
  writeSpecPage(reportsDir, catalogue);
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

/** Writes a file whole or not at all: two runs publishing at once never leave a mix of both. */
function writeWhole(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** The catalogue; empty when a feature does not parse (that run already failed): rows are then named from the summaries. */
function catalogueOrNone(): CatalogueEntry[] {
  try {
    return loadCatalogue();
  } catch {
    return [];
  }
}

/**
 * The conformance matrix of every adapter reported so far (each reports/<id>/summary.json):
 * reports/matrix.json (its data), reports/matrix.md (for terminals and pull requests) and
 * reports/matrix/index.html (the page).
 */
export function writeMatrix(reportsDir: string, catalogue: CatalogueEntry[] = catalogueOrNone()): void {
  const data = matrixData(readSummaries(reportsDir), catalogue);
  const pageDir = path.join(reportsDir, 'matrix');
  // Two runs of a matrix may both be the first to publish.
  try { fs.mkdirSync(pageDir); } catch (err) { if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; }
  writeWhole(path.join(reportsDir, 'matrix.json'), JSON.stringify(data, null, 2) + '\n');
  writeWhole(path.join(reportsDir, 'matrix.md'), renderMatrixMarkdown(data));
  writeWhole(path.join(pageDir, 'index.html'), renderMatrixPage(data));
}
