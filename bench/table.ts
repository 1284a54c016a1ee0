// A table as text: a header, one line per measured row, then the rows that were not measured,
// each with why. The loops' trials (bench/run.ts) and the kit section (bench/kit.ts) share it.
import { Column } from './trials';

/** What every row of a table has: a name, and why it was not measured when it was not. */
export interface Line {
  label: string;
  skipped?: string;
  error?: string;
}

/** `columns[0]` names the rows; a row not `measured` is one line saying why. */
export function table<R extends Line>(rows: R[], columns: Column<R>[], measured: (row: R) => boolean): string {
  const shown = rows.filter(measured);
  const cells = [columns.map((c) => c.header), ...shown.map((r) => columns.map((c) => c.cell(r)))];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => line[i].length), ...(i === 0 ? rows.map((r) => r.label.length) : [])));
  const lines = cells.map((line, l) => line.map((cell, i) => (columns[i].right && l > 0 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ').trimEnd());
  for (const r of rows) {
    if (measured(r)) continue;
    lines.push(`${r.label.padEnd(widths[0])}  ${r.skipped !== undefined ? `skipped: ${r.skipped}` : `not measured: ${r.error ?? 'no run completed'}`}`);
  }
  return lines.join('\n');
}
