@loop.run_in_executor @needs:threads
Feature: loop.run_in_executor()
  Runs a function in a pool of threads (or processes) and hands the loop an asyncio Future of
  its outcome. The functions are callback specs: what they do (block, return a value, raise)
  is data, so a driver can run them on any thread, and each says whether it ran outside the
  loop's thread. The 3.4 page names the function parameter callback; from 3.5 it is func.
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.run_in_executor

  Background:
    Given a new event loop

  Rule: "Arrange for func to be called in the specified executor."

    @param:executor @param:func @param:callback
    Example: a function runs in the executor given, outside the loop's thread, and its value is the future's result
      Given executor E is made with concurrent.futures.ThreadPoolExecutor()
      And function A will return "done"
      And function A is run in executor E as future F
      When the loop runs until future F completes
      Then it returns "done"
      And function A ran outside the loop's thread

    @param:executor
    Example: an executor that was shut down refuses the function with RuntimeError
      Given executor E is made with concurrent.futures.ThreadPoolExecutor()
      And executor E is shut down
      When function A is run in executor E
      Then it raises a RuntimeError
      And function A never ran

    @param:args
    Example: the positional arguments reach the function unchanged
      Given function A will return "done"
      And function A is run in the default executor with the arguments 2, "three", 4.5 as future F
      When the loop runs until future F completes
      Then function A was called with the arguments 2, "three", 4.5

    @param:func @param:callback
    Example: the function's exception becomes the future's exception
      Given function A will raise a ValueError
      And function A is run in the default executor as future F
      When the loop runs until future F completes
      Then it raises a ValueError

  Rule: "The executor argument should be an concurrent.futures.Executor instance. The default executor is used if executor is None."

    @param:executor
    Example: with executor None the function runs in the default executor, outside the loop's thread
      Given function A will block for 0.1 seconds, then return "done"
      And function A is run in the default executor as future F
      When the loop runs until future F completes
      Then it returns "done"
      And function A ran outside the loop's thread

  Rule: "This method returns a asyncio.Future object."

    Example: with the default executor it returns an asyncio.Future
      Given function A will return "done"
      When function A is run in the default executor
      Then it returns an asyncio.Future
      And asyncio.isfuture() accepts it

    Example: with an executor given it returns an asyncio.Future, not the executor's own future
      Given executor E is made with concurrent.futures.ThreadPoolExecutor()
      And function A will return "done"
      When function A is run in executor E
      Then it returns an asyncio.Future
      And asyncio.isfuture() accepts it

  @since:3.5.3
  Rule: "loop.run_in_executor() no longer configures the max_workers of the thread pool executor it creates, instead leaving it up to the thread pool executor (ThreadPoolExecutor) to set the default."

    # Twelve functions tell ThreadPoolExecutor's default (6 or more workers on 2 CPUs or more)
    # from the 5 workers the default executor had before 3.5.3.
    Example: the default executor runs as many functions at once as a ThreadPoolExecutor made without max_workers
      Given executor E is made with concurrent.futures.ThreadPoolExecutor()
      And 12 functions that each block for 0.5 seconds are run in executor E
      And 12 functions that each block for 0.5 seconds are run in the default executor
      When the loop runs until they all complete
      Then the default executor ran as many functions at once as executor E
