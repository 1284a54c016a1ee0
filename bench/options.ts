// npm run bench's arguments: which sections run, and how many runs the kit section takes.
//   npm run bench                                   every section
//   npm run bench -- --only kit                     the kit's own speed and memory alone
//   npm run bench -- --only kit --kit-runs 3 --kit-page-runs 1
import { DEFAULT_KIT_RUNS, KitRuns } from './kit';

/** loops: the loops side by side (bench/trials.ts's trials); kit: the kit's own speed (bench/kit.ts). */
export const SECTIONS = ['loops', 'kit'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
  sections: Section[];
  kitRuns: KitRuns;
}

export const BENCH_USAGE = 'usage: npm run bench -- [--only loops|kit] [--kit-runs N] [--kit-page-runs N]';

export class BenchUsageError extends Error {}

function count(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new BenchUsageError(`${flag} takes a whole number of runs, at least 1 (got ${value ?? 'nothing'})`);
  return n;
}

export function benchOptions(argv: string[]): BenchOptions {
  const o: BenchOptions = { sections: [...SECTIONS], kitRuns: { ...DEFAULT_KIT_RUNS } };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--only') {
      if (!SECTIONS.includes(value as Section)) throw new BenchUsageError(`--only takes one of ${SECTIONS.join(', ')} (got ${value ?? 'nothing'})`);
      o.sections = [value as Section];
    } else if (flag === '--kit-runs') o.kitRuns.quick = count(flag, value);
    else if (flag === '--kit-page-runs') o.kitRuns.page = count(flag, value);
    else throw new BenchUsageError(`unknown argument ${flag}`);
    i++;
  }
  return o;
}
