@loop.remove_reader
Feature: loop.remove_reader()
  Stops watching a file descriptor for reading.
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.remove_reader

  Background:
    Given a new event loop
    And a connected socket pair S and T

  @param:fd
  Rule: "Stop monitoring the fd file descriptor for read availability."

    Example: once removed, the callback no longer runs when data arrives
      Given callback A is added with loop.add_reader() for the descriptor of socket S
      When loop.remove_reader() is called for the descriptor of socket S
      And socket T sends "abc"
      And the loop runs one iteration
      Then no callback has run

    Example: the descriptor may be given as the socket itself
      Given callback A is added with loop.add_reader() for the descriptor of socket S
      When loop.remove_reader() is called for socket S
      And socket T sends "abc"
      And the loop runs one iteration
      Then no callback has run

    Example: a writer on the same descriptor is left watching
      Given callback A is added with loop.add_reader() for the descriptor of socket S
      And callback W is added with loop.add_writer() for the descriptor of socket S
      When loop.remove_reader() is called for the descriptor of socket S
      And the loop runs one iteration
      Then callback W has run

    # What remove_reader() returns is not on this page (later pages: True if fd was being
    # monitored). CPython, PyPy and gbulb return True, then False; uvloop 0.17 returns None.
    @undefined
    Example: what removing a watched descriptor returns, an outcome the page leaves open
      Given callback A is added with loop.add_reader() for the descriptor of socket S
      When loop.remove_reader() is called for the descriptor of socket S
      Then what happened is recorded

    @undefined
    Example: what removing a descriptor nobody watches returns, an outcome the page leaves open
      When loop.remove_reader() is called for the descriptor of socket S
      Then what happened is recorded
