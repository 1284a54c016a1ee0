@loop.get_debug @since:3.4.2
Feature: loop.get_debug()
  Reads the loop's debug mode. Its default comes from the process the loop lives in: the
  scenarios that set PYTHONASYNCIODEBUG run on a driver started with it (their @driver-env tag),
  the others on a driver the kit starts without it, whatever the caller's shell has.

  Where the page says less than the interpreters do: "False otherwise" holds outside Python
  Development Mode only, which also turns the default on from 3.7 (loop.set_debug.feature);
  "a non-empty string" is literal, so "0" turns the debug mode on; `python -E` makes CPython
  ignore PYTHONASYNCIODEBUG (the kit never passes -E); and CPython's get_debug() returns
  whatever set_debug() was given (set_debug(1), then get_debug() is 1; uvloop's is True), which
  only a call outside the documented `enabled: bool` shows, so no scenario makes one.
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.get_debug

  Rule: "Get the debug mode (bool) of the event loop."

    Example: a new loop's debug mode is a bool
      Given a new event loop
      When loop.get_debug() is called
      Then it returns a bool

    @driver-env:PYTHONASYNCIODEBUG=1
    Example: a new loop's debug mode is a bool in debug mode too
      Given the environment variable PYTHONASYNCIODEBUG was set to "1" when the process started
      And a new event loop
      When loop.get_debug() is called
      Then it returns a bool

  Rule: "The default value is True if the environment variable PYTHONASYNCIODEBUG is set to a non-empty string, False otherwise."

    @driver-env:PYTHONASYNCIODEBUG=1
    Example: with PYTHONASYNCIODEBUG set to "1" a new loop is in debug mode
      Given the environment variable PYTHONASYNCIODEBUG was set to "1" when the process started
      And a new event loop
      When loop.get_debug() is called
      Then it returns True

    @driver-env:PYTHONASYNCIODEBUG=0
    Example: with PYTHONASYNCIODEBUG set to "0", a non-empty string, a new loop is in debug mode
      Given the environment variable PYTHONASYNCIODEBUG was set to "0" when the process started
      And a new event loop
      When loop.get_debug() is called
      Then it returns True

    Example: with PYTHONASYNCIODEBUG not set a new loop is not in debug mode
      Given the environment variable PYTHONASYNCIODEBUG was not set when the process started
      And the process was not started in Python Development Mode
      And a new event loop
      When loop.get_debug() is called
      Then it returns False

    @driver-env:PYTHONASYNCIODEBUG=
    Example: with PYTHONASYNCIODEBUG set to the empty string a new loop is not in debug mode
      Given the environment variable PYTHONASYNCIODEBUG was set to "" when the process started
      And the process was not started in Python Development Mode
      And a new event loop
      When loop.get_debug() is called
      Then it returns False
