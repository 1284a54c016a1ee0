// --shard I/N: one deterministic share of the selected scenarios, for CI job matrices. The
// selected scenarios' stable IDs are sorted (plain code-unit order) and shard I takes every one
// whose index mod N is I-1: the same selection splits the same way on every machine, and the
// shards' sizes differ by at most one.
import * as path from 'node:path';
import { ScenarioRef } from './features';
import { UsageError } from './args';

export interface Shard { index: number; total: number }

/** "2/3" -> { index: 2, total: 3 }; anything else is a UsageError. */
export function parseShard(value: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(m?.[1]);
  const total = Number(m?.[2]);
  if (!m || total < 1 || index < 1 || index > total) throw new UsageError(`--shard must be I/N with 1 <= I <= N (e.g. 2/3), got "${value}"`);
  return { index, total };
}

/** The scenarios of one shard, in their original (run) order. */
export function shardOf<T extends Pick<ScenarioRef, 'id'>>(selected: T[], shard: Shard): T[] {
  const sorted = selected.map((s) => s.id).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const mine = new Set(sorted.filter((_, i) => i % shard.total === shard.index - 1));
  return selected.filter((s) => mine.has(s.id));
}

/**
 * The paths that make cucumber run exactly these scenarios: "file:line:line" per feature file,
 * each line a Scenario's, or an Examples row's for an outline.
 */
export function cucumberPaths(root: string, scenarios: ScenarioRef[]): string[] {
  const lines = new Map<string, number[]>();
  for (const s of scenarios) lines.set(s.uri, [...(lines.get(s.uri) ?? []), s.line]);
  return [...lines].map(([uri, ls]) => `${path.resolve(root, uri)}:${[...new Set(ls)].join(':')}`);
}
