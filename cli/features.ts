// The features as the kit sees them before a run: parsed with cucumber's own Gherkin parser,
// so that a syntax error is one clear line, and every scenario has its stable ID
// ("<feature path>: <scenario name>"), the key of expectation files and reports.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AstBuilder, GherkinClassicTokenMatcher, Parser, compile } from '@cucumber/gherkin';
import { IdGenerator, GherkinDocument, Pickle } from '@cucumber/messages';
import { UsageError } from './args';

export interface ScenarioRef {
  id: string; uri: string; name: string; line: number; tags: string[];
  /** Its steps' texts, as cucumber matches them against the step definitions. */
  steps: string[];
}

export function listFeatureFiles(root: string, paths: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const st = fs.statSync(p, { throwIfNoEntry: false });
    if (!st) throw new UsageError(`no such feature path: ${path.relative(root, p) || p}`);
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(p).sort()) walk(path.join(p, e));
    } else if (p.endsWith('.feature')) {
      out.push(p);
    }
  };
  for (const p of paths) walk(path.resolve(root, p));
  if (out.length === 0) throw new UsageError(`no .feature files in ${paths.join(', ')}`);
  return out;
}

/** A feature file's path from the root, with /: the uri cucumber and the scenario IDs use. */
export function featureUri(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

export function scenarioId(uri: string, name: string): string {
  return `${uri}: ${name}`;
}

/** The line of a pickle: its Examples row for an outline, else its Scenario. */
function lineOf(doc: GherkinDocument, pickle: Pickle): number {
  const lines = new Map<string, number>();
  const visit = (children: readonly { scenario?: unknown; rule?: { children: readonly unknown[] } }[]) => {
    for (const c of children) {
      const sc = c.scenario as { id: string; location: { line: number }; examples: { tableBody: { id: string; location: { line: number } }[] }[] } | undefined;
      if (sc) {
        lines.set(sc.id, sc.location.line);
        for (const ex of sc.examples) for (const row of ex.tableBody) lines.set(row.id, row.location.line);
      }
      if (c.rule) visit(c.rule.children as typeof children);
    }
  };
  if (doc.feature) visit(doc.feature.children as never);
  for (const id of [...pickle.astNodeIds].reverse()) if (lines.has(id)) return lines.get(id)!;
  return 0;
}

/** cucumber's own Gherkin parser, so the kit reads features exactly as cucumber will. */
export function gherkinParser(newId: IdGenerator.NewId = IdGenerator.incrementing()): Parser<GherkinDocument> {
  return new Parser(new AstBuilder(newId), new GherkinClassicTokenMatcher());
}

/** Every feature under features/, parsed: its path from the root (with /) and its document. */
export function parseShippedFeatures(root: string): Array<{ file: string; doc: GherkinDocument }> {
  const parser = gherkinParser();
  return listFeatureFiles(root, ['features']).map((abs) => ({
    file: featureUri(root, abs),
    doc: parser.parse(fs.readFileSync(abs, 'utf8')),
  }));
}

/**
 * A feature's scenarios as last parsed, by path, while the file's size and time stay the same: a
 * process that runs one run after another (a lane of `loopspec batch`) parses each file once.
 */
const parsed = new Map<string, { stamp: string; scenarios: ScenarioRef[] }>();

/** Parses every feature; a syntax error is a UsageError naming the file and line. */
export function loadScenarios(root: string, files: string[]): ScenarioRef[] {
  return files.flatMap((file) => {
    const uri = featureUri(root, file);
    const st = fs.statSync(file);
    const stamp = `${uri}:${st.size}:${st.mtimeMs}`;
    const known = parsed.get(file);
    if (known?.stamp === stamp) return known.scenarios;
    const scenarios = parseScenarios(uri, file);
    parsed.set(file, { stamp, scenarios });
    return scenarios;
  });
}

function parseScenarios(uri: string, file: string): ScenarioRef[] {
  const newId = IdGenerator.incrementing();
  let doc: GherkinDocument;
  try {
    doc = gherkinParser(newId).parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    // "Parser errors:\n(8:3): A tag may not contain whitespace" -> "...feature:8:3: A tag ..."
    const lines = String((err as Error).message).split('\n').filter((l) => /^\(\d+:\d+\)/.test(l));
    const first = lines[0]?.replace(/^\((\d+):(\d+)\): /, '$1:$2: ') ?? String((err as Error).message);
    throw new UsageError(`${uri}:${first} (not valid Gherkin)`);
  }
  return compile({ ...doc, uri }, uri, newId).map((p) => ({ id: scenarioId(uri, p.name), uri, name: p.name, line: lineOf(doc, p), tags: p.tags.map((t) => t.name), steps: p.steps.map((s) => s.text) }));
}
