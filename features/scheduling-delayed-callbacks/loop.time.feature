@loop.time
Feature: loop.time()
  The loop's clock, the one timers are scheduled on.
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.time

  Background:
    Given a new event loop

  Rule: "Return the current time, as a float value, according to the event loop's internal monotonic clock."

    Example: the time is a float
      When loop.time() is called
      Then it returns a float

    # Whatever order they run in: the page leaves open whether a timer already due runs
    # before callbacks scheduled with call_soon (uvloop runs it first, CPython after).
    Example: the clock never goes back from one callback to the next
      Given callback C will stop the loop
      And callback A is scheduled with call_soon
      And callback B is scheduled with call_soon
      And callback C is scheduled with call_later after 0.01 seconds
      When the loop runs forever
      Then callback A ran exactly once
      And callback B ran exactly once
      And callback C ran exactly once
      And the loop's time never went back from one callback to the next
