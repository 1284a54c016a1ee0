@asyncio.set_event_loop
Feature: asyncio.set_event_loop()
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.set_event_loop

  Background:
    Given a new event loop

  @param:loop
  Rule: "Set loop as a current event loop for the current OS thread."

    Example: the loop set is what get_event_loop() returns
      Given L is what asyncio.new_event_loop() returns
      When asyncio.set_event_loop() is called with L
      Then asyncio.get_event_loop() returns L
