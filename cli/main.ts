// loopspec's command line: reads the arguments and hands them to the command they name, loaded
// only then (--help loads nothing else, so it answers as fast as Node starts). Bad input is one
// line and exit status 2; the last line of a run is "N passed, N failed, N skipped".
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { diffArguments, HELP, parseArgs, UsageError } from './args';

/** How a command runs: in a batch's lane (cli/batch-lane.ts), a run's features run in the lane's own process. */
export interface Setting { inLane?: boolean }

async function main(argv: string[], setting: Setting): Promise<number> {
  if (argv[0] === 'batch') return (await import('./batch')).batchCommand(argv.slice(1));
  const diff = diffArguments(argv);
  if (diff && !diff.includes('--help') && !diff.includes('-h')) return (await import('./diff-command')).diffCommand(diff);
  const opts = parseArgs(argv);
  if (opts.help) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const reportsDir = path.resolve(opts.reportsDir);
  if (opts.command === 'spec' || opts.noRun) return (await import('./pages')).publishCommand(opts);
  if (opts.command === 'merge') return (await import('./merge')).mergeShards(opts.paths.map((p) => path.resolve(p)), reportsDir, opts.id);
  if (setting.inLane) {
    if (opts.command !== 'run') throw new UsageError(`a batch runs features only, not ${opts.command}`);
    opts.parallel = 1;
  }
  return (await import('./run-command')).runCommand(opts, (handler) => { interrupted = handler; });
}

/** Ends every driver this process started: none, unless a command loaded the driver client. */
function killAllDrivers(): void {
  const client = require.resolve('../adapters/driver-client');
  if (require.cache[client]) (require(client) as typeof import('../adapters/driver-client')).killAllDrivers();
}

/**
 * What an interrupt does: before the run, kill any driver and go; during it, also write the
 * partial reports (main() replaces this).
 */
let interrupted = (sig: NodeJS.Signals): void => {
  killAllDrivers();
  process.stderr.write(`loopspec: interrupted by ${sig}\n`);
  process.exit(sig === 'SIGINT' ? 130 : 143);
};

/** Runs the command argv names and gives its exit status; its errors are one line on stderr. */
export async function execute(argv: string[], setting: Setting = {}): Promise<number> {
  try {
    return await main(argv, setting);
  } catch (err) {
    const { DriverError } = require('../adapters/errors') as typeof import('../adapters/errors');
    if (err instanceof UsageError || err instanceof DriverError) {
      process.stderr.write(`loopspec: ${err instanceof DriverError ? err.brief : (err as Error).message.split('\n')[0]}\n`);
      return 2;
    }
    process.stderr.write(`loopspec: internal error: ${(err as Error)?.stack ?? err}\n`);
    return 3;
  } finally {
    killAllDrivers();
  }
}

/**
 * The kit's process allocates in bursts (cucumber's messages as scenarios end) and keeps little
 * (~23 MiB live after a whole-page run, of a 38 MiB heap): V8's young generation growing to its
 * 16 MiB semi-spaces, and its old generation growing before it collects, only add resident
 * memory. Keep the young generation at its starting size, and have V8 favour size over speed
 * (measured on a whole-page run: peak RSS 107 -> 89 MiB, its time unchanged). Called first by
 * the CLI and the batch lanes.
 */
export function keepHeapSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
  setFlagsFromString('--optimize-for-size');
}

export function cli(argv: string[]): void {
  keepHeapSmall();
  process.on('SIGINT', () => interrupted('SIGINT'));
  process.on('SIGTERM', () => interrupted('SIGTERM'));
  void execute(argv).then((code) => { process.exitCode = code; });
}
