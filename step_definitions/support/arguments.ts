// The names a scenario's call arguments use (support/call-arguments.ts), resolved in this
// order: a value the scenario noted (PORT), one of its objects (server S, task T), a protocol
// (a single capital, optionally with a digit: P, C2) as the factory of its protocol spec, and
// otherwise a constant of the driver's socket module (AF_INET6), read from the driver.
import { LoopWorld } from './world';
import { check } from './parameters';
import { callValues, parseCall } from './call-arguments';
import { py, Value } from './values';
import { expandSocketPaths } from './socket-paths';

const PROTOCOL = /^[A-Z][0-9]?$/;

export async function valuesOf(world: LoopWorld, text: string): Promise<{ args: Value[]; kwargs: Record<string, Value> }> {
  return callValues(parseCall(await expandSocketPaths(world, text)), async (name) => {
    if (world.values.has(name)) return world.values.get(name);
    if (world.objects.has(name)) return py.ref(world.objectRef(name));
    if (PROTOCOL.test(name)) return { protocol_factory: world.protocolSpec(name) };
    const r = await world.op('get', { target: 'socket', name });
    check(typeof r.value === 'number', `socket.${name} is ${JSON.stringify(r.value)}, not an int`);
    return r.value;
  });
}
