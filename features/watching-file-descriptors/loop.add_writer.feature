@loop.add_writer
Feature: loop.add_writer()
  Watches a file descriptor, and calls back when it can be written.
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.add_writer

  Background:
    Given a new event loop
    And a connected socket pair S and T

  @param:fd @param:callback @param:args
  Rule: "Start monitoring the fd file descriptor for write availability and invoke callback with the specified arguments once fd is available for writing."

    Example: the callback runs when the descriptor can be written
      Given callback A is added with loop.add_writer() for the descriptor of socket S
      When the loop runs one iteration
      Then callback A has run

    Example: the callback is not called by add_writer() itself
      Given callback A is added with loop.add_writer() for the descriptor of socket S
      Then no callback has run

    Example: the arguments reach the callback
      Given callback A is added with loop.add_writer() for the descriptor of socket S and the arguments 1, "two", 3.5, null
      When the loop runs one iteration
      Then each call of callback A had the arguments 1, "two", 3.5, null

    Example: the callback waits while the socket's send buffer is full, and runs once the peer reads
      Given socket S is non-blocking and its send buffer is full
      And callback A is added with loop.add_writer() for the descriptor of socket S
      When the loop runs one iteration
      Then no callback has run
      When socket T reads everything it was sent
      And the loop runs one iteration
      Then callback A has run

    Example: the descriptor may be given as the socket itself
      Given callback A is added with loop.add_writer() for socket S
      When the loop runs one iteration
      Then callback A has run

    Example: a reader and a writer on the same descriptor both run
      Given callback R is added with loop.add_reader() for the descriptor of socket S
      And callback W is added with loop.add_writer() for the descriptor of socket S
      And socket T has sent "abc"
      When the loop runs one iteration
      Then callback R has run
      And callback W has run

  @param:callback
  Rule: "Use functools.partial to pass keyword arguments to callback."

    Example: a keyword argument for the callback is refused with TypeError
      When loop.add_writer() is called for the descriptor of socket S with callback A and the keyword argument flush=true
      Then it raises a TypeError
