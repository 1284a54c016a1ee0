// `loopspec diff A B`: where two loops behave differently. It compares what each loop did —
// the raw status of every scenario (passed / failed / skipped), never the outcome against an
// expectations file — and, for the scenarios the doc leaves open (@undefined), what each loop
// recorded. This module compares two summaries and renders the result (text, md, json);
// cli/diff-command.ts finds or runs the two sides.
import { CatalogueEntry, sectionOf, Section } from './catalogue';
import { ScenarioResult } from './results';
import { Summary } from './reports';

/** status: the loops did different things; only-a / only-b: one side has no such scenario; recorded: same status, different @undefined behaviour. */
export type DifferenceKind = 'status' | 'only-a' | 'only-b' | 'recorded';

export interface SideResult {
  status: string;
  outcome: string;
  error?: string;
  skipReason?: string;
  expectedReason?: string;
  recorded?: string;
}

export interface Difference {
  id: string;
  kind: DifferenceKind;
  uri: string;
  line: number;
  section: Section;
  sentence?: string;
  link?: string;
  undefinedByDoc: boolean;
  a?: SideResult;
  b?: SideResult;
}

/** Where a side's results came from, and what it was. */
export interface SideInfo {
  source: string;
  adapter: Summary['adapter'];
  implementation: Summary['implementation'];
  language: Summary['language'];
  loop?: string;
  partial: boolean;
  counts: Summary['counts'];
}

export interface DiffResult { a: SideInfo; b: SideInfo; compared: number; differences: Difference[] }

export const UNDEFINED_TAG = '@undefined';

function sideResult(r: ScenarioResult): SideResult {
  const { status, outcome, error, skipReason, expectedReason, recorded } = r;
  return {
    status, outcome,
    ...(error !== undefined ? { error } : {}),
    ...(skipReason !== undefined ? { skipReason } : {}),
    ...(expectedReason !== undefined ? { expectedReason } : {}),
    ...(recorded !== undefined ? { recorded } : {}),
  };
}

export function sideInfo(source: string, s: Summary): SideInfo {
  return { source, adapter: s.adapter, implementation: s.implementation, language: s.language, ...(s.loop ? { loop: s.loop } : {}), partial: s.partial, counts: s.counts };
}

/**
 * The scenarios of `a` and `b` (restricted to `only` when given) whose status differs, that one
 * side lacks, or that are @undefined and recorded different behaviour; in the doc's order (the
 * catalogue's), scenarios the catalogue does not know last.
 */
export function compareSummaries(a: Summary, b: Summary, catalogue: CatalogueEntry[], sources: [string, string], only?: Set<string>): DiffResult {
  const byId = (s: Summary) => new Map(s.scenarios.filter((r) => !only || only.has(r.id)).map((r) => [r.id, r]));
  const ra = byId(a);
  const rb = byId(b);
  const rank = new Map(catalogue.map((e, i) => [e.id, i]));
  const entry = new Map(catalogue.map((e) => [e.id, e]));
  const ids = [...new Set([...ra.keys(), ...rb.keys()])].sort((x, y) => (rank.get(x) ?? Infinity) - (rank.get(y) ?? Infinity) || (x < y ? -1 : x > y ? 1 : 0));
  const differences: Difference[] = [];
  for (const id of ids) {
    const x = ra.get(id);
    const y = rb.get(id);
    const e = entry.get(id);
    const tags = e?.tags ?? x?.tags ?? y?.tags ?? [];
    const undefinedByDoc = tags.includes(UNDEFINED_TAG);
    const kind: DifferenceKind | undefined = !x ? 'only-b' : !y ? 'only-a'
      : x.status !== y.status ? 'status'
      : undefinedByDoc && (x.recorded ?? '') !== (y.recorded ?? '') ? 'recorded'
      : undefined;
    if (!kind) continue;
    const uri = e?.uri ?? (x ?? y)!.uri;
    differences.push({
      id, kind, uri, line: e?.line ?? (x ?? y)!.line, section: e?.section ?? sectionOf(uri),
      ...(e?.sentence ? { sentence: e.sentence } : {}),
      ...(e?.feature.link ? { link: e.feature.link } : {}),
      undefinedByDoc,
      ...(x ? { a: sideResult(x) } : {}),
      ...(y ? { b: sideResult(y) } : {}),
    });
  }
  return { a: sideInfo(sources[0], a), b: sideInfo(sources[1], b), compared: ids.length, differences };
}

// ---- rendering ------------------------------------------------------------------------------

const ERROR_LINES = 4;

function trimmed(text: string): string[] {
  const lines = text.split('\n');
  return lines.length > ERROR_LINES ? [...lines.slice(0, ERROR_LINES), `… (${lines.length - ERROR_LINES} more lines)`] : lines;
}

export function describeSide(s: SideInfo): string {
  return `${s.adapter.id}: ${s.implementation.name} ${s.implementation.version}, Python ${s.language.version}${s.loop ? `, ${s.loop}` : ''}${s.partial ? ' (partial run)' : ''}, from ${s.source}`;
}

const KIND_NOTE: Record<DifferenceKind, string> = {
  status: 'the status differs',
  'only-a': 'only on A',
  'only-b': 'only on B',
  recorded: 'both ran it, recording different behaviour where the doc leaves the outcome open (@undefined)',
};

function countLine(r: DiffResult): string {
  const by = (k: DifferenceKind) => r.differences.filter((d) => d.kind === k).length;
  const parts = [`${by('status')} status`, `${by('recorded')} @undefined recorded`, `${by('only-a')} only on A`, `${by('only-b')} only on B`];
  return `${r.differences.length} of ${r.compared} scenarios differ (${parts.join(', ')})`;
}

/** One side of one scenario as lines: the status, then why, then the error and what was recorded. */
function sideLines(label: string, s: SideResult | undefined): string[] {
  if (!s) return [`${label}: (no such scenario)`];
  const out = [`${label}: ${s.status}${s.expectedReason ? ` (expected to fail: ${s.expectedReason})` : ''}${s.skipReason ? ` (${s.skipReason})` : ''}`];
  if (s.error) out.push(...trimmed(s.error).map((l) => `     ${l}`));
  if (s.recorded !== undefined) out.push(`     recorded: ${s.recorded}`);
  return out;
}

/** Grouped by the doc's sections, in the doc's order. */
function bySection(ds: Difference[]): Array<[Section, Difference[]]> {
  const groups = new Map<string, [Section, Difference[]]>();
  for (const d of ds) {
    if (!groups.has(d.section.folder)) groups.set(d.section.folder, [d.section, []]);
    groups.get(d.section.folder)![1].push(d);
  }
  return [...groups.values()].sort((x, y) => x[0].order - y[0].order);
}

export function renderText(r: DiffResult): string {
  const out = [`A = ${describeSide(r.a)}`, `B = ${describeSide(r.b)}`];
  for (const [section, ds] of bySection(r.differences)) {
    out.push('', `== ${section.heading} (${section.link})`);
    for (const d of ds) {
      out.push('', `${d.id}  [${d.uri}:${d.line}]`);
      if (d.sentence) out.push(`  "${d.sentence}"`);
      if (d.kind !== 'status') out.push(`  ${KIND_NOTE[d.kind]}`);
      out.push(...sideLines('A', d.a).map((l) => `  ${l}`), ...sideLines('B', d.b).map((l) => `  ${l}`));
    }
  }
  out.push('', countLine(r));
  return out.join('\n') + '\n';
}

/** Text safe in a GitHub Markdown table cell: no HTML, no table breaks, no emphasis or links. */
export function mdEscape(text: string): string {
  return text
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|])/g, '\\$1')
    .replace(/\r?\n/g, '<br>');
}

function mdCell(s: SideResult | undefined): string {
  if (!s) return '*(no such scenario)*';
  const parts = [`**${mdEscape(s.status)}**`];
  if (s.expectedReason) parts.push(`expected to fail: ${mdEscape(s.expectedReason)}`);
  if (s.skipReason) parts.push(mdEscape(s.skipReason));
  if (s.error) parts.push(mdEscape(trimmed(s.error).join('\n')));
  if (s.recorded !== undefined) parts.push(`recorded: ${mdEscape(s.recorded)}`);
  return parts.join('<br>');
}

export function renderMarkdown(r: DiffResult): string {
  const out = ['# loopspec diff', '', `- **A**: ${mdEscape(describeSide(r.a))}`, `- **B**: ${mdEscape(describeSide(r.b))}`, '', mdEscape(countLine(r))];
  for (const [section, ds] of bySection(r.differences)) {
    out.push('', `## [${mdEscape(section.heading)}](${section.link})`, '', '| scenario | A | B |', '| --- | --- | --- |');
    for (const d of ds) {
      const what = [`\`${d.id.replace(/`/g, "'").replace(/\|/g, '\\|')}\``];
      if (d.sentence) what.push(`“${mdEscape(d.sentence)}”`);
      if (d.kind !== 'status') what.push(`*${mdEscape(KIND_NOTE[d.kind])}*`);
      out.push(`| ${what.join('<br>')} | ${mdCell(d.a)} | ${mdCell(d.b)} |`);
    }
  }
  return out.join('\n') + '\n';
}

export function renderJson(r: DiffResult): string {
  return JSON.stringify(r, null, 2) + '\n';
}
