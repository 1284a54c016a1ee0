@asyncio.set_event_loop_policy
Feature: asyncio.set_event_loop_policy()
  From the 3.4 page's "Access to the global loop policy".
  Spec: https://docs.python.org/3.4/library/asyncio-eventloops.html#asyncio.set_event_loop_policy

  Background:
    Given a new event loop

  @param:policy
  Rule: "Set the current event loop policy."

    Example: the policy set is the one get_event_loop_policy() returns
      Given P is what asyncio.DefaultEventLoopPolicy() returns
      When asyncio.set_event_loop_policy() is called with P
      Then asyncio.get_event_loop_policy() returns P

  @param:policy
  Rule: "If policy is None, the default policy is restored."

    Example: after None a default policy is in place again
      Given D is what asyncio.get_event_loop_policy() returns
      And P is what asyncio.DefaultEventLoopPolicy() returns
      And asyncio.set_event_loop_policy() has been called with P
      And asyncio.set_event_loop_policy() has been called with None
      When asyncio.get_event_loop_policy() is called
      Then it returns an asyncio.AbstractEventLoopPolicy other than P
      And it returns an object of the same class as D
