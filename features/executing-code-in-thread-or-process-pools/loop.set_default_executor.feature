@loop.set_default_executor @needs:threads
Feature: loop.set_default_executor()
  Sets the executor that run_in_executor() uses when it is given None.
  Where the page is wrong: its deprecation note (3.8; the 3.7 backport has it at 3.7) says that
  an executor that is not a ThreadPoolExecutor "will trigger an error in Python 3.9". CPython
  3.7 accepts one without a warning, 3.8 to 3.10 (and PyPy 3.9) accept it with a
  DeprecationWarning, and the error, a TypeError, comes in 3.11. The scenarios transcribe what
  each version does; the executor that is not a ThreadPoolExecutor is a ProcessPoolExecutor.
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.set_default_executor

  Background:
    Given a new event loop

  Rule: "Set executor as the default executor used by run_in_executor()."

    @param:executor
    Example: functions run with executor None run in the executor that was set
      Given executor E is made with concurrent.futures.ThreadPoolExecutor(max_workers=1)
      And executor E is set as the loop's default executor
      And function A will block for 0.3 seconds
      And function B will return "done"
      And function A is run in the default executor
      And function B is run in the default executor as future F
      When the loop runs until future F completes
      Then it returns "done"
      And function B started after function A finished

    @param:executor
    Example: once the executor that was set is shut down, running a function with executor None raises RuntimeError
      Given executor E is made with concurrent.futures.ThreadPoolExecutor()
      And executor E is set as the loop's default executor
      And executor E is shut down
      When function A is run in the default executor
      Then it raises a RuntimeError
      And function A never ran

  Rule: "Using an executor that is not an instance of ThreadPoolExecutor is deprecated and will trigger an error in Python 3.9."

    @since:3.7 @until:3.10
    Example: up to 3.10 an executor that is not a ThreadPoolExecutor is still accepted
      Given executor P is made with concurrent.futures.ProcessPoolExecutor()
      When executor P is set as the loop's default executor
      Then it returns None

    @since:3.8 @until:3.10
    Example: from 3.8 to 3.10 an executor that is not a ThreadPoolExecutor warns with a DeprecationWarning
      Given executor P is made with concurrent.futures.ProcessPoolExecutor()
      When executor P is set as the loop's default executor
      Then it warns with a DeprecationWarning

    @since:3.11
    Example: the error comes in 3.11, a TypeError for an executor that is not a ThreadPoolExecutor
      Given executor P is made with concurrent.futures.ProcessPoolExecutor()
      When executor P is set as the loop's default executor
      Then it raises a TypeError

  Rule: "executor must be an instance of concurrent.futures.ThreadPoolExecutor."

    @param:executor
    Example: a ThreadPoolExecutor is accepted
      Given executor E is made with concurrent.futures.ThreadPoolExecutor()
      When executor E is set as the loop's default executor
      Then it returns None

    @since:3.11
    Example: from 3.11 None is refused with TypeError
      When None is set as the loop's default executor
      Then it raises a TypeError
