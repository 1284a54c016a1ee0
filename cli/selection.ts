// What a run selected of features/: its --tags and feature paths, recorded in summary.json (its
// --shard share is recorded beside, as `shard`), so that what is drawn from the run can tell a
// run of one feature from a run of the whole spec.
import * as path from 'node:path';

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
