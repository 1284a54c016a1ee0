// The published pages: the spec page (REPORTS/spec/index.html) and the conformance matrix
// (REPORTS/matrix/index.html, matrix.md, matrix.json), drawn from the runs chosen for them —
// those `loopspec matrix` has just made, or those `loopspec spec` and `loopspec matrix --no-run`
// are given (every run of the reports folder when none is named). An ordinary run never
// redraws them: a one-feature run would pay for every summary in the folder, and would put its
// one feature's figures on the pages beside every loop's.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliOptions, UsageError } from './args';
import { CatalogueEntry, loadCatalogue } from './catalogue';
import { matrixData } from './matrix-data';
import { renderMatrixMarkdown } from './matrix-markdown';
import { renderMatrixPage } from './matrix-page';
import { ensureReportsDir, Summary } from './reports';
import { writeSpecPage } from './spec-page';
import { readSummaries, runsNamed, shownPath } from './summaries';

/** Writes a file whole or not at all: two commands publishing at once never leave a mix of both. */
function writeWhole(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** The catalogue; empty when a feature does not parse: rows are then named from the summaries. */
function catalogueOrNone(): CatalogueEntry[] {
  try {
    return loadCatalogue();
  } catch {
    return [];
  }
}

/**
 * The conformance matrix of the runs given (by default every REPORTS/<id>/summary.json):
 * REPORTS/matrix.json (its data), REPORTS/matrix.md (for terminals and pull requests) and
 * REPORTS/matrix/index.html (the page). Returns the page's path.
 */
export function writeMatrix(reportsDir: string, catalogue: CatalogueEntry[] = catalogueOrNone(), summaries: Summary[] = readSummaries(reportsDir)): string {
  const data = matrixData(summaries, catalogue);
  const pageDir = path.join(reportsDir, 'matrix');
  // Two commands may both be the first to publish.
  try { fs.mkdirSync(pageDir); } catch (err) { if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; }
  writeWhole(path.join(reportsDir, 'matrix.json'), JSON.stringify(data, null, 2) + '\n');
  writeWhole(path.join(reportsDir, 'matrix.md'), renderMatrixMarkdown(data));
  const page = path.join(pageDir, 'index.html');
  writeWhole(page, renderMatrixPage(data));
  return page;
}

/** Both pages from these runs, each named on stdout with what it shows. */
export function publishPages(reportsDir: string, summaries: Summary[]): void {
  const catalogue = catalogueOrNone();
  process.stdout.write(`${shownPath(writeMatrix(reportsDir, catalogue, summaries))}: ${summaries.length} implementation${summaries.length === 1 ? '' : 's'} side by side (also matrix.md and matrix.json)\n`);
  process.stdout.write(`${shownPath(writeSpecPage(reportsDir, catalogue, summaries))}: features/ with their outcomes\n`);
}

/**
 * `loopspec spec [RUN...]` (the spec page) and `loopspec matrix --no-run [RUN...]` (both pages):
 * from the runs named, else from every run in --reports DIR; the pages go to DIR.
 */
export function publishCommand(opts: CliOptions): number {
  const reportsDir = path.resolve(opts.reportsDir);
  const who = opts.command === 'spec' ? 'spec' : 'matrix --no-run';
  let summaries: Summary[];
  if (opts.paths.length) {
    summaries = runsNamed(opts.paths, who);
    ensureReportsDir(reportsDir);
  } else {
    if (!fs.existsSync(reportsDir)) throw new UsageError(`no reports folder ${opts.reportsDir}`);
    summaries = readSummaries(reportsDir);
  }
  if (opts.command === 'matrix') {
    publishPages(reportsDir, summaries);
  } else {
    // As before: a feature that does not parse is bad input here, where no run has said so.
    process.stdout.write(`${shownPath(writeSpecPage(reportsDir, loadCatalogue(), summaries))}\n`);
  }
  return 0;
}
