@loop.call_later @ref:asyncio_example_call_later
Feature: Example: Display the current date with call_later()
  The page's Examples section, as a scenario. The example's callback reschedules itself with
  call_later(1, ...) until five seconds have passed, then stops the loop; here the five runs are
  five named callbacks, each scheduling the next (a scenario carries no code), a quarter of a
  second apart instead of one second, so that the run stays well inside the kit's time limit
  for one request. What it checks is the example's shape: each run reschedules the next with
  call_later, no run comes early, and the last one stops the loop.
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio-example-call-later

  Background:
    Given a new event loop

  Rule: "An example of a callback displaying the current date every second. The callback uses the loop.call_later() method to reschedule itself after 5 seconds, and then stops the event loop"

    Example: the callback runs five times one interval apart, then stops the loop
      Given callback D1 will schedule callback D2 with call_later after 0.25 seconds
      And callback D2 will schedule callback D3 with call_later after 0.25 seconds
      And callback D3 will schedule callback D4 with call_later after 0.25 seconds
      And callback D4 will schedule callback D5 with call_later after 0.25 seconds
      And callback D5 will stop the loop
      And callback D1 is scheduled with call_soon
      When the loop runs forever
      Then the callbacks ran in the order D1, D2, D3, D4, D5
      And each callback ran at least 0.25 seconds after the one before it
