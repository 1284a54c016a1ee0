@loop.close
Feature: loop.close()
  Closes the event loop, for good.
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.close

  Background:
    Given a new event loop

  Rule: "The loop must not be running when this function is called."

    Example: closing the loop from one of its callbacks raises RuntimeError
      Given callback A will call loop.close(), then stop the loop
      And callback A is scheduled with call_soon
      When the loop runs forever
      Then in callback A, loop.close() raised a RuntimeError

  Rule: "Any pending callbacks will be discarded."

    Example: callbacks scheduled before close never run
      Given callbacks A and B are scheduled with call_soon
      When the loop is closed
      Then no callback has run

  Rule: "This method is idempotent and irreversible."

    Example: closing twice is allowed
      Given the loop is closed
      When loop.close() is called
      Then it returns None

    Example: a closed loop cannot be run again
      Given the loop is closed
      When the loop runs forever
      Then it raises a RuntimeError
