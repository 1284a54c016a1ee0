// reports/matrix/index.html: the conformance matrix as one static page that works from file://
// with no server and no network. The data goes in as JSON inside <script type="application/json">,
// escaped so that no text in it can close the element; the inlined script
// (cli/matrix-page.client.js) draws the page from it with textContent only.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../adapters/adapter-spec';
import { DOC } from './docs';
import { MatrixData, OUTCOME_LOOKS } from './matrix-data';

const CLIENT = path.join(ROOT, 'cli', 'matrix-page.client.js');

/**
 * JSON that is safe inside a <script> element: "<", ">" and "&" as \u escapes (so neither
 * "</script>" nor "<!--" can appear), and the two line separators JavaScript once refused.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const CSS = `
:root { --pass: #1a7f37; --fail: #cf222e; --xfail: #9a6700; --xpass: #8250df; --skip: #6e7781; --other: #bc4c00; --line: #d0d7de; }
body { font: 14px/1.4 system-ui, sans-serif; margin: 1em 2em; color: #1f2328; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.15em; margin-top: 1.5em; }
a { color: #0969da; }
table { border-collapse: collapse; }
th, td { border: 1px solid var(--line); padding: 2px 6px; vertical-align: top; }
thead th { background: #f6f8fa; font-weight: normal; text-align: center; }
#matrix thead th { position: sticky; top: 0; z-index: 2; }
th.col span { display: block; overflow-wrap: anywhere; }
th.col .impl { font-weight: 600; }
/* Twelve implementations fit a screen: narrow columns whose ids wrap, the behaviour column wide. */
#matrix th.adapter { max-width: 7.5em; }
th.col .py, th.col .id { font-size: 0.85em; color: #57606a; }
#summary td.score { text-align: right; white-space: nowrap; }
#summary td.score.not-run { color: #57606a; font-style: italic; }
.scope { display: block; font-size: 0.8em; font-weight: normal; color: #7d4e00; }
th.col .selection, .partial-note { color: #7d4e00; background: #fff8c5; border: 1px solid #d4a72c; }
th.col .selection { font-size: 0.85em; border-radius: 4px; margin-top: 2px; }
.partial-note { padding: 0.3em 0.6em; }
#summary tr.total { font-weight: 600; }
.bar { display: block; height: 4px; background: #ffebe9; margin-top: 2px; }
.bar span { display: block; height: 4px; background: var(--pass); }
#legend { list-style: none; padding: 0; display: flex; gap: 1.2em; flex-wrap: wrap; }
#filters { display: flex; gap: 1.5em; align-items: center; flex-wrap: wrap; margin: 0.5em 0; padding: 0.5em; background: #f6f8fa; border: 1px solid var(--line); }
#matrix tbody th[scope=row] { text-align: left; font-weight: normal; min-width: 18em; max-width: 30em; }
#matrix tr.section-row th { text-align: left; background: #eaeef2; font-size: 1.05em; padding: 6px; }
#matrix tr.rule-row td { background: #fbfbfc; color: #424a53; }
#matrix tr.rule-row .feature { font-family: ui-monospace, monospace; margin-right: 0.6em; }
#matrix tr.rule-row q { font-style: italic; }
td.cell, .cell-key { text-align: center; min-width: 2em; font-weight: 700; position: relative; }
.cell-key { display: inline-block; border: 1px solid var(--line); }
.o-passed { color: var(--pass); background: #dafbe1; }
.o-failed { color: #fff; background: var(--fail); }
.o-xfail { color: var(--xfail); background: #fff8c5; }
.o-xpass { color: #fff; background: var(--xpass); }
.o-skipped { color: var(--skip); background: #f6f8fa; }
.o-not-run { background: repeating-linear-gradient(45deg, #fff, #fff 3px, #f0f0f0 3px, #f0f0f0 6px); }
td.cell:not(.o-passed):not(.o-failed):not(.o-xfail):not(.o-xpass):not(.o-skipped):not(.o-not-run) { color: var(--other); background: #fff1e5; }
td.cell details summary { cursor: pointer; list-style: none; }
td.cell details summary::-webkit-details-marker { display: none; }
td.cell details[open] summary { outline: 2px solid #0969da; }
td.cell .detail { position: absolute; z-index: 3; left: 0; top: 100%; width: 40em; max-height: 24em; overflow: auto; text-align: left; font-weight: normal; color: #1f2328; background: #fff; border: 1px solid #8c959f; box-shadow: 0 4px 12px rgba(0,0,0,.15); padding: 0.5em; }
/* The right-hand columns open their detail leftwards, so it stays on the screen. */
td.cell:nth-last-child(-n+4) .detail { left: auto; right: 0; }
td.cell .detail pre { white-space: pre-wrap; word-break: break-word; margin: 0.4em 0 0; font-size: 0.9em; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

export function renderMatrixPage(data: MatrixData): string {
  const script = fs.readFileSync(CLIENT, 'utf8').replace(/<\/script/gi, '<\\/script');
  // Only the page's own script runs: its hash is the one script the policy allows.
  const hash = createHash('sha256').update(script).digest('base64');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${hash}'; img-src data:">
<title>loopspec conformance matrix</title>
<style>${CSS}</style>
</head>
<body>
<h1>loopspec conformance matrix</h1>
<p>Each column is one implementation's run, of those the page was published from; each row a behaviour of
<a href="${DOC}">the asyncio event loop's documentation</a>, in the doc's order.</p>
<div id="app"><noscript>This page is drawn by its script; reports/matrix.md holds the same matrix as text.</noscript></div>
<script type="application/json" id="matrix-data">${scriptJson(data)}</script>
<script type="application/json" id="outcome-looks">${scriptJson(OUTCOME_LOOKS)}</script>
<script>${script}</script>
</body>
</html>
`;
}
