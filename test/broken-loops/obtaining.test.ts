// Broken asyncio functions for obtaining loops and for policies
// (test/fixtures/broken_loops/obtaining.py): each breaks one sentence, and the scenarios quoting
// it must fail.
import { BrokenLoop, testBrokenLoops } from '../helpers';

const O = 'features/obtaining-the-event-loop';
const P = 'features/event-loop-policies';

const broken: BrokenLoop[] = [
  ['obtaining:get_event_loop_makes_new', 'Get the current event loop.',
    [`${O}/asyncio.get_event_loop.feature: the loop that was set as the current one is returned`]],
  ['obtaining:get_event_loop_never_creates', 'asyncio will create a new event loop and set it as the current one.',
    [`${O}/asyncio.get_event_loop.feature: with a fresh default policy a new loop is made and kept as the current one`]],
  ['obtaining:set_event_loop_ignored', 'Set loop as a current event loop for the current OS thread.',
    [`${O}/asyncio.set_event_loop.feature: the loop set is what get_event_loop() returns`]],
  ['obtaining:new_event_loop_returns_current', 'Create and return a new event loop object.',
    [`${O}/asyncio.new_event_loop.feature: the result is an event loop, not the current one`,
      `${O}/asyncio.new_event_loop.feature: each call makes another loop`]],
  ['obtaining:get_policy_makes_new', 'Get the current event loop policy.',
    [`${P}/asyncio.get_event_loop_policy.feature: the policy that was set is the current one`]],
  ['obtaining:set_policy_ignores_policies', 'Set the current event loop policy.',
    [`${P}/asyncio.set_event_loop_policy.feature: the policy set is the one get_event_loop_policy() returns`]],
  ['obtaining:set_policy_none_ignored', 'If policy is None, the default policy is restored.',
    [`${P}/asyncio.set_event_loop_policy.feature: after None a default policy is in place again`]],
  ['obtaining:policy_get_makes_new', 'Get the event loop for current context.',
    [`${P}/asyncio.AbstractEventLoopPolicy.feature: the loop set for the current context is returned`]],
  ['obtaining:policy_get_never_raises', 'or raises an exception in case no event loop has been set for the current context',
    [`${P}/asyncio.AbstractEventLoopPolicy.feature: with None set for the context it raises rather than return a loop`]],
  ['obtaining:policy_set_ignored', 'Set the event loop of the current context to loop.',
    [`${P}/asyncio.AbstractEventLoopPolicy.feature: the loop set is the one get_event_loop() returns`]],
  ['obtaining:policy_new_returns_none', "Create and return a new event loop object according to this policy's rules.",
    [`${P}/asyncio.AbstractEventLoopPolicy.feature: the result is an event loop`]],
  ['obtaining:policy_new_sets_it', 'set_event_loop() must be called explicitly.',
    [`${P}/asyncio.AbstractEventLoopPolicy.feature: the new loop is not set as the context's loop`]],
];

testBrokenLoops(broken);
