// A reporter for node's test runner (`--test-reporter ./scripts/slowest-files.js`): at the end,
// the test files that took longest, each with the time its tests took (the sum of its top-level
// tests' durations) and its share of the whole, so the next slice of the page sees what its
// tests cost. npm test prints it before its closing count.
'use strict';
const path = require('node:path');

const SHOWN = 12;

module.exports = async function* slowestFiles(source) {
  const byFile = new Map();
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.nesting === 0 && event.data.file) {
      byFile.set(event.data.file, (byFile.get(event.data.file) ?? 0) + (event.data.details?.duration_ms ?? 0));
    }
  }
  const all = [...byFile].sort((a, b) => b[1] - a[1]);
  const total = all.reduce((sum, [, ms]) => sum + ms, 0);
  const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`.padStart(8);
  yield `slowest test files (of ${all.length}, ${seconds(total).trim()} of tests in all):\n`;
  for (const [file, ms] of all.slice(0, SHOWN)) {
    const share = `${Math.round((100 * ms) / (total || 1))}%`.padStart(4);
    yield `${seconds(ms)} ${share}  ${path.relative(process.cwd(), file).replace(/^dist\//, '').replace(/\.js$/, '.ts')}\n`;
  }
};
