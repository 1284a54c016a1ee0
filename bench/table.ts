// A trial's table as text: a header, one line per measured row, then the rows that were not
// measured, each with why.
import { Column, Row } from './trials';

export function table(rows: Row[], columns: Column[]): string {
  const all: Column[] = [{ header: 'adapter', cell: (r) => r.label }, ...columns];
  const measured = rows.filter((r) => r.best !== undefined);
  const cells = [all.map((c) => c.header), ...measured.map((r) => all.map((c) => c.cell(r)))];
  const widths = all.map((_, i) => Math.max(...cells.map((line) => line[i].length), ...(i === 0 ? rows.map((r) => r.label.length) : [])));
  const lines = cells.map((line, l) => line.map((cell, i) => (all[i].right && l > 0 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ').trimEnd());
  for (const r of rows) {
    if (r.best !== undefined) continue;
    lines.push(`${r.label.padEnd(widths[0])}  ${r.skipped !== undefined ? `skipped: ${r.skipped}` : `not measured: ${r.error ?? 'no run completed'}`}`);
  }
  return lines.join('\n');
}
