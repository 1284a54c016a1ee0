// The seed files (../shared/seeds) are one .rst page, Doc/library/asyncio-eventloop.rst, at
// different times and in different wrappers: plain, behind a column of line numbers (a cgit
// "plain" view), behind blame prefixes, and as a unified diff. Each reader here unwraps one
// wrapper and returns the page as .rst lines, so that cli/inventory.ts reads every version
// with one walker. Where a wrapper lost the indentation (the diff's context lines come with
// their leading whitespace stripped) the line's indent is null: unknown, not zero.

export interface RstLine {
  text: string;
  /** Leading spaces; null where the wrapper dropped them. */
  indent: number | null;
  /** The diff skips lines here (a new hunk): the lines between hunks are not in the file. */
  gap?: true;
}

export interface RstPage {
  lines: RstLine[];
  /**
   * The wrapper squeezed every indentation to one space: an indent tells nested from
   * top-level, but a method's text is as deep as the method nested in a class.
   */
  collapsed: boolean;
}

/** Splits text into lines, dropping the final empty line of a file that ends in a newline. */
function lines(text: string): string[] {
  const out = text.replace(/\r\n/g, '\n').split('\n');
  if (out[out.length - 1] === '') out.pop();
  return out;
}

function rstLine(raw: string): RstLine {
  const text = raw.trimStart();
  return { text, indent: text ? raw.length - text.length : 0 };
}

/** 002: the plain .rst source. */
export function plainRst(text: string): RstPage {
  return { lines: lines(text).map(rstLine), collapsed: false };
}

/**
 * 000: a cgit "plain" view: a few header lines, then the numbers 1..N one per line (the
 * gutter), then the N lines of the file.
 */
export function numberedRst(text: string): RstPage {
  const all = lines(text);
  const first = all.indexOf('1');
  if (first < 0) throw new Error('no line-number column (a line "1")');
  let n = 0;
  while (all[first + n] === String(n + 1)) n++;
  return { lines: all.slice(first + n, first + n + n).map(rstLine), collapsed: false };
}

/** A blame prefix: author, abbreviated commit hash, date and time zone, all run together. */
const BLAME_PREFIX = /^.*?\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{4}/;

/**
 * 003: a blame view: every line starts with its line number, and the first line of each run
 * from one commit also with "Author<hash>YYYY-MM-DD hh:mm:ss +zzzz". The view collapsed each
 * line's indentation to one space, which still tells nested from top-level.
 */
export function blameRst(text: string): RstPage {
  const all = lines(text);
  const out: RstLine[] = [];
  const start = all.findIndex((l) => l.replace(BLAME_PREFIX, '').startsWith('1'));
  if (start < 0) throw new Error('no blame line 1');
  for (let i = start, n = 1; i < all.length; i++, n++) {
    const rest = all[i].replace(BLAME_PREFIX, '');
    // The number is known, so a line whose text starts with a digit is still cut right.
    if (!rest.startsWith(String(n))) throw new Error(`blame line ${n} is missing (file line ${i + 1})`);
    out.push(rstLine(rest.slice(String(n).length)));
  }
  return { lines: out, collapsed: true };
}

/**
 * 004: a unified diff of the page (the 3.7 backport of the rewritten page). The new page is
 * its added and context lines; removed lines belong to the old one. Context lines lost their
 * leading whitespace, so their indent is unknown; added lines have it squeezed to one space.
 * Each hunk header is a gap: the lines between hunks are not in the file.
 */
export function diffRst(text: string): RstPage {
  const all = lines(text);
  const first = all.findIndex((l) => l.startsWith('@@'));
  if (first < 0) throw new Error('no diff hunk ("@@")');
  const out: RstLine[] = [];
  for (const l of all.slice(first)) {
    if (l.startsWith('@@')) out.push({ text: '', indent: 0, gap: true });
    else if (l.startsWith('+')) out.push(rstLine(l.slice(1)));
    else if (l.startsWith('-') || l.startsWith('\\')) continue;
    else out.push({ text: l.trim(), indent: l.trim() ? null : 0 });
  }
  return { lines: out, collapsed: true };
}
