@loop.call_soon_threadsafe @needs:threads
Feature: loop.call_soon_threadsafe()
  A thread-safe variant of call_soon().
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.call_soon_threadsafe

  Background:
    Given a new event loop

  @param:callback @param:args
  Rule: "A thread-safe variant of call_soon(). Must be used to schedule callbacks from another thread."

    Example: a callback from another thread wakes a loop that is waiting in its poll
      Given callback S will stop the loop
      And callback S is scheduled with call_later after 3 seconds
      And callback T will stop the loop
      And another thread schedules callback T with call_soon_threadsafe after 0.2 seconds
      When the loop runs forever
      Then the callbacks ran in the order T
      And callback T ran in the loop's thread
      And run_forever returned before callback S was due

    Example: arguments given in the other thread reach the callback
      Given callback T will stop the loop
      And another thread schedules callback T with call_soon_threadsafe after 0.1 seconds and the arguments 7, "x"
      When the loop runs forever
      Then callback T was called with the arguments 7, "x"

    Example: callbacks from the loop's own thread keep registration order
      Given callback C will stop the loop
      And callbacks A, B and C are scheduled with call_soon_threadsafe
      When the loop runs forever
      Then the callbacks ran in the order A, B, C

  Rule: "Raises RuntimeError if called on a loop that's been closed. This can happen on a secondary thread when the main application is shutting down."

    Example: another thread calling it on a closed loop gets RuntimeError
      Given the loop is closed
      When another thread schedules callback T with call_soon_threadsafe
      Then it raises a RuntimeError

    Example: the loop's own thread calling it on a closed loop gets RuntimeError
      Given the loop is closed
      When callback T is scheduled with call_soon_threadsafe
      Then it raises a RuntimeError

  @since:3.7 @param:context
  Rule: "An optional keyword-only context argument allows specifying a custom contextvars.Context for the callback to run in."

    Example: a callback scheduled thread-safely sees the variables of the context it was given
      Given context variable V with the default "unset"
      And context X is a copy of the current context in which V is "inside"
      And callback A will call V.get()
      And callback A is scheduled with call_soon_threadsafe in context X
      When the loop runs one iteration
      Then in callback A, V.get() returned "inside"
