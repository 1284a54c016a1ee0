// The conformance matrix as data: one column per adapter run (the summaries it is drawn from),
// one row per behaviour any of them ran, in the doc's order (cli/catalogue.ts), each cell that
// adapter's outcome. reports/matrix.json is this; the page and matrix.md are drawn from it.
import * as path from 'node:path';
import type { Summary } from './reports';
import { CatalogueEntry, Section, sectionOf } from './catalogue';
import { byVersion } from './loops-of-this-machine';
import { partialSelection } from './selection';

/** Passed of applicable: applicable is every scenario the adapter ran and did not skip. */
export interface Conformance { passed: number; applicable: number }

export interface MatrixColumn {
  id: string;
  kind: string;
  /** The implementation's name and version, and the Python version it implements. */
  name: string;
  version: string;
  python: string;
  loop?: string;
  partial: boolean;
  /**
   * Set when the run selected only part of features/ (--tags, feature paths, --shard): what it
   * selected, in its command line's words. Its figures are of that selection, not of the spec.
   */
  selection?: string;
  finished: string;
  /** How many scenarios had each outcome, including outcomes this module does not know. */
  counts: Record<string, number>;
  conformance: Conformance;
  bySection: Array<{ folder: string } & Conformance>;
  /** The sections (folders) of the matrix of which this run ran nothing: "not run", not "n/a". */
  sectionsNotRun: string[];
}

/**
 * One adapter's result for one behaviour: the outcome as its summary gives it (passed, failed,
 * skipped, xfail, xpass, or one added later such as flaky), the error, and the reason it was
 * skipped or expected to fail.
 */
export interface MatrixCell { outcome: string; error?: string; reason?: string }

export interface MatrixRow {
  id: string;
  name: string;
  uri: string;
  line: number;
  /** The folder of its doc section (a key of MatrixData.sections). */
  section: string;
  feature: string;
  /** The doc link of its feature (the documented method), else of its section. */
  link: string;
  /** The Rule's quoted sentence, and the Rule's line, which groups its examples. */
  sentence?: string;
  ruleLine?: number;
  /** One per column, in column order; null where that adapter did not run the behaviour. */
  cells: Array<MatrixCell | null>;
  /** The adapters that ran it do not all agree (see verdict()). */
  differs: boolean;
}

export interface MatrixData {
  generated: string;
  /** How many behaviours features/ holds: the rows of a run that selected all of them. */
  catalogued: number;
  sections: Section[];
  columns: MatrixColumn[];
  rows: MatrixRow[];
}

/** Outcomes that count as passing the behaviour: an unexpected pass passed it too. */
const PASSING = new Set(['passed', 'xpass']);

/**
 * What "implementations differ" compares: passed or failed, whether expected or not; a skip is
 * its own verdict (the implementation lacks the capability), and so is any other outcome (a
 * flaky pass is neither a reliable pass nor a failure).
 */
export function verdict(outcome: string): string {
  if (PASSING.has(outcome)) return 'pass';
  if (outcome === 'failed' || outcome === 'xfail') return 'fail';
  return outcome;
}

/** The reference loop first, then by the Python version implemented, then by adapter id. */
function columnOrder(a: Summary, b: Summary): number {
  const ref = (s: Summary) => (s.adapter.kind === 'reference' ? 0 : 1);
  return ref(a) - ref(b) || byVersion(a.language?.version ?? '0', b.language?.version ?? '0') || (a.adapter.id < b.adapter.id ? -1 : a.adapter.id > b.adapter.id ? 1 : 0);
}

function cellOf(r: Summary['scenarios'][number]): MatrixCell {
  const outcome = String(r.outcome ?? r.status ?? 'unknown');
  const reason = outcome === 'skipped' ? r.skipReason : r.expectedReason;
  return { outcome, ...(r.error ? { error: String(r.error) } : {}), ...(reason ? { reason: String(reason) } : {}) };
}

/** A row for a scenario the catalogue does not know (a renamed one, or features from elsewhere). */
function uncatalogued(r: Summary['scenarios'][number]): CatalogueEntry {
  const section = sectionOf(r.uri);
  return {
    id: r.id, uri: r.uri, line: r.line, name: r.name, section,
    feature: { name: path.basename(r.uri, '.feature'), description: '', tags: [] }, tags: r.tags ?? [], steps: [],
  };
}

function conformanceOf(cells: MatrixCell[]): Conformance {
  const applicable = cells.filter((c) => c.outcome !== 'skipped');
  return { passed: applicable.filter((c) => PASSING.has(c.outcome)).length, applicable: applicable.length };
}

export function matrixData(summaries: Summary[], catalogue: CatalogueEntry[], generated = new Date()): MatrixData {
  const ordered = [...summaries].sort(columnOrder);
  const results = ordered.map((s) => new Map(s.scenarios.map((r) => [r.id, r])));
  const known = new Map(catalogue.map((e) => [e.id, e]));
  const ran = new Set(results.flatMap((m) => [...m.keys()]));
  const extra = [...ran].filter((id) => !known.has(id)).map((id) => uncatalogued(results.find((m) => m.has(id))!.get(id)!));
  // Catalogue rows are in the doc's order already; a stable sort files the others at the end of their section.
  const entries = [...catalogue.filter((e) => ran.has(e.id)), ...extra].sort((a, b) => a.section.order - b.section.order);
  const rows: MatrixRow[] = entries.map((e) => {
    const cells = results.map((m) => (m.has(e.id) ? cellOf(m.get(e.id)!) : null));
    const verdicts = new Set(cells.filter((c): c is MatrixCell => c !== null).map((c) => verdict(c.outcome)));
    return {
      id: e.id, name: e.name, uri: e.uri, line: e.line, section: e.section.folder,
      feature: e.feature.name, link: e.feature.link ?? e.section.link,
      ...(e.sentence !== undefined ? { sentence: e.sentence, ruleLine: e.ruleLine } : {}),
      cells, differs: verdicts.size > 1,
    };
  });
  const sections: Section[] = [];
  for (const e of entries) if (!sections.some((s) => s.folder === e.section.folder)) sections.push(e.section);
  const columns: MatrixColumn[] = ordered.map((s, i) => {
    const mine = rows.map((r) => ({ r, c: r.cells[i] })).filter((x): x is { r: MatrixRow; c: MatrixCell } => x.c !== null);
    const counts: Record<string, number> = {};
    for (const { c } of mine) counts[c.outcome] = (counts[c.outcome] ?? 0) + 1;
    const selection = partialSelection(s, catalogue);
    return {
      id: s.adapter.id, kind: s.adapter.kind,
      name: String(s.implementation?.name ?? '?'), version: String(s.implementation?.version ?? '?'), python: String(s.language?.version ?? '?'),
      ...(s.loop ? { loop: String(s.loop) } : {}),
      partial: Boolean(s.partial), ...(selection !== undefined ? { selection } : {}), finished: String(s.finished ?? ''),
      counts, conformance: conformanceOf(mine.map((x) => x.c)),
      bySection: sections.map((sec) => ({ folder: sec.folder, ...conformanceOf(mine.filter((x) => x.r.section === sec.folder).map((x) => x.c)) })),
      sectionsNotRun: sections.filter((sec) => !mine.some((x) => x.r.section === sec.folder)).map((sec) => sec.folder),
    };
  });
  return { generated: generated.toISOString(), catalogued: catalogue.length, sections, columns, rows };
}

/** "412 of 420 (98%)". */
export function conformanceText(c: Conformance): string {
  if (c.applicable === 0) return 'nothing applicable';
  return `${c.passed} of ${c.applicable} (${Math.floor((100 * c.passed) / c.applicable)}%)`;
}

/** How each outcome is shown: a glyph for the eye and a label for words (and screen readers). */
export const OUTCOME_LOOKS: Record<string, { glyph: string; label: string }> = {
  passed: { glyph: '✓', label: 'pass' },
  failed: { glyph: '✗', label: 'fail' },
  skipped: { glyph: '–', label: 'skipped' },
  xfail: { glyph: 'x', label: 'expected failure' },
  xpass: { glyph: '!', label: 'unexpected pass' },
  flaky: { glyph: '~', label: 'flaky' },
};

/** An outcome this module does not know yet is shown as its own name, never dropped. */
export function outcomeLook(outcome: string): { glyph: string; label: string } {
  return OUTCOME_LOOKS[outcome] ?? { glyph: '?', label: outcome };
}
