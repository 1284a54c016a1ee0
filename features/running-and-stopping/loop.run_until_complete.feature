@loop.run_until_complete
Feature: loop.run_until_complete()
  Runs the loop until a future, or a coroutine wrapped in a Task, has completed.
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.run_until_complete

  Background:
    Given a new event loop

  @param:future
  Rule: "Run until the future (an instance of Future) has completed."

    Example: the loop runs until a callback completes the future, then returns
      Given future F is made with loop.create_future()
      And callback A will set the result of future F to "ok"
      And callback A is scheduled with call_later after 0.05 seconds
      When the loop runs until future F completes
      Then it returns "ok"
      And callback A ran exactly once

    # The page does not say what a Future of another loop does; every CPython 3.7-3.13,
    # PyPy3, uvloop and gbulb raise ValueError. Recorded, never failed.
    @undefined
    Example: a future attached to another loop, an outcome the page leaves open
      Given L is what asyncio.new_event_loop() returns
      And F is what L.create_future() returns
      When the loop runs until future F completes
      Then what happened is recorded

  Rule: "If the argument is a coroutine object it is implicitly scheduled to run as a asyncio.Task."

    Example: the coroutine runs inside a Task
      Given coroutine C calls asyncio.current_task()
      When the loop runs until coroutine C completes
      Then in coroutine C, asyncio.current_task() returned an asyncio.Task

  Rule: "Return the Future's result or raise its exception."

    Example: the coroutine's return value is returned
      Given coroutine C returns "done"
      When the loop runs until coroutine C completes
      Then it returns "done"

    Example: the coroutine's exception is raised
      Given coroutine C raises a ValueError
      When the loop runs until coroutine C completes
      Then it raises a ValueError

    Example: a future's exception is raised
      Given future F is made with loop.create_future()
      And future F already has the exception ZeroDivisionError
      When the loop runs until future F completes
      Then it raises a ZeroDivisionError
