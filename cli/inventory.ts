// The inventory: every item the seed documents document (functions, methods, classes,
// attributes, the parameters of each signature, every versionadded/versionchanged/deprecated
// note, and the examples), with its doc section, its versions and the seed files it comes
// from. Names, versions and sections only: the prose stays in the doc. `npm run trace --
// --update` writes it to trace/inventory.json, so that a clone without ../shared still traces.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../adapters/adapter-spec';
import { blameRst, diffRst, numberedRst, plainRst, RstLine, RstPage } from './seed-readers';

export type Kind = 'function' | 'method' | 'coroutinemethod' | 'class' | 'attribute' | 'parameter'
  | 'versionadded' | 'versionchanged' | 'deprecated' | 'example';
type ApiKind = 'function' | 'method' | 'coroutinemethod' | 'class' | 'attribute';
type NoteKind = 'versionadded' | 'versionchanged' | 'deprecated';

export interface Versions {
  /** A note: the version it names. */
  note?: string;
  /** A deprecated-removed note: the release that removes it. */
  removed?: string;
  /** The oldest and the newest page the item appears on, as the pages' Python versions. */
  first: string;
  last: string;
  /** A parameter: the notes of its API that name it, e.g. "versionchanged 3.7". */
  notes?: string[];
}

export interface Item {
  /** `loop.call_soon`, `loop.call_soon(context)`, `loop.create_task versionchanged 3.8`, `example: ...` */
  id: string;
  kind: Kind;
  /** The API tag the item belongs to, without "@" (features/TAGS.md): `loop.NAME` or `asyncio.NAME`. */
  api: string;
  section: string;
  versions: Versions;
  /** The seed files that document it. */
  sources: string[];
  /** An example: the doc's label for it, which a scenario carries as `@ref:LABEL`. */
  label?: string;
}

export interface Inventory {
  about: string;
  pages: Array<{ file: string; python: string; format: string }>;
  /** Every section that holds an item: page 002's in its order, then older pages' own. */
  sections: string[];
  items: Item[];
}

export const INVENTORY_PATH = path.join(ROOT, 'trace/inventory.json');
export const DEFAULT_DOC = path.join(ROOT, '../shared/seeds');

type Format = 'rst' | 'numbered-rst' | 'blame-rst' | 'diff-rst' | 'rendered';

/**
 * The seeds, newest first (the first page that has an item gives its kind), by the number
 * that starts each file name; the Python version of each page is from ../shared/seeds/README.md
 * and the notes it holds (002 has shutdown_default_executor, new in 3.9, and not yet 3.10's
 * get_event_loop deprecation).
 */
const SEEDS: Array<{ prefix: string; format: Format; python: string }> = [
  { prefix: '002', format: 'rst', python: '3.9' },
  { prefix: '004', format: 'diff-rst', python: '3.7' },
  { prefix: '000', format: 'numbered-rst', python: '3.5' },
  { prefix: '001', format: 'rendered', python: '3.5' },
  { prefix: '003', format: 'blame-rst', python: '3.4' },
];
const READERS: Record<Exclude<Format, 'rendered'>, (text: string) => RstPage> = {
  'rst': plainRst, 'numbered-rst': numberedRst, 'blame-rst': blameRst, 'diff-rst': diffRst,
};

/** What one page documents, before the pages are merged. */
interface ApiFact { id: string; kind: ApiKind; params: string[]; section: string }
interface NoteFact { kind: NoteKind; version: string; removed?: string; owners: string[]; mentions: Set<string>; section: string }
interface ExampleFact { title: string; label?: string; api?: string; section: string }
interface PageFacts { apis: ApiFact[]; notes: NoteFact[]; examples: ExampleFact[]; sections: string[] }

const LOOP_CLASSES = new Set(['loop', 'BaseEventLoop', 'AbstractEventLoop']);
const VERSION = /^\d+\.\d+(\.\d+)?$/;

/**
 * A documented name as an API tag: the loop's methods are `loop.X` whatever class the page
 * documents them on (BaseEventLoop in 3.4/3.5, AbstractEventLoop in 3.6), the rest `asyncio.X`.
 */
export function apiId(name: string): string {
  const parts = name.replace(/^~/, '').replace(/^asyncio\./, '').split('.');
  if (parts.length > 1 && LOOP_CLASSES.has(parts[0])) return ['loop', ...parts.slice(1)].join('.');
  return ['asyncio', ...parts].join('.');
}

const shortName = (id: string) => id.slice(id.lastIndexOf('.') + 1);

/** The parameter names of a signature's argument list: `callback, *args, context=None`. */
export function parameters(args: string): string[] {
  return args.split(',').map((a) => a.trim().replace(/^\*{1,2}/, '').replace(/[=:].*$/, '').trim())
    .filter((p) => /^[A-Za-z_]\w*$/.test(p));
}

/** The names a note's text points at: *param*, ``name`` and :meth:`x.name` (last part). */
function mentions(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/(?<![*\w])\*([A-Za-z_]\w*)\*(?!\*)/g)) out.add(m[1]);
  for (const m of text.matchAll(/``([A-Za-z_][\w.]*)``/g)) out.add(shortName(m[1]));
  for (const m of text.matchAll(/:(?:meth|func|attr):`~?([\w.]+?)(?:\(\))?`/g)) out.add(shortName(m[1]));
  return out;
}

interface Directive { id: string; indent: number; params: string[]; kind: ApiKind }

/**
 * The owners of a note that is not nested in a method by its indentation (a top-level note
 * after a group of methods, or one whose indentation the diff lost): walk back over the
 * section's directives and take those the note names (a parameter or the method's name), as
 * long as they run on; the nearest may be passed over when the note does not name it (the
 * 3.8 one-day note after loop.time() is about call_later's *delay* and call_at's *when*).
 * A note that names none belongs to the nearest.
 */
function ownersByMention(candidates: Directive[], named: Set<string>): string[] {
  const nearestFirst = [...candidates].reverse();
  if (nearestFirst.length === 0) return [];
  const names = (d: Directive) => named.has(shortName(d.id)) || d.params.some((p) => named.has(p));
  const out: string[] = [];
  for (let k = names(nearestFirst[0]) ? 0 : 1; k < nearestFirst.length && names(nearestFirst[k]); k++) out.push(nearestFirst[k].id);
  return out.length ? out : [nearestFirst[0].id];
}

/** A heading at line i: title and underline, or overline, title and underline. */
function headingAt(lines: RstLine[], i: number): { title: string; style: string; span: number } | undefined {
  const rule = (l: RstLine | undefined) => (l && !l.gap && /^([=\-^~*#"+`:.'_])\1{2,}$/.test(l.text) ? l.text : undefined);
  const title = (l: RstLine | undefined) => (l && !l.gap && l.text && !l.indent && !rule(l) && !l.text.startsWith('.. ') ? l.text : undefined);
  const over = rule(lines[i]);
  if (over && title(lines[i + 1]) && rule(lines[i + 2])?.[0] === over[0]) return { title: lines[i + 1].text, style: `over${over[0]}`, span: 3 };
  const under = rule(lines[i + 1]);
  if (title(lines[i]) && under && under.length >= lines[i].text.length) return { title: lines[i].text, style: under[0], span: 2 };
  return undefined;
}

const API_DIRECTIVES = ['function', 'method', 'coroutinemethod', 'awaitablemethod', 'class', 'attribute'];
const isExamplesHeading = (title: string) => /^(event loop )?examples$/i.test(title);

/** Walks one page's .rst lines: its sections, directives, notes and examples. */
function walkRst({ lines, collapsed }: RstPage): PageFacts {
  const facts: PageFacts = { apis: [], notes: [], examples: [], sections: [] };
  const levels: string[] = [];
  let section = '';
  let examplesLevel = -1;
  let stack: Directive[] = [];
  let inSection: Directive[] = [];
  let currentClass: string | undefined;
  let label: string | undefined;
  let example: ExampleFact | undefined;
  const enterSection = (title: string) => {
    section = title;
    if (!facts.sections.includes(title)) facts.sections.push(title);
    stack = [];
    inSection = [];
    currentClass = undefined;
    example = undefined;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    // A diff gap keeps the section: a heading lost in one would mislabel only 004's own
    // items, and an item takes its section from page 002 where it is there.
    if (line.gap || !line.text) continue;
    const heading = headingAt(lines, i);
    if (heading) {
      i += heading.span - 1;
      if (!levels.includes(heading.style)) levels.push(heading.style);
      const level = levels.indexOf(heading.style);
      if (examplesLevel >= 0 && level <= examplesLevel) examplesLevel = -1;
      const isExample = (examplesLevel >= 0 && level > examplesLevel) || /^Example:\s/.test(heading.title);
      if (isExamplesHeading(heading.title)) examplesLevel = level;
      enterSection(heading.title);
      if (isExample) {
        example = { title: heading.title.replace(/^Example:\s*/, ''), label, section };
        facts.examples.push(example);
      }
      label = undefined;
      continue;
    }
    const directive = /^\.\. ([a-z-]+)::\s*(.*)$/.exec(line.text);
    // A line closes the directives it is not inside. Where indentation is squeezed, a
    // nested method's own text is as deep as the method, so only a directive closes a sibling.
    if (line.indent !== null) {
      const closes = (d: Directive) => d.indent > line.indent! || (d.indent === line.indent && (!collapsed || line.indent === 0 || API_DIRECTIVES.includes(directive?.[1] ?? '')));
      while (stack.length && closes(stack[stack.length - 1])) stack.pop();
    }
    const labelMatch = /^\.\. _([^:`]+):$/.exec(line.text);
    if (labelMatch) { label = labelMatch[1]; continue; }
    label = undefined;
    if (example && !example.api) {
      const role = /:(?:meth|func):`~?([\w.]+?)(?:\(\))?`/.exec(line.text);
      if (role) example.api = apiId(role[1]);
    }
    if (!directive) continue;
    const [, name, arg] = directive;
    if (name === 'rubric') { enterSection(arg.trim()); continue; }

    if (API_DIRECTIVES.includes(name)) {
      // awaitablemethod (run_in_executor: it returns a Future) is a plain method here.
      const kind = (name === 'awaitablemethod' ? 'method' : name) as ApiKind;
      let signature = arg;
      while (signature.endsWith('\\') && lines[i + 1] && !lines[i + 1].gap) signature = `${signature.slice(0, -1)} ${lines[++i].text}`;
      const m = /^([\w.~]+)\s*(?:\((.*)\))?/.exec(signature.replace(/\\\*/g, '*').trim());
      if (!m) continue;
      const qualified = m[1].includes('.');
      // A method written without its class is nested in the class above it; where the
      // diff lost the indentation, that is the section's last class.
      let indent = line.indent;
      if (indent === null) {
        indent = !qualified && kind !== 'function' && kind !== 'class' && currentClass ? 1 : 0;
        while (stack.length && stack[stack.length - 1].indent >= indent) stack.pop();
      }
      const owner = [...stack].reverse().find((d) => d.kind === 'class')?.id ?? currentClass;
      const id = qualified || kind === 'function' || kind === 'class' || !owner ? apiId(m[1]) : `${owner}.${m[1]}`;
      const d: Directive = { id, indent, params: parameters(m[2] ?? ''), kind };
      stack.push(d);
      inSection.push(d);
      if (kind === 'class') currentClass = id;
      facts.apis.push({ id, kind, params: d.params, section });
      continue;
    }

    if (['versionadded', 'versionchanged', 'deprecated', 'deprecated-removed'].includes(name)) {
      const [version, removed] = arg.trim().split(/\s+/);
      if (!VERSION.test(version ?? '')) continue;
      // The note's text: what follows up to the next directive or heading, or the end of its
      // block. Where indentation is squeezed or lost, the block's end is not visible: take
      // one paragraph. Past a diff gap the text may be another note's.
      let body = arg;
      let paragraph = false;
      for (let j = i + 1; j < lines.length; j++) {
        const l = lines[j];
        if (l.gap || (!l.text && paragraph && (collapsed || line.indent === null))) break;
        paragraph ||= l.text !== '';
        const dedented = line.indent !== null && l.indent !== null && (collapsed ? l.indent === 0 : l.indent <= line.indent);
        if (l.text && (l.text.startsWith('.. ') || headingAt(lines, j) || dedented)) break;
        body += `\n${l.text}`;
      }
      const named = mentions(body);
      const nested = line.indent !== null && line.indent > 0 && stack.length > 0;
      facts.notes.push({
        kind: name === 'deprecated-removed' ? 'deprecated' : (name as NoteKind),
        version,
        removed: name === 'deprecated-removed' && VERSION.test(removed ?? '') ? removed : undefined,
        owners: nested ? [stack[stack.length - 1].id] : ownersByMention(inSection, named),
        mentions: named,
        section,
      });
    }
  }
  return facts;
}

/**
 * 001: the rendered text of the 3.5 page: numbered headings ("18.5.1.2. Calls"), signatures
 * on their own line ("BaseEventLoop.call_soon(callback, *args)", "class asyncio.Handle", a
 * class's methods as "cancel()"), and "New in version 3.4.2." after the item it belongs to.
 */
function walkRendered(text: string): PageFacts {
  const facts: PageFacts = { apis: [], notes: [], examples: [], sections: [] };
  let section = '';
  let examplesDepth = -1;
  let currentClass: string | undefined;
  let last: ApiFact | undefined;
  let example: ExampleFact | undefined;
  const add = (id: string, kind: ApiKind, args?: string) => {
    last = { id, kind, params: parameters(args ?? ''), section };
    facts.apis.push(last);
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const heading = /^(\d+(?:\.\d+)+)\.\s+(\S.*)$/.exec(line);
    if (heading) {
      const depth = heading[1].split('.').length;
      if (examplesDepth >= 0 && depth <= examplesDepth) examplesDepth = -1;
      section = heading[2];
      if (!facts.sections.includes(section)) facts.sections.push(section);
      currentClass = undefined;
      last = undefined;
      example = undefined;
      if (examplesDepth >= 0) facts.examples.push(example = { title: section, section });
      if (isExamplesHeading(section)) examplesDepth = depth;
      continue;
    }
    if (example) {
      const use = /\b(?:BaseEventLoop|loop)\.(\w+)\(\) method/.exec(line);
      if (use && !example.api) example.api = `loop.${use[1]}`;
      continue;
    }
    let m: RegExpExecArray | null;
    if ((m = /^class (?:asyncio\.)?(\w+)(?:\((.*)\))?$/.exec(line))) {
      add(apiId(m[1]), 'class', m[2]);
      currentClass = last!.id;
    } else if ((m = /^(coroutine )?((?:BaseEventLoop|AbstractEventLoop|asyncio)\.[\w.]+)\((.*)\)$/.exec(line))) {
      add(apiId(m[2]), m[2].startsWith('asyncio.') ? 'function' : m[1] ? 'coroutinemethod' : 'method', m[3]);
    } else if (currentClass && (m = /^(coroutine )?([a-z_]\w*)\((.*)\)$/.exec(line))) {
      add(`${currentClass}.${m[2]}`, m[1] ? 'coroutinemethod' : 'method', m[3]);
    } else if (currentClass && (m = /^([a-z_]+)$/.exec(line))) {
      add(`${currentClass}.${m[1]}`, 'attribute');
    } else if ((m = /^(New in version|Changed in version|Deprecated since version) (\d+\.\d+(?:\.\d+)?)/.exec(line)) && last) {
      const kind: NoteKind = m[1].startsWith('New') ? 'versionadded' : m[1].startsWith('Changed') ? 'versionchanged' : 'deprecated';
      facts.notes.push({ kind, version: m[2], owners: [last.id], mentions: new Set(), section });
    }
  }
  return facts;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let k = 0; k < 3; k++) if ((pa[k] ?? 0) !== (pb[k] ?? 0)) return (pa[k] ?? 0) - (pb[k] ?? 0);
  return 0;
}

interface Draft {
  id: string; kind: Kind; api: string;
  /** The section on each page that has the item, newest page first. */
  sections: Map<string, string>;
  pythons: Set<string>; sources: Set<string>;
  note?: string; removed?: string; notes: Set<string>; label?: string;
}

/** Reads the seed files in `docDir` and merges what each page documents into one inventory. */
export function buildInventory(docDir: string): Inventory {
  const files = fs.readdirSync(docDir);
  const drafts = new Map<string, Draft>();
  const sectionOrder: string[] = [];
  const pages: Inventory['pages'] = [];
  const exampleGroups: Array<{ keys: Set<string>; draft: Draft }> = [];

  const draft = (id: string, kind: Kind, api: string, page: string, file: string, python: string, section: string): Draft => {
    let d = drafts.get(id);
    if (!d) drafts.set(id, d = { id, kind, api, sections: new Map(), pythons: new Set(), sources: new Set(), notes: new Set() });
    if (!d.sections.has(page)) d.sections.set(page, section);
    d.pythons.add(python);
    d.sources.add(file);
    return d;
  };

  for (const seed of SEEDS) {
    const file = files.find((f) => f.startsWith(`${seed.prefix}_`) && f.endsWith('.txt'));
    if (!file) throw new Error(`no seed file ${seed.prefix}_*.txt in ${docDir}`);
    pages.push({ file, python: seed.python, format: seed.format });
    const text = fs.readFileSync(path.join(docDir, file), 'utf8');
    let facts: PageFacts;
    try {
      facts = seed.format === 'rendered' ? walkRendered(text) : walkRst(READERS[seed.format](text));
    } catch (err) {
      throw new Error(`${file}: ${(err as Error).message}`);
    }
    for (const s of facts.sections) if (!sectionOrder.includes(s)) sectionOrder.push(s);
    const on = (id: string, kind: Kind, api: string, section: string) => draft(id, kind, api, seed.prefix, file, seed.python, section);

    const params = new Map<string, string[]>();
    for (const a of facts.apis) {
      on(a.id, a.kind, a.id, a.section);
      params.set(a.id, [...(params.get(a.id) ?? []), ...a.params]);
      for (const p of a.params) on(`${a.id}(${p})`, 'parameter', a.id, a.section);
    }
    for (const n of facts.notes) {
      for (const owner of n.owners) {
        const d = on(`${owner} ${n.kind} ${n.version}`, n.kind, owner, n.section);
        d.note = n.version;
        if (n.removed) d.removed = n.removed;
        for (const p of params.get(owner) ?? []) if (n.mentions.has(p)) drafts.get(`${owner}(${p})`)!.notes.add(`${n.kind} ${n.version}`);
      }
    }
    // One example under different titles and labels across the pages is one item: pages
    // that share a label or a title are the same example.
    for (const e of facts.examples) {
      const keys = [`title:${e.title.toLowerCase()}`, ...(e.label ? [`label:${e.label}`] : [])];
      const group = exampleGroups.find((g) => keys.some((k) => g.keys.has(k)));
      const d = group?.draft ?? on(`example: ${e.title}`, 'example', e.api ?? '', e.section);
      if (group) {
        d.pythons.add(seed.python);
        d.sources.add(file);
        if (!d.sections.has(seed.prefix)) d.sections.set(seed.prefix, e.section);
        if (!d.api && e.api) d.api = e.api;
      } else {
        exampleGroups.push({ keys: new Set(), draft: d });
      }
      for (const k of keys) (group ?? exampleGroups[exampleGroups.length - 1]).keys.add(k);
      d.label ??= e.label;
    }
  }

  // The section is page 002's where the item is there, else the one its API has on 002,
  // else the newest page's that documents it.
  const sectionOf = (d: Draft) => d.sections.get('002') ?? drafts.get(d.api)?.sections.get('002') ?? [...d.sections.values()][0];
  const items: Item[] = [...drafts.values()].map((d) => {
    const pythons = [...d.pythons].sort(compareVersions);
    const versions: Versions = {
      ...(d.note ? { note: d.note } : {}),
      ...(d.removed ? { removed: d.removed } : {}),
      first: pythons[0],
      last: pythons[pythons.length - 1],
      ...(d.notes.size ? { notes: [...d.notes].sort((a, b) => compareVersions(a.split(' ')[1], b.split(' ')[1]) || (a < b ? -1 : 1)) } : {}),
    };
    return { id: d.id, kind: d.kind, api: d.api, section: sectionOf(d), versions, sources: [...d.sources].sort(), ...(d.label ? { label: d.label } : {}) };
  }).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const used = new Set(items.map((i) => i.section));
  return {
    about: 'Generated by `npm run trace -- --update` (cli/inventory.ts) from the doc pages below, ../shared/seeds by default; do not edit.',
    pages,
    sections: sectionOrder.filter((s) => used.has(s)),
    items,
  };
}

export function renderInventory(inv: Inventory): string {
  return `${JSON.stringify(inv, null, 2)}\n`;
}

export function readInventory(file = INVENTORY_PATH): Inventory {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Inventory;
}
