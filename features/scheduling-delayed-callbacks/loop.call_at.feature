@loop.call_at @ref:asyncio-delayed-calls
Feature: loop.call_at()
  Schedules a callback at an absolute time of the loop's clock.
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.call_at

  Background:
    Given a new event loop

  @param:when @param:callback
  Rule: "Schedule callback to be called at the given absolute timestamp when (an int or a float), using the same time reference as loop.time()."

    Example: the callback runs once loop.time() has reached its timestamp
      Given callback A will stop the loop
      And callback A is scheduled with call_at 0.15 seconds from now
      When the loop runs forever
      Then the callbacks ran in the order A
      And callback A ran no earlier than its timestamp

    Example: a timestamp given as an int is accepted
      Given callback A will stop the loop
      And callback A is scheduled with call_at 1 second from now, as an int
      When the loop runs forever
      Then the callbacks ran in the order A
      And callback A ran no earlier than its timestamp

    Example: a timestamp already in the past runs at the next iteration
      Given callback A is scheduled with call_at 5 seconds ago
      When the loop runs one iteration
      Then the callbacks ran in the order A

  @param:args
  Rule: "This method's behavior is the same as call_later()."

    Example: call_at and call_later timers run together in deadline order
      Given callback A will stop the loop
      And callback A is scheduled with call_at 0.3 seconds from now
      And callback B is scheduled with call_later after 0.1 seconds
      And callback C is scheduled with call_at 0.2 seconds from now
      When the loop runs forever
      Then the callbacks ran in the order B, C, A

    Example: positional arguments reach the callback unchanged
      Given callback A will stop the loop
      And callback A is scheduled with call_at 0.05 seconds from now and the arguments "at", 1
      When the loop runs forever
      Then callback A was called with the arguments "at", 1

  Rule: "An instance of asyncio.TimerHandle is returned which can be used to cancel the callback."

    Example: call_at returns a TimerHandle
      When callback A is scheduled with call_at 10 seconds from now
      Then the handle of callback A is an asyncio.TimerHandle

    Example: a cancelled call_at timer does not run
      Given callback B will stop the loop
      And callback A is scheduled with call_at 0.1 seconds from now
      And callback B is scheduled with call_at 0.2 seconds from now
      And the handle of callback A is cancelled
      When the loop runs forever
      Then the callbacks ran in the order B

  @since:3.6.7 @except:3.7.0
  Rule: "In Python 3.7 and earlier with the default event loop implementation, the difference between when and the current time could not exceed one day. This has been fixed in Python 3.8."

    Scenario Outline: a timestamp <days> days ahead is accepted and stays pending while the loop serves other work
      Given callback LONG is scheduled with call_at <days> days from now
      And callback T will stop the loop
      And another thread schedules callback T with call_soon_threadsafe after 0.2 seconds
      When the loop runs forever
      Then the callbacks ran in the order T

      Examples:
        | days |
        | 30   |
        | 400  |

    @asyncio.TimerHandle.when @since:3.7
    Scenario Outline: a timestamp <days> days ahead is what when() reports
      When callback LONG is scheduled with call_at <days> days from now
      Then the handle of callback LONG reports when() equal to the timestamp it was given

      Examples:
        | days |
        | 30   |
        | 400  |

  @since:3.7 @param:context
  Rule: "An optional keyword-only context argument allows specifying a custom contextvars.Context for the callback to run in."

    Example: the callback sees the variables of the context it was given
      Given context variable V with the default "unset"
      And context X is a copy of the current context in which V is "inside"
      And callback A will call V.get(), then stop the loop
      And callback A is scheduled with call_at 0.01 seconds from now in context X
      When the loop runs forever
      Then in callback A, V.get() returned "inside"

  @since:3.7 @param:context
  Rule: "The current context is used when no context is provided."

    Example: without a context the callback sees the current one
      Given context variable V with the default "unset"
      And V is set to "current" in the current context
      And callback A will call V.get(), then stop the loop
      And callback A is scheduled with call_at 0.01 seconds from now
      When the loop runs forever
      Then in callback A, V.get() returned "current"
