// Broken event loop implementations (test/fixtures/broken_loops/implementations.py): each puts
// a SelectorEventLoop with one sentence broken in place of asyncio.SelectorEventLoop, and the
// scenarios quoting that sentence must fail. "Abstract base class for asyncio-compliant event
// loops." is proven by broken_loops:not_a_loop, which the driver refuses (test/cli.test.ts).
import { BrokenLoop, testBrokenLoops } from '../helpers';

const S = 'features/event-loop-implementations/asyncio.SelectorEventLoop.feature';

const broken: BrokenLoop[] = [
  ['implementations:deaf_selector', 'An event loop based on the selectors module.',
    [`${S}: on a selectors.DefaultSelector, the loop waits in its selector until its self-pipe is readable`,
      `${S}: on a selectors.SelectSelector, the loop waits in its selector until its self-pipe is readable`,
      `${S}: on a selectors.PollSelector, the loop waits in its selector until its self-pipe is readable`]],
  ['implementations:needs_selector', 'Uses the most efficient selector available for the given platform.',
    [`${S}: with no selector given, it runs call_soon callbacks and a call_later timer`,
      `${S}: with no selector given, it waits in its selector until its self-pipe is readable`]],
  ['implementations:rejects_selector', 'It is also possible to manually configure the exact selector implementation to be used',
    [`${S}: the doc's example, a loop on a selectors.SelectSelector set as the current loop, runs callbacks and a timer`,
      `${S}: on a selectors.DefaultSelector given to it, it runs call_soon callbacks and a call_later timer`,
      `${S}: on a selectors.PollSelector given to it, it runs call_soon callbacks and a call_later timer`]],
];

testBrokenLoops(broken);
