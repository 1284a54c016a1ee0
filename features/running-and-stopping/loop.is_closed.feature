@loop.is_closed @since:3.4.2
Feature: loop.is_closed()
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.is_closed

  Background:
    Given a new event loop

  Rule: "Return True if the event loop was closed."

    Example: a new loop is not closed
      When loop.is_closed() is called
      Then it returns False

    Example: a closed loop reports it
      Given the loop is closed
      When loop.is_closed() is called
      Then it returns True
