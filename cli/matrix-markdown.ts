// reports/matrix.md: the conformance matrix for terminals and pull requests — each
// implementation's passed-of-applicable, overall and by section, then the behaviours on which
// implementations differ, with the error or reason of each cell that is not a pass.
import { conformanceText, MatrixColumn, MatrixData, outcomeLook } from './matrix-data';

/** Text from a loop or a feature, made inert in a Markdown table cell. */
function cellText(t: string): string {
  return t.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\s*\n\s*/g, ' ');
}

/** An outcome's words (an outcome from a summary is text from a loop, too). */
const label = (outcome: string): string => cellText(outcomeLook(outcome).label);

function table(head: string[], rows: string[][]): string[] {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

export function renderMatrixMarkdown(data: MatrixData): string {
  const heads = data.columns.map((c) => cellText(`${c.name} ${c.version}, Python ${c.python}${c.partial ? ' (partial)' : ''}${c.selection ? ` (partial: ${c.selection})` : ''}`));
  // A column of part of features/: its figures are of its selection, and said to be.
  const ran = (c: MatrixColumn) => Object.values(c.counts).reduce((a, b) => a + b, 0);
  const scope = (c: MatrixColumn) => (c.selection ? `, of its selection only (${ran(c)} of the ${data.catalogued} behaviours of features/)` : '');
  const out: string[] = [
    '# loopspec conformance matrix', '',
    `${data.columns.length} implementations, ${data.rows.length} behaviours; generated ${data.generated}. `
      + 'The page reports/matrix/index.html has every behaviour; reports/matrix.json is its data.', '',
    ...data.columns.map((c) => {
      const counts = Object.entries(c.counts).map(([o, n]) => `${n} ${label(o)}`).join(', ');
      return `- **${cellText(c.id)}**: ${heads[data.columns.indexOf(c)]}: ${conformanceText(c.conformance)} passed of applicable${scope(c)} (${counts || 'no scenarios'})`;
    }),
    '', '## Passed of applicable, by section', '',
    ...table(['section', ...heads], [
      ['**all**', ...data.columns.map((c) => `**${c.conformance.passed}/${c.conformance.applicable}**${c.selection ? ' (selection only)' : ''}`)],
      ...data.sections.map((s, i) => [cellText(s.heading), ...data.columns.map((c) => (c.sectionsNotRun.includes(s.folder) ? 'not run' : `${c.bySection[i].passed}/${c.bySection[i].applicable}`))]),
    ]),
  ];
  const differ = data.rows.filter((r) => r.differs);
  out.push('', `## Where implementations differ (${differ.length} of ${data.rows.length} behaviours)`, '');
  if (differ.length) {
    out.push(...table(['behaviour', ...data.columns.map((c) => cellText(c.id))], differ.map((r) => [
      cellText(r.id),
      ...r.cells.map((c) => (c ? label(c.outcome) : 'not run')),
    ])));
    out.push('', '### Why', '');
    for (const r of differ) {
      r.cells.forEach((c, i) => {
        if (!c || c.outcome === 'passed') return;
        const why = [c.reason, c.error?.split('\n')[0]].filter(Boolean).join(': ');
        out.push(`- ${cellText(r.id)} on **${cellText(data.columns[i].id)}**: ${label(c.outcome)}${why ? `: ${cellText(why)}` : ''}`);
      });
    }
  } else {
    out.push('Every implementation that ran a behaviour had the same verdict on it.');
  }
  return out.join('\n') + '\n';
}
