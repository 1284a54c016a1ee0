@asyncio.new_event_loop
Feature: asyncio.new_event_loop()
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.new_event_loop

  Background:
    Given a new event loop

  Rule: "Create and return a new event loop object."

    Example: the result is an event loop, not the current one
      When asyncio.new_event_loop() is called
      Then it returns an event loop other than the scenario's

    Example: each call makes another loop
      Given L is what asyncio.new_event_loop() returns
      When asyncio.new_event_loop() is called
      Then it returns an asyncio.AbstractEventLoop other than L

    Example: the new loop does not become the current one
      Given L is what asyncio.new_event_loop() returns
      When asyncio.get_event_loop() is called
      Then it returns the loop
