@loop.set_debug @since:3.4.2
Feature: loop.set_debug()
  Sets the loop's debug mode, whatever its default was (loop.get_debug.feature). Python
  Development Mode is the driver's process started with `-X dev` (the @driver-flag:dev-mode tag).
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.set_debug

  Rule: "Set the debug mode of the event loop."

    @param:enabled
    Example: set_debug(True) turns the debug mode on
      Given the environment variable PYTHONASYNCIODEBUG was not set when the process started
      And a new event loop
      And loop.set_debug(True) was called
      When loop.get_debug() is called
      Then it returns True

    @param:enabled
    Example: set_debug(False) after set_debug(True) turns the debug mode off again
      Given a new event loop
      And loop.set_debug(True) was called
      And loop.set_debug(False) was called
      When loop.get_debug() is called
      Then it returns False

    @param:enabled @driver-env:PYTHONASYNCIODEBUG=1
    Example: set_debug(False) turns off the debug mode PYTHONASYNCIODEBUG turned on
      Given the environment variable PYTHONASYNCIODEBUG was set to "1" when the process started
      And a new event loop
      And loop.set_debug(False) was called
      When loop.get_debug() is called
      Then it returns False

    @param:enabled
    Example: set_debug changes the debug mode of its own loop only
      Given a new event loop
      And loop.set_debug(True) was called
      And a new event loop
      When loop.get_debug() is called
      Then it returns False

  @since:3.7 @driver-flag:dev-mode
  Rule: "The new Python Development Mode can now also be used to enable the debug mode."

    Example: a new loop made in Python Development Mode is in debug mode
      Given the process was started in Python Development Mode
      And the environment variable PYTHONASYNCIODEBUG was not set when the process started
      And a new event loop
      When loop.get_debug() is called
      Then it returns True

    @param:enabled
    Example: set_debug(False) turns off the debug mode Python Development Mode turned on
      Given the process was started in Python Development Mode
      And a new event loop
      And loop.set_debug(False) was called
      When loop.get_debug() is called
      Then it returns False
