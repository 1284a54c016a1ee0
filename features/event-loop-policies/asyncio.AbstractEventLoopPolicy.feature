@asyncio.AbstractEventLoopPolicy
Feature: asyncio.AbstractEventLoopPolicy
  The interface every event loop policy implements, from the 3.4 page's "Event loop policy
  interface", checked on the default policy.
  Spec: https://docs.python.org/3.4/library/asyncio-eventloops.html#asyncio.AbstractEventLoopPolicy

  Background:
    Given a new event loop
    And P is what asyncio.DefaultEventLoopPolicy() returns

  @asyncio.AbstractEventLoopPolicy.get_event_loop
  Rule: "Get the event loop for current context."

    Example: the loop set for the current context is returned
      Given P.set_event_loop() has been called with the loop
      When P.get_event_loop() is called
      Then it returns the loop

  @asyncio.AbstractEventLoopPolicy.get_event_loop
  Rule: "Returns an event loop object implementing BaseEventLoop interface, or raises an exception in case no event loop has been set for the current context and the current policy does not specify to create one."

    Example: with None set for the context it raises rather than return a loop
      Given P.set_event_loop() has been called with None
      When P.get_event_loop() is called
      Then it raises an exception

  @asyncio.AbstractEventLoopPolicy.set_event_loop @param:loop
  Rule: "Set the event loop of the current context to loop."

    Example: the loop set is the one get_event_loop() returns
      Given L is what P.new_event_loop() returns
      When P.set_event_loop() is called with L
      Then P.get_event_loop() returns L

  @asyncio.AbstractEventLoopPolicy.new_event_loop
  Rule: "Create and return a new event loop object according to this policy's rules."

    Example: the result is an event loop
      When P.new_event_loop() is called
      Then it returns an event loop other than the scenario's

  @asyncio.AbstractEventLoopPolicy.new_event_loop
  Rule: "If there's need to set this loop as the event loop of the current context, set_event_loop() must be called explicitly."

    Example: the new loop is not set as the context's loop
      Given P.set_event_loop() has been called with the loop
      And L is what P.new_event_loop() returns
      When P.get_event_loop() is called
      Then it returns the loop
