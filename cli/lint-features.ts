// The feature lint: named rules over the Gherkin AST, so the spec stays readable and its IDs
// stable. An exception is a line "RULE path" in features/lint-exceptions.txt, with a reason.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GherkinDocument, Tag } from '@cucumber/messages';
import { DRIVER_ENV_TAG, DRIVER_FLAG_TAG, DRIVER_FLAGS, ROOT } from '../adapters/adapter-spec';
import { parseShippedFeatures } from './features';

export interface Finding { rule: string; file: string; line: number; message: string }

const DOC_LINK = 'https://docs.python.org/3/library/asyncio-eventloop.html#';
/** The older page a feature transcribes text of that the current page no longer has (the 3.4 policies). */
const OLD_DOC_LINK = /Spec: https:\/\/docs\.python\.org\/3\.[45]\/library\/asyncio-eventloops?\.html#/;
const PATTERN_TAGS = /^@(since|until|except):\d+\.\d+(\.\d+)?$|^@needs:[a-z][a-z0-9-]*$|^@ref:[a-z0-9_-]+$|^@param:[A-Za-z_]\w*$/;
/** Words that mean a scenario is imperative or timing-based rather than declarative. */
const FORBIDDEN_STEP_WORDS = /\b(sleep|sleeps|time\.sleep|asyncio\.sleep|fd|file descriptor|port \d+|import |lambda|def )\b/;

/** `@driver-env:NAME=VALUE` and `@driver-flag:NAME` for a flag the kit knows (adapters/adapter-spec.ts). */
function isDriverVariantTag(tag: string): boolean {
  const flag = DRIVER_FLAG_TAG.exec(tag);
  return DRIVER_ENV_TAG.test(tag) || (flag !== null && flag[1] in DRIVER_FLAGS);
}

/** Tags listed in features/TAGS.md (backquoted in a table's first column). */
export function registeredTags(): Set<string> {
  const text = fs.readFileSync(path.join(ROOT, 'features/TAGS.md'), 'utf8');
  return new Set([...text.matchAll(/^\| `(@[^`]+)` \|/gm)].map((m) => m[1]));
}

function exceptions(): Set<string> {
  const f = path.join(ROOT, 'features/lint-exceptions.txt');
  if (!fs.existsSync(f)) return new Set();
  return new Set(fs.readFileSync(f, 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean).map((l) => l.split(/\s+/).slice(0, 2).join(' ')));
}

export function lintDocument(file: string, doc: GherkinDocument, known: Set<string>): Finding[] {
  const out: Finding[] = [];
  const add = (rule: string, line: number, message: string) => out.push({ rule, file, line, message });
  const feature = doc.feature;
  if (!feature) { add('has-feature', 1, 'the file has no Feature'); return out; }
  const checkTags = (tags: readonly Tag[]) => {
    for (const t of tags) {
      if (!known.has(t.name) && !PATTERN_TAGS.test(t.name) && !isDriverVariantTag(t.name)) add('known-tags', t.location.line, `${t.name} is not in features/TAGS.md`);
    }
  };
  checkTags(feature.tags);
  const apiTags = feature.tags.filter((t) => /^@(loop|asyncio)\./.test(t.name));
  if (apiTags.length === 0) add('api-tag', feature.location.line, 'the Feature needs an API tag such as @loop.call_soon');
  const base = path.basename(file, '.feature');
  if (!apiTags.some((t) => t.name.slice(1) === base)) add('file-name', feature.location.line, `the file is named ${base}.feature but no API tag is @${base}`);
  if (!feature.description.includes(`Spec: ${DOC_LINK}`) && !OLD_DOC_LINK.test(feature.description)) add('spec-link', feature.location.line, `the description needs a "Spec: ${DOC_LINK}..." line`);

  const names = new Map<string, number>();
  const visit = (children: GherkinDocument['feature'] extends infer F ? F extends { children: infer C } ? C : never : never, inRule: boolean) => {
    for (const child of children as readonly { rule?: { name: string; location: { line: number }; tags: readonly Tag[]; children: unknown }; scenario?: { name: string; location: { line: number }; tags: readonly Tag[]; steps: readonly { text: string; location: { line: number } }[]; examples: readonly { tags: readonly Tag[] }[] } }[]) {
      if (child.rule) {
        const r = child.rule;
        checkTags(r.tags);
        if (!/^".+"$/.test(r.name.trim())) add('quoted-rule', r.location.line, 'a Rule quotes one documented sentence, in double quotes');
        visit(r.children as never, true);
      }
      if (child.scenario) {
        const s = child.scenario;
        checkTags(s.tags);
        for (const ex of s.examples) checkTags(ex.tags);
        if (!inRule) add('in-rule', s.location.line, 'an Example belongs to the Rule whose sentence it proves');
        if (!/^[a-z]/.test(s.name) || /^(test|scenario|example)\b/i.test(s.name) || /^\d/.test(s.name)) {
          add('sentence-names', s.location.line, `"${s.name}": an Example's name is a sentence with an outcome, starting in lower case`);
        }
        if (names.has(s.name)) add('unique-names', s.location.line, `"${s.name}" is also the name at line ${names.get(s.name)}`);
        names.set(s.name, s.location.line);
        for (const step of s.steps) {
          if (FORBIDDEN_STEP_WORDS.test(step.text)) add('declarative-steps', step.location.line, `"${step.text}": no sleeps, fds, ports or code in a scenario`);
        }
      }
    }
  };
  visit(feature.children as never, false);
  return out;
}

export function lintFeatures(): Finding[] {
  const known = registeredTags();
  const skip = exceptions();
  return parseShippedFeatures(ROOT).flatMap(({ file, doc }) => lintDocument(file, doc, known).filter((f) => !skip.has(`${f.rule} ${f.file}`)));
}

/** Prints every finding as `file:line: [rule] message`; the exit status says whether any. */
export function main(): void {
  const findings = lintFeatures();
  for (const f of findings) process.stdout.write(`${f.file}:${f.line}: [${f.rule}] ${f.message}\n`);
  process.stdout.write(findings.length ? `feature lint: ${findings.length} problem(s)\n` : 'feature lint: clean\n');
  process.exitCode = findings.length ? 1 : 0;
}
