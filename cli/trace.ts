// `npm run trace`: from every item the doc documents (trace/inventory.json, see
// cli/inventory.ts) to the scenarios that check it, written to reports/trace.md and
// reports/trace.json. The rules (features/TAGS.md, "Traceability", says the same):
//
// - A function, method, coroutine method, class or attribute is checked by every scenario
//   that carries its API tag (`@loop.call_soon`, `@asyncio.Handle.cancel`), on the scenario
//   or inherited from its Feature or Rule, as cucumber hands tags down to its pickles.
// - A parameter `loop.X(p)` is checked by a scenario that carries `@loop.X` and `@param:p`.
// - A version note of API X at version V (versionadded, versionchanged, deprecated) is
//   checked by a scenario that carries X's API tag and a version tag naming V:
//   `@since:V`; `@until:U` where V is the release right after U (3.5.0 -> 3.5.1,
//   3.7 -> 3.8): the older text's scenario names the change that ended it; `@except:E`
//   where V is E's next patch release (the fix later in that line) or the next feature
//   release, which the doc credits for a fix backported into E's line (`@except:3.7.0`
//   names 3.7.1 and 3.8). Versions compare as numbers, X.Y being X.Y.0.
// - An example is checked by a scenario tagged `@ref:LABEL`, the doc's label for it.
// - Any other item needs an entry in trace/exclusions.json, `{ "item": ID or glob with *,
//   "reason": ... }` or `{ "section": HEADING, "reason": ... }`; an item entry wins over a
//   section entry, and of two alike the first in the file. A reason starting with "pending: " is work to come, counted per section;
//   any other reason is permanent (ProactorEventLoop: Windows only).
//
// Exit status: 1 when an item has neither a scenario nor an exclusion (each listed), 2 for
// bad input (an unknown flag, an exclusion without a reason), else 0.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../adapters/adapter-spec';
import { UsageError } from './args';
import { listFeatureFiles, loadScenarios } from './features';
import { buildInventory, DEFAULT_DOC, Inventory, INVENTORY_PATH, Item, readInventory, renderInventory } from './inventory';

export const EXCLUSIONS_PATH = path.join(ROOT, 'trace/exclusions.json');

export interface Exclusion { item?: string; section?: string; reason: string }
export type Status = 'checked' | 'excluded' | 'pending' | 'unchecked';
export interface TracedItem extends Item { status: Status; scenarios: string[]; reason?: string }

interface Options { update: boolean; doc: string; exclusions: string; features: string; reports: string }

const HELP = `npm run trace [-- OPTIONS]: every documented item and the scenarios that check it

  --update            regenerate trace/inventory.json from the doc files first
  --doc DIR           the doc files for --update (default ../shared/seeds)
  --exclusions FILE   items no scenario checks yet, with reasons (default trace/exclusions.json)
  --features DIR      the features (default features/)
  --reports DIR       where trace.md and trace.json go (default reports/)

Exit status: 0 when every item is checked or excluded, 1 when one is neither, 2 for bad input.`;

export function parseTraceArgs(argv: string[]): Options | 'help' {
  const o: Options = { update: false, doc: DEFAULT_DOC, exclusions: EXCLUSIONS_PATH, features: path.join(ROOT, 'features'), reports: path.join(ROOT, 'reports') };
  const takes: Record<string, 'doc' | 'exclusions' | 'features' | 'reports'> = { '--doc': 'doc', '--exclusions': 'exclusions', '--features': 'features', '--reports': 'reports' };
  const args = [...argv];
  while (args.length) {
    const arg = args.shift()!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--help' || flag === '-h') return 'help';
    if (flag === '--update' && inline === undefined) { o.update = true; continue; }
    const key = takes[flag];
    if (!key) throw new UsageError(`unknown option ${arg} (see --help)`);
    const value = inline ?? (args.length && !args[0].startsWith('--') ? args.shift() : undefined);
    if (!value) throw new UsageError(`${flag} needs a value`);
    o[key] = path.resolve(value);
  }
  return o;
}

/** The parts of X.Y[.Z], X.Y meaning X.Y.0. */
const parts = (v: string) => { const [x = 0, y = 0, z = 0] = v.split('.').map(Number); return [x, y, z]; };
const same = (a: number[], b: number[]) => a.every((n, k) => n === b[k]);

/** Whether a version tag (`@since:3.7`) names version v under the rules above. */
export function namesVersion(tag: string, v: string): boolean {
  const m = /^@(since|until|except):(\d+\.\d+(?:\.\d+)?)$/.exec(tag);
  if (!m) return false;
  const t = parts(m[2]);
  const note = parts(v);
  const nextPatch = [t[0], t[1], t[2] + 1];
  const nextFeature = [t[0], t[1] + 1, 0];
  switch (m[1]) {
    case 'since': return same(t, note);
    case 'until': return same(m[2].split('.').length === 3 ? nextPatch : nextFeature, note);
    default: return same(nextPatch, note) || same(nextFeature, note);
  }
}

/** Whether a scenario with these tags checks the item. */
export function checks(item: Item, tags: Set<string>): boolean {
  switch (item.kind) {
    case 'example': return item.label !== undefined && tags.has(`@ref:${item.label}`);
    case 'parameter': return tags.has(`@${item.api}`) && tags.has(`@param:${/\((\w+)\)$/.exec(item.id)![1]}`);
    case 'versionadded': case 'versionchanged': case 'deprecated': {
      const named = [item.versions.note!, ...(item.versions.removed ? [item.versions.removed] : [])];
      return tags.has(`@${item.api}`) && [...tags].some((t) => named.some((v) => namesVersion(t, v)));
    }
    default: return tags.has(`@${item.api}`);
  }
}

/** A path as the user would type it: relative when near, else whole (a temp folder). */
function shown(p: string): string {
  const r = path.relative(process.cwd(), p) || '.';
  return r.startsWith(`..${path.sep}..`) ? p : r;
}

export function readExclusions(file: string): Exclusion[] {
  const name = shown(file);
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`${name}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not JSON (${(err as Error).message})`}`);
  }
  if (!Array.isArray(data)) throw new UsageError(`${name}: expected a JSON array of { "item" or "section", "reason" }`);
  return data.map((e: Partial<Record<string, unknown>>, k) => {
    const where = `${name}: entry ${k + 1}`;
    const target = typeof e?.item === 'string' ? `item "${e.item}"` : typeof e?.section === 'string' ? `section "${e.section}"` : undefined;
    if (!target || (e.item !== undefined && e.section !== undefined)) throw new UsageError(`${where} needs exactly one of "item" or "section"`);
    if (typeof e.reason !== 'string' || !e.reason.trim()) throw new UsageError(`${where} (${target}) has no reason`);
    return { ...(e.item !== undefined ? { item: e.item as string } : { section: e.section as string }), reason: e.reason };
  });
}

const glob = (pattern: string) => new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
const matcher = (e: Exclusion) => { const re = e.item !== undefined ? glob(e.item) : undefined; return (i: Item) => (re ? re.test(i.id) : i.section === e.section); };
export const isPending = (reason: string) => reason.startsWith('pending: ');

export interface Trace { items: TracedItem[]; warnings: string[]; sections: string[] }

/** Maps each item to its scenarios, then to its exclusion when it has none. */
export function trace(inventory: Inventory, scenarios: Array<{ id: string; tags: string[] }>, exclusions: Exclusion[]): Trace {
  const withTags = scenarios.map((s) => ({ id: s.id, tags: new Set(s.tags) }));
  const matchers = exclusions.map(matcher);
  const byItemFirst = [...exclusions.keys()].sort((a, b) => Number(exclusions[a].item === undefined) - Number(exclusions[b].item === undefined) || a - b);
  const items = inventory.items.map((item): TracedItem => {
    const ids = [...new Set(withTags.filter((s) => checks(item, s.tags)).map((s) => s.id))];
    if (ids.length) return { ...item, status: 'checked', scenarios: ids };
    const k = byItemFirst.find((j) => matchers[j](item));
    if (k === undefined) return { ...item, status: 'unchecked', scenarios: [] };
    const reason = exclusions[k].reason;
    return { ...item, status: isPending(reason) ? 'pending' : 'excluded', scenarios: [], reason };
  });
  // An entry that excludes nothing is a typo or work that is done: say so, so it goes.
  const warnings: string[] = [];
  exclusions.forEach((e, k) => {
    const matched = items.filter(matchers[k]);
    const what = e.item !== undefined ? `"${e.item}"` : `section "${e.section}"`;
    if (matched.length === 0) warnings.push(`exclusion ${what} matches no item`);
    else if (matched.every((i) => i.status === 'checked')) warnings.push(`exclusion ${what} is stale: scenarios check ${matched.length === 1 ? 'it' : `all ${matched.length} items`}; remove it`);
  });
  return { items, warnings, sections: inventory.sections };
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

function versionsText(i: Item): string {
  const v = i.versions;
  const pages = v.first === v.last ? `page ${v.first}` : `pages ${v.first}–${v.last}`;
  return [v.note ? `note ${v.note}${v.removed ? `, removed ${v.removed}` : ''}` : undefined, pages, ...(v.notes ?? [])].filter(Boolean).join('; ');
}

export function renderMarkdown(t: Trace, counts: Record<Status, number>): string {
  const order = (i: TracedItem) => t.sections.indexOf(i.section);
  const rows = [...t.items].sort((a, b) => order(a) - order(b) || (a.id < b.id ? -1 : 1)).map((i) => {
    const scenarios = i.status === 'checked' ? i.scenarios.map(cell).join('<br>') : i.status === 'unchecked' ? '**none**' : `*${i.status === 'pending' ? '' : 'excluded: '}${cell(i.reason!)}*`;
    return `| \`${cell(i.id)}\` | ${cell(i.section)} | ${versionsText(i)} | ${scenarios} |`;
  });
  return [
    '# Traceability: every documented item and the scenarios that check it',
    '',
    'Generated by `npm run trace` from trace/inventory.json, trace/exclusions.json and features/; the rules are in features/TAGS.md.',
    '',
    `${t.items.length} items: ${counts.checked} checked, ${counts.excluded} excluded, ${counts.pending} pending, ${counts.unchecked} with neither.`,
    '',
    '| item | section | versions | scenarios |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

export function main(argv: string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): number {
  const opts = parseTraceArgs(argv);
  if (opts === 'help') { out(HELP); return 0; }
  let inventory: Inventory;
  if (opts.update) {
    if (!fs.existsSync(opts.doc)) throw new UsageError(`--doc ${shown(opts.doc)}: no such folder`);
    try {
      inventory = buildInventory(opts.doc);
    } catch (err) {
      throw new UsageError(`--doc ${shown(opts.doc)}: ${(err as Error).message}`);
    }
    fs.mkdirSync(path.dirname(INVENTORY_PATH), { recursive: true });
    fs.writeFileSync(INVENTORY_PATH, renderInventory(inventory));
    out(`wrote ${shown(INVENTORY_PATH)} (${inventory.items.length} items from ${shown(opts.doc)})`);
  } else {
    if (!fs.existsSync(INVENTORY_PATH)) throw new UsageError(`no ${shown(INVENTORY_PATH)}: run npm run trace -- --update`);
    inventory = readInventory();
  }
  const exclusions = readExclusions(opts.exclusions);
  // Scenario IDs are "<path>: <name>" from the folder holding the features, as everywhere.
  const scenarios = loadScenarios(path.dirname(opts.features), listFeatureFiles(path.dirname(opts.features), [opts.features]));
  const t = trace(inventory, scenarios, exclusions);

  const counts: Record<Status, number> = { checked: 0, excluded: 0, pending: 0, unchecked: 0 };
  for (const i of t.items) counts[i.status]++;
  const pendingBySection = t.sections.map((s) => [s, t.items.filter((i) => i.status === 'pending' && i.section === s).length] as const).filter(([, n]) => n > 0);

  fs.mkdirSync(opts.reports, { recursive: true });
  fs.writeFileSync(path.join(opts.reports, 'trace.md'), renderMarkdown(t, counts));
  fs.writeFileSync(path.join(opts.reports, 'trace.json'), `${JSON.stringify({ counts, pendingBySection: Object.fromEntries(pendingBySection), warnings: t.warnings, items: t.items }, null, 2)}\n`);

  for (const w of t.warnings) out(`warning: ${w}`);
  const unchecked = t.items.filter((i) => i.status === 'unchecked');
  for (const i of unchecked) out(`no scenario and no exclusion: ${i.id} (${i.section})`);
  if (unchecked.length) out(`${unchecked.length} item${unchecked.length === 1 ? '' : 's'} with no scenario and no exclusion`);
  if (pendingBySection.length) out('pending by section:');
  for (const [s, n] of pendingBySection) out(`  ${String(n).padStart(3)}  ${s}`);
  out(`wrote ${shown(path.join(opts.reports, 'trace.md'))} and trace.json`);
  out(`${t.items.length} items, ${counts.checked} checked, ${counts.excluded} excluded, ${counts.pending} pending${unchecked.length ? `, ${unchecked.length} unchecked` : ''}`);
  return unchecked.length ? 1 : 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`trace: ${err.message}\n`);
    process.exitCode = 2;
  }
}
