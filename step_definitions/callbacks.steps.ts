// Callbacks: what they do when called, how they are scheduled, how they are cancelled.
import { Given, When } from '@cucumber/cucumber';
import { LoopWorld, Action, ScheduleArgs } from './support/world';
import { parseNames, parseValues, seconds } from './support/parameters';
import { py, Value } from './support/values';

/**
 * "stop the loop" | "schedule callback B with call_soon[ after 0.1 seconds]" | "cancel callback B" |
 * "call loop.is_running()" | "raise a ValueError" | "receive up to 100 bytes from socket S" |
 * "send \"abc\" on socket T" | "call loop.remove_reader() for socket S" |
 * "connect socket C to port LPORT of 127.0.0.1"
 */
function parseAction(this: LoopWorld, text: string): Action {
  if (text === 'stop the loop') return { do: 'stop' };
  let m = /^cancel callback ([A-Z][A-Z0-9]*)$/.exec(text);
  if (m) return { do: 'cancel', callback: m[1] };
  m = /^call (loop|asyncio)\.([a-z_]+)\(\)$/.exec(text);
  if (m) return { do: 'call', target: m[1], name: m[2] };
  m = /^call ([A-Z][A-Z0-9]*)\.([a-z_]+)\(\)$/.exec(text);
  if (m) return { do: 'call', target: this.objectRef(m[1]), name: m[2] };
  m = /^raise an? ([A-Z][A-Za-z]*(?:Error|Exception))$/.exec(text);
  if (m) return { do: 'raise', exception: m[1] };
  m = /^call (loop|asyncio)\.([a-z_]+)\(\) with the context it received$/.exec(text);
  if (m) return { do: 'call', target: m[1], name: m[2], args: [{ arg: 1 }] };
  m = /^set the result of future ([A-Z][A-Z0-9]*) to ("[^"]*")$/.exec(text);
  if (m) return { do: 'call', target: this.objectRef(m[1]), name: 'set_result', args: [JSON.parse(m[2]) as string] };
  m = /^schedule callback ([A-Z][A-Z0-9]*) with (call_soon_threadsafe|call_soon|call_later)(?: after ([\d.]+) (seconds?))?$/.exec(text);
  if (m) {
    const method = m[2] as ScheduleArgs['method'];
    return { do: 'schedule', method, callback: { name: m[1], args: [], actions: [] }, ...(method === 'call_later' ? { delay: seconds(m[3] ?? '0', 'seconds') } : {}) };
  }
  m = /^receive up to (\d+) bytes from socket ([A-Z])$/.exec(text);
  if (m) return { do: 'call', target: this.objectRef(m[2]), name: 'recv', args: [Number(m[1])] };
  m = /^send ("[^"]*") on socket ([A-Z])$/.exec(text);
  if (m) return { do: 'call', target: this.objectRef(m[2]), name: 'send', args: [py.bytes(Buffer.from(JSON.parse(m[1]) as string))] };
  m = /^call loop\.(remove_reader|remove_writer)\(\) for socket ([A-Z])$/.exec(text);
  if (m) return { do: 'call', target: 'loop', name: m[1], args: [py.ref(this.objectRef(m[2]))] };
  m = /^connect socket ([A-Z]) to port ([A-Z0-9]+) of 127\.0\.0\.1$/.exec(text);
  if (m) return { do: 'call', target: this.objectRef(m[1]), name: 'connect', args: [py.tuple(['127.0.0.1', this.values.get(m[2]) as Value])] };
  throw new Error(`unknown callback action "${text}"`);
}

Given(/^callback ([A-Z][A-Z0-9]*) will (.+)$/, function (this: LoopWorld, name: string, actions: string) {
  this.behaviours.set(name, actions.split(', then ').map((a) => parseAction.call(this, a)));
});

/** The part of a scheduling step after the method name, parsed into the call's arguments. */
function timing(method: ScheduleArgs['method'], tail: string): { args: Partial<ScheduleArgs>; sameTime: boolean; rest: string } {
  const out: Partial<ScheduleArgs> = {};
  let rest = tail;
  let m: RegExpExecArray | null;
  if (method === 'call_later') {
    m = /^ after ([\d.]+) (seconds?|days?)(?: as (an int|a float))?/.exec(rest);
    if (!m) throw new Error(`call_later needs "after N seconds", got "${tail}"`);
    out.delay = seconds(m[1], m[2]);
    out.number = m[3] === 'an int' ? 'int' : 'float';
    rest = rest.slice(m[0].length);
  } else if (method === 'call_at') {
    m = /^ ([\d.]+) (seconds?|days?) (from now|ago)(?:, as an int)?/.exec(rest);
    if (!m) throw new Error(`call_at needs "N seconds from now" or "N seconds ago", got "${tail}"`);
    out.when_offset = seconds(m[1], m[2]) * (m[3] === 'ago' ? -1 : 1);
    out.number = m[0].endsWith('as an int') ? 'int' : 'float';
    rest = rest.slice(m[0].length);
  }
  const sameTime = rest.startsWith(', at the same time');
  if (sameTime) rest = rest.slice(', at the same time'.length);
  m = /^ in context ([A-Z][A-Z0-9]*)/.exec(rest);
  if (m) {
    out.context = m[1];
    rest = rest.slice(m[0].length);
  }
  return { args: out, sameTime, rest };
}

Given(
  /^callbacks? ([A-Z][A-Z0-9]*(?:(?:, | and )[A-Z][A-Z0-9]*)*) (?:is|are) scheduled with (call_soon_threadsafe|call_soon|call_later|call_at)(.*)$/,
  async function (this: LoopWorld, names: string, method: ScheduleArgs['method'], tail: string) {
    const { args, sameTime, rest } = timing(method, tail);
    const m = /^(?: and the arguments (.+))?$/.exec(rest);
    if (!m) throw new Error(`cannot read "${rest}" in a scheduling step`);
    const values = m[1] ? parseValues(m[1]) : [];
    for (const name of parseNames(names)) {
      await this.schedule({ method, callback: this.callbackSpec(name, values), ...args });
      if (sameTime && args.when_offset !== undefined) {
        // The next callbacks get the very same absolute timestamp as the first.
        const first = this.handleOf(parseNames(names)[0]);
        delete args.when_offset;
        args.when = first.when_requested ?? undefined;
      }
    }
  },
);

Given(
  /^another thread schedules callback ([A-Z][A-Z0-9]*) with call_soon_threadsafe(.*)$/,
  async function (this: LoopWorld, name: string, tail: string) {
    const m = /^(?: after ([\d.]+) seconds?)?(?: and the arguments (.+))?$/.exec(tail);
    if (!m) throw new Error(`cannot read "${tail}" after call_soon_threadsafe`);
    const [, delay, values] = m;
    const schedule = { method: 'call_soon_threadsafe', callback: this.callbackSpec(name, values ? parseValues(values) : []) };
    if (delay === undefined) {
      // Now, and wait for the thread: its outcome is this step's outcome.
      const r = await this.attempt('from_thread', { delay: 0, wait: true, schedule });
      if (r) this.remember({ name, handle: String(r.handle) });
    } else {
      await this.op('from_thread', { delay: Number(delay), wait: false, schedule });
    }
  },
);

Given(/^reader callback ([A-Z][A-Z0-9]*) watches a socket that has data to read$/, async function (this: LoopWorld, name: string) {
  await this.op('add_reader', { ready: true, callback: this.callbackSpec(name) });
});

Given(/^the handle of callback ([A-Z][A-Z0-9]*) is cancelled$/, async function (this: LoopWorld, name: string) {
  await this.call(this.handleOf(name).handle, 'cancel');
});

When(/^the handle of callback ([A-Z][A-Z0-9]*) is asked for ([a-z_]+)\(\)$/, async function (this: LoopWorld, name: string, method: string) {
  this.lastCall = await this.attemptCall(this.handleOf(name).handle, method);
});
