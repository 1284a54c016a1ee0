@loop.run_forever @loop.stop
Feature: loop.run_forever() and loop.stop()
  Run the event loop until stop() is called.
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.run_forever

  The text below is the one in force since Python 3.5.1 (versionchanged:: 3.5.1). The
  Python 3.4 page described stop() differently; its rule is kept at the end (tagged until
  3.5.0), so that the two readings are side by side. They disagree on one case:
  a callback that schedules another callback and then calls stop().

  Background:
    Given a new event loop

  @since:3.5.1
  Rule: "If stop() is called before run_forever() is called, the loop will poll the I/O selector once with a timeout of zero, run all callbacks scheduled in response to I/O events (and those that were already scheduled), and then exit."

    Example: callbacks already scheduled run, then run_forever returns
      Given callbacks A and B are scheduled with call_soon
      And the loop is told to stop
      When the loop runs forever
      Then the callbacks ran in the order A, B

    Example: a reader whose socket is already readable runs in that single poll
      Given reader callback R watches a socket that has data to read
      And the loop is told to stop
      When the loop runs forever
      Then the callbacks ran in the order R

    Example: the poll does not wait for a pending timer
      Given callback T is scheduled with call_later after 1 second
      And the loop is told to stop
      When the loop runs forever
      Then no callback has run
      And run_forever returned before callback T was due

    Example: callbacks scheduled by that batch wait for the next run_until_complete
      Given callback A will schedule callback B with call_soon
      And callback A is scheduled with call_soon
      And the loop is told to stop
      When the loop runs forever
      Then the callbacks ran in the order A
      When the loop runs until a coroutine that returns at once completes
      Then the callbacks ran in the order A, B

  @since:3.5.1
  Rule: "If stop() is called while run_forever() is running, the loop will run the current batch of callbacks and then exit."

    Example: the rest of the current batch still runs after stop()
      Given callback A will stop the loop
      And callbacks A, B and C are scheduled with call_soon
      When the loop runs forever
      Then the callbacks ran in the order A, B, C

    Example: a pending timer does not keep the loop running after stop()
      Given callback A will stop the loop
      And callback A is scheduled with call_soon
      And callback T is scheduled with call_later after 1 second
      When the loop runs forever
      Then the callbacks ran in the order A
      And run_forever returned before callback T was due

  @since:3.5.1
  Rule: "Note that new callbacks scheduled by callbacks will not run in this case; instead, they will run the next time run_forever() or run_until_complete() is called."

    Example: a callback scheduled by the batch waits for the next run_forever
      Given callback A will schedule callback B with call_soon, then stop the loop
      And callback A is scheduled with call_soon
      When the loop runs forever
      Then the callbacks ran in the order A
      When the loop runs one iteration
      Then the callbacks ran in the order A, B

    Example: a callback scheduled by the batch waits for the next run_until_complete
      Given callback A will schedule callback B with call_soon, then stop the loop
      And callback A is scheduled with call_soon
      When the loop runs forever
      Then the callbacks ran in the order A
      When the loop runs until a coroutine that returns at once completes
      Then the callbacks ran in the order A, B

  # Python 3.4's page (Doc/library/asyncio-eventloop.rst, 2014), where stop() queued a
  # callback that ended the loop. No loop under test today implements it; it is kept so the
  # version history reads in one place and a 3.4-era loop can still be checked.
  @until:3.5.0
  Rule: "Every callback scheduled before stop() is called will run. Callback scheduled after stop() is called won't. However, those callbacks will run if run_forever() is called again later."

    Example: a callback scheduled just before stop() still runs in the same run
      Given callback A will schedule callback B with call_soon, then stop the loop
      And callback A is scheduled with call_soon
      When the loop runs forever
      Then the callbacks ran in the order A, B

    Example: a callback scheduled just after stop() waits for the next run_forever
      Given callback A will stop the loop, then schedule callback B with call_soon
      And callback A is scheduled with call_soon
      When the loop runs forever
      Then the callbacks ran in the order A
      When the loop runs one iteration
      Then the callbacks ran in the order A, B
