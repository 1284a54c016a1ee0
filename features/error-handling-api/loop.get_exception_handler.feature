@loop.get_exception_handler @since:3.5.2
Feature: loop.get_exception_handler()
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.get_exception_handler

  Background:
    Given a new event loop

  Rule: "Return the current exception handler, or None if no custom exception handler was set."

    Example: a new loop has no custom handler
      When loop.get_exception_handler() is called
      Then it returns None

    Example: the handler that was set is returned
      Given callback H is the loop's exception handler
      When loop.get_exception_handler() is called
      Then it returns callback H

    Example: after the handler is set to None there is no custom handler
      Given callback H is the loop's exception handler
      And the loop's exception handler is set to None
      When loop.get_exception_handler() is called
      Then it returns None
