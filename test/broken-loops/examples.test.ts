// The page's Examples section as scenarios: broken loops that make the examples misbehave.
import { BrokenLoop, testBrokenLoops } from '../helpers';

const E = 'features/examples';

const broken: BrokenLoop[] = [
  ['stopping:ignores_stop_while_running', 'The callback displays "Hello World" and then stops the event loop',
    [`${E}/loop.call_soon.feature: the callback runs once, stops the loop, and the loop can then be closed`]],
  ['timers:fires_early', 'The callback uses the loop.call_later() method to reschedule itself after 5 seconds, and then stops the event loop',
    [`${E}/loop.call_later.feature: the callback runs five times one interval apart, then stops the loop`]],
];

testBrokenLoops(broken);
