@loop.call_later @ref:asyncio-delayed-calls
Feature: loop.call_later()
  Schedules a callback to be called after a delay, on the loop's monotonic clock.
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.call_later

  Background:
    Given a new event loop

  @param:delay @param:callback
  Rule: "Schedule callback to be called after the given delay number of seconds (can be either an int or a float)."

    Scenario Outline: a delay of <delay> seconds given as <kind> is accepted and the callback runs once it has passed
      Given callback A will stop the loop
      And callback A is scheduled with call_later after <delay> seconds as <kind>
      When the loop runs forever
      Then the callbacks ran in the order A
      And callback A ran no earlier than its delay after scheduling

      Examples:
        | kind    | delay |
        | an int  | 0     |
        | an int  | 1     |
        | a float | 0.15  |

    Example: callbacks run in the order of their deadlines, not of their registration
      Given callback A will stop the loop
      And callback A is scheduled with call_later after 0.3 seconds
      And callback B is scheduled with call_later after 0.1 seconds
      And callback C is scheduled with call_later after 0.2 seconds
      When the loop runs forever
      Then the callbacks ran in the order B, C, A

  Rule: "An instance of asyncio.TimerHandle is returned which can be used to cancel the callback."

    Example: call_later returns a TimerHandle
      When callback A is scheduled with call_later after 10 seconds
      Then the handle of callback A is an asyncio.TimerHandle

    Example: a delay of zero still returns a TimerHandle
      When callback A is scheduled with call_later after 0 seconds
      Then the handle of callback A is an asyncio.TimerHandle

    Example: a cancelled timer does not run
      Given callback B will stop the loop
      And callback A is scheduled with call_later after 0.1 seconds
      And callback B is scheduled with call_later after 0.2 seconds
      And the handle of callback A is cancelled
      When the loop runs forever
      Then the callbacks ran in the order B

  Rule: "callback will be called exactly once."

    Example: a timer runs once while the loop keeps running past its deadline
      Given callback B will stop the loop
      And callback A is scheduled with call_later after 0.05 seconds
      And callback B is scheduled with call_later after 0.3 seconds
      When the loop runs forever
      Then callback A ran exactly once

  @undefined
  Rule: "If two callbacks are scheduled for exactly the same time, the order in which they are called is undefined."

    # Recorded, never failed: CPython's heap does not keep registration order for equal
    # deadlines, so no order is asserted; only that each runs once.
    Example: two callbacks due at the same time both run, in an order left open
      Given callbacks A and B are scheduled with call_at 0.1 seconds from now, at the same time
      And callback C will stop the loop
      And callback C is scheduled with call_later after 0.3 seconds
      When the loop runs forever
      Then callback A ran exactly once
      And callback B ran exactly once

  @param:args
  Rule: "The optional positional args will be passed to the callback when it is called."

    Example: positional arguments reach a delayed callback unchanged
      Given callback A will stop the loop
      And callback A is scheduled with call_later after 0.05 seconds and the arguments 42, "forty-two", 4.2
      When the loop runs forever
      Then callback A was called with the arguments 42, "forty-two", 4.2

  # The one-day limit. Pages up to 3.7 told the caller: "Timeouts (relative delay or absolute
  # when) should not exceed one day." With the default loop a longer timeout made the selector
  # raise once that timer became the nearest one. bpo-34263 fixed it by clamping the poll
  # timeout; the 3.7 page says "fixed in Python 3.7.1", the 3.8+ pages "fixed in Python 3.8",
  # and the fix was also backported to 3.6.7. So every 3.6.7+ interpreter but 3.7.0 passes,
  # pyenv's 3.6.15 and 3.7.16 included.
  @since:3.6.7 @except:3.7.0
  Rule: "In Python 3.7 and earlier with the default event loop implementation, the delay could not exceed one day. This has been fixed in Python 3.8."

    Scenario Outline: a timer <days> days ahead is accepted, stays pending and leaves the loop serving other work
      Given callback LONG is scheduled with call_later after <days> days
      And callback B is scheduled with call_later after 0.05 seconds
      And callback T will stop the loop
      And another thread schedules callback T with call_soon_threadsafe after 0.3 seconds
      When the loop runs forever
      Then the callbacks ran in the order B, T

      Examples:
        | days |
        | 2    |
        | 30   |
        | 60   |
        | 400  |

    # TimerHandle.when() itself came in 3.7.
    @asyncio.TimerHandle.when @since:3.7
    Scenario Outline: a timer <days> days ahead reports when() <days> days after it was scheduled
      When callback LONG is scheduled with call_later after <days> days
      Then the handle of callback LONG reports when() <days> days after the time it was scheduled

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
      And callback A is scheduled with call_later after 0.01 seconds in context X
      When the loop runs forever
      Then in callback A, V.get() returned "inside"

  @since:3.7 @param:context
  Rule: "The current context is used when no context is provided."

    Example: without a context the callback sees the current one
      Given context variable V with the default "unset"
      And V is set to "current" in the current context
      And callback A will call V.get(), then stop the loop
      And callback A is scheduled with call_later after 0.01 seconds
      When the loop runs forever
      Then in callback A, V.get() returned "current"
