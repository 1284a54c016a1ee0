@asyncio.SelectorEventLoop
Feature: asyncio.SelectorEventLoop
  asyncio's event loop on Unix. Every example makes its own loop L with
  asyncio.SelectorEventLoop(), which is asyncio's class whatever loop the driver was started
  with (on uvloop or gbulb too), and drives L only through its documented methods, L being an
  object like any other: call_soon, call_later, create_future, run_in_executor,
  run_until_complete and close. Its I/O: a function run in L's default executor ends on another
  thread, whose call_soon_threadsafe writes L's own self-pipe; L, waiting in its selector with
  nothing else to do, wakes only if the selector reports the self-pipe readable.
  L is closed at the end of each example (the loop owns its selector and closes it with itself).
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.SelectorEventLoop

  Background:
    Given a new event loop

  Rule: "An event loop based on the selectors module."

    Example: asyncio.SelectorEventLoop() makes an event loop
      When asyncio.SelectorEventLoop() is called
      Then it returns an event loop other than the scenario's

    @needs:threads
    Scenario Outline: on a selectors.<selector>, the loop waits in its selector until its self-pipe is readable
      Given S is what selectors.<selector>() returns
      And L is what asyncio.SelectorEventLoop() returns when called with S
      And function W will block for 0.1 seconds, then return "done"
      When loop L runs until function W completes in its default executor
      Then it returns "done"
      And loop L can be closed

      Examples:
        | selector        |
        | DefaultSelector |
        | SelectSelector  |
        | PollSelector    |

  Rule: "Uses the most efficient selector available for the given platform. It is also possible to manually configure the exact selector implementation to be used"

    Example: with no selector given, it runs call_soon callbacks and a call_later timer
      Given L is what asyncio.SelectorEventLoop() returns
      And F is what L.create_future() returns
      And callback T will set the result of future F to "done"
      And callbacks A and B are scheduled on loop L with call_soon
      And callback T is scheduled on loop L with call_later after 0.05 seconds
      When L.run_until_complete() is called with F
      Then it returns "done"
      And the callbacks ran in the order A, B, T
      And loop L can be closed

    @needs:threads
    Example: with no selector given, it waits in its selector until its self-pipe is readable
      Given L is what asyncio.SelectorEventLoop() returns
      And function W will block for 0.1 seconds, then return "done"
      When loop L runs until function W completes in its default executor
      Then it returns "done"
      And loop L can be closed

    Example: the doc's example, a loop on a selectors.SelectSelector set as the current loop, runs callbacks and a timer
      Given S is what selectors.SelectSelector() returns
      And L is what asyncio.SelectorEventLoop() returns when called with S
      And asyncio.set_event_loop() has been called with L
      And F is what L.create_future() returns
      And callback T will set the result of future F to "done"
      And callbacks A and B are scheduled on loop L with call_soon
      And callback T is scheduled on loop L with call_later after 0.05 seconds
      When L.run_until_complete() is called with F
      Then it returns "done"
      And the callbacks ran in the order A, B, T
      And loop L can be closed

    Scenario Outline: on a selectors.<selector> given to it, it runs call_soon callbacks and a call_later timer
      Given S is what selectors.<selector>() returns
      And L is what asyncio.SelectorEventLoop() returns when called with S
      And F is what L.create_future() returns
      And callback T will set the result of future F to "done"
      And callbacks A and B are scheduled on loop L with call_soon
      And callback T is scheduled on loop L with call_later after 0.05 seconds
      When L.run_until_complete() is called with F
      Then it returns "done"
      And the callbacks ran in the order A, B, T
      And loop L can be closed

      Examples:
        | selector        |
        | DefaultSelector |
        | PollSelector    |
