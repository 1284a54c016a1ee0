// `loopspec merge DIR...`: the report folders of one adapter's --shard runs combined into one
// run's reports: summary.json (counts recomputed, the selection kept) and junit.xml (regenerated
// from it); like a run, it leaves the pages alone. The shards must be of the same adapter and
// selection, and disjoint and complete: anything else is one line naming what is wrong or missing.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from './args';
import { printCounts, printResults, writeSummaryFiles } from './finish';
import { publish, stagingDir, Summary } from './reports';
import { countOutcomes, ScenarioResult } from './results';
import { selectionWords } from './selection';

function readShard(dir: string): Summary {
  const file = path.join(dir, 'summary.json');
  let s: Summary;
  try {
    s = JSON.parse(fs.readFileSync(file, 'utf8')) as Summary;
  } catch (err) {
    throw new UsageError(`merge: ${dir} holds no readable summary.json (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); give the report folders of --shard runs`);
  }
  if (!s.shard) throw new UsageError(`merge: ${dir} is not a shard's report (it was not run with --shard I/N)`);
  return s;
}

/** What makes two shards the same adapter: the implementation, its Python version and its loop. */
const adapterOf = (s: Summary) => `${s.implementation.name} ${s.implementation.version} (Python ${s.language.version}${s.loop ? `, loop ${s.loop}` : ''})`;

/** Feature files in the order a serial run takes them (folder by folder), then by line. */
function runOrder(a: ScenarioResult, b: ScenarioResult): number {
  const pa = a.uri.split('/');
  const pb = b.uri.split('/');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) if (pa[i] !== pb[i]) return pa[i] < pb[i] ? -1 : 1;
  return pa.length - pb.length || a.line - b.line;
}

/** Checks the shards against each other; returns the merged summary. */
export function mergeSummaries(dirs: string[], shards: Summary[], id?: string): Summary {
  const first = shards[0];
  const byIndex = new Map<number, string>();
  for (const [i, s] of shards.entries()) {
    if (adapterOf(s) !== adapterOf(first)) throw new UsageError(`merge: ${dirs[i]} is ${adapterOf(s)}, but ${dirs[0]} is ${adapterOf(first)}`);
    if (s.shard!.total !== first.shard!.total || s.shard!.selected !== first.shard!.selected) {
      throw new UsageError(`merge: ${dirs[i]} is shard ${s.shard!.index}/${s.shard!.total} of ${s.shard!.selected} scenarios, but ${dirs[0]} is ${first.shard!.index}/${first.shard!.total} of ${first.shard!.selected}`);
    }
    if (JSON.stringify(s.selection ?? null) !== JSON.stringify(first.selection ?? null)) {
      throw new UsageError(`merge: ${dirs[i]} selected ${selectionWords(s.selection)}, but ${dirs[0]} selected ${selectionWords(first.selection)}`);
    }
    const twice = byIndex.get(s.shard!.index);
    if (twice) throw new UsageError(`merge: shard ${s.shard!.index}/${s.shard!.total} is given twice (${twice} and ${dirs[i]})`);
    byIndex.set(s.shard!.index, dirs[i]);
  }
  const total = first.shard!.total;
  const missing = Array.from({ length: total }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length) throw new UsageError(`merge: shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${total}`).join(', ')} missing`);
  const seen = new Map<string, string>();
  for (const [i, s] of shards.entries()) {
    for (const r of s.scenarios) {
      if (seen.has(r.id)) throw new UsageError(`merge: "${r.id}" is in both ${seen.get(r.id)} and ${dirs[i]}; shards must be disjoint`);
      seen.set(r.id, dirs[i]);
    }
  }
  const partial = shards.some((s) => s.partial);
  if (!partial && seen.size !== first.shard!.selected) {
    throw new UsageError(`merge: the shards hold ${seen.size} of the ${first.shard!.selected} scenarios their runs selected`);
  }
  const scenarios = shards.flatMap((s) => s.scenarios).sort(runOrder);
  const merged: Summary = {
    ...first,
    adapter: { ...first.adapter, id: id ?? first.shard!.adapter_id },
    started: shards.map((s) => s.started).sort()[0],
    finished: shards.map((s) => s.finished).sort().slice(-1)[0],
    partial,
    strict: shards.some((s) => s.strict),
    counts: countOutcomes(scenarios),
    scenarios,
  };
  delete merged.shard;
  return merged;
}

/** The merge command: writes REPORTS/<id>/ only; the exit status is a run's. */
export function mergeShards(dirs: string[], reportsDir: string, id?: string): number {
  const merged = mergeSummaries(dirs, dirs.map(readShard), id);
  const staging = stagingDir(reportsDir, merged.adapter.id);
  writeSummaryFiles(staging, merged);
  const dir = publish(reportsDir, merged.adapter.id, staging);
  printResults(merged.scenarios);
  if (merged.partial) process.stdout.write('\nloopspec merge: a shard was interrupted; the merged reports are partial\n');
  process.stdout.write(`\nreports: ${path.relative(process.cwd(), dir) || dir} (${dirs.length} shards merged)\n`);
  return printCounts(merged.counts, merged.strict === true);
}
