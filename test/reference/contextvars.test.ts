// reference/contextvars.ts: ContextVar, Context.run, copy_context, and a Handle's context.
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { Context, ContextVar, copyContext, runInCopyOf, currentVars } from '../../reference/contextvars';
import { LookupError } from '../../reference/errors';

test('a variable reads its value, then the default given, then its own default, else LookupError', () => {
  const v = new ContextVar('v', 'own');
  assert.equal(v.get(), 'own');
  assert.equal(v.get('given'), 'given');
  const bare = new ContextVar('bare');
  assert.throws(() => bare.get(), LookupError);
  new Context().run(() => {
    v.set('set');
    assert.equal(v.get(), 'set');
  });
  assert.equal(v.get(), 'own', 'a value set inside Context.run stays in that context');
});

test('a copy shares values until one side sets a variable', () => {
  const v = new ContextVar('v', 'none');
  const outer = new Context();
  outer.run(() => {
    v.set('outer');
    const copy = copyContext();
    copy.run(() => v.set('copy'));
    assert.equal(v.get(), 'outer');
    assert.equal(copy.get(v), 'copy');
    assert.equal(copy.copy().get(v), 'copy');
  });
});

test('a context cannot be entered twice at once', () => {
  const c = new Context();
  assert.throws(() => c.run(() => c.run(() => undefined)));
});

test('a run in a copy keeps what the callback sets to itself', () => {
  const v = new ContextVar('v', 'none');
  const vars = currentVars();
  runInCopyOf(vars, () => v.set('inside'), []);
  assert.equal(v.get(), 'none');
  assert.equal(runInCopyOf(vars, () => v.get(), []), 'none', 'each run starts from the snapshot');
});
