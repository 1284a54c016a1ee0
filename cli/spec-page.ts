// reports/spec/index.html: features/ rendered as documentation. The doc's sections in its order,
// each feature's Rules with their quoted sentences and doc links, the Examples in plain
// language, tags as badges, and beside each Example its outcome in each run the page is drawn
// from (cli/pages.ts chooses them); a run that selected part of features/ says so, and so do
// its chips for what it did not select. One self-contained file (inline CSS and
// JS, nothing fetched) that works from file://. Everything taken from a feature or a loop is
// escaped: a loop's name or a scenario's is text, never markup.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CatalogueEntry, loadCatalogue } from './catalogue';
import { DOC } from './docs';
import type { Summary } from './reports';
import { partialSelection } from './selection';
import { readSummaries } from './summaries';

/** The part of a summary.json the page reads; anything else in it is ignored. */
interface Run {
  id: string;
  label: string;
  partial: boolean;
  /** What the run selected, when it was part of features/ only (cli/selection.ts). */
  selection?: string;
  counts: Record<string, number>;
  outcomes: Map<string, { outcome: string; note?: string }>;
}

/** Text for HTML, in an element or in a quoted attribute. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Only web links become hrefs: a feature's "Spec:" line could hold anything. */
function href(url: string | undefined): string | undefined {
  return url && /^https?:\/\//.test(url) ? esc(url) : undefined;
}

/** The part of each summary the page shows, in the order given. */
function runsOf(summaries: Summary[], catalogue: CatalogueEntry[]): Run[] {
  return summaries.map((s) => {
    const impl = s.implementation ?? { name: '?', version: '' };
    const selection = partialSelection(s, catalogue);
    return {
      id: String(s.adapter.id),
      label: `${impl.name} ${impl.version}${s.language?.version ? `, Python ${s.language.version}` : ''}`,
      partial: Boolean(s.partial),
      ...(selection !== undefined ? { selection } : {}),
      counts: (s.counts ?? {}) as unknown as Record<string, number>,
      outcomes: new Map(s.scenarios.map((r) => [r.id, {
        outcome: String(r.outcome ?? r.status ?? 'unknown'),
        note: r.error?.split('\n')[0] ?? r.skipReason ?? r.expectedReason,
      }])),
    };
  });
}

// Outcomes the page knows; any other (a newer kit's "flaky", say) is shown as itself, in grey.
const OUTCOME: Record<string, { mark: string; meaning: string }> = {
  passed: { mark: 'pass', meaning: 'passed' },
  failed: { mark: 'FAIL', meaning: 'failed' },
  skipped: { mark: 'skip', meaning: 'skipped: a capability the loop lacks or a version it is not' },
  xfail: { mark: 'xfail', meaning: 'failed, as its expectations file says' },
  xpass: { mark: 'XPASS', meaning: 'expected to fail, but passed' },
};

function chip(run: Run, entry: CatalogueEntry): string {
  const r = run.outcomes.get(entry.id);
  if (!r) {
    const why = run.selection === undefined ? 'not run' : `not run: not in the run's selection (${run.selection})`;
    return `<span class="chip none${run.selection === undefined ? '' : ' unselected'}" title="${esc(`${run.id}: ${why}`)}">${esc(run.id)}: —</span>`;
  }
  const known = OUTCOME[r.outcome];
  const cls = known ? r.outcome : 'other';
  const title = `${run.id}: ${known?.meaning ?? r.outcome}${r.note ? ` — ${r.note}` : ''}`;
  return `<span class="chip ${cls}" data-outcome="${esc(r.outcome)}" title="${esc(title)}">${esc(run.id)}: ${esc(known?.mark ?? r.outcome)}</span>`;
}

/** A tag as a badge: API tags link to the doc, version, capability and outcome tags say what they mean. */
function badge(tag: string): string {
  const t = tag.slice(1);
  const api = /^(loop|asyncio)\.[\w.]+$/.test(t);
  if (api) return `<a class="badge api" href="${esc(`${DOC}#asyncio.${t.replace(/^asyncio\./, '')}`)}">${esc(tag)}</a>`;
  const kinds: Array<[RegExp, string, string]> = [
    [/^since:/, 'version', 'holds from this Python version on'],
    [/^until:/, 'version', 'holds up to and including this Python version'],
    [/^except:/, 'version', 'does not hold for exactly this release'],
    [/^needs:/, 'needs', 'runs only where the driver announces this capability'],
    [/^undefined$/, 'undefined', 'the doc leaves the outcome open: recorded, never failed'],
  ];
  const kind = kinds.find(([re]) => re.test(t));
  return kind ? `<span class="badge ${kind[1]}" title="${esc(kind[2])}">${esc(tag)}</span>` : `<span class="badge">${esc(tag)}</span>`;
}

/** The steps as the feature reads: Given/When/Then, a repeated kind as "And". */
function stepsOf(entry: CatalogueEntry): string {
  const words: Record<string, string> = { Context: 'Given', Action: 'When', Outcome: 'Then' };
  let previous = '';
  return entry.steps.map((s) => {
    const word = s.keyword === previous ? 'And' : words[s.keyword] ?? '*';
    previous = s.keyword;
    return `<li><span class="kw">${word}</span> ${esc(s.text)}</li>`;
  }).join('');
}

function example(entry: CatalogueEntry, n: number, runs: Run[]): string {
  const own = entry.tags.filter((t) => !entry.feature.tags.includes(t));
  const outcomes = runs.map((r) => r.outcomes.get(entry.id)?.outcome ?? 'none');
  const text = [entry.name, entry.sentence ?? '', ...entry.steps.map((s) => s.text), ...entry.tags].join(' ').toLowerCase();
  return `<div class="example" id="ex-${n}" data-text="${esc(text)}" data-outcomes="${esc(outcomes.join(' '))}">
<div class="ex-head"><span class="ex-name">Example: ${esc(entry.name)}</span> ${own.map(badge).join(' ')}</div>
<div class="chips">${runs.map((r) => chip(r, entry)).join(' ')}</div>
<ul class="steps">${stepsOf(entry)}</ul>
<div class="where">${esc(entry.uri)}:${entry.line}</div>
</div>`;
}

function groupBy<T>(items: T[], key: (t: T) => string): Array<[string, T[]]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(item);
  }
  return [...groups];
}

function feature(entries: CatalogueEntry[], runs: Run[], number: (e: CatalogueEntry) => number): string {
  const f = entries[0].feature;
  const link = href(f.link);
  const rules = groupBy(entries, (e) => (e.sentence === undefined ? '' : `${e.ruleLine}`)).map(([, inRule]) => {
    const first = inRule[0];
    const quote = first.sentence === undefined ? '' : `<blockquote class="sentence">“${esc(first.sentence)}”${link ? ` <a class="doc" href="${link}">doc</a>` : ''}</blockquote>`;
    return `<div class="rule">${quote}${inRule.map((e) => example(e, number(e), runs)).join('\n')}</div>`;
  });
  return `<details class="feature" open><summary><h3>${esc(f.name)}</h3> ${f.tags.map(badge).join(' ')}</summary>
${f.description ? `<p class="description">${esc(f.description)}</p>` : ''}${link ? `<p class="spec">Spec: <a href="${link}">${link}</a></p>` : ''}
<div class="where">${esc(entries[0].uri)}</div>
${rules.join('\n')}
</details>`;
}

const STYLE = `
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1b1f24;background:#fff}
header{padding:1em 2em;border-bottom:1px solid #d0d7de;background:#f6f8fa}
main{display:flex;gap:2em;padding:0 2em}
nav{position:sticky;top:0;align-self:flex-start;max-height:100vh;overflow:auto;min-width:16em;padding-top:1em;font-size:14px}
nav ol{padding-left:2em}
article{flex:1;min-width:0}
h2{border-bottom:1px solid #d0d7de;padding-bottom:.2em;margin-top:1.5em}
h3{display:inline;font-size:1.1em}
summary{cursor:pointer;padding:.3em 0}
.feature{margin:1em 0;padding:.2em 1em;border:1px solid #d0d7de;border-radius:6px}
.description{margin:.3em 0}
.spec,.where{font-size:12px;color:#57606a}
.sentence{margin:1em 0 .5em;padding:.3em .8em;border-left:4px solid #0969da;background:#f6f8fa;font-style:italic}
.example{margin:.4em 0 .8em 1em}
.ex-name{font-weight:600}
.steps{list-style:none;margin:.2em 0;padding-left:1em;font-family:ui-monospace,monospace;font-size:13px}
.kw{color:#8250df;font-weight:600}
.badge{display:inline-block;font-size:11px;padding:0 .5em;border-radius:1em;border:1px solid #d0d7de;color:#57606a;text-decoration:none;font-family:ui-monospace,monospace}
.badge.api{border-color:#0969da;color:#0969da}
.badge.version{border-color:#9a6700;color:#9a6700;background:#fff8c5}
.badge.needs{border-color:#8250df;color:#8250df;background:#fbefff}
.badge.undefined{border-color:#57606a;background:#eaeef2}
.chips{margin:.2em 0}
.chip{display:inline-block;font-size:12px;padding:0 .5em;border-radius:4px;margin:1px;font-family:ui-monospace,monospace;border:1px solid transparent}
.chip.passed{background:#dafbe1;color:#116329}
.chip.failed{background:#ffebe9;color:#a40e26;font-weight:700;border-color:#a40e26}
.chip.skipped{background:#eaeef2;color:#57606a}
.chip.xfail{background:#fff8c5;color:#7d4e00}
.chip.xpass{background:#ffebe9;color:#a40e26;border-color:#a40e26}
.chip.other{background:#f6f8fa;color:#57606a;border-color:#57606a}
.chip.none{color:#8c959f;border:1px dashed #d0d7de}
.selection{font-size:12px;padding:0 .4em;border-radius:4px;background:#fff8c5;color:#7d4e00;border:1px solid #d4a72c}
.runs li{font-family:ui-monospace,monospace;font-size:13px}
.controls{margin-top:.6em}
.controls input[type=search]{width:22em}
.controls label,.controls span{margin-left:1em}
.hidden{display:none}
`;

// Filtering: a text box and "only Examples that failed somewhere". An Example is shown when it
// matches both; a Rule, feature or section with nothing shown is hidden with it.
const SCRIPT = `
(function () {
  var q = document.getElementById('filter'), failing = document.getElementById('failing'), count = document.getElementById('shown');
  function apply() {
    var words = q.value.toLowerCase().split(/\\s+/).filter(Boolean), shown = 0;
    document.querySelectorAll('.example').forEach(function (ex) {
      var text = ex.getAttribute('data-text'), outcomes = ex.getAttribute('data-outcomes').split(' ');
      var ok = words.every(function (w) { return text.indexOf(w) !== -1; }) &&
        (!failing.checked || outcomes.indexOf('failed') !== -1 || outcomes.indexOf('xpass') !== -1);
      ex.classList.toggle('hidden', !ok);
      if (ok) shown++;
    });
    ['.rule', '.feature', 'section'].forEach(function (sel) {
      document.querySelectorAll(sel).forEach(function (el) {
        el.classList.toggle('hidden', !el.querySelector('.example:not(.hidden)'));
      });
    });
    count.textContent = String(shown);
  }
  q.addEventListener('input', apply);
  failing.addEventListener('change', apply);
  apply();
})();
`;

/** The page's HTML, from the catalogue and the runs. */
export function renderSpecPage(catalogue: CatalogueEntry[], runs: Run[], generated = new Date()): string {
  const numbers = new Map(catalogue.map((e, i) => [e, i + 1]));
  const sections = groupBy(catalogue, (e) => e.section.folder);
  const toc = sections.map(([folder, es]) => `<li><a href="#section-${esc(folder)}">${esc(es[0].section.heading)}</a> (${es.length})</li>`).join('\n');
  const body = sections.map(([folder, es]) => {
    const s = es[0].section;
    const features = groupBy(es, (e) => e.uri).map(([, inFeature]) => feature(inFeature, runs, (e) => numbers.get(e)!));
    return `<section id="section-${esc(folder)}"><h2>${esc(s.heading)} <a class="doc" href="${href(s.link) ?? ''}">doc</a></h2>\n${features.join('\n')}\n</section>`;
  }).join('\n');
  const runList = runs.length
    ? runs.map((r) => `<li><b>${esc(r.id)}</b>: ${esc(r.label)}${r.partial ? ' (partial run)' : ''}${r.selection === undefined ? '' : ` <span class="selection">partial: ${esc(r.selection)}</span>`}: ${Object.entries(r.counts).map(([k, v]) => `${esc(v)} ${esc(k)}`).join(', ')}</li>`).join('\n')
    : '<li>no runs: run <code>npx loopspec</code>, then <code>npx loopspec spec</code>, to fill in the outcomes</li>';
  const legend = Object.entries(OUTCOME).map(([k, v]) => `<span class="chip ${k}" title="${esc(v.meaning)}">${esc(v.mark)}</span> ${esc(v.meaning)}`).join(' · ');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>loopspec: the asyncio event loop, as checked</title>
<style>${STYLE}</style></head>
<body>
<header>
<h1>loopspec: the asyncio event loop, as checked</h1>
<p>Every documented sentence of <a href="${DOC}">asyncio-eventloop</a> that loopspec checks, with its Examples and its outcome in each run below. Generated ${esc(generated.toISOString())} from features/ and these runs:</p>
<ul class="runs">${runList}</ul>
<p class="legend">${legend} · <span class="chip none">—</span> not run</p>
<div class="controls"><input type="search" id="filter" placeholder="filter: a word of a name, a sentence, a step or a tag">
<label><input type="checkbox" id="failing"> only Examples that fail somewhere</label>
<span><span id="shown">${catalogue.length}</span> of ${catalogue.length} Examples shown</span></div>
</header>
<main>
<nav><b>Sections</b><ol>${toc}</ol></nav>
<article>
${body}
</article>
</main>
<script>${SCRIPT}</script>
</body></html>
`;
}

/** Writes REPORTS/spec/index.html from features/ and the runs given (by default every REPORTS/<id>/summary.json); returns its path. */
export function writeSpecPage(reportsDir: string, catalogue: CatalogueEntry[] = loadCatalogue(), summaries: Summary[] = readSummaries(reportsDir)): string {
  const runs = runsOf(summaries, catalogue);
  const dir = path.join(reportsDir, 'spec');
  if (!fs.existsSync(dir)) fs.mkdirSync(dir);
  const file = path.join(dir, 'index.html');
  fs.writeFileSync(file, renderSpecPage(catalogue, runs));
  return file;
}
