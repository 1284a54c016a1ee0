@asyncio.get_event_loop_policy
Feature: asyncio.get_event_loop_policy()
  From the 3.4 page's "Access to the global loop policy" (the policy functions moved to the
  policies page later, unchanged); every version from 3.4 to 3.13 has them.
  Spec: https://docs.python.org/3.4/library/asyncio-eventloops.html#asyncio.get_event_loop_policy

  Background:
    Given a new event loop

  Rule: "Get the current event loop policy."

    Example: the result is an event loop policy
      When asyncio.get_event_loop_policy() is called
      Then it returns an asyncio.AbstractEventLoopPolicy

    Example: the policy that was set is the current one
      Given P is what asyncio.DefaultEventLoopPolicy() returns
      And asyncio.set_event_loop_policy() has been called with P
      When asyncio.get_event_loop_policy() is called
      Then it returns P
