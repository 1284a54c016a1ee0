// With --retry, cucumber reruns a failed scenario in the same worker. Its HTML report shows the
// last attempt, so a scenario that passed only on a retry would look like a plain pass there:
// the retry attaches a note naming the earlier attempts' errors to its first step (the page
// hides a passing scenario's hooks, with their attachments, but shows its steps').
import { After, BeforeStep } from '@cucumber/cucumber';

/** Pickle id -> the errors of its attempts that failed and were retried, in this worker. */
const failedAttempts = new Map<string, string[]>();

After(function ({ pickle, result, willBeRetried }) {
  if (willBeRetried) failedAttempts.set(pickle.id, [...(failedAttempts.get(pickle.id) ?? []), result?.message ?? String(result?.status ?? 'failed')]);
});

/** The attempts (testCaseStarted ids) that have shown the note already. */
const noted = new Set<string>();

BeforeStep(function ({ pickle, testCaseStartedId }) {
  const errors = failedAttempts.get(pickle.id);
  if (!errors || noted.has(testCaseStartedId)) return;
  noted.add(testCaseStartedId);
  this.attach(
    `attempt ${errors.length + 1}: this scenario is retried (--retry); if it passes now it is flaky, not passed.\n` +
      errors.map((e, i) => `attempt ${i + 1} failed:\n${e}`).join('\n\n'),
    'text/plain',
  );
});
