// The catalogue: every scenario of features/ with what a reader needs beside its outcome — the
// doc section it belongs to (in the page's order), its feature and doc link, the Rule's quoted
// sentence, its tags and its steps. The matrix page, the rendered spec and the JUnit report
// are drawn from it, so they all name and order behaviours the same way.
import * as fs from 'node:fs';
import { compile } from '@cucumber/gherkin';
import { GherkinDocument, IdGenerator } from '@cucumber/messages';
import { ROOT } from '../adapters/adapter-spec';
import { DOC, SECTIONS } from './docs';
import { featureUri, gherkinParser, listFeatureFiles, scenarioId } from './features';

export interface Section { folder: string; heading: string; link: string; order: number }

export interface CatalogueEntry {
  id: string;
  uri: string;
  line: number;
  name: string;
  section: Section;
  feature: { name: string; description: string; link?: string; tags: string[] };
  /** The Rule's quoted sentence (quotes removed), or undefined for a scenario outside a Rule. */
  sentence?: string;
  ruleLine?: number;
  /** Every tag that applies: the feature's, the Rule's and the scenario's (an outline row's too). */
  tags: string[];
  steps: Array<{ keyword: string; text: string }>;
}

/** The section of a feature file: its folder under features/, placed in the doc's order. */
export function sectionOf(uri: string): Section {
  const folder = uri.split('/')[1] ?? '';
  const i = SECTIONS.findIndex((s) => s[0] === folder);
  if (i === -1) return { folder, heading: folder, link: DOC, order: SECTIONS.length };
  return { folder, heading: SECTIONS[i][1], link: `${DOC}#${SECTIONS[i][2]}`, order: i };
}

/** "Rule: \"Schedule the callback ...\"" has the name with its quotes; the sentence is inside them. */
function unquote(ruleName: string): string {
  return ruleName.replace(/^"(.*)"$/s, '$1');
}

function entriesOf(uri: string, doc: GherkinDocument, newId: IdGenerator.NewId): CatalogueEntry[] {
  const feature = doc.feature;
  if (!feature) return [];
  const link = /Spec:\s*(\S+)/.exec(feature.description)?.[1];
  const description = feature.description.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('Spec:')).join(' ');
  // Which Rule (if any) each scenario and outline row sits in, and their lines.
  const ruleOf = new Map<string, { name: string; line: number }>();
  const lineOf = new Map<string, number>();
  for (const child of feature.children) {
    const visit = (sc: NonNullable<typeof child.scenario>, rule?: { name: string; line: number }) => {
      lineOf.set(sc.id, sc.location.line);
      if (rule) ruleOf.set(sc.id, rule);
      for (const ex of sc.examples) for (const row of ex.tableBody) lineOf.set(row.id, row.location.line);
    };
    if (child.scenario) visit(child.scenario);
    if (child.rule) {
      const rule = { name: unquote(child.rule.name), line: child.rule.location.line };
      for (const c of child.rule.children) if (c.scenario) visit(c.scenario, rule);
    }
  }
  const section = sectionOf(uri);
  return compile({ ...doc, uri }, uri, newId).map((p) => {
    const rule = p.astNodeIds.map((n) => ruleOf.get(n)).find(Boolean);
    const line = [...p.astNodeIds].reverse().map((n) => lineOf.get(n)).find((l) => l !== undefined) ?? 0;
    return {
      id: scenarioId(uri, p.name),
      uri,
      line,
      name: p.name,
      section,
      feature: { name: feature.name, description, ...(link ? { link } : {}), tags: feature.tags.map((t) => t.name) },
      ...(rule ? { sentence: rule.name, ruleLine: rule.line } : {}),
      tags: p.tags.map((t) => t.name),
      steps: p.steps.map((s) => ({ keyword: s.type ?? 'Unknown', text: s.text })),
    };
  });
}

/**
 * Every scenario of the given feature files (default: all of features/), in the doc's order:
 * by section, then by file, then as written.
 */
export function loadCatalogue(root = ROOT, files?: string[]): CatalogueEntry[] {
  const newId = IdGenerator.incrementing();
  const parser = gherkinParser(newId);
  const out: CatalogueEntry[] = [];
  for (const abs of files ?? listFeatureFiles(root, ['features'])) {
    const uri = featureUri(root, abs);
    out.push(...entriesOf(uri, parser.parse(fs.readFileSync(abs, 'utf8')), newId));
  }
  return out.sort((a, b) => a.section.order - b.section.order || (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0) || a.line - b.line);
}
