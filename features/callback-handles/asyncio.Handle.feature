@asyncio.Handle
Feature: asyncio.Handle
  A callback wrapper object returned by loop.call_soon(), loop.call_soon_threadsafe().
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.Handle

  Background:
    Given a new event loop

  @asyncio.Handle.cancel
  Rule: "Cancel the callback. If the callback has already been canceled or executed, this method has no effect."

    Example: a cancelled callback does not run
      Given callback A is scheduled with call_soon
      And the handle of callback A is cancelled
      When the loop runs one iteration
      Then no callback has run

    Example: cancelling twice has no further effect
      Given callbacks A and B are scheduled with call_soon
      And the handle of callback A is cancelled
      And the handle of callback A is cancelled
      When the loop runs one iteration
      Then the callbacks ran in the order B

    Example: cancelling a callback that already ran changes nothing
      Given callback A is scheduled with call_soon
      When the loop runs one iteration
      And the handle of callback A is cancelled
      And the loop runs one iteration
      Then callback A ran exactly once

    Example: a running callback can cancel one registered after it in the same batch
      Given callback A will cancel callback B
      And callbacks A and B are scheduled with call_soon
      When the loop runs one iteration
      Then the callbacks ran in the order A

  @asyncio.Handle.cancelled @since:3.7
  Rule: "Return True if the callback was cancelled."

    Example: a cancelled handle reports cancelled() as True
      Given callback A is scheduled with call_soon
      And the handle of callback A is cancelled
      Then the handle of callback A reports cancelled() as True

    Example: a handle that was not cancelled reports cancelled() as False
      Given callback A is scheduled with call_soon
      Then the handle of callback A reports cancelled() as False

    Example: a callback that ran without being cancelled still reports False
      Given callback A is scheduled with call_soon
      When the loop runs one iteration
      Then the handle of callback A reports cancelled() as False

  # Handle.get_context() is on the 3.12 page (the seed pages, up to 3.10, do not have it).
  @asyncio.Handle.get_context @since:3.12
  Rule: "Return the contextvars.Context object associated with the handle."

    Example: a callback scheduled in a context has that context
      Given context variable V with the default "unset"
      And context X is a copy of the current context in which V is "inside"
      And callback A is scheduled with call_soon in context X
      When the handle of callback A is asked for get_context()
      Then it returns X

    Example: a callback scheduled without a context has one of its own
      Given callback A is scheduled with call_soon
      When the handle of callback A is asked for get_context()
      Then it returns a Context
