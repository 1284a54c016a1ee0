@loop.call_exception_handler
Feature: loop.call_exception_handler()
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.call_exception_handler

  Background:
    Given a new event loop

  @param:context
  Rule: "Call the current event loop exception handler."

    Example: the custom handler gets the context it was called with
      Given callback H is the loop's exception handler
      When loop.call_exception_handler() is called with the message "something went wrong"
      Then the context callback H received has "message" equal to "something went wrong"

    Example: with no custom handler the default handler gets it
      When loop.call_exception_handler() is called with the message "something went wrong"
      Then the default exception handler reported the message "something went wrong"

  Rule: "context is a dict object containing the following keys (new keys may be introduced in future Python versions)"

    Example: a callback's exception comes with the message, the exception and the handle
      Given callback H is the loop's exception handler
      And callback A will raise a ZeroDivisionError
      And callback A is scheduled with call_soon
      When the loop runs one iteration
      Then the context callback H received has "message" as a str
      And the context callback H received has "exception" as a ZeroDivisionError
      And the context callback H received has "handle" as an asyncio.Handle
