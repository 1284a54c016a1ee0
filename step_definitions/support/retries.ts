// With --retry, cucumber reruns a failed scenario in the same worker. Its HTML report shows the
// last attempt, so a scenario that passed only on a retry would look like a plain pass there:
// the retry attaches a note naming the earlier attempts' errors, to the attempt the page shows.
import { After, Before } from '@cucumber/cucumber';

/** Pickle id -> the errors of its attempts that failed and were retried, in this worker. */
const failedAttempts = new Map<string, string[]>();

After(function ({ pickle, result, willBeRetried }) {
  if (willBeRetried) failedAttempts.set(pickle.id, [...(failedAttempts.get(pickle.id) ?? []), result?.message ?? String(result?.status ?? 'failed')]);
});

Before(function ({ pickle }) {
  const errors = failedAttempts.get(pickle.id);
  if (!errors) return;
  this.attach(
    `attempt ${errors.length + 1}: this scenario is retried (--retry); if it passes now it is flaky, not passed.\n` +
      errors.map((e, i) => `attempt ${i + 1} failed:\n${e}`).join('\n\n'),
    'text/plain',
  );
});
