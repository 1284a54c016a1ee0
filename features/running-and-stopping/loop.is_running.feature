@loop.is_running
Feature: loop.is_running()
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.is_running

  Background:
    Given a new event loop

  Rule: "Return True if the event loop is currently running."

    Example: a callback sees the loop running
      Given callback A will call loop.is_running()
      And callback A is scheduled with call_soon
      When the loop runs one iteration
      Then in callback A, loop.is_running() returned True

    Example: a loop that has not been run is not running
      When loop.is_running() is called
      Then it returns False

    Example: once run_forever has returned the loop is not running
      Given callback A will stop the loop
      And callback A is scheduled with call_soon
      And the loop runs forever
      When loop.is_running() is called
      Then it returns False
