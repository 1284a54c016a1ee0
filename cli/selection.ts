// What a run selected of features/: its --tags and feature paths, recorded in summary.json (its
// --shard share is recorded beside, as `shard`). A page drawn from a run that selected part of
// features/ says so, with the words of its command line, so that its figures are never read as
// those of the whole spec ("15 of 15" of one feature is not the loop's conformance).
import * as path from 'node:path';
import type { CatalogueEntry } from './catalogue';
import type { Summary } from './reports';

export interface Selection {
  /** --tags, when given. */
  tags?: string;
  /** The feature paths given, relative to the kit's folder when inside it; none is all of features/. */
  paths: string[];
  /** How many scenarios the run selected, before any --shard took its share. */
  scenarios: number;
  /** Whether that is every scenario of features/ (a --tags or a path may select all of them). */
  whole: boolean;
}

/** The selection of a run, from its options and the scenarios selected and of all features/. */
export function selectionOf(root: string, tags: string | undefined, paths: string[], selected: Array<{ id: string }>, everyScenario: Array<{ id: string }>): Selection {
  const all = new Set(everyScenario.map((s) => s.id));
  const chosen = new Set(selected.map((s) => s.id));
  const whole = chosen.size === all.size && [...chosen].every((id) => all.has(id));
  const shown = (p: string) => {
    const rel = path.relative(root, path.resolve(p));
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : path.resolve(p);
  };
  return { ...(tags !== undefined ? { tags } : {}), paths: paths.map(shown), scenarios: selected.length, whole };
}

/** A selection in the words of the command line that made it: `--tags @loop.call_soon features/dns`. */
export function selectionWords(sel: Selection | undefined): string {
  if (!sel) return 'an unrecorded selection';
  const words = [...(sel.tags !== undefined ? [`--tags ${sel.tags}`] : []), ...sel.paths];
  return words.join(' ') || (sel.whole ? 'every scenario' : `${sel.scenarios} scenarios`);
}

/**
 * What part of features/ a summary's run selected, in words, or undefined when it ran all of
 * it. A summary of an older kit records no selection: it is partial when it lacks a scenario
 * of the catalogue.
 */
export function partialSelection(s: Pick<Summary, 'selection' | 'shard' | 'scenarios'>, catalogue: CatalogueEntry[]): string | undefined {
  const share = s.shard ? `--shard ${s.shard.index}/${s.shard.total}` : undefined;
  if (s.selection) {
    if (s.selection.whole) return share;
    return [selectionWords(s.selection), ...(share ? [share] : [])].join(' ');
  }
  if (share) return share;
  const ran = new Set(s.scenarios.map((r) => r.id));
  const of = catalogue.filter((e) => ran.has(e.id)).length;
  if (catalogue.length === 0 || of === catalogue.length) return undefined;
  return `${of} of the ${catalogue.length} scenarios (the run recorded no selection)`;
}
