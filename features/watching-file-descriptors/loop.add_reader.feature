@loop.add_reader
Feature: loop.add_reader()
  Watches a file descriptor, and calls back when it can be read.
  Spec: https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.add_reader

  Background:
    Given a new event loop
    And a connected socket pair S and T

  @param:fd @param:callback @param:args
  Rule: "Start monitoring the fd file descriptor for read availability and invoke callback with the specified arguments once fd is available for reading."

    Example: the callback runs once data arrives on the descriptor
      Given callback A is added with loop.add_reader() for the descriptor of socket S
      And socket T has sent "abc"
      When the loop runs one iteration
      Then callback A has run

    Example: the callback does not run while nothing can be read
      Given callback A is added with loop.add_reader() for the descriptor of socket S
      When the loop runs one iteration
      And the loop runs one iteration
      Then no callback has run

    Example: the arguments reach the callback
      Given callback A is added with loop.add_reader() for the descriptor of socket S and the arguments 1, "two", 3.5, null
      And socket T has sent "abc"
      When the loop runs one iteration
      Then each call of callback A had the arguments 1, "two", 3.5, null

    Example: monitoring goes on after the callback: new data calls it again
      Given callback A will receive up to 100 bytes from socket S
      And callback A is added with loop.add_reader() for the descriptor of socket S
      And socket T has sent "abc"
      And the loop runs one iteration
      When socket T sends "def"
      And the loop runs one iteration
      Then callback A received "abc", then "def", from socket S

    Example: the descriptor may be given as an object with a fileno() method, the socket itself
      Given callback A is added with loop.add_reader() for socket S
      And socket T has sent "abc"
      When the loop runs one iteration
      Then callback A has run


    # Left open by the page, recorded and never failed: whether the callback is called again for
    # data it left unread (CPython and gbulb: once an iteration; uvloop: twice a run_forever()
    # iteration), whether a second add_reader() replaces the first (CPython: it does), whether the
    # descriptor's blocking mode is left as it was (every loop tried leaves it), and what a
    # descriptor epoll cannot watch (a regular file: the Platform Support note, which this page
    # does not carry; CPython and uvloop: PermissionError, gbulb accepts it) or a closed one gets
    # (CPython and uvloop: OSError EBADF, gbulb accepts it).
    @undefined
    Example: data left unread after the callback, an outcome the page leaves open
      Given callback A is added with loop.add_reader() for the descriptor of socket S
      And socket T has sent "abc"
      When the loop runs one iteration
      And the loop runs one iteration
      Then the callbacks that ran are recorded

    @undefined
    Example: a second add_reader() for the same descriptor, an outcome the page leaves open
      Given callback A is added with loop.add_reader() for the descriptor of socket S
      And callback B is added with loop.add_reader() for the descriptor of socket S
      And socket T has sent "abc"
      When the loop runs one iteration
      Then the callbacks that ran are recorded

    @undefined
    Example: a regular file's descriptor, an outcome the page leaves open
      Given a file of 1 KiB opened in binary mode
      When loop.add_reader() is called for the file's descriptor with callback A
      Then what happened is recorded

    @undefined
    Example: a descriptor already closed, an outcome the page leaves open
      When loop.add_reader() is called for a descriptor that was just closed with callback A
      Then what happened is recorded

    @undefined
    Example: the descriptor's blocking mode after add_reader(), an outcome the page leaves open
      Given callback A is added with loop.add_reader() for socket S
      When socket S's getblocking() is called
      Then what happened is recorded
