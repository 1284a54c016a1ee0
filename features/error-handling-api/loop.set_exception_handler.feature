@loop.set_exception_handler
Feature: loop.set_exception_handler()
  Chooses the handler that exceptions raised inside the loop (by callbacks, tasks, transports) are
  reported to.
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.set_exception_handler

  Background:
    Given a new event loop

  @param:handler
  Rule: "Set handler as the new event loop exception handler."

    Example: an exception raised by a callback reaches the handler, and the loop goes on
      Given callback H is the loop's exception handler
      And callback A will raise a ZeroDivisionError
      And callbacks A and B are scheduled with call_soon
      When the loop runs one iteration
      Then the callbacks ran in the order A, H, B
      And the context callback H received has "exception" as a ZeroDivisionError
      And the default exception handler was not called

  @param:handler
  Rule: "If handler is None, the default exception handler will be set."

    Example: after None the default handler gets the exceptions again
      Given callback H is the loop's exception handler
      And the loop's exception handler is set to None
      And callback A will raise a ZeroDivisionError
      And callback A is scheduled with call_soon
      When the loop runs one iteration
      Then the default exception handler reported a ZeroDivisionError
      And callback H has not run

  Rule: "Otherwise, handler must be a callable with the signature matching (loop, context), where loop is a reference to the active event loop, and context is a dict object containing the details of the exception"

    Example: the handler is called with the active loop and a dict
      Given callback H is the loop's exception handler
      And callback A will raise a ValueError
      And callback A is scheduled with call_soon
      When the loop runs one iteration
      Then callback H was called with the loop and a context
