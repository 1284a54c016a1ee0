// Comparing loop times within the clock's resolution. Loop times are floats of seconds since an
// arbitrary epoch, often days of uptime: at 3.4e7 s a float's spacing is ~4e-9 s, so the
// difference of two times one millisecond apart can come out a hair above 0.001 and a
// tolerance written as `Math.abs(a - b) <= 0.001` fails at random. Every comparison here is
// made in whole microseconds (exact integers far past any uptime: 2^53 us is 285 years).

/**
 * How far a loop's time may differ from what was asked: CPython runs every timer due within
 * the clock's resolution (`end_time = self.time() + self._clock_resolution`), and libuv-based
 * loops (uvloop) keep timers in whole milliseconds.
 */
export const CLOCK_SLACK_US = 1000;

/** Seconds as whole microseconds. */
export function micros(seconds: number): number {
  return Math.round(seconds * 1e6);
}

/** `a` and `b` are the same time, within the clock's resolution. */
export function sameTime(a: number, b: number): boolean {
  return Math.abs(micros(a) - micros(b)) <= CLOCK_SLACK_US;
}

/** `t` is not earlier than `due` by more than the clock's resolution. */
export function notBefore(t: number, due: number): boolean {
  return micros(t) >= micros(due) - CLOCK_SLACK_US;
}

/** `t` lies in [low, high], each end widened by the clock's resolution. */
export function withinSpan(t: number, low: number, high: number): boolean {
  return micros(t) >= micros(low) - CLOCK_SLACK_US && micros(t) <= micros(high) + CLOCK_SLACK_US;
}

/** `t` is strictly earlier than `due` (no slack: an order, not a tolerance). */
export function strictlyBefore(t: number, due: number): boolean {
  return micros(t) < micros(due);
}
