@loop.shutdown_default_executor @since:3.9 @needs:threads
Feature: loop.shutdown_default_executor()
  Shuts the default executor down and waits for its threads; new in 3.9. (3.12 adds a timeout
  parameter, which the 3.9/3.10 page does not document.)
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.shutdown_default_executor

  Background:
    Given a new event loop

  Rule: "Schedule the closure of the default executor and wait for it to join all of the threads in the ThreadPoolExecutor."

    Example: it returns only after a function running in the default executor has finished
      Given function A will block for 0.5 seconds
      And function A is run in the default executor
      When loop.shutdown_default_executor() is called
      Then it returns None
      And it returned after function A finished

    Example: a function still waiting in the default executor's queue runs before it returns
      Given executor E is made with concurrent.futures.ThreadPoolExecutor(max_workers=1)
      And executor E is set as the loop's default executor
      And function A will block for 0.3 seconds
      And function B will block for 0.3 seconds
      And function A is run in the default executor
      And function B is run in the default executor
      When loop.shutdown_default_executor() is called
      Then it returned after function B finished

    Example: with the default executor never used it returns None
      When loop.shutdown_default_executor() is called
      Then it returns None

  Rule: "After calling this method, a RuntimeError will be raised if loop.run_in_executor() is called while using the default executor."

    Example: running a function in the default executor afterwards raises RuntimeError
      Given loop.shutdown_default_executor() has been called
      When function A is run in the default executor
      Then it raises a RuntimeError
      And function A never ran

    Example: a default executor that already ran a function refuses the next with RuntimeError
      Given function A will return "done"
      And function A is run in the default executor as future F
      And the loop runs until future F completes
      And loop.shutdown_default_executor() has been called
      When function B is run in the default executor
      Then it raises a RuntimeError

    Example: an executor given explicitly still runs functions afterwards
      Given loop.shutdown_default_executor() has been called
      And executor E is made with concurrent.futures.ThreadPoolExecutor()
      And function A will return "done"
      And function A is run in executor E as future F
      When the loop runs until future F completes
      Then it returns "done"

  # The timeout parameter is on the 3.12 page (the 3.9/3.10 seed page has no parameter).
  # CPython 3.12.0-3.12.2 wait for the threads whatever the timeout, without a warning
  # (gh-111358, fixed in 3.12.3): an expected failure of those releases in cpython.json.
  @since:3.12 @param:timeout
  Rule: "The timeout parameter specifies the amount of time the executor will be given to finish joining."

    Example: with a timeout it returns once the timeout has passed, while a function still runs
      Given function A will block for 0.8 seconds
      And function A is run in the default executor
      When loop.shutdown_default_executor() is called with a timeout of 0.1 seconds
      Then it returned well before function A could have finished

  @since:3.12
  Rule: "If the timeout duration is reached, a warning is emitted and executor is terminated without waiting for its threads to finish joining."

    Example: reaching the timeout emits a warning
      Given function A will block for 0.8 seconds
      And function A is run in the default executor
      When loop.shutdown_default_executor() is called with a timeout of 0.1 seconds
      Then it issues a warning
