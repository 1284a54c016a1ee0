// Where a step's arguments start in its text, from V8 itself.
//
// cucumber-expressions (19) asks regexp-match-indices for each match's group indices, and that
// package, finding that a RegExp without the `d` flag has no indices, measures them its own way:
// it parses every step definition's regular expression with regexp-tree and matches a rewritten
// copy. That cost the kit's process ~0.12 s while cucumber paired the whole page's steps with
// their definitions, and each worker as much again. Node 20 has the `d` flag (hasIndices): the
// same indices, as the language defines them, from a copy of the expression with the flag.
//
// Cucumber loads this with the step definitions, in the kit's process and in each worker, before
// it matches a step. Should the library's shape change, nothing is replaced and it works as before.
import * as path from 'node:path';

interface TreeRegexpLike {
  regexp: RegExp;
  groupBuilder: { build(match: RegExpExecArray, nextGroupIndex: () => number): unknown };
}

function treeRegexpClass(): { prototype: TreeRegexpLike & { match(s: string): unknown } } | undefined {
  try {
    const main = require.resolve('@cucumber/cucumber-expressions', { paths: [require.resolve('@cucumber/cucumber')] });
    const mod = require(path.join(path.dirname(main), 'TreeRegexp.js')) as { default?: { prototype: TreeRegexpLike & { match(s: string): unknown } } };
    return typeof mod.default?.prototype?.match === 'function' ? mod.default : undefined;
  } catch {
    return undefined;
  }
}

const withIndices = new WeakMap<RegExp, RegExp>();

const TreeRegexp = treeRegexpClass();
if (TreeRegexp) {
  TreeRegexp.prototype.match = function match(this: TreeRegexpLike, s: string) {
    let re = withIndices.get(this.regexp);
    if (!re) {
      re = new RegExp(this.regexp.source, this.regexp.flags.replace(/[gyd]/g, '') + 'd');
      withIndices.set(this.regexp, re);
    }
    const m = re.exec(s);
    if (!m) return null;
    let groupIndex = 0;
    return this.groupBuilder.build(m, () => groupIndex++);
  };
}
