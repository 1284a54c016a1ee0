// features/INDEX.md is generated: it must match the features and steps as they are.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { INDEX_PATH, renderIndex, SECTIONS } from '../cli/docs';

test('features/INDEX.md is up to date (npm run docs)', () => {
  assert.equal(fs.readFileSync(INDEX_PATH, 'utf8'), renderIndex(), 'run `npm run docs` and commit features/INDEX.md');
});

test('every feature folder is a section of the doc page', () => {
  const folders = fs.readdirSync('features', { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  for (const f of folders) assert.ok(SECTIONS.some((s) => s[0] === f), `features/${f} is not in cli/docs.ts SECTIONS`);
});
