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

  @needs:threads
  Rule: "This method clears all queues and shuts down the executor, but does not wait for the executor to finish."

    Example: closing the loop shuts down its default executor
      Given executor E is made with concurrent.futures.ThreadPoolExecutor()
      And executor E is set as the loop's default executor
      And the loop is closed
      And a new event loop
      When function A is run in executor E
      Then it raises a RuntimeError
      And function A never ran

    Example: closing the loop does not wait for a function still running in the default executor
      Given function A will block for 0.5 seconds
      And function A is run in the default executor
      When the loop is closed with function A still running
      Then the loop was closed before function A finished
