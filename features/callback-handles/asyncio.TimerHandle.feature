@asyncio.TimerHandle
Feature: asyncio.TimerHandle
  A callback wrapper object returned by loop.call_later(), and loop.call_at().
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.TimerHandle

  Background:
    Given a new event loop

  Rule: "This class is a subclass of Handle."

    Example: a TimerHandle is also a Handle
      When callback A is scheduled with call_later after 10 seconds
      Then the handle of callback A is an asyncio.Handle

  @asyncio.TimerHandle.when @since:3.7
  Rule: "Return a scheduled callback time as float seconds. The time is an absolute timestamp, using the same time reference as loop.time()."

    Example: when() of a call_later timer is loop.time() at scheduling plus the delay
      When callback A is scheduled with call_later after 5 seconds
      Then the handle of callback A reports when() 5 seconds after the time it was scheduled

    Example: when() of a call_at timer is the timestamp it was given
      When callback A is scheduled with call_at 5 seconds from now
      Then the handle of callback A reports when() equal to the timestamp it was given

    Example: when() is a float even for an int timestamp
      When callback A is scheduled with call_at 5 seconds from now, as an int
      Then the handle of callback A reports when() as a float

    @asyncio.Handle.cancel
    Example: a cancelled timer still reports when it was due
      Given callback A is scheduled with call_later after 5 seconds
      And the handle of callback A is cancelled
      Then the handle of callback A reports when() 5 seconds after the time it was scheduled
