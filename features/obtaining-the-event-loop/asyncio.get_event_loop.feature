@asyncio.get_event_loop
Feature: asyncio.get_event_loop()
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.get_event_loop

  The page (3.9/3.10 text) has no deprecation note here. CPython 3.12 and 3.13 emit a
  DeprecationWarning on exactly the branch where a new loop is created (and under
  `-W error::DeprecationWarning` create none); 3.7-3.11 and PyPy do not warn. The page is
  silent where the interpreters differ: the version-tagged examples record what each does.

  Background:
    Given a new event loop

  @param:loop
  Rule: "Get the current event loop."

    Example: the loop that was set as the current one is returned
      Given L is what asyncio.new_event_loop() returns
      And asyncio.set_event_loop() has been called with L
      When asyncio.get_event_loop() is called
      Then it returns L

  Rule: "If there is no current event loop set in the current OS thread, the OS thread is main, and set_event_loop() has not yet been called, asyncio will create a new event loop and set it as the current one."

    Example: with a fresh default policy a new loop is made and kept as the current one
      Given asyncio.set_event_loop_policy() has been called with None
      When asyncio.get_event_loop() is called
      Then it returns an event loop other than the scenario's
      And asyncio.get_event_loop() returns it again

    @since:3.12
    Example: from 3.12 the loop made this way comes with a DeprecationWarning
      Given asyncio.set_event_loop_policy() has been called with None
      When asyncio.get_event_loop() is called
      Then it warns with a DeprecationWarning

    @until:3.11
    Example: up to 3.11 the loop is made without a warning
      Given asyncio.set_event_loop_policy() has been called with None
      When asyncio.get_event_loop() is called
      Then it issues no warning

    Example: once set_event_loop() has been called with None no loop is made
      Given asyncio.set_event_loop() has been called with None
      When asyncio.get_event_loop() is called
      Then it raises an exception
