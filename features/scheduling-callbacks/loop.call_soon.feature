@loop.call_soon
Feature: loop.call_soon()
  Schedules a callback for the next iteration of the event loop.
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.call_soon

  Background:
    Given a new event loop

  @param:callback @param:args
  Rule: "Schedule the callback callback to be called with args arguments at the next iteration of the event loop."

    Example: the callback is not called by call_soon itself
      Given callback A is scheduled with call_soon
      Then no callback has run

    Example: the callback runs in the next iteration
      Given callback A is scheduled with call_soon
      When the loop runs one iteration
      Then the callbacks ran in the order A

    Example: positional arguments reach the callback unchanged
      Given callback A is scheduled with call_soon and the arguments 1, "two", 3.5, true, null
      When the loop runs one iteration
      Then callback A was called with the arguments 1, "two", 3.5, true, null

    Example: a callback scheduled without arguments gets none
      Given callback A is scheduled with call_soon
      When the loop runs one iteration
      Then callback A was called with no arguments

  Rule: "Callbacks are called in the order in which they are registered."

    Example: three callbacks run in registration order
      Given callbacks A, B and C are scheduled with call_soon
      When the loop runs one iteration
      Then the callbacks ran in the order A, B, C

    Example: twelve callbacks run in registration order
      Given callbacks A, B, C, D, E, F, G, H, I, J, K and L are scheduled with call_soon
      When the loop runs one iteration
      Then the callbacks ran in the order A, B, C, D, E, F, G, H, I, J, K, L

    Example: a callback registered by a running callback runs after those registered before it
      Given callback A will schedule callback D with call_soon
      And callbacks A, B and C are scheduled with call_soon
      When the loop runs one iteration
      And the loop runs one iteration
      Then the callbacks ran in the order A, B, C, D

  Rule: "Each callback will be called exactly once."

    Example: callbacks run once however many iterations follow
      Given callbacks A and B are scheduled with call_soon
      When the loop runs one iteration
      And the loop runs one iteration
      And the loop runs one iteration
      Then callback A ran exactly once
      And callback B ran exactly once

    Example: the same function registered twice runs once per registration
      Given callback A is scheduled with call_soon
      And callback A is scheduled with call_soon
      When the loop runs one iteration
      Then the callbacks ran in the order A, A

  Rule: "An instance of asyncio.Handle is returned, which can be used later to cancel the callback."

    Example: call_soon returns a Handle
      When callback A is scheduled with call_soon
      Then the handle of callback A is an asyncio.Handle

    Example: a callback cancelled through its handle does not run
      Given callbacks A, B and C are scheduled with call_soon
      And the handle of callback B is cancelled
      When the loop runs one iteration
      Then the callbacks ran in the order A, C

  # close(): "This method is idempotent and irreversible. No other methods should be called
  # after the event loop is closed." Every loop under test refuses the call with the class
  # asyncio's own loop uses, RuntimeError; call_soon_threadsafe states it in its own text.
  @loop.close
  Rule: "No other methods should be called after the event loop is closed."

    Example: call_soon on a closed loop raises RuntimeError
      Given the loop is closed
      When callback A is scheduled with call_soon
      Then it raises a RuntimeError
      And no callback has run

  @since:3.7 @param:context
  Rule: "An optional keyword-only context argument allows specifying a custom contextvars.Context for the callback to run in."

    Example: the callback sees the variables of the context it was given
      Given context variable V with the default "unset"
      And context X is a copy of the current context in which V is "inside"
      And callback A will call V.get()
      And callback A is scheduled with call_soon in context X
      When the loop runs one iteration
      Then in callback A, V.get() returned "inside"

  @since:3.7 @param:context
  Rule: "The current context is used when no context is provided."

    Example: without a context the callback sees the current one
      Given context variable V with the default "unset"
      And V is set to "current" in the current context
      And callback A will call V.get()
      And callback A is scheduled with call_soon
      When the loop runs one iteration
      Then in callback A, V.get() returned "current"
