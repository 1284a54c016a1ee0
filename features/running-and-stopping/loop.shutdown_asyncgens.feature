@loop.shutdown_asyncgens @since:3.6
Feature: loop.shutdown_asyncgens()
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.shutdown_asyncgens

  The page says "a warning" without its class; CPython issues a ResourceWarning.

  Background:
    Given a new event loop

  Rule: "Schedule all currently open asynchronous generator objects to close with an aclose() call."

    Example: an async generator left open is closed
      Given coroutine C takes the first value of async generator G, which yields 1, 2 and 3
      And the loop runs until coroutine C completes
      And async generator G has not been closed
      When loop.shutdown_asyncgens() is called
      Then async generator G was closed

  Rule: "After calling this method, the event loop will issue a warning if a new asynchronous generator is iterated."

    Example: iterating a new async generator afterwards warns
      Given loop.shutdown_asyncgens() has been called
      And coroutine C takes the first value of async generator H, which yields 1
      When the loop runs until coroutine C completes
      Then it issues a warning
