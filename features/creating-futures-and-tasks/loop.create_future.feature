@loop.create_future @since:3.5.2
Feature: loop.create_future()
  The preferred way to make a Future: a third-party loop may return its own implementation.
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_future

  Background:
    Given a new event loop

  Rule: "Create an asyncio.Future object attached to the event loop."

    Example: the result is an asyncio.Future
      When loop.create_future() is called
      Then it returns an asyncio.Future

    @since:3.7
    Example: the future is attached to the loop that made it
      When loop.create_future() is called
      Then its get_loop() returns the loop

    Example: the future completes when the loop runs a callback that sets its result
      Given future F is made with loop.create_future()
      And callback A will set the result of future F to "ok"
      And callback A is scheduled with call_soon
      When the loop runs until future F completes
      Then it returns "ok"
