// Runs' summaries read back: every reports/<id>/summary.json of a folder, or the runs a command
// line names (a report folder or a summary.json each), for the pages and for diff. A run named
// that is not there or not a summary is one line of bad input.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from './args';
import type { Summary } from './reports';

/** A path as the user would type it from where they stand, unless that is a climb out of it. */
export function shownPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith('..') ? path.resolve(file) : rel || '.';
}

/** A summary.json, checked to be one; `who` starts the error line (a side of diff, a command). */
export function readSummaryFile(file: string, who: string): Summary {
  let doc: Summary;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8')) as Summary;
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message.split('\n')[0];
    throw new UsageError(`${who}: cannot read ${file}: ${why}`);
  }
  const ok = doc && Array.isArray(doc.scenarios) && doc.adapter && doc.scenarios.every((r) => typeof r?.id === 'string' && typeof r.status === 'string');
  if (!ok) throw new UsageError(`${who}: ${file} is not a loopspec summary.json (no "adapter" and "scenarios" with ids and statuses)`);
  return doc;
}

/** Every reports/<id>/summary.json; a folder without one, or a file that is not one, is left out. */
export function readSummaries(reportsDir: string): Summary[] {
  const out: Summary[] = [];
  for (const e of fs.readdirSync(reportsDir).sort()) {
    const f = path.join(reportsDir, e, 'summary.json');
    if (e.startsWith('.') || !fs.existsSync(f)) continue;
    try {
      const s = JSON.parse(fs.readFileSync(f, 'utf8')) as Summary;
      if (s?.adapter?.id && Array.isArray(s.scenarios)) out.push(s);
    } catch { /* a foreign file: ignore */ }
  }
  return out;
}

/**
 * The runs a command line names, each a report folder (reports/<id>/) or its summary.json, in
 * the order given; a run named twice counts once. Two runs of one adapter id would be two
 * columns no reader could tell apart: refused.
 */
export function runsNamed(words: string[], who: string): Summary[] {
  const files = new Map<string, string>();
  for (const word of words) {
    const st = fs.statSync(word, { throwIfNoEntry: false });
    if (!st) throw new UsageError(`${who}: no such run ${word} (give a report folder such as reports/reference, or its summary.json)`);
    const file = path.resolve(st.isDirectory() ? path.join(word, 'summary.json') : word);
    if (st.isDirectory() && !fs.existsSync(file)) throw new UsageError(`${who}: the folder ${word} holds no summary.json (give a run's report folder, such as reports/reference)`);
    files.set(file, word);
  }
  const byId = new Map<string, string>();
  return [...files].map(([file, word]) => {
    const s = readSummaryFile(file, who);
    const twice = byId.get(s.adapter.id);
    if (twice !== undefined) throw new UsageError(`${who}: ${twice} and ${word} are both runs of "${s.adapter.id}"; name one run per adapter (--id NAME names a run)`);
    byId.set(s.adapter.id, word);
    return s;
  });
}
