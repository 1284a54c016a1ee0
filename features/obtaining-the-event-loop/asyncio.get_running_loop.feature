@asyncio.get_running_loop @since:3.7
Feature: asyncio.get_running_loop()
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.get_running_loop

  Background:
    Given a new event loop

  Rule: "Return the running event loop in the current OS thread."

    Example: a callback gets the loop that runs it
      Given callback A will call asyncio.get_running_loop()
      And callback A is scheduled with call_soon
      When the loop runs one iteration
      Then in callback A, asyncio.get_running_loop() returned the loop

    Example: a coroutine gets the loop that runs it
      Given coroutine C calls asyncio.get_running_loop()
      When the loop runs until coroutine C completes
      Then in coroutine C, asyncio.get_running_loop() returned the loop

  Rule: "If there is no running event loop a RuntimeError is raised."

    Example: with no loop running it raises RuntimeError
      When asyncio.get_running_loop() is called
      Then it raises a RuntimeError
