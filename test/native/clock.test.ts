// native/clock.cc: CLOCK_MONOTONIC as float seconds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as native from '../../native';

test('monotonic never goes back and matches Node\'s monotonic clock', () => {
  const a = native.monotonic();
  const hr = Number(process.hrtime.bigint()) / 1e9;
  const b = native.monotonic();
  assert.ok(b >= a);
  assert.ok(Math.abs(hr - a) < 0.05, `hrtime ${hr} vs monotonic ${a}`);
});

test('resolution is positive and at most a millisecond', () => {
  const r = native.monotonicResolution();
  assert.ok(r > 0 && r <= 1e-3, String(r));
});
