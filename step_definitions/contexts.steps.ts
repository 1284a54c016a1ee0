// contextvars as the scheduling methods' `context` argument: a ContextVar, its value in the
// current context or in a copy, and what a callback reads from it.
import { Given } from '@cucumber/cucumber';
import { LoopWorld } from './support/world';
import { py } from './support/values';

Given(/^context variable ([A-Z][A-Z0-9]*) with the default ("[^"]*")$/, async function (this: LoopWorld, name: string, dflt: string) {
  this.nameObject(name, await this.call('contextvars', 'ContextVar', [name], { default: JSON.parse(dflt) as string }));
});

Given(/^([A-Z][A-Z0-9]*) is set to ("[^"]*") in the current context$/, async function (this: LoopWorld, name: string, value: string) {
  await this.call(this.objectRef(name), 'set', [JSON.parse(value) as string]);
});

Given(/^context ([A-Z][A-Z0-9]*) is a copy of the current context in which ([A-Z][A-Z0-9]*) is ("[^"]*")$/, async function (this: LoopWorld, context: string, variable: string, value: string) {
  this.nameObject(context, await this.call('contextvars', 'copy_context'));
  // Context.run(callable): the variable is set inside the copy only. The callable is a
  // callback spec; its "called" event is not one of the scenario's callbacks.
  const setter = { name: 'SETTER', args: [], actions: [{ do: 'call' as const, target: this.objectRef(variable), name: 'set', args: [JSON.parse(value) as string] }] };
  await this.call(this.objectRef(context), 'run', [py.callback(setter)]);
});
