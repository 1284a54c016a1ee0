@loop.call_soon @ref:asyncio_example_lowlevel_helloworld
Feature: Example: Hello World with call_soon()
  The page's Examples section, as a scenario: what the example program does, checked on the
  loop. (Its print() is the callback's run; the kit observes callbacks, not stdout.)
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio-example-lowlevel-helloworld

  Background:
    Given a new event loop

  Rule: "An example using the loop.call_soon() method to schedule a callback. The callback displays "Hello World" and then stops the event loop"

    Example: the callback runs once, stops the loop, and the loop can then be closed
      Given callback HELLO will stop the loop
      And callback HELLO is scheduled with call_soon
      When the loop runs forever
      Then callback HELLO ran exactly once
      And the loop is closed
