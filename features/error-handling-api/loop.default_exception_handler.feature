@loop.default_exception_handler
Feature: loop.default_exception_handler()
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.default_exception_handler

  Background:
    Given a new event loop

  Rule: "This is called when an exception occurs and no exception handler is set."

    Example: a callback's exception goes to the default handler, and the loop goes on
      Given callback A will raise a ZeroDivisionError
      And callbacks A and B are scheduled with call_soon
      When the loop runs one iteration
      Then the default exception handler reported a ZeroDivisionError
      And the callbacks ran in the order A, B

  @param:context
  Rule: "This can be called by a custom exception handler that wants to defer to the default handler behavior."

    Example: a custom handler hands the context on to the default handler
      Given callback H will call loop.default_exception_handler() with the context it received
      And callback H is the loop's exception handler
      And callback A will raise a ZeroDivisionError
      And callback A is scheduled with call_soon
      When the loop runs one iteration
      Then callback H was called with the loop and a context
      And the default exception handler reported a ZeroDivisionError
