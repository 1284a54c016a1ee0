// The progress line of a run on a terminal: one line on stderr, redrawn in place —
//   "12/345 scenarios, 0:07 elapsed, 1 failed, ~3:12 left"
// When stdout is not a terminal (CI, a pipe, a file) nothing is drawn at all, so the output
// holds only the results and the final summary line.

/** Set by `loopspec diff` for the runs it starts, whose stdout it reads but whose stderr is the user's terminal. */
export const FORCE_PROGRESS_ENV = 'LOOPSPEC_PROGRESS';

const CLEAR_LINE = '\r\x1b[2K';
/** At most ten redraws a second: a fast loop finishes hundreds of scenarios a second. */
const MIN_REDRAW_MS = 100;
/** The elapsed time keeps moving while a slow scenario runs. */
const TICK_MS = 1000;

/** On a terminal (stdout for the results, stderr for the line), or in a run `loopspec diff` shows on one. */
export function progressWanted(): boolean {
  return (process.stdout.isTTY === true && process.stderr.isTTY === true) || process.env[FORCE_PROGRESS_ENV] === '1';
}

/** m:ss (h:mm:ss past an hour). */
export function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const mmss = `${Math.floor((s % 3600) / 60)}:${String(s % 60).padStart(2, '0')}`;
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mmss.padStart(5, '0')}` : mmss;
}

/**
 * The line for `done` of `total` finished after `elapsedMs`; the time left is the average so
 * far (over `runningMs`, since the first scenario started: loading the steps is not a scenario's
 * time) times what remains.
 */
export function progressLine(done: number, total: number, failed: number, elapsedMs: number, runningMs = elapsedMs): string {
  const left = done === 0 ? '' : `, ~${clock((runningMs / done) * Math.max(0, total - done))} left`;
  return `${done}/${total} scenarios, ${clock(elapsedMs)} elapsed, ${failed} failed${left}`;
}

export interface ProgressSink { write(text: string): unknown; columns?: number }

export class Progress {
  private done = 0;
  private failed = 0;
  private lastDraw = 0;
  private drawn = false;
  private readonly started: number;
  private firstScenario?: number;
  private readonly ticker?: NodeJS.Timeout;

  constructor(private readonly total: number, private readonly out: ProgressSink | undefined, private readonly now: () => number = Date.now) {
    this.started = now();
    if (out) {
      this.draw();
      this.ticker = setInterval(() => this.draw(), TICK_MS);
      this.ticker.unref();
    }
  }

  /** A scenario started: the first one starts the clock of the estimate. */
  scenarioStarted(): void {
    this.firstScenario ??= this.now();
  }

  /** One scenario finished; `failed` when it failed unexpectedly. */
  finished(failed: boolean): void {
    this.done++;
    if (failed) this.failed++;
    if (this.out && (this.now() - this.lastDraw >= MIN_REDRAW_MS || this.done === this.total)) this.draw();
  }

  /** Removes the line, before the results are printed. */
  end(): void {
    if (this.ticker) clearInterval(this.ticker);
    if (this.out && this.drawn) this.out.write(CLEAR_LINE);
    this.drawn = false;
  }

  private draw(): void {
    this.lastDraw = this.now();
    let line = progressLine(this.done, this.total, this.failed, this.lastDraw - this.started, this.lastDraw - (this.firstScenario ?? this.started));
    // A line longer than the terminal wraps, and \r would then redraw only its last part.
    if (this.out?.columns && line.length >= this.out.columns) line = line.slice(0, this.out.columns - 1);
    this.out!.write(CLEAR_LINE + line);
    this.drawn = true;
  }
}
