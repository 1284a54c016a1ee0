// junit.xml, drawn from a run's summary and the catalogue (not from cucumber's formatter), so
// that `loopspec merge` can regenerate it for shards and CI systems group it the same way:
// a <testsuite> per feature file, a <testcase> per scenario named by its stable ID. Skips and
// expected failures are <skipped> (pytest's xfail convention), a scenario that passed only on a
// retry carries <flakyFailure> (Surefire's convention), and a failure's text is the quoted
// sentence, the doc link and the error.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../adapters/adapter-spec';
import { CatalogueEntry, loadCatalogue } from './catalogue';
import type { Summary } from './reports';
import { ScenarioResult } from './results';

/**
 * Text fit for an XML 1.0 attribute or element: markup characters as entities, and the
 * characters XML 1.0 cannot hold at all (control characters but tab and newline, lone
 * surrogates, U+FFFE/U+FFFF) written out as \uXXXX, so a loop's bytes never break the file.
 */
export function xmlEscape(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;');
}

const attrs = (a: Record<string, string | number>) => Object.entries(a).map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`).join('');
const firstLine = (t: string) => t.split('\n').find((l) => l.trim()) ?? '';
const secs = (n: number) => (Math.round(n * 1000) / 1000).toFixed(3);

/** What a failing scenario disproves and why: the quoted sentence, the doc link, the error. */
function failureText(entry: CatalogueEntry | undefined, error: string): string {
  return [
    entry?.sentence ? `sentence: "${entry.sentence}"` : undefined,
    entry ? `doc: ${entry.feature.link ?? entry.section.link}` : undefined,
    '',
    error,
  ].filter((l) => l !== undefined).join('\n');
}

/** The elements inside one <testcase>. */
function testcaseBody(r: ScenarioResult, entry: CatalogueEntry | undefined, strict: boolean): string[] {
  const error = r.error ?? r.status;
  switch (r.outcome) {
    case 'passed': return [];
    case 'skipped': return [`<skipped${attrs({ message: r.skipReason ?? 'skipped' })}/>`];
    case 'xfail': return [`<skipped${attrs({ message: `expected failure: ${r.expectedReason ?? ''}` })}>${xmlEscape(failureText(entry, error))}</skipped>`];
    case 'failed': return [`<failure${attrs({ message: firstLine(error), type: r.status })}>${xmlEscape(failureText(entry, error))}</failure>`];
    case 'flaky': return (r.retriedErrors ?? []).map((e) => `<flakyFailure${attrs({ message: firstLine(e), type: 'failed' })}>${xmlEscape(failureText(entry, e))}</flakyFailure>`);
    case 'xpass': {
      const message = `expected to fail but passed (the expectations file is out of date): ${r.expectedReason ?? ''}`;
      // Under --strict an unexpected pass fails the run, so it is a failure here too; otherwise
      // it passes, marked so that the report still names it.
      return strict
        ? [`<failure${attrs({ message, type: 'xpass' })}>${xmlEscape(failureText(entry, message))}</failure>`]
        : [`<properties><property${attrs({ name: 'loopspec.outcome', value: 'xpass' })}/></properties>`, `<system-out>${xmlEscape(message)}</system-out>`];
    }
  }
}

/** The catalogue entries of the features a summary's scenarios come from (any that still exist). */
function catalogueFor(results: ScenarioResult[]): Map<string, CatalogueEntry> {
  const files = [...new Set(results.map((r) => path.resolve(ROOT, r.uri)))].filter((f) => fs.existsSync(f));
  return new Map(files.length ? loadCatalogue(ROOT, files).map((e) => [e.id, e]) : []);
}

/** The whole junit.xml of a run (or of merged shards). */
export function renderJunit(summary: Summary, catalogue: Map<string, CatalogueEntry> = catalogueFor(summary.scenarios)): string {
  const strict = summary.strict === true;
  const byFeature = new Map<string, ScenarioResult[]>();
  for (const r of summary.scenarios) byFeature.set(r.uri, [...(byFeature.get(r.uri) ?? []), r]);
  const isFailure = (r: ScenarioResult) => r.outcome === 'failed' || (strict && r.outcome === 'xpass');
  const isSkipped = (r: ScenarioResult) => r.outcome === 'skipped' || r.outcome === 'xfail';
  const time = (rs: ScenarioResult[]) => rs.reduce((t, r) => t + (r.duration ?? 0), 0);
  const all = summary.scenarios;
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: `loopspec ${summary.adapter.id}`, tests: all.length, failures: all.filter(isFailure).length, errors: 0, skipped: all.filter(isSkipped).length, time: secs(time(all)) })}>`,
  ];
  for (const [uri, rs] of byFeature) {
    out.push(`  <testsuite${attrs({ name: uri, tests: rs.length, failures: rs.filter(isFailure).length, errors: 0, skipped: rs.filter(isSkipped).length, time: secs(time(rs)), timestamp: summary.started })}>`);
    for (const r of rs) {
      const head = `    <testcase${attrs({ name: r.id, classname: uri, time: secs(r.duration ?? 0) })}`;
      const body = testcaseBody(r, catalogue.get(r.id), strict);
      out.push(body.length ? `${head}>\n${body.map((b) => `      ${b}`).join('\n')}\n    </testcase>` : `${head}/>`);
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}
